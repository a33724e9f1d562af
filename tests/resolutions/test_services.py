import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from resolutions import services
from resolutions.choices import DocumentKind, DocumentStatus, TaskStatus
from resolutions.models import Conference, Document, Task
from resolutions.symbols import parse_symbol

from .factories import make_document, make_tasks


@pytest.mark.parametrize(
    ("text", "number", "kind", "issuer"),
    [
        ("01-CTr/QU", 1, "CTr", "QU"),
        ("05-CT/TW", 5, "CT", "TW"),
        ("09-NQ/TU", 9, "NQ", "TU"),
        ("488-NQ/ĐU", 488, "NQ", "ĐU"),
        ("Số 12 - TB/QU", 12, "TB", "QU"),
    ],
)
def test_symbols_are_parsed(text, number, kind, issuer):
    symbol = parse_symbol(text)
    assert (symbol.number, symbol.kind_code, symbol.issuer_code) == (number, kind, issuer)


@pytest.mark.parametrize("text", ["NQ-01/QU", "01/QU", "01-XX/QU", "0-NQ/QU", "", "01-NQ"])
def test_malformed_symbols_are_rejected_in_vietnamese(text):
    with pytest.raises(ValidationError) as info:
        parse_symbol(text)
    assert (
        "Số hiệu" in info.value.messages[0]
        or "Loại văn bản" in info.value.messages[0]
        or "Số văn bản" in info.value.messages[0]
    )


def test_document_create_normalises_the_symbol_and_audits(tree, users):
    document = make_document(
        users["staff"], tree.root, symbol="1-ctr/QU", kind=DocumentKind.PROGRAMME
    )
    assert document.symbol == "01-CTr/QU"
    assert document.issuer_level == "district"
    assert LogEntry.objects.get_for_object(document).get().actor == users["staff"]


def test_duplicate_symbol_for_the_same_issuer_and_year_is_rejected(tree, users):
    make_document(users["staff"], tree.root, symbol="01-NQ/QU")
    with pytest.raises(ValidationError) as info:
        make_document(users["staff"], tree.root, symbol="01-NQ/QU", signed=dt.date(2026, 5, 1))
    assert "đã có trong năm 2026" in str(info.value)
    assert Document.objects.count() == 1
    make_document(
        users["staff"], tree.root, symbol="01-NQ/QU", signed=dt.date(2027, 1, 5)
    )  # a new year
    make_document(
        users["staff"], tree.ward_a, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
    )
    make_document(
        users["staff"], tree.ward_b, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
    )  # another ward
    assert Document.objects.count() == 4


def test_kind_must_match_the_symbol(tree, users):
    with pytest.raises(ValidationError) as info:
        make_document(users["staff"], tree.root, symbol="01-TB/QU", kind=DocumentKind.RESOLUTION)
    assert "kind" in info.value.message_dict


def test_upper_documents_need_district_staff(tree, users):
    document = services.document_create(
        actor=users["staff"],
        symbol="05-CT/TW",
        kind=DocumentKind.DIRECTIVE,
        issuing_unit=None,
        title="Chỉ thị 05",
        signed_date=dt.date(2016, 5, 15),
    )
    assert document.issuer_name == "Ban Chấp hành Trung ương"
    assert document.issuer_level == "upper"
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=users["ward_secretary"],
            symbol="04-NQ/TW",
            kind=DocumentKind.RESOLUTION,
            issuing_unit=None,
            title="X",
            signed_date=dt.date(2016, 10, 30),
        )


def test_ward_secretary_issues_only_in_the_ward(tree, users):
    make_document(
        users["ward_secretary"],
        tree.ward_a,
        symbol="02-NQ/ĐU",
        kind=DocumentKind.THEMATIC_RESOLUTION,
    )
    with pytest.raises(PermissionDenied):
        make_document(
            users["ward_secretary"],
            tree.ward_b,
            symbol="03-NQ/ĐU",
            kind=DocumentKind.THEMATIC_RESOLUTION,
        )


def test_deadline_before_the_signed_date_is_rejected(tree, users):
    document = make_document(users["staff"], tree.root)
    with pytest.raises(ValidationError) as info:
        make_tasks(users["staff"], document, [tree.ward_a], deadline=dt.date(2026, 1, 9))
    assert "không được trước ngày ký" in info.value.message_dict["deadline"][0]
    assert not Task.objects.exists()


