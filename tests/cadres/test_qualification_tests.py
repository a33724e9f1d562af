"""Qualification tests (sát hạch): registering people, entering scores in one go, results."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres import choices, models, selectors, services
from cadres.indicators import provide
from cadres.models import QualificationTest
from tests.permissions import check_matrix

from .conftest import make_person

CHANGERS = ["admin", "staff", "ward_secretary"]
VIEWERS = [*CHANGERS, "leadership", "ward_staff"]
HELD = timezone.localdate() - dt.timedelta(days=3)


@pytest.fixture
def session(users, tree):
    """A ward A session with three of its people registered."""
    test = services.test_create(
        actor=users["ward_secretary"], unit=tree.ward_a, subject="Lý luận chính trị", held_on=HELD
    )
    crowd = [make_person(f"T{n}", tree.cell_a1, f"Người dự {n}") for n in range(3)]
    services.test_add_participants(actor=users["ward_secretary"], test=test, people=crowd)
    return test


@pytest.fixture
def district_session(users, tree, people):
    """A district session with one person of each ward."""
    test = services.test_create(
        actor=users["staff"], unit=tree.root, subject="Kiến thức quản lý", held_on=HELD,
        pass_mark=Decimal(60),
    )  # fmt: skip
    services.test_add_participants(
        actor=users["staff"], test=test, people=[people["a"], people["b"]]
    )
    return test


def _ids(test):
    return {row.person.code: row.person_id for row in test.participants.select_related("person")}


# --- Services ------------------------------------------------------------------------------


def test_people_are_registered_without_a_score(session):
    rows = list(session.participants.all())
    assert len(rows) == 3
    assert all(row.score is None and row.result == "" for row in rows)


def test_registering_is_all_or_nothing(users, session, people, tree):
    newcomer = make_person("T9", tree.cell_a1)
    already = session.participants.first().person
    with pytest.raises(ValidationError) as info:
        services.test_add_participants(
            actor=users["ward_secretary"], test=session,
            people=[newcomer, already, people["b"]],
        )  # fmt: skip
    messages = info.value.message_dict["people"]
    assert any("đã có tên trong kỳ sát hạch" in m for m in messages)
    # Someone the ward cannot see reads as an unknown code: no name, nothing else.
    assert "Không có cán bộ mã “CBB”." in messages
    assert not any("Đỗ Thị Bé" in m for m in messages)
    assert session.participants.count() == 3


def test_registering_needs_change_rights_on_the_session(users, district_session, tree):
    with pytest.raises(PermissionDenied):
        services.test_add_participants(
            actor=users["ward_secretary"], test=district_session,
            people=[make_person("T8", tree.cell_a1)],
        )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.test_add_participants(actor=users["staff"], test=district_session, people=[])
    assert info.value.message_dict["people"] == ["Hãy nhập ít nhất một mã cán bộ."]


def test_scores_are_saved_in_one_go_and_the_result_follows_the_pass_mark(users, session):
    ids = _ids(session)
    saved = services.test_record_scores(
        actor=users["ward_secretary"], test=session,
        scores={ids["T0"]: "85,5", ids["T1"]: "50", ids["T2"]: Decimal("49.9")},
    )  # fmt: skip
    assert len(saved) == 3
    rows = {row.person.code: row for row in session.participants.select_related("person")}
    assert (rows["T0"].score, rows["T0"].result) == (Decimal("85.5"), choices.TestResult.PASSED)
    assert rows["T1"].result == choices.TestResult.PASSED  # the pass mark itself passes
    assert rows["T2"].result == choices.TestResult.FAILED
    entry = LogEntry.objects.get_for_object(rows["T0"]).order_by("-timestamp").first()
    assert entry.actor == users["ward_secretary"]


def test_a_zero_is_a_score_and_an_empty_cell_leaves_the_row(users, session):
    ids = _ids(session)
    services.test_record_scores(
        actor=users["staff"], test=session, scores={ids["T0"]: 0, ids["T1"]: "  ", ids["T2"]: None}
    )
    rows = {row.person.code: row for row in session.participants.select_related("person")}
    assert (rows["T0"].score, rows["T0"].result) == (Decimal(0), choices.TestResult.FAILED)
    assert rows["T1"].score is None and rows["T2"].score is None


def test_a_correction_is_recorded_and_unchanged_rows_are_not_rewritten(users, session):
    ids = _ids(session)
    services.test_record_scores(actor=users["staff"], test=session, scores={ids["T0"]: "40"})
    saved = services.test_record_scores(
        actor=users["staff"], test=session, scores={ids["T0"]: "70", ids["T1"]: ""}
    )
    assert [row.score for row in saved] == [Decimal(70)]
    again = services.test_record_scores(
        actor=users["staff"], test=session, scores={ids["T0"]: "70,0"}
    )
    assert again == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tám", "không phải là số"),
        ("NaN", "không phải là số"),
        ("-1", "ngoài khoảng từ 0 đến 100"),
        ("100,5", "ngoài khoảng từ 0 đến 100"),
        ("85,25", "quá một chữ số thập phân"),
    ],
)
def test_a_bad_score_is_refused_in_vietnamese_and_nothing_is_saved(users, session, value, message):
    ids = _ids(session)
    with pytest.raises(ValidationError) as info:
        services.test_record_scores(
            actor=users["staff"], test=session, scores={ids["T0"]: "90", ids["T1"]: value}
        )
    errors = info.value.message_dict
    assert list(errors) == [str(ids["T1"])]
    assert message in errors[str(ids["T1"])][0]
    assert not models.TestParticipant.objects.filter(score__isnull=False).exists()


def test_scores_of_people_not_registered_or_your_own_are_refused(users, session, people):
    ids = _ids(session)
    staff = users["staff"]
    staff.person = session.participants.get(person_id=ids["T2"]).person
    staff.save()
    with pytest.raises(ValidationError) as info:
        services.test_record_scores(
            actor=staff, test=session,
            scores={ids["T0"]: "90", people["a2"].pk: "80", ids["T2"]: "100"},
        )  # fmt: skip
    errors = info.value.message_dict
    assert "không có tên trong kỳ sát hạch" in errors[str(people["a2"].pk)][0]
    assert "Không được tự nhập điểm" in errors[str(ids["T2"])][0]
    assert str(ids["T0"]) not in errors
    assert not models.TestParticipant.objects.filter(score__isnull=False).exists()


def test_scores_wait_for_the_session_and_need_rights(users, tree, session):
    later = services.test_create(
        actor=users["staff"], unit=tree.ward_a, subject="Sắp tới",
        held_on=timezone.localdate() + dt.timedelta(days=1),
    )  # fmt: skip
    person = make_person("T7", tree.cell_a1)
    services.test_add_participants(actor=users["staff"], test=later, people=[person])
    with pytest.raises(ValidationError) as info:
        services.test_record_scores(actor=users["staff"], test=later, scores={person.pk: "90"})
    assert "chưa diễn ra" in str(info.value)
    ids = _ids(session)
    for role in ("ward_staff", "leadership", "inspection"):
        with pytest.raises(PermissionDenied):
            services.test_record_scores(actor=users[role], test=session, scores={ids["T0"]: "9"})
    with pytest.raises(ValidationError) as empty:
        services.test_record_scores(actor=users["staff"], test=session, scores={ids["T0"]: ""})
    assert "Chưa nhập điểm" in str(empty.value)
    assert not models.TestParticipant.objects.filter(score__isnull=False).exists()


@pytest.mark.parametrize(
    ("subject", "pass_mark", "field"), [(" ", "50", "subject"), ("Sát hạch", "120", "pass_mark")]
)
def test_a_bad_session_is_refused(users, tree, subject, pass_mark, field):
    with pytest.raises(ValidationError) as info:
        services.test_create(
            actor=users["staff"], unit=tree.root, subject=subject, held_on=HELD,
            pass_mark=pass_mark,
        )  # fmt: skip
    assert field in info.value.message_dict
    assert not QualificationTest.objects.exists()


def test_a_ward_sees_only_its_own_people_in_a_district_session(users, district_session, people):
    ids = _ids(district_session)
    services.test_record_scores(
        actor=users["staff"], test=district_session, scores={ids["CBA"]: "90", ids["CBB"]: "30"}
    )
    seen = selectors.participant_list(user=users["ward_staff"], test=district_session)
    assert [row.person.code for row in seen] == ["CBA"]
    listed = selectors.test_list(user=users["ward_staff"]).get(pk=district_session.pk)
    assert (listed.participant_count, listed.passed_count) == (1, 1)
    summary = selectors.test_summary(
        participants=list(selectors.participant_list(user=users["staff"], test=district_session))
    )
    assert (summary.registered, summary.scored, summary.passed, summary.failed) == (2, 2, 1, 1)
    assert summary.pass_share == Decimal("50.0")


def test_people_tested_counts_only_scored_participants(users, tree, session):
    ids = _ids(session)
    services.test_record_scores(actor=users["staff"], test=session, scores={ids["T0"]: "75"})
    counts = provide(unit=tree.root, start=HELD.replace(month=1, day=1), end=HELD)
    assert counts["cadres.people_tested"] == 1


# --- Pages ---------------------------------------------------------------------------------


def test_test_pages_matrix(client, users, session, district_session, tree):
    other = services.test_create(
        actor=users["staff"], unit=tree.ward_b, subject="Phường B", held_on=HELD
    )
    check_matrix(client, users, reverse("cadres:test_create"), dict.fromkeys(CHANGERS, 200))
    check_matrix(client, users, session.get_absolute_url(), dict.fromkeys(VIEWERS, 200))
    check_matrix(client, users, district_session.get_absolute_url(), dict.fromkeys(VIEWERS, 200))
    check_matrix(
        client, users, other.get_absolute_url(),
        {"admin": 200, "staff": 200, "leadership": 200, "ward_secretary": 404, "ward_staff": 404},
    )  # fmt: skip
    add = "cadres:test_add_participants"
    check_matrix(client, users, reverse(add, args=[session.pk]), dict.fromkeys(CHANGERS, 200))
    check_matrix(
        client, users, reverse(add, args=[district_session.pk]),
        {"admin": 200, "staff": 200, "ward_secretary": 403},
    )  # fmt: skip


def test_score_posts_matrix(client, users, session):
    ids = _ids(session)
    check_matrix(
        client, users, session.get_absolute_url(), dict.fromkeys(CHANGERS, 302), method="post",
        data=lambda role: {f"score-{ids['T0']}": str(10 + len(role))},
    )  # fmt: skip
    # The last changer in the matrix (ward_secretary, 14 letters) wrote the score.
    assert session.participants.get(person_id=ids["T0"]).score == Decimal(24)


def test_the_session_page_saves_every_score_in_one_submit(client_for, users, session):
    ids = _ids(session)
    client = client_for(users["ward_secretary"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert page.count('class="grid-score"') == 3
    assert reverse("cadres:test_add_participants", args=[session.pk]) in page
    response = client.post(
        session.get_absolute_url(),
        {f"score-{ids['T0']}": "85,5", f"score-{ids['T1']}": "40", f"score-{ids['T2']}": ""},
    )
    assert response.status_code == 302
    results = dict(session.participants.values_list("person__code", "result"))
    assert results == {"T0": "passed", "T1": "failed", "T2": ""}
    again = client.get(session.get_absolute_url()).content.decode()
    assert 'value="85,5"' in again
    assert 'data-result="passed">1<' in again and 'data-result="failed">1<' in again


def test_a_bad_score_on_the_page_shows_a_vietnamese_error_and_saves_nothing(
    client_for, users, session
):
    ids = _ids(session)
    response = client_for(users["staff"]).post(
        session.get_absolute_url(),
        {f"score-{ids['T0']}": "90", f"score-{ids['T1']}": "chín", f"score-{ids['T2']}": "101"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Chưa lưu dòng nào" in text
    assert "Điểm “chín” không phải là số." in text and "ngoài khoảng từ 0 đến 100" in text
    assert 'value="chín"' in text and 'aria-invalid="true"' in text
    assert not models.TestParticipant.objects.filter(score__isnull=False).exists()


def test_a_session_that_has_not_been_held_shows_why_nothing_is_saved(client_for, users, tree):
    later = services.test_create(
        actor=users["staff"], unit=tree.ward_a, subject="Sắp tới",
        held_on=timezone.localdate() + dt.timedelta(days=7),
    )  # fmt: skip
    person = make_person("T6", tree.cell_a1)
    services.test_add_participants(actor=users["staff"], test=later, people=[person])
    response = client_for(users["staff"]).post(
        later.get_absolute_url(), {f"score-{person.pk}": "90"}
    )
    assert response.status_code == 400 and "chưa diễn ra" in response.content.decode()
    assert not models.TestParticipant.objects.filter(score__isnull=False).exists()


def test_the_create_and_register_forms(client_for, users, people, tree):
    client = client_for(users["ward_secretary"])
    bad = client.post(
        reverse("cadres:test_create"),
        {"unit": "P-B", "subject": "x", "held_on": HELD.isoformat(), "pass_mark": "50"},
    )
    assert bad.status_code == 200 and "Chưa lưu được" in bad.content.decode()
    created = client.post(
        reverse("cadres:test_create"),
        {"unit": "P-A", "subject": "Nghị quyết", "held_on": HELD.isoformat(), "pass_mark": "60,5"},
    )
    test = QualificationTest.objects.get()
    assert created.status_code == 302 and created.url == test.get_absolute_url()
    assert test.pass_mark == Decimal("60.5")
    url = reverse("cadres:test_add_participants", args=[test.pk])
    unknown = client.post(url, {"people": "CBA, KHONGCO"})
    assert "Không có cán bộ mã: KHONGCO." in unknown.content.decode()
    outside = client.post(url, {"people": "cba\nCBB"})
    assert "Không có cán bộ mã: CBB." in outside.content.decode()
    assert "Đỗ Thị Bé" not in outside.content.decode()
    assert not test.participants.exists()
    added = client.post(url, {"people": "cba\nCBA2"})
    assert added.status_code == 302
    assert sorted(test.participants.values_list("person__code", flat=True)) == ["CBA", "CBA2"]


def test_the_session_list_links_to_each_session(client_for, users, session):
    text = client_for(users["ward_staff"]).get(reverse("cadres:test_list")).content.decode()
    assert session.get_absolute_url() in text
    assert reverse("cadres:test_create") not in text
    staff_text = client_for(users["staff"]).get(reverse("cadres:test_list")).content.decode()
    assert reverse("cadres:test_create") in staff_text


def test_the_session_page_query_count_does_not_grow(
    client_for, users, tree, django_assert_max_num_queries
):
    test = services.test_create(actor=users["staff"], unit=tree.root, subject="Lớn", held_on=HELD)
    crowd = [make_person(f"TT{n:03d}", tree.cell_a1) for n in range(60)]
    services.test_add_participants(actor=users["staff"], test=test, people=crowd)
    client = client_for(users["staff"])
    with django_assert_max_num_queries(14):
        response = client.get(test.get_absolute_url())
    assert response.content.decode().count('class="grid-score"') == 60


# --- API -----------------------------------------------------------------------------------


def test_the_api_registers_people_and_enters_scores_by_code(client_for, users, district_session):
    client = client_for(users["staff"])
    base = f"/api/v1/cadres/tests/{district_session.pk}/"
    scores = client.post(
        f"{base}scores/", {"scores": {"CBA": "88,5", "cbb": 59}}, content_type="application/json"
    )
    assert scores.status_code == 200, scores.content
    assert {row["person"]: row["result"] for row in scores.json()} == {
        "CBA": "passed", "CBB": "failed",
    }  # fmt: skip
    bad = client.post(
        f"{base}scores/", {"scores": {"CBA": "x", "KHONGCO": "5"}}, content_type="application/json"
    )
    assert bad.status_code == 400 and "KHONGCO" in bad.json()
    worse = client.post(
        f"{base}scores/", {"scores": {"CBA": "x", "CBB": "70"}}, content_type="application/json"
    )
    assert worse.status_code == 400 and worse.json() == {"CBA": ["Điểm “x” không phải là số."]}
    assert district_session.participants.get(person__code="CBB").score == Decimal(59)
    unknown = client.post(
        f"{base}participants/", {"people": ["KHONGCO"]}, content_type="application/json"
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"people": ["Không có cán bộ mã “KHONGCO”."]}
    seen = client_for(users["ward_staff"]).get(f"{base}participants/").json()
    assert [row["person"] for row in seen] == ["CBA"]
