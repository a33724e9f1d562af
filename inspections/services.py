"""Every write of the inspections app: keyword-only, atomic, scoped, audited.

Plans and their items (with the overlap check on approval), inspections and supervisions with
their follow-ups, discipline decisions, and the confidential denunciations and complaints
with their time limits. Steps of a life cycle start with the workflow's check
(``inspections/workflows.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from longbien import deadlines
from longbien.attachments.services import save_with_file
from longbien.audit import audited
from longbien.core.notifications import Notice, notify_unit_holders
from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Actor
from longbien.service import UNSET, given, service
from longbien.text import fold

from . import selectors
from .choices import (
    FORMS_FOR,
    CaseKind,
    CaseLevel,
    CaseStatus,
    DayCount,
    FollowUpStatus,
    InspectionStatus,
    PlanItemStatus,
    SubjectType,
)
from .models import (
    Case,
    CaseExtension,
    CaseTimeLimit,
    Discipline,
    FollowUp,
    Inspection,
    Plan,
    PlanItem,
    month_end,
)
from .workflows import CASE_WORKFLOW, INSPECTION_WORKFLOW, PLAN_ITEM_WORKFLOW

Area = scope.Area

# Time limits when nothing is configured (Quy định 22-QĐ/TW; Hướng dẫn 02-HD/TW): days from
# receipt by the competent body.
DEFAULT_TIME_LIMITS: dict[tuple[str, str], tuple[int, str]] = {
    (CaseKind.DENUNCIATION, CaseLevel.DISTRICT): (90, DayCount.CALENDAR),
    (CaseKind.DENUNCIATION, CaseLevel.GRASSROOTS): (60, DayCount.CALENDAR),
    (CaseKind.COMPLAINT, CaseLevel.DISTRICT): (90, DayCount.CALENDAR),
    (CaseKind.COMPLAINT, CaseLevel.GRASSROOTS): (60, DayCount.CALENDAR),
}


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _require(actor: Actor, area: str, unit: OrgUnit | None, message: str) -> None:
    if not scope.can(actor, area, scope.CHANGE, unit):
        raise _deny(message)


def _subject(subject_type: str, unit: OrgUnit | None, person: Person | None) -> OrgUnit | None:
    """The unit a record is about: the organisation, or the member's unit."""
    errors: dict[str, str] = {}
    if subject_type not in SubjectType.values:
        errors["subject_type"] = _("Hãy chọn đối tượng: tổ chức đảng hoặc đảng viên.")
    elif subject_type == SubjectType.MEMBER:
        if person is None:
            errors["person"] = _("Hãy chọn đảng viên.")
        else:
            unit = unit or person.unit
    elif person is not None:
        errors["person"] = _("Đối tượng là tổ chức đảng: không chọn đảng viên.")
    if unit is None and "person" not in errors:
        errors["unit"] = _("Hãy chọn đơn vị.")
    if errors:
        raise ValidationError(errors)
    return unit


# --- Plans ---------------------------------------------------------------------------------


@service
def plan_create(
    *, actor: Actor, body: OrgUnit, year: int, title: str = "", reason: str = ""
) -> Plan:
    """Open a body's plan for a year (one per body and year)."""
    _require(actor, Area.INSPECTION_PLANS, body,
             _("Bạn không có quyền lập kế hoạch cho cơ quan này."))  # fmt: skip
    plan = Plan(
        body=body, year=year,
        title=title or _("Kế hoạch kiểm tra, giám sát năm %(year)s của %(body)s")
        % {"year": year, "body": body.name},
    )  # fmt: skip
    if not 2000 <= (year or 0) <= 2100:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    plan.full_clean()
    with audited(actor=actor, reason=reason):
        plan.save()
    return plan


def _months(year: int, start_month: int, end_month: int) -> tuple[dt.date, dt.date]:
    errors = {}
    if not 1 <= (start_month or 0) <= 12:
        errors["start_month"] = _("Tháng phải từ 1 đến 12.")
    if not 1 <= (end_month or 0) <= 12:
        errors["end_month"] = _("Tháng phải từ 1 đến 12.")
    elif not errors and end_month < start_month:
        errors["end_month"] = _("Tháng kết thúc phải sau tháng bắt đầu.")
    if errors:
        raise ValidationError(errors)
    return dt.date(year, start_month, 1), month_end(dt.date(year, end_month, 1))