def test_task_outside_the_assigners_scope_is_refused(tree, users):
    document = make_document(users["staff"], tree.root)
    with pytest.raises(PermissionDenied) as info:
        make_tasks(users["ward_secretary"], document, [tree.cell_a1, tree.ward_b])
    assert "Đảng ủy phường Bình Minh" in str(info.value)
    assert not Task.objects.exists()


def test_no_tasks_from_a_draft_document(tree, users):
    document = make_document(users["staff"], tree.root, status=DocumentStatus.DRAFT)
    with pytest.raises(ValidationError):
        make_tasks(users["staff"], document, [tree.ward_a])


@pytest.mark.parametrize("progress", [-1, 101, 250])
def test_progress_outside_0_to_100_is_rejected(tree, users, progress):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    with pytest.raises(ValidationError) as info:
        services.task_report_progress(
            actor=users["ward_secretary"], task=task, progress=progress, note="x"
        )
    assert "từ 0 đến 100" in info.value.message_dict["progress"][0]
    task.refresh_from_db()
    assert task.progress == 0 and not task.updates.exists()


def test_progress_reports_move_the_state(tree, users):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    services.task_report_progress(
        actor=users["ward_staff"], task=task, progress=40, note="Đang làm"
    )
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    services.task_report_progress(
        actor=users["ward_secretary"], task=task, progress=100, note="Xong", on=dt.date(2026, 2, 20)
    )
    task.refresh_from_db()
    assert (
        task.status == TaskStatus.DONE
        and task.completed_on == dt.date(2026, 2, 20)
        and task.done_on_time
    )


def test_other_wards_cannot_report_progress(tree, users):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_b])
    with pytest.raises(PermissionDenied):
        services.task_report_progress(
            actor=users["ward_secretary"], task=task, progress=10, note="x"
        )


def test_cascade_rolls_progress_up_from_the_children(tree, users):
    from tests.conftest import make_unit

    cell_a2 = make_unit("CB-A2", parent=tree.ward_a)
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    first, second = services.task_cascade(
        actor=users["ward_secretary"], task=task, units=[tree.cell_a1, cell_a2]
    )
    services.task_report_progress(actor=users["ward_staff"], task=first, progress=100, note="Xong")
    task.refresh_from_db()
    assert task.progress == 50 and task.status == TaskStatus.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.task_report_progress(
            actor=users["ward_secretary"], task=task, progress=100, note="Tự báo xong"
        )
    services.task_report_progress(actor=users["ward_staff"], task=second, progress=100, note="Xong")
    task.refresh_from_db()
    assert task.progress == 100 and task.status == TaskStatus.DONE


def test_cascade_only_to_sub_units_and_not_later_than_the_parent(tree, users):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    with pytest.raises(ValidationError):
        services.task_cascade(actor=users["staff"], task=task, units=[tree.cell_b1])
    with pytest.raises(ValidationError):
        services.task_cascade(
            actor=users["staff"], task=task, units=[tree.cell_a1], deadline=dt.date(2026, 4, 1)
        )


@pytest.mark.parametrize(
    ("expected", "present", "reports", "field"),
    [
        (40, 41, 10, "present_attendees"),
        (40, 30, 31, "learning_reports"),
        (0, 0, 0, "expected_attendees"),
    ],
)
def test_conference_attendance_rules(tree, users, expected, present, reports, field):
    document = make_document(users["staff"], tree.root)
    with pytest.raises(ValidationError) as info:
        services.conference_record(
            actor=users["staff"], document=document, unit=tree.ward_a, held_on=dt.date(2026, 2, 1),
            expected_attendees=expected, present_attendees=present, learning_reports=reports,
        )  # fmt: skip
    assert field in info.value.message_dict
    assert not Conference.objects.exists()


def test_conference_message_names_both_numbers(tree, users):
    document = make_document(users["staff"], tree.root)
    with pytest.raises(ValidationError) as info:
        services.conference_record(
            actor=users["staff"],
            document=document,
            unit=tree.ward_a,
            held_on=dt.date(2026, 2, 1),
            expected_attendees=40,
            present_attendees=41,
        )
    assert info.value.message_dict["present_attendees"] == [
        "Số người dự (41) không được nhiều hơn số người phải dự (40)."
    ]


