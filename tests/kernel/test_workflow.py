"""The kernel's workflow mechanism (longbien/workflow.py), on a small table of its own.

The table below uses the document statuses (draft → issued → superseded / expired) so that the
states have labels; who may act is evaluated through the scope rules of the test tree.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from longbien.org import scope
from longbien.org.choices import Role
from longbien.workflow import (
    Action,
    ImproperlyDeclared,
    Transition,
    Who,
    Workflow,
    check_transition,
)
from resolutions import services as resolution_services
from resolutions.choices import DocumentStatus as D
from resolutions.models import Document
from tests.conftest import make_user
from tests.resolutions.factories import make_document

AREA = scope.Area.RESOLUTIONS
EDITOR = Who(area=AREA)
SECRETARY = Who(area=AREA, roles=frozenset({Role.WARD_SECRETARY}))
AUTHOR = Who(area=AREA, the_person=True)
NOT_AUTHOR = Who(area=AREA, not_the_person="Không được tự duyệt văn bản của chính mình.")


def _workflow() -> Workflow:
    return Workflow(
        "resolutions.Document",
        [
            Transition(
                "issue",
                D.DRAFT,
                D.ISSUED,
                who=NOT_AUTHOR,
                label="Ban hành",
                url_name="resolutions:document_update",
                style="primary",
            ),  # fmt: skip
            Transition(
                "withdraw",
                D.ISSUED,
                D.DRAFT,
                who=AUTHOR,
                label="Rút lại",
                own_label="Rút lại văn bản của tôi",
                reason_required=True,
                url_name="resolutions:document_update",
                method="post",
            ),  # fmt: skip
            Transition(
                "expire",
                D.ISSUED,
                D.EXPIRED,
                who=SECRETARY,
                label="Hết hiệu lực",
                invalid_message="Chỉ văn bản đang hiệu lực mới hết hiệu lực.",
            ),  # fmt: skip
            Transition(
                "supersede",
                (D.ISSUED, D.EXPIRED),
                D.SUPERSEDED,
                who=EDITOR,
                label="Thay thế",
                button=False,
            ),  # fmt: skip
        ],
        state_errors={
            D.SUPERSEDED: lambda obj: ValidationError("Văn bản đã được thay thế.", code="closed")
        },
    )


def _record(unit, status=D.DRAFT, person_id=None):
    return SimpleNamespace(pk=7, status=status, unit=unit, person_id=person_id)


# --- The table ------------------------------------------------------------------------------


def test_the_tables_answers_are_kept_and_handed_out_as_copies(db):
    """What starts from a state and what it leads to are worked out once per table; a caller
    changing what it got changes nothing; filters made per call (lambdas) keep it bounded."""
    from longbien import workflow as workflow_module

    workflow = _workflow()
    first = workflow.transitions_from(D.ISSUED)
    first.clear()
    assert [t.name for t in workflow.transitions_from(D.ISSUED)] == [
        "withdraw", "expire", "supersede",
    ]  # fmt: skip
    reached = workflow.reachable_states(D.EXPIRED)
    reached.add(D.DRAFT)
    assert workflow.reachable_states(D.EXPIRED) == {D.SUPERSEDED}
    for _ in range(workflow_module._REACHABLE_KEPT * 2):
        assert workflow.reachable_states(D.DRAFT, only=lambda t: t.name != "expire") == {
            D.DRAFT, D.ISSUED, D.SUPERSEDED,
        }  # fmt: skip
    assert len(workflow._reachable) <= workflow_module._REACHABLE_KEPT


def test_the_table_answers_from_which_state_to_which(db):
    workflow = _workflow()
    assert [t.name for t in workflow.transitions_from(D.ISSUED)] == [
        "withdraw", "expire", "supersede",
    ]  # fmt: skip
    assert workflow.targets(D.DRAFT) == {D.ISSUED}
    assert workflow.targets(D.EXPIRED) == {D.SUPERSEDED}
    assert workflow.as_dict()[D.SUPERSEDED] == set()
    assert workflow.reachable_states() == {D.ISSUED, D.DRAFT, D.EXPIRED, D.SUPERSEDED}
    assert workflow.reachable_states(D.EXPIRED) == {D.SUPERSEDED}
    assert workflow.reachable_states(D.DRAFT, only=lambda t: t.name != "expire") == {
        D.DRAFT, D.ISSUED, D.SUPERSEDED,
    }  # fmt: skip
    assert workflow.find(D.ISSUED, D.EXPIRED).name == "expire"
    assert workflow.find(D.DRAFT, D.EXPIRED) is None
    assert "issue" in workflow and "publish" not in workflow
    with pytest.raises(KeyError):
        workflow["publish"]


def test_a_name_declared_twice_is_refused():
    with pytest.raises(ImproperlyDeclared):
        Workflow("resolutions.Document", [
            Transition("issue", D.DRAFT, D.ISSUED, who=EDITOR, label="a"),
            Transition("issue", D.ISSUED, D.EXPIRED, who=EDITOR, label="b"),
        ])  # fmt: skip


# --- Who may act: the scope rules plus extra conditions ------------------------------------


def test_who_follows_the_scope_rules_roles_and_the_person(tree, users):
    in_a = _record(tree.cell_a1)
    in_b = _record(tree.cell_b1)
    assert EDITOR(users["ward_secretary"], in_a) and not EDITOR(users["ward_secretary"], in_b)
    assert EDITOR(users["staff"], in_b)
    assert not EDITOR(users["leadership"], in_a)  # reads only
    assert EDITOR.refusal(users["no_role"], in_a) == "Bạn không có quyền thực hiện bước này."
    # A role set narrows the scope rule to those roles' grants.
    assert SECRETARY(users["ward_secretary"], in_a) and not SECRETARY(users["staff"], in_a)
    # The record's own person may act without a role; another person may not.
    author = make_user("author", person_id=None)
    author.person_id = 42
    assert AUTHOR(author, _record(tree.cell_a1, person_id=42))
    assert not AUTHOR(author, _record(tree.cell_a1, person_id=43))
    # ... and a rule may refuse the record's own person, with its message.
    users["staff"].person_id = 42
    assert (
        NOT_AUTHOR.refusal(users["staff"], _record(tree.cell_a1, person_id=42))
        == "Không được tự duyệt văn bản của chính mình."
    )
    assert NOT_AUTHOR(users["staff"], _record(tree.cell_a1, person_id=43))


def test_a_rule_of_the_models_own_and_a_further_condition(tree, users):
    own_rule = Who(check=lambda user, obj: None if user.is_superuser else "Chỉ quản trị.")
    weekdays = Who(
        area=AREA, condition=lambda user, obj: "Không làm ngày nghỉ." if obj.rest else None
    )
    assert own_rule.refusal(users["staff"], object()) == "Chỉ quản trị."
    record = _record(tree.cell_a1)
    record.rest = True
    assert weekdays.refusal(users["staff"], record) == "Không làm ngày nghỉ."
    record.rest = False
    assert weekdays(users["staff"], record)
    assert EDITOR.refusal(users["staff"], _record(None)) is not None  # no unit: nobody


# --- What may this user do now, and the checks ---------------------------------------------


def test_available_is_the_transitions_from_the_state_the_user_may_take(tree, users):
    workflow = _workflow()
    issued = _record(tree.cell_a1, D.ISSUED, person_id=42)
    secretary = users["ward_secretary"]
    assert [t.name for t in workflow.available(secretary, issued)] == [
        "withdraw", "expire", "supersede",
    ]  # fmt: skip
    assert [t.name for t in workflow.available(secretary, issued, buttons=True)] == [
        "withdraw", "expire",
    ]  # fmt: skip
    assert workflow.available(users["leadership"], issued) == []
    assert workflow.actions(secretary, issued)[0].label == "Rút lại"
    secretary.person_id = 42  # the record's own person sees the step's own label
    actions = workflow.actions(secretary, issued)
    assert actions[0] == Action(
        name="withdraw", label="Rút lại văn bản của tôi", url="/nghi-quyet/van-ban/7/sua/",
        style="", method="post", reason_required=True,
    )  # fmt: skip
    assert workflow.permits(secretary, issued, "expire")
    assert not workflow.permits(secretary, issued, "issue")  # wrong state
    assert not workflow.permits(users["staff"], issued, "expire")  # not the role


def test_check_refuses_the_user_first_then_the_state_in_vietnamese(tree, users):
    workflow = _workflow()
    draft = _record(tree.cell_a1, D.DRAFT)
    with pytest.raises(PermissionDenied) as denied:
        workflow.check(users["leadership"], draft, "issue")
    assert str(denied.value) == "Bạn không có quyền thực hiện bước này."
    with pytest.raises(PermissionDenied):  # refused even in a state the step does not start from
        workflow.check(users["leadership"], draft, "supersede")
    with pytest.raises(ValidationError) as invalid:
        workflow.check(users["staff"], draft, "supersede")
    assert invalid.value.messages == [
        "Không thể chuyển từ trạng thái “Dự thảo” sang “Đã được thay thế”."
    ]
    assert invalid.value.code == "invalid_transition"
    assert draft.status == D.DRAFT  # a check never changes the record
    with pytest.raises(ValidationError) as own_message:
        workflow.check(users["ward_secretary"], draft, "expire")
    assert own_message.value.messages == ["Chỉ văn bản đang hiệu lực mới hết hiệu lực."]
    with pytest.raises(ValidationError) as closed:
        workflow.check(users["staff"], _record(tree.cell_a1, D.SUPERSEDED), "issue")
    assert closed.value.messages == ["Văn bản đã được thay thế."]
    assert workflow.check(users["staff"], draft, "issue").target == D.ISSUED


def test_check_move_finds_the_transition_by_its_target(tree, users):
    workflow = _workflow()
    issued = _record(tree.cell_a1, D.ISSUED)
    assert workflow.check_move(users["staff"], issued, D.ISSUED) is None  # no change
    assert workflow.check_move(users["staff"], issued, D.SUPERSEDED).name == "supersede"
    with pytest.raises(ValidationError) as invalid:
        workflow.check_move(users["staff"], _record(tree.cell_a1, D.EXPIRED), D.ISSUED)
    assert (
        "Không thể chuyển từ trạng thái “Hết hiệu lực” sang “Đã ban hành”"
        in invalid.value.messages[0]
    )
    with pytest.raises(PermissionDenied):
        workflow.check_move(users["staff"], issued, D.EXPIRED)  # ward secretaries only


def test_a_transition_performs_its_service_by_dotted_path():
    step = Transition("x", "a", "b", who=EDITOR, label="x", service="builtins.dict")
    assert step.perform(a=1) == {"a": 1}
    with pytest.raises(ImproperlyDeclared):
        Transition("y", "a", "b", who=EDITOR, label="y").perform()


def test_the_old_dict_check_still_gives_the_same_error(tree, users):
    document = Document(status=D.EXPIRED)
    with pytest.raises(ValidationError) as invalid:
        check_transition(obj=document, to=D.ISSUED, allowed={D.DRAFT: {D.ISSUED}})
    assert invalid.value.code == "invalid_transition"


def test_the_buttons_include_renders_links_and_one_click_forms(rf: RequestFactory):
    request = rf.get("/")
    html = render_to_string(
        "includes/workflow_buttons.html",
        {"actions": [
            Action("issue", "Ban hành", "/a/", "primary", "get", False),
            Action("withdraw", "Rút lại", "/b/", "", "post", True),
            Action("nowhere", "Không có trang", "", "", "get", False),
        ]},
        request=request,
    )  # fmt: skip
    assert '<a class="btn primary" href="/a/">Ban hành</a>' in html
    assert 'action="/b/"' in html and 'name="reason"' in html and "csrfmiddlewaretoken" in html
    assert "Không có trang" not in html


# --- The document status table (resolutions) ----------------------------------------------


def test_the_document_status_table(db):
    workflow = resolution_services.DOCUMENT_WORKFLOW
    assert workflow.as_dict() == {
        D.DRAFT: {D.ISSUED}, D.ISSUED: {D.SUPERSEDED, D.EXPIRED},
        D.SUPERSEDED: set(), D.EXPIRED: set(),
    }  # fmt: skip


def test_a_document_status_move_is_checked_by_the_table(tree, users):
    document = make_document(users["staff"], tree.ward_a, signed=dt.date(2026, 1, 10))
    resolution_services.document_update(actor=users["staff"], document=document, status=D.EXPIRED)
    with pytest.raises(ValidationError) as invalid:
        resolution_services.document_update(
            actor=users["staff"], document=document, status=D.ISSUED
        )
    assert "Không thể chuyển từ trạng thái “Hết hiệu lực” sang “Đã ban hành”" in str(invalid.value)
    document.refresh_from_db()
    assert document.status == D.EXPIRED


def test_the_document_form_offers_only_the_tables_moves(client, tree, users):
    document = make_document(users["staff"], tree.ward_a, status=D.ISSUED)
    client.force_login(users["ward_secretary"], backend="longbien.org.backends.PersonModelBackend")
    page = client.get(f"/nghi-quyet/van-ban/{document.pk}/sua/").content.decode()
    for status in (D.ISSUED, D.EXPIRED):
        assert f'value="{status}"' in page
    # Superseding has its own step (it needs the successor); a draft is not a move back.
    assert f'value="{D.SUPERSEDED}"' not in page and f'value="{D.DRAFT}"' not in page


def test_a_status_field_cannot_take_a_step_that_has_its_own_service(tree, users):
    """Superseding needs its successor (document_supersede): not through document_update."""
    import pytest
    from django.core.exceptions import ValidationError

    from resolutions import services
    from resolutions.models import Document
    from tests.resolutions.factories import make_document

    document = make_document(users["staff"], tree.root)
    with pytest.raises(ValidationError):
        services.document_update(actor=users["staff"], document=document, status="superseded")
    document.refresh_from_db()
    assert document.status == "issued" and document.superseded_by is None
    with pytest.raises(ValidationError, match="dự thảo hoặc đã ban hành"):
        make_document(users["staff"], tree.root, symbol="07-NQ/QU", status="superseded")
    assert not Document.objects.filter(symbol="07-NQ/QU").exists()


def test_a_records_timeline_is_read_from_its_audit_trail(db, tree, users):
    """Workflow.timeline: each state with who moved it and why, from the one audit trail."""
    import datetime as dt

    from inspections import services
    from inspections.choices import Activity, InspectionKind, InspectionStatus, SubjectType
    from inspections.workflows import INSPECTION_WORKFLOW

    actor = users["inspection"]
    inspection = services.inspection_create(
        actor=actor, activity=Activity.INSPECTION, subject_type=SubjectType.ORGANISATION,
        kind=InspectionKind.REGULAR, topic="Thử", conducting_body=tree.root, unit=tree.cell_a1,
        starts_on=dt.date(2026, 3, 2),
    )  # fmt: skip
    services.inspection_update(actor=actor, inspection=inspection, team="Đoàn", reason="Bổ sung")
    services.inspection_start(actor=actor, inspection=inspection, reason="Theo kế hoạch")
    steps = INSPECTION_WORKFLOW.timeline(inspection)
    assert [s["status"] for s in steps] == [InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS]
    assert [str(s["label"]) for s in steps] == ["Theo kế hoạch", "Đang tiến hành"]
    assert steps[1]["who"] == actor and steps[1]["reason"] == "Theo kế hoạch"