def _check_item(actor: Actor, item: PlanItem) -> None:
    _require(actor, Area.INSPECTION_PLANS, item.plan.body,
             _("Bạn không có quyền lập kế hoạch cho cơ quan này."))  # fmt: skip
    # The planner plans within their own scope: a ward plans its own cells and members.
    if not scope.can(actor, Area.INSPECTION_PLANS, scope.CHANGE, item.target_unit):
        raise ValidationError(
            {"target_unit": _("Đơn vị %(unit)s nằm ngoài phạm vi của bạn.")
             % {"unit": item.target_unit.name}}
        )  # fmt: skip
    item.topic_folded = fold(item.topic or "")[:300]
    item.full_clean(exclude=["plan", "target_unit", "target_person", "lead_body", "approved_by"])


@service
def plan_item_add(
    *,
    actor: Actor,
    plan: Plan,
    activity: str,
    subject_type: str,
    topic: str,
    start_month: int,
    end_month: int,
    target_unit: OrgUnit | None = None,
    target_person: Person | None = None,
    lead_body: OrgUnit | None = None,
    reason: str = "",
) -> PlanItem:
    """Add an item to a plan; its overlaps with other bodies' plans show on the plan's page
    and must be justified to approve it."""
    unit = _subject(subject_type, target_unit, target_person)
    starts_on, ends_on = _months(plan.year, start_month, end_month)
    item = PlanItem(
        plan=plan, activity=activity, subject_type=subject_type, topic=topic,
        target_unit=unit, target_person=target_person, starts_on=starts_on, ends_on=ends_on,
        lead_body=lead_body or plan.body,
    )  # fmt: skip
    _check_item(actor, item)
    with audited(actor=actor, reason=reason):
        item.save()
    return item


@service
def plan_item_update(
    *,
    actor: Actor,
    item: PlanItem,
    activity: str = UNSET,
    subject_type: str = UNSET,
    topic: str = UNSET,
    start_month: int = UNSET,
    end_month: int = UNSET,
    target_unit: OrgUnit | None = UNSET,
    target_person: Person | None = UNSET,
    lead_body: OrgUnit = UNSET,
    reason: str = "",
) -> PlanItem:
    """Change a draft item (an approved one is reopened first, with a reason)."""
    if item.status != PlanItemStatus.DRAFT:
        raise ValidationError(
            _("Chỉ sửa được nội dung đang dự kiến; hãy mở lại nội dung đã duyệt trước khi sửa.")
        )
    for name, value in given(activity=activity, topic=topic, lead_body=lead_body).items():
        setattr(item, name, value)
    if (subject_type is not UNSET) or (target_unit is not UNSET) or (target_person is not UNSET):
        subject = subject_type if (subject_type is not UNSET) else item.subject_type
        person = target_person if (target_person is not UNSET) else item.target_person
        unit = target_unit if (target_unit is not UNSET) else (
            None if (target_person is not UNSET) and person is not None else item.target_unit
        )  # fmt: skip
        item.subject_type, item.target_person = subject, person
        item.target_unit = _subject(subject, unit, person)  # type: ignore[assignment]
    if (start_month is not UNSET) or (end_month is not UNSET):
        item.starts_on, item.ends_on = _months(
            item.plan.year,
            start_month if (start_month is not UNSET) else item.starts_on.month,
            end_month if (end_month is not UNSET) else item.ends_on.month,
        )
    _check_item(actor, item)
    with audited(actor=actor, reason=reason):
        item.save()
    return item