def test_briefing_issue_becomes_tasks(tree, users):
    document = make_document(users["staff"], tree.root)
    briefing = services.briefing_record(
        actor=users["staff"], unit=tree.root, kind="quarterly_wards", held_on=dt.date(2026, 3, 30), attendees="Bí thư các phường",
        issues=[{"text": "Chi bộ sinh hoạt chưa đều", "conclusion": "Chấn chỉnh sinh hoạt chi bộ"}],
    )  # fmt: skip
    issue = briefing.issues.get()
    tasks = services.briefing_issue_to_task(
        actor=users["staff"],
        issue=issue,
        document=document,
        units=[tree.ward_a, tree.ward_b],
        deadline=dt.date(2026, 5, 1),
    )
    assert {t.source_briefing_issue_id for t in tasks} == {issue.pk}
    assert tasks[0].title == "Chấn chỉnh sinh hoạt chi bộ"


def test_passing_a_task_down_keeps_its_reported_progress_until_a_sub_unit_reports(tree, users):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    services.task_report_progress(
        actor=users["ward_secretary"], task=task, progress=70, note="Đã triển khai"
    )
    (child,) = services.task_cascade(actor=users["ward_secretary"], task=task, units=[tree.cell_a1])
    task.refresh_from_db()
    assert task.progress == 70
    services.task_report_progress(
        actor=users["ward_staff"], task=child, progress=40, note="Chi bộ đang làm"
    )
    task.refresh_from_db()
    assert task.progress == 40


def test_only_the_assigning_side_edits_a_task(tree, users):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    assert services.task_can_edit(users["staff"], task)
    assert not services.task_can_edit(users["ward_secretary"], task)
    with pytest.raises(PermissionDenied):
        services.task_update(actor=users["ward_secretary"], task=task, deadline=dt.date(2026, 6, 1))
    (child,) = services.task_cascade(actor=users["ward_secretary"], task=task, units=[tree.cell_a1])
    assert services.task_can_edit(users["ward_secretary"], child)


def test_audit_trail_is_readable(tree, users, client_for):
    document = make_document(users["staff"], tree.root)
    (task,) = make_tasks(users["staff"], document, [tree.ward_a])
    services.task_update(
        actor=users["staff"], task=task, deadline=dt.date(2026, 6, 1), reason="Lùi hạn theo đề nghị"
    )
    page = client_for(users["staff"]).get(f"/nghi-quyet/nhiem-vu/{task.pk}/").content.decode()
    assert "Thời hạn</strong>: 01/03/2026 → 01/06/2026" in page
    assert "Lùi hạn theo đề nghị" in page
    assert "Đơn vị chủ trì</strong>: Đảng ủy phường Ánh Dương" in page
    assert "resolutions.Task.None" not in page and "children" not in page
    assert "Sửa nội dung, thời hạn" in page
    assert (
        "Sửa nội dung, thời hạn"
        not in client_for(users["ward_secretary"])
        .get(f"/nghi-quyet/nhiem-vu/{task.pk}/")
        .content.decode()
    )


def test_conferences_and_reviews_need_a_readable_issued_document(tree, users):
    other_ward = make_document(
        users["staff"], tree.ward_b, symbol="02-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
    )
    draft = make_document(users["staff"], tree.root, symbol="03-NQ/QU", status=DocumentStatus.DRAFT)
    common = {"held_on": dt.date(2026, 2, 1), "expected_attendees": 10, "present_attendees": 9}
    with pytest.raises(PermissionDenied):
        services.conference_record(
            actor=users["ward_secretary"], document=other_ward, unit=tree.ward_a, **common
        )
    with pytest.raises(ValidationError):
        services.conference_record(actor=users["staff"], document=draft, unit=tree.ward_a, **common)
    with pytest.raises(PermissionDenied):
        services.review_record(
            actor=users["ward_secretary"], document=other_ward, unit=tree.ward_a, kind="interim",
            held_on=dt.date(2026, 3, 1), level="grassroots", outcome="x",
        )  # fmt: skip
    assert not Conference.objects.exists()
