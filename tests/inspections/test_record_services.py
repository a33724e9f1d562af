"""The services of inspection records, follow-ups and discipline decisions.

Each refusal changes nothing (no row, no audit entry, the record as it was); each write leaves
its audit row by the actor; the inspection's workflow table decides the buttons on its page
and the service calls that succeed, for every state and role.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections import services
from inspections.choices import (
    Activity,
    DisciplineForm,
    FollowUpStatus,
    InspectionKind,
    InspectionStatus,
    SubjectType,
)
from inspections.models import Discipline, FollowUp, Inspection
from inspections.workflows import INSPECTION_WORKFLOW as WORKFLOW
from tests.inspections.conftest import concluded_inspection

pytestmark = pytest.mark.django_db

IS = InspectionStatus


def _create(actor, unit, **extra):
    return services.inspection_create(
        actor=actor, activity=Activity.INSPECTION, subject_type=SubjectType.ORGANISATION,
        kind=InspectionKind.REGULAR, topic="Công tác kiểm tra", conducting_body=unit.parent or unit,
        unit=unit, starts_on=dt.date(2026, 3, 2), **extra,
    )  # fmt: skip


def _state(inspection):
    return Inspection.objects.filter(pk=inspection.pk).values().get()


class Unchanged:
    """Assert that the block changes no inspection row, follow-up, decision or audit entry."""

    def __init__(self, *records):
        self.records = records

    def __enter__(self):
        self.before = self._snapshot()
        return self

    def __exit__(self, *exc):
        assert self._snapshot() == self.before
        return False

    def _snapshot(self):
        return (
            LogEntry.objects.count(), Inspection.objects.count(), FollowUp.objects.count(),
            Discipline.objects.count(),
            [type(r)._base_manager.filter(pk=r.pk).values().get() for r in self.records],
        )  # fmt: skip


def _audited(obj, actor, after=0):
    return LogEntry.objects.get_for_object(obj).filter(actor=actor, pk__gt=after).exists()


def _last_log():
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- refusals ---------------------------------------------------------------------------------


def test_a_conclusion_before_the_start_is_refused_and_changes_nothing(users, tree):
    actor = users["inspection"]
    inspection = services.inspection_start(actor=actor, inspection=_create(actor, tree.cell_a1))
    with Unchanged(inspection), pytest.raises(ValidationError) as error:
        services.inspection_conclude(
            actor=actor, inspection=Inspection.objects.get(pk=inspection.pk),
            conclusion="Kết luận", concluded_on=dt.date(2026, 3, 1),
        )  # fmt: skip
    assert error.value.message_dict["concluded_on"] == [
        "Ngày kết luận không được trước ngày bắt đầu (02/03/2026)."
    ]


def test_a_follow_up_deadline_before_the_conclusion_refuses_the_whole_conclusion(users, tree):
    actor = users["inspection"]
    inspection = services.inspection_start(actor=actor, inspection=_create(actor, tree.cell_a1))
    recommendations = [
        {"content": "Đúng hạn", "owner_unit": tree.cell_a1, "deadline": dt.date(2026, 5, 10)},
        {"content": "Trước kết luận", "owner_unit": tree.cell_a1, "deadline": dt.date(2026, 4, 1)},
    ]
    with Unchanged(inspection), pytest.raises(ValidationError) as error:
        services.inspection_conclude(
            actor=actor, inspection=Inspection.objects.get(pk=inspection.pk),
            conclusion="Kết luận", concluded_on=dt.date(2026, 4, 10),
            recommendations=recommendations,
        )  # fmt: skip
    assert error.value.message_dict["deadline"] == [
        "Thời hạn không được trước ngày kết luận (10/04/2026)."
    ]


def test_a_follow_up_added_later_keeps_the_same_rule(users, tree):
    actor = users["inspection"]
    inspection = concluded_inspection(actor, tree.cell_a1, concluded=dt.date(2026, 4, 10))
    with Unchanged(inspection), pytest.raises(ValidationError) as error:
        services.follow_up_add(
            actor=actor, inspection=inspection, content="Việc", owner_unit=tree.cell_a1,
            deadline=dt.date(2026, 4, 9),
        )  # fmt: skip
    assert "deadline" in error.value.message_dict


@pytest.mark.parametrize(
    ("subject_type", "form", "subject"),
    [
        (SubjectType.MEMBER, DisciplineForm.DISSOLUTION, "đảng viên"),
        (SubjectType.ORGANISATION, DisciplineForm.EXPULSION, "tổ chức đảng"),
        (SubjectType.ORGANISATION, DisciplineForm.DISMISSAL, "tổ chức đảng"),
    ],
)
def test_a_discipline_form_that_does_not_fit_the_subject_is_refused(
    users, tree, member, subject_type, form, subject
):
    extra = {"person": member} if subject_type == SubjectType.MEMBER else {"unit": tree.cell_a1}
    with Unchanged(), pytest.raises(ValidationError) as error:
        services.discipline_create(
            actor=users["inspection"], subject_type=subject_type, form=form, symbol="9-QĐ/UBKT",
            decided_on=dt.date(2026, 4, 20), deciding_body=tree.root, **extra,
        )  # fmt: skip
    (message,) = error.value.message_dict["form"]
    assert message.endswith(f"không áp dụng cho {subject}.")


def test_a_unit_outside_the_actors_scope_is_refused_everywhere(users, tree):
    secretary, inspector = users["ward_secretary"], users["inspection"]
    with Unchanged(), pytest.raises(PermissionDenied):
        _create(secretary, tree.cell_b1)
    with Unchanged(), pytest.raises(PermissionDenied):
        services.discipline_create(
            actor=secretary, subject_type=SubjectType.ORGANISATION, form=DisciplineForm.WARNING,
            symbol="3-QĐ/ĐU", decided_on=dt.date(2026, 4, 20), deciding_body=tree.ward_a,
            unit=tree.cell_b1,
        )  # fmt: skip
    concluded = concluded_inspection(inspector, tree.cell_b1)
    with Unchanged(concluded), pytest.raises(PermissionDenied):
        services.follow_up_add(
            actor=secretary, inspection=concluded, content="Việc", owner_unit=tree.cell_b1,
            deadline=dt.date(2026, 5, 10),
        )  # fmt: skip
    follow_up = services.follow_up_add(
        actor=inspector, inspection=concluded, content="Việc", owner_unit=tree.cell_b1,
        deadline=dt.date(2026, 5, 10),
    )  # fmt: skip
    with Unchanged(follow_up), pytest.raises(PermissionDenied):
        services.follow_up_complete(
            actor=secretary, follow_up=follow_up, completed_on=dt.date(2026, 5, 1),
            evidence="Đã làm",
        )  # fmt: skip
    for step in ("start", "conclude", "close"):
        assert WORKFLOW[step].who.refusal(secretary, concluded) is not None


def test_readers_may_not_write(users, tree):
    inspection = _create(users["inspection"], tree.cell_a1)
    for role in ("staff", "leadership", "ward_staff", "mass_mobilisation"):
        with Unchanged(inspection), pytest.raises(PermissionDenied):
            services.inspection_start(actor=users[role], inspection=inspection)
        with Unchanged(), pytest.raises(PermissionDenied):
            _create(users[role], tree.cell_a1)


# --- writes and their audit rows --------------------------------------------------------------


def test_every_write_leaves_its_audit_row(users, tree, member):
    actor = users["ward_secretary"]
    inspection = _create(actor, tree.cell_a1)
    assert _audited(inspection, actor)
    for step, call, target in (
        ("start", lambda: services.inspection_start(actor=actor, inspection=inspection), IS.IN_PROGRESS),
        ("conclude", lambda: services.inspection_conclude(
            actor=actor, inspection=inspection, conclusion="Kết luận", concluded_on=dt.date(2026, 4, 10),
            recommendations=[{"content": "Bổ sung hồ sơ", "owner_unit": tree.cell_a1,
                              "deadline": dt.date(2026, 5, 10)}],
        ), IS.CONCLUDED),
    ):  # fmt: skip
        last = _last_log()
        call()
        assert _audited(inspection, actor, last), step
        assert Inspection.objects.get(pk=inspection.pk).status == target
    (follow_up,) = inspection.follow_ups.all()
    assert _audited(follow_up, actor)
    last = _last_log()
    services.follow_up_complete(
        actor=actor, follow_up=follow_up, completed_on=dt.date(2026, 5, 1), evidence="Đã bổ sung"
    )
    assert _audited(follow_up, actor, last)
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUpStatus.DONE
    added = services.follow_up_add(
        actor=actor, inspection=inspection, content="Thêm", owner_unit=tree.cell_a1,
        deadline=dt.date(2026, 6, 1),
    )  # fmt: skip
    assert _audited(added, actor)
    discipline = services.discipline_create(
        actor=actor, subject_type=SubjectType.MEMBER, form=DisciplineForm.REPRIMAND,
        symbol="4-QĐ/ĐU", decided_on=dt.date(2026, 4, 20), deciding_body=tree.ward_a,
        person=member, inspection=inspection,
    )  # fmt: skip
    assert _audited(discipline, actor)
    last = _last_log()
    services.inspection_close(actor=actor, inspection=inspection, closed_on=dt.date(2026, 6, 2))
    assert _audited(inspection, actor, last)
    assert Inspection.objects.get(pk=inspection.pk).status == IS.CLOSED


def test_an_update_leaves_its_audit_row_with_the_reason(users, tree):
    actor = users["inspection"]
    inspection = _create(actor, tree.cell_a1)
    last = _last_log()
    services.inspection_update(actor=actor, inspection=inspection, topic="Mới", reason="Đính chính")
    entry = LogEntry.objects.get_for_object(inspection).filter(pk__gt=last).get()
    assert entry.actor == actor and entry.additional_data["reason"] == "Đính chính"


# --- the workflow: buttons shown == service calls that succeed == the table --------------------

STATES = {
    IS.PLANNED: {"status": IS.PLANNED, "conclusion": "", "concluded_on": None, "closed_on": None},
    IS.IN_PROGRESS: {"status": IS.IN_PROGRESS, "conclusion": "", "concluded_on": None,
                     "closed_on": None},
    IS.CONCLUDED: {"status": IS.CONCLUDED, "conclusion": "Kết luận",
                   "concluded_on": dt.date(2026, 4, 10), "closed_on": None},
    IS.CLOSED: {"status": IS.CLOSED, "conclusion": "Kết luận", "concluded_on": dt.date(2026, 4, 10),
                "closed_on": dt.date(2026, 5, 1)},
}  # fmt: skip
WHO = ["admin", "staff", "leadership", "inspection", "mass_mobilisation", "ward_secretary",
       "ward_staff", "no_role"]  # fmt: skip
WRITERS = {"admin", "inspection", "ward_secretary"}
EXPECTED = {
    IS.PLANNED: {"start"},
    IS.IN_PROGRESS: {"conclude"},
    IS.CONCLUDED: {"close"},
    IS.CLOSED: set(),
}


def _calls(inspection):
    return {
        "start": lambda actor: services.inspection_start(actor=actor, inspection=inspection),
        "conclude": lambda actor: services.inspection_conclude(
            actor=actor,
            inspection=inspection,
            conclusion="Kết luận",
            concluded_on=dt.date(2026, 4, 10),
        ),  # fmt: skip
        "close": lambda actor: services.inspection_close(
            actor=actor, inspection=inspection, closed_on=dt.date(2026, 5, 1)
        ),
    }


def _put(inspection, state):
    Inspection.objects.filter(pk=inspection.pk).update(**STATES[state])
    return Inspection.objects.select_related("unit").get(pk=inspection.pk)


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_the_table_is_complete():
    assert {t.name for t in WORKFLOW} == {"start", "conclude", "close"}
    assert set(WORKFLOW.as_dict()) | {IS.CLOSED} == set(STATES)


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("who", WHO)
def test_buttons_and_services_follow_the_table(client, users, tree, state, who):
    actor = users[who]
    inspection = _put(_create(users["inspection"], tree.cell_a1), state)
    available = {t.name for t in WORKFLOW.available(_fresh(actor), inspection)}
    assert available == (EXPECTED[state] if who in WRITERS else set()), (state, who)

    client.force_login(actor, backend="longbien.org.backends.PersonModelBackend")
    page = client.get(inspection.get_absolute_url())
    html = page.content.decode() if page.status_code == 200 else ""
    shown = {
        t.name for t in WORKFLOW
        if f'action="{reverse(t.url_name, args=[inspection.pk])}"' in html
        or f'href="{reverse(t.url_name, args=[inspection.pk])}"' in html
    }  # fmt: skip
    assert shown == available, (state, who)

    allowed = set()
    for name in (t.name for t in WORKFLOW):
        inspection = _put(inspection, state)
        try:
            _calls(inspection)[name](_fresh(actor))
        except (ValidationError, PermissionDenied):
            assert Inspection.objects.get(pk=inspection.pk).status == state  # nothing changed
            continue
        allowed.add(name)
        assert Inspection.objects.get(pk=inspection.pk).status == WORKFLOW[name].target
    assert allowed == available, (state, who)