@service
def plan_item_approve(
    *, actor: Actor, item: PlanItem, justification: str = "", reason: str = ""
) -> PlanItem:
    """Approve an item; one that overlaps another body's plan needs a justification, which
    is kept on the item and in the audit trail."""
    PLAN_ITEM_WORKFLOW.check(actor, item, "approve")
    justification = (justification or "").strip()
    conflicts = selectors.overlaps_of([item]).get(item.pk, [])
    if conflicts and not justification:
        raise ValidationError(
            {
                "justification": ngettext(
                    "Nội dung này trùng với %(count)s nội dung trong kế hoạch của cơ quan khác; "
                    "hãy ghi giải trình để duyệt.",
                    "Nội dung này trùng với %(count)s nội dung trong kế hoạch của cơ quan khác; "
                    "hãy ghi giải trình để duyệt.",
                    len(conflicts),
                )
                % {"count": len(conflicts)}
            }
        )
    item.status = PlanItemStatus.APPROVED
    item.justification = justification if conflicts else item.justification
    item.approved_at, item.approved_by = timezone.now(), actor
    with audited(actor=actor, reason=reason or justification):
        item.save()
    return item


@service
def plan_item_cancel(*, actor: Actor, item: PlanItem, reason: str) -> PlanItem:
    PLAN_ITEM_WORKFLOW.check(actor, item, "cancel")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do hủy.")})
    item.status = PlanItemStatus.CANCELLED
    with audited(actor=actor, reason=reason):
        item.save()
    return item


@service
def plan_item_reopen(*, actor: Actor, item: PlanItem, reason: str) -> PlanItem:
    PLAN_ITEM_WORKFLOW.check(actor, item, "reopen")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
    item.status, item.approved_at, item.approved_by = PlanItemStatus.DRAFT, None, None
    with audited(actor=actor, reason=reason):
        item.save()
    return item


# --- Inspections and supervisions -------------------------------------------------------------


def _check_inspection(actor: Actor, inspection: Inspection) -> None:
    _require(actor, Area.INSPECTIONS, inspection.unit,
             _("Bạn không có quyền ghi cuộc kiểm tra, giám sát ở đơn vị này."))  # fmt: skip
    item = inspection.plan_item
    if item is not None and item.status != PlanItemStatus.APPROVED:
        raise ValidationError({"plan_item": _("Nội dung kế hoạch này chưa được duyệt.")})
    inspection.topic_folded = fold(inspection.topic or "")[:300]
    inspection.full_clean(exclude=["unit", "person", "conducting_body", "plan_item"])


