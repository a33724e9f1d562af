import datetime as dt

import pytest

from longbien import indicators
from resolutions import selectors, services
from resolutions.choices import DocumentKind
from resolutions.models import Document, Task

from .factories import make_document, make_tasks


@pytest.fixture
def records(tree, users):
    district = make_document(users["staff"], tree.root, symbol="01-NQ/QU")
    ward_a = make_document(
        users["staff"], tree.ward_a, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
    )
    ward_b = make_document(
        users["staff"], tree.ward_b, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
    )
    upper = services.document_create(
        actor=users["staff"],
        symbol="05-CT/TW",
        kind=DocumentKind.DIRECTIVE,
        issuing_unit=None,
        title="Chỉ thị",
        signed_date=dt.date(2016, 5, 15),
    )
    tasks = make_tasks(users["staff"], district, [tree.ward_a, tree.ward_b])
    return {
        "district": district,
        "ward_a": ward_a,
        "ward_b": ward_b,
        "upper": upper,
        "tasks": tasks,
    }


def test_the_district_register_is_readable_by_every_role_that_works_on_resolutions(users, records):
    for role in [
        "admin",
        "staff",
        "leadership",
        "inspection",
        "mass_mobilisation",
        "ward_secretary",
        "ward_staff",
    ]:
        visible = set(Document.objects.restrict(users[role]).values_list("pk", flat=True))
        assert records["district"].pk in visible and records["upper"].pk in visible, role
    assert not Document.objects.restrict(users["no_role"]).exists()


def test_ward_users_do_not_read_other_wards_documents(users, records):
    visible = set(Document.objects.restrict(users["ward_secretary"]).values_list("pk", flat=True))
    assert records["ward_a"].pk in visible and records["ward_b"].pk not in visible


def test_ward_users_change_only_their_own_documents(users, records):
    changeable = set(
        Document.objects.restrict(users["ward_secretary"], "change").values_list("pk", flat=True)
    )
    assert changeable == {records["ward_a"].pk}


def test_ward_users_see_only_their_subtrees_tasks(users, records):
    tasks = selectors.task_list(user=users["ward_staff"])
    assert [t.unit.code for t in tasks] == ["P-A"]
    assert selectors.task_list(user=users["leadership"]).count() == 2


def test_search_ignores_diacritics(users, records):
    assert records["district"] in selectors.document_list(
        user=users["staff"], query="nghi quyet thu"
    )
    assert records["district"] in selectors.document_list(user=users["staff"], query="01-nq/qu")


def test_overdue_board_groups_by_unit(users, records, tree):
    services.task_report_progress(
        actor=users["staff"],
        task=records["tasks"][0],
        progress=100,
        note="x",
        on=dt.date(2026, 2, 1),
    )
    board = selectors.overdue_board(user=users["staff"], today=dt.date(2026, 3, 5))
    assert [g["unit"].code for g in board] == ["P-B"]
    # Due Sunday 1 March: the deadline runs to Monday 2 March, so Thursday 5 is day 3.
    assert board[0]["tasks"][0].days_late == 3
    assert selectors.overdue_board(user=users["ward_secretary"], today=dt.date(2026, 3, 5)) == []


def test_indicators_count_documents_tasks_and_attendance(users, records, tree):
    services.conference_record(
        actor=users["staff"],
        document=records["district"],
        unit=tree.ward_a,
        held_on=dt.date(2026, 2, 1),
        expected_attendees=40,
        present_attendees=38,
        learning_reports=37,
    )
    services.conference_record(
        actor=users["staff"],
        document=records["district"],
        unit=tree.ward_b,
        held_on=dt.date(2026, 2, 2),
        expected_attendees=60,
        present_attendees=57,
        learning_reports=50,
    )
    services.task_report_progress(
        actor=users["staff"],
        task=records["tasks"][0],
        progress=100,
        note="x",
        on=dt.date(2026, 2, 1),
    )
    for unit, kind, day in (
        (tree.ward_a, "quarterly_wards", dt.date(2026, 4, 10)),
        (tree.ward_b, "thematic", dt.date(2026, 5, 12)),
        (tree.ward_b, "thematic", dt.date(2025, 5, 12)),  # outside the period
    ):
        services.briefing_record(
            actor=users["staff"], unit=unit, kind=kind, held_on=day, attendees="Bí thư"
        )
    values = indicators.collect(
        viewer=indicators.SYSTEM,
        unit=tree.root,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        areas={"resolutions"},
    )
    assert values["briefings.held"].count == 2
    assert values["briefings.quarterly_wards"].count == values["briefings.thematic"].count == 1
    assert values["documents.district.resolution"].count == 1
    assert values["documents.grassroots.thematic_resolution"].count == 2
    assert values["documents.total"].count == 3  # the 2016 directive is outside the period
    assert values["tasks.total"].count == 2 and values["tasks.done_on_time"].count == 1
    assert values["conferences.held"].count == 2
    assert str(values["conferences.attendance"].share) == "95.0"  # 95 of 100, from the counts
    assert values["conferences.learning_reports"].count == 87
    ward = indicators.collect(
        viewer=indicators.SYSTEM,
        unit=tree.ward_a,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        areas={"resolutions"},
    )
    assert (
        ward["conferences.held"].count == 1 and str(ward["conferences.attendance"].share) == "95.0"
    )
    assert ward["documents.district.resolution"].count == 0


def test_document_list_query_count_is_bounded(
    client_for, users, tree, django_assert_max_num_queries
):
    for number in range(1, 41):
        make_document(
            users["staff"],
            tree.root,
            symbol=f"{number:02d}-TB/QU",
            kind=DocumentKind.CONCLUSION_NOTICE,
        )
    client = client_for(users["staff"])
    with django_assert_max_num_queries(14):
        response = client.get("/nghi-quyet/")
    assert response.status_code == 200 and response.content.decode().count("-TB/QU") >= 30


def test_task_list_query_count_is_bounded(
    client_for, users, tree, records, django_assert_max_num_queries
):
    for number in range(30):
        make_tasks(
            users["staff"], records["district"], [tree.ward_a, tree.ward_b], title=f"Việc {number}"
        )
    client = client_for(users["staff"])
    with django_assert_max_num_queries(12):
        response = client.get("/nghi-quyet/nhiem-vu/")
    assert response.status_code == 200 and Task.objects.count() == 62


def test_task_indicators_count_leaf_tasks_as_of_the_period_end(users, records, tree):
    task_a, task_b = records["tasks"]
    services.task_cascade(actor=users["staff"], task=task_a, units=[tree.cell_a1])
    services.task_report_progress(
        actor=users["staff"], task=task_b, progress=100, note="x", on=dt.date(2026, 4, 10)
    )
    march = indicators.collect(
        viewer=indicators.SYSTEM,
        unit=tree.root,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        areas={"resolutions"},
    )
    assert march["tasks.total"].count == 2  # the ward-A task counts once, through its cell
    assert march["tasks.done"].count == 0  # done in April: not yet at the end of March
    assert march["tasks.overdue"].count == 2
    year = indicators.collect(
        viewer=indicators.SYSTEM,
        unit=tree.root,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        areas={"resolutions"},
    )
    assert year["tasks.done"].count == 1 and year["tasks.done_on_time"].count == 0


def test_task_search_ignores_diacritics(users, records):
    found = selectors.task_list(user=users["staff"], query="xay dung ke hoach")
    assert found.count() == 2