@service
def inspection_create(
    *,
    actor: Actor,
    activity: str,
    subject_type: str,
    kind: str,
    topic: str,
    conducting_body: OrgUnit,
    starts_on: dt.date,
    unit: OrgUnit | None = None,
    person: Person | None = None,
    plan_item: PlanItem | None = None,
    team: str = "",
    ends_on: dt.date | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Inspection:
    """Record an inspection or supervision (planned, or carried out outside the plan)."""
    unit = _subject(subject_type, unit, person)
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    inspection = Inspection(
        activity=activity, subject_type=subject_type, kind=kind, topic=topic, unit=unit,
        person=person, conducting_body=conducting_body, plan_item=plan_item, team=team,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    _check_inspection(actor, inspection)
    save_with_file(inspection, actor=actor, reason=reason, file=file)
    return inspection


@service
def inspection_update(
    *,
    actor: Actor,
    inspection: Inspection,
    topic: str = UNSET,
    kind: str = UNSET,
    team: str = UNSET,
    starts_on: dt.date = UNSET,
    ends_on: dt.date | None = UNSET,
    findings: str = UNSET,
    conclusion: str = UNSET,
    concluded_on: dt.date | None = UNSET,
    reason: str = "",
) -> Inspection:
    """Correct a record (its conclusion only once it is concluded; nothing once closed)."""
    if inspection.status == InspectionStatus.CLOSED:
        raise ValidationError(_("Cuộc kiểm tra, giám sát đã kết thúc; không sửa được nữa."))
    changes = given(
        topic=topic, kind=kind, team=team, starts_on=starts_on, ends_on=ends_on,
        findings=findings, conclusion=conclusion, concluded_on=concluded_on,
    )  # fmt: skip
    for name, value in changes.items():
        setattr(inspection, name, value)
    if inspection.ends_on and inspection.ends_on < inspection.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    if inspection.status != InspectionStatus.CONCLUDED and inspection.concluded_on:
        raise ValidationError({"concluded_on": _("Cuộc kiểm tra, giám sát chưa kết luận.")})
    _check_inspection(actor, inspection)
    _check_conclusion_date(inspection)
    with audited(actor=actor, reason=reason):
        inspection.save()
    return inspection


def _check_conclusion_date(inspection: Inspection) -> None:
    if inspection.concluded_on and inspection.concluded_on < inspection.starts_on:
        raise ValidationError(
            {"concluded_on": _("Ngày kết luận không được trước ngày bắt đầu (%(day)s).")
             % {"day": inspection.starts_on.strftime("%d/%m/%Y")}}
        )  # fmt: skip


@service
def inspection_start(*, actor: Actor, inspection: Inspection, reason: str = "") -> Inspection:
    INSPECTION_WORKFLOW.check(actor, inspection, "start")
    inspection.status = InspectionStatus.IN_PROGRESS
    with audited(actor=actor, reason=reason):
        inspection.save(update_fields=["status"])
    return inspection


@service
def inspection_conclude(
    *,
    actor: Actor,
    inspection: Inspection,
    conclusion: str,
    concluded_on: dt.date,
    findings: str = "",
    recommendations: list[dict[str, Any]] | None = None,
    reason: str = "",
) -> Inspection:
    """Record the conclusion; each recommendation becomes a follow-up (owner unit, deadline)."""
    INSPECTION_WORKFLOW.check(actor, inspection, "conclude")
    errors = {}
    if not (conclusion or "").strip():
        errors["conclusion"] = _("Hãy ghi kết luận.")
    if concluded_on is None:
        errors["concluded_on"] = _("Hãy ghi ngày kết luận.")
    if errors:
        raise ValidationError(errors)
    inspection.conclusion, inspection.concluded_on = conclusion, concluded_on
    if findings:
        inspection.findings = findings
    _check_conclusion_date(inspection)
    inspection.status = InspectionStatus.CONCLUDED
    _check_inspection(actor, inspection)
    with audited(actor=actor, reason=reason):
        inspection.save()
    for recommendation in recommendations or []:
        follow_up_add(actor=actor, inspection=inspection, **recommendation)
    return inspection


@service
def inspection_close(
    *, actor: Actor, inspection: Inspection, closed_on: dt.date | None = None, reason: str = ""
) -> Inspection:
    INSPECTION_WORKFLOW.check(actor, inspection, "close")
    closed_on = closed_on or timezone.localdate()
    if inspection.concluded_on and closed_on < inspection.concluded_on:
        raise ValidationError({"closed_on": _("Ngày kết thúc không được trước ngày kết luận.")})
    inspection.status, inspection.closed_on = InspectionStatus.CLOSED, closed_on
    with audited(actor=actor, reason=reason):
        inspection.save(update_fields=["status", "closed_on"])
    return inspection


# --- Follow-ups -------------------------------------------------------------------------------


@service
def follow_up_add(
    *,
    actor: Actor,
    inspection: Inspection,
    content: str,
    owner_unit: OrgUnit | None,
    deadline: dt.date | None,
    reason: str = "",
) -> FollowUp:
    """Turn a recommendation of a concluded inspection into a follow-up of a unit."""
    _require(actor, Area.INSPECTIONS, inspection.unit,
             _("Bạn không có quyền ghi kiến nghị của cuộc kiểm tra, giám sát này."))  # fmt: skip
    if inspection.status not in (InspectionStatus.CONCLUDED, InspectionStatus.CLOSED):
        raise ValidationError(_("Kiến nghị được ghi sau khi có kết luận."))
    errors = {}
    if owner_unit is None:
        errors["owner_unit"] = _("Hãy chọn đơn vị thực hiện.")
    if deadline is None:
        errors["deadline"] = _("Hãy ghi thời hạn.")
    elif inspection.concluded_on and deadline < inspection.concluded_on:
        errors["deadline"] = _("Thời hạn không được trước ngày kết luận (%(day)s).") % {
            "day": inspection.concluded_on.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp(inspection=inspection, content=content, owner_unit=owner_unit,
                         deadline=cast(dt.date, deadline))  # fmt: skip
    follow_up.full_clean(exclude=["inspection", "owner_unit"])
    with audited(actor=actor, reason=reason):
        follow_up.save()
    notify_unit_holders(
        notices=[
            Notice(
                unit=owner_unit, key=f"follow-up:{follow_up.pk}",
                title=_("Kiến nghị sau kiểm tra, giám sát: %(content)s")
                % {"content": follow_up.content[:150]},
                body=_("Thời hạn thực hiện: %(deadline)s.")
                % {"deadline": deadline.strftime("%d/%m/%Y")},  # type: ignore[union-attr]
                url=follow_up.get_absolute_url(),
            )
        ],
        roles=[Role.WARD_SECRETARY, Role.INSPECTION],
        exclude=[actor],
    )  # fmt: skip
    return follow_up


@service
def follow_up_complete(
    *,
    actor: Actor,
    follow_up: FollowUp,
    completed_on: dt.date,
    evidence: str,
    file: UploadedFile | None = None,
    reason: str = "",
) -> FollowUp:
    """Record that a follow-up was carried out, with its evidence (text, and a file)."""
    _require(actor, Area.INSPECTIONS, follow_up.owner_unit,
             _("Bạn không có quyền cập nhật kiến nghị của đơn vị này."))  # fmt: skip
    if follow_up.status == FollowUpStatus.DONE:
        raise ValidationError(_("Kiến nghị này đã hoàn thành."))
    errors = {}
    if not (evidence or "").strip():
        errors["evidence"] = _("Hãy ghi kết quả thực hiện.")
    if completed_on is None:
        errors["completed_on"] = _("Hãy ghi ngày hoàn thành.")
    elif completed_on > timezone.localdate():
        errors["completed_on"] = _("Ngày hoàn thành không được sau hôm nay.")
    elif follow_up.inspection.concluded_on and completed_on < follow_up.inspection.concluded_on:
        errors["completed_on"] = _("Ngày hoàn thành không được trước ngày kết luận.")
    if errors:
        raise ValidationError(errors)
    follow_up.status, follow_up.completed_on = FollowUpStatus.DONE, completed_on
    follow_up.evidence = evidence
    follow_up.full_clean(exclude=["inspection", "owner_unit"])
    save_with_file(follow_up, actor=actor, reason=reason, file=file, attach_to=follow_up.inspection)
    return follow_up


# --- Discipline -------------------------------------------------------------------------------


@service
def discipline_create(
    *,
    actor: Actor,
    subject_type: str,
    form: str,
    symbol: str,
    decided_on: dt.date,
    deciding_body: OrgUnit,
    unit: OrgUnit | None = None,
    person: Person | None = None,
    inspection: Inspection | None = None,
    case: Case | None = None,
    reason: str = "",
) -> Discipline:
    """Record a discipline decision; the form must fit the subject (no dissolution of a member)."""
    unit = _subject(subject_type, unit, person)
    _require(actor, Area.INSPECTIONS, unit,
             _("Bạn không có quyền ghi quyết định kỷ luật ở đơn vị này."))  # fmt: skip
    if form not in FORMS_FOR.get(subject_type, ()):
        raise ValidationError(
            {"form": _("Hình thức “%(form)s” không áp dụng cho %(subject)s.")
             % {"form": dict(_forms()).get(form, form),
                "subject": SubjectType(subject_type).label.lower()}}
        )  # fmt: skip
    if case is not None and not scope.can_on(actor, case, scope.VIEW):
        raise ValidationError({"case": _("Không tìm thấy đơn này.")})
    if case is not None and case.status not in (CaseStatus.CONCLUDED, CaseStatus.CLOSED):
        raise ValidationError({"case": _("Đơn chưa có kết luận.")})
    if inspection is not None and inspection.status not in (
        InspectionStatus.CONCLUDED, InspectionStatus.CLOSED,
    ):  # fmt: skip
        raise ValidationError({"inspection": _("Cuộc kiểm tra chưa có kết luận.")})
    discipline = Discipline(
        subject_type=subject_type, form=form, unit=unit, person=person, symbol=symbol,
        decided_on=decided_on, deciding_body=deciding_body, inspection=inspection, case=case,
    )  # fmt: skip
    discipline.full_clean()
    with audited(actor=actor, reason=reason):
        discipline.save()
    return discipline


def _forms() -> list[tuple[str, str]]:
    from .choices import DisciplineForm

    return [(value, str(label)) for value, label in DisciplineForm.choices]


# --- Denunciations and complaints (confidential) ----------------------------------------------


def time_limit(kind: str, level: str) -> tuple[int, str]:
    """The days a case of ``kind`` at ``level`` may take, and how they count."""
    rule = CaseTimeLimit.objects.filter(kind=kind, level=level).first()
    if rule is not None:
        return rule.days, rule.day_count
    return DEFAULT_TIME_LIMITS.get((kind, level), (90, DayCount.CALENDAR))


def due_date(kind: str, level: str, received_on: dt.date) -> dt.date:
    """The time limit's last day, counted from receipt by the competent body."""
    days, count = time_limit(kind, level)
    if count == DayCount.WORKING:
        return deadlines.add_working_days(received_on, days)
    return received_on + dt.timedelta(days=days)


def _check_case_writer(actor: Actor, unit: OrgUnit | None) -> None:
    if not (
        scope.can(actor, Area.CONFIDENTIAL, scope.CHANGE, unit)
        and scope.can(actor, Area.INSPECTIONS, scope.CHANGE, unit)
    ):
        raise _deny(_("Bạn không có quyền ghi đơn tố cáo, khiếu nại ở đơn vị này."))


@service
def case_receive(
    *,
    actor: Actor,
    kind: str,
    received_on: dt.date,
    paper_reference: str,
    subject_type: str,
    summary: str,
    handling_body: OrgUnit,
    level: str = CaseLevel.DISTRICT,
    unit: OrgUnit | None = None,
    person: Person | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Case:
    """Register a denunciation or complaint as received; its time limit starts on receipt.

    The denouncer is known by the paper file's reference only: no identity is stored.
    """
    unit = _subject(subject_type, unit, person)
    _check_case_writer(actor, unit)
    if received_on is not None and received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Ngày nhận đơn không được sau hôm nay.")})
    case = Case(
        kind=kind, level=level, received_on=received_on, paper_reference=paper_reference,
        subject_type=subject_type, unit=unit, person=person, summary=summary,
        handling_body=handling_body,
        due_on=cast(dt.date, due_date(kind, level, received_on) if received_on and kind and level else None),
    )  # fmt: skip
    case.summary_folded = fold(summary or "")
    case.full_clean()
    save_with_file(case, actor=actor, reason=reason, file=file)
    return case


@service
def case_update(
    *,
    actor: Actor,
    case: Case,
    summary: str = UNSET,
    paper_reference: str = UNSET,
    handling_body: OrgUnit = UNSET,
    reason: str = "",
) -> Case:
    _check_case_writer(actor, case.unit)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Hồ sơ đã kết thúc; không sửa được nữa."))
    changes = given(summary=summary, paper_reference=paper_reference, handling_body=handling_body)
    for name, value in changes.items():
        setattr(case, name, value)
    case.summary_folded = fold(case.summary or "")
    case.full_clean()
    with audited(actor=actor, reason=reason):
        case.save()
    return case


@service
def case_accept(*, actor: Actor, case: Case, reason: str = "") -> Case:
    CASE_WORKFLOW.check(actor, case, "accept")
    case.status = CaseStatus.ACCEPTED
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status"])
    return case


@service
def case_reject(*, actor: Actor, case: Case, reason: str) -> Case:
    """Decide not to accept a case (not within competence, anonymous, already settled…)."""
    CASE_WORKFLOW.check(actor, case, "reject")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do không thụ lý.")})
    case.status, case.not_accepted_reason = CaseStatus.NOT_ACCEPTED, reason
    with audited(actor=actor, reason=""):
        case.save(update_fields=["status", "not_accepted_reason"])
    return case


@service
def case_verify(*, actor: Actor, case: Case, reason: str = "") -> Case:
    CASE_WORKFLOW.check(actor, case, "verify")
    case.status = CaseStatus.VERIFYING
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status"])
    return case


@service
def case_conclude(
    *,
    actor: Actor,
    case: Case,
    conclusion: str,
    outcome: str,
    concluded_on: dt.date,
    reason: str = "",
) -> Case:
    CASE_WORKFLOW.check(actor, case, "conclude")
    errors = {}
    if not (conclusion or "").strip():
        errors["conclusion"] = _("Hãy ghi kết luận.")
    if not outcome:
        errors["outcome"] = _("Hãy chọn kết quả: đúng, đúng một phần hoặc sai.")
    if concluded_on is None:
        errors["concluded_on"] = _("Hãy ghi ngày kết luận.")
    elif concluded_on < case.received_on:
        errors["concluded_on"] = _("Ngày kết luận không được trước ngày nhận đơn.")
    elif concluded_on > timezone.localdate():
        errors["concluded_on"] = _("Ngày kết luận không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    case.status, case.conclusion = CaseStatus.CONCLUDED, conclusion
    case.outcome, case.concluded_on = outcome, concluded_on
    case.full_clean()
    with audited(actor=actor, reason=reason):
        case.save()
    return case


@service
def case_close(
    *, actor: Actor, case: Case, closed_on: dt.date | None = None, reason: str = ""
) -> Case:
    CASE_WORKFLOW.check(actor, case, "close")
    if case.status == CaseStatus.CONCLUDED and not (case.conclusion and case.outcome):
        raise ValidationError(_("Chưa có kết luận: không kết thúc được hồ sơ."))
    case.status, case.closed_on = CaseStatus.CLOSED, closed_on or timezone.localdate()
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status", "closed_on"])
    return case


@service
def case_extend(*, actor: Actor, case: Case, new_due_on: dt.date, reason: str) -> CaseExtension:
    """Extend a case's time limit, with the reason and the new date recorded."""
    _check_case_writer(actor, case.unit)
    errors = {}
    if case.status in (CaseStatus.NOT_ACCEPTED, CaseStatus.CONCLUDED, CaseStatus.CLOSED):
        raise ValidationError(_("Đơn đã giải quyết xong; không gia hạn được."))
    if not (reason or "").strip():
        errors["reason"] = _("Hãy ghi lý do gia hạn.")
    if new_due_on is None:
        errors["new_due_on"] = _("Hãy ghi hạn mới.")
    elif new_due_on <= case.due_on:
        errors["new_due_on"] = _("Hạn mới phải sau hạn hiện tại (%(day)s).") % {
            "day": case.due_on.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    extension = CaseExtension(case=case, previous_due_on=case.due_on, new_due_on=new_due_on,
                              reason=reason, extended_by=actor)  # fmt: skip
    extension.full_clean(exclude=["case", "extended_by"])
    case.due_on = new_due_on
    with audited(actor=actor, reason=""):
        extension.save()
        case.save(update_fields=["due_on"])
    return extension


@service
def case_time_limit_set(
    *, actor: Actor, kind: str, level: str, days: int, day_count: str, reason: str = ""
) -> CaseTimeLimit:
    """Set the time limit of a kind of case at a level (the inspection role on a whole tree)."""
    if not scope.covers_a_root(actor, Area.CONFIDENTIAL, scope.CHANGE):
        raise _deny(_("Chỉ Ủy ban Kiểm tra cấp quận được đặt thời hạn giải quyết đơn."))
    if not 1 <= (days or 0) <= 365:
        raise ValidationError({"days": _("Số ngày phải từ 1 đến 365.")})
    rule = CaseTimeLimit.objects.filter(kind=kind, level=level).first() or CaseTimeLimit(
        kind=kind, level=level
    )
    rule.days, rule.day_count = days, day_count
    rule.full_clean()
    with audited(actor=actor, reason=reason):
        rule.save()
    return rule
