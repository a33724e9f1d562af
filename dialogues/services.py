"""Every write of the dialogues app: keyword-only, atomic, scoped, audited.

Dialogues and their issues (answered at the meeting, or a commitment tracked to completion),
and public-opinion cases through their life cycle (``dialogues/workflows.py``): intake (with
the citizen's personal data), assignment with a due date in working days by urgency, answer,
outcome, closing, rejection, transfer, reopening, merging of duplicates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import deadlines
from longbien.attachments.services import save_with_file
from longbien.audit import audited
from longbien.core.notifications import Notice, notify_unit_holders
from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit
from longbien.org.types import Actor
from longbien.service import UNSET, given, service
from longbien.text import fold

from .choices import (
    AssignmentKind,
    CaseSource,
    CaseStatus,
    CommitmentStatus,
    CritiqueKind,
    DialogueLevel,
    ModelField,
    Organiser,
    Outcome,
    Recognition,
    Urgency,
)
from .models import (
    CaseAssignment,
    Commitment,
    Critique,
    Dialogue,
    DialogueIssue,
    Feedback,
    MobilisationModel,
    OpinionCase,
    Reception,
    Recommendation,
)
from .workflows import CASE_WORKFLOW

AREA = scope.Area.DIALOGUES
# A case's links, checked by the services rather than by full_clean (one query each).
CASE_LINKS = ["unit", "dialogue_issue", "assigned_unit", "merged_into", "reception"]
# No dialogue gathers more people than this: a bound against typing mistakes.
MAX_PARTICIPANTS = 5000


def _require(actor: Actor, unit: OrgUnit | None, message: str) -> None:
    if not scope.can(actor, AREA, scope.CHANGE, unit):
        raise PermissionDenied(message)


def _today() -> dt.date:
    return timezone.localdate()


# --- Dialogues and commitments -------------------------------------------------------------


def _check_dialogue(dialogue: Dialogue) -> None:
    errors: dict[str, str] = {}
    if dialogue.participants is not None and dialogue.participants > MAX_PARTICIPANTS:
        errors["participants"] = _("Số người tham dự không quá %(max)s.") % {
            "max": f"{MAX_PARTICIPANTS:,}".replace(",", ".")
        }
    if dialogue.held_on and dialogue.held_on > _today():
        errors["held_on"] = _("Ngày đối thoại không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    dialogue.topic_folded = fold(dialogue.topic)[:300]
    dialogue.full_clean()


@service
def dialogue_create(
    *,
    actor: Actor,
    level: str,
    unit: OrgUnit,
    held_on: dt.date,
    chair: str,
    topic: str,
    participants: int,
    issues: list[dict[str, Any]] | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Dialogue:
    """Record a dialogue with its issues (each answered, or with a commitment) and minutes."""
    _require(actor, unit, _("Bạn không có quyền ghi cuộc đối thoại của đơn vị này."))
    if level not in DialogueLevel.values:
        raise ValidationError({"level": _("Hãy chọn cấp đối thoại.")})
    dialogue = Dialogue(level=level, unit=unit, held_on=held_on, chair=chair, topic=topic,
                        participants=participants)  # fmt: skip
    _check_dialogue(dialogue)
    save_with_file(dialogue, actor=actor, reason=reason, file=file)
    for issue in issues or []:
        dialogue_issue_add(actor=actor, dialogue=dialogue, **issue)
    return dialogue


@service
def dialogue_update(
    *,
    actor: Actor,
    dialogue: Dialogue,
    held_on: dt.date = UNSET,
    chair: str = UNSET,
    topic: str = UNSET,
    participants: int = UNSET,
    reason: str = "",
) -> Dialogue:
    _require(actor, dialogue.unit, _("Bạn không có quyền sửa cuộc đối thoại này."))
    changes = given(held_on=held_on, chair=chair, topic=topic, participants=participants)
    for name, value in changes.items():
        setattr(dialogue, name, value)
    _check_dialogue(dialogue)
    with audited(actor=actor, reason=reason):
        dialogue.save()
    return dialogue


@service
def dialogue_issue_add(
    *,
    actor: Actor,
    dialogue: Dialogue,
    content: str,
    answer: str = "",
    commitment: str = "",
    owner_unit: OrgUnit | None = None,
    deadline: dt.date | None = None,
    reason: str = "",
) -> DialogueIssue:
    """Add an issue raised at the dialogue: its answer there, or a commitment (content, owner
    unit and deadline, all three required) that becomes a tracked follow-up."""
    _require(actor, dialogue.unit, _("Bạn không có quyền ghi cuộc đối thoại này."))
    errors: dict[str, str] = {}
    if not (content or "").strip():
        errors["content"] = _("Hãy ghi ý kiến, kiến nghị của người dân.")
    committed = bool((commitment or "").strip() or owner_unit or deadline)
    if not committed and not (answer or "").strip():
        errors["answer"] = _("Hãy ghi câu trả lời tại hội nghị, hoặc một cam kết.")
    if committed:
        if not (commitment or "").strip():
            errors["commitment"] = _("Hãy ghi nội dung cam kết.")
        if owner_unit is None:
            errors["owner_unit"] = _("Cam kết phải có đơn vị thực hiện.")
        if deadline is None:
            errors["deadline"] = _("Cam kết phải có thời hạn.")
        elif deadline < dialogue.held_on:
            errors["deadline"] = _("Thời hạn không được trước ngày đối thoại.")
    if errors:
        raise ValidationError(errors)
    issue = DialogueIssue(dialogue=dialogue, content=content, answer=answer)
    issue.full_clean(exclude=["dialogue"])
    with audited(actor=actor, reason=reason):
        issue.save()
        if committed:
            promise = Commitment(issue=issue, content=commitment, owner_unit=owner_unit,
                                 deadline=cast(dt.date, deadline))  # fmt: skip
            promise.full_clean(exclude=["issue", "owner_unit"])
            promise.save()
    if committed:
        notify_unit_holders(
            notices=[Notice(
                unit=owner_unit, key=f"commitment:{issue.pk}",
                title=_("Cam kết tại đối thoại: %(content)s") % {"content": commitment[:150]},
                body=_("Thời hạn thực hiện: %(deadline)s.")
                % {"deadline": deadline.strftime("%d/%m/%Y")},  # type: ignore[union-attr]
                url=issue.get_absolute_url(),
            )],
            roles=[Role.WARD_SECRETARY, Role.MASS_MOBILISATION], exclude=[actor],
        )  # fmt: skip
    return issue


@service
def commitment_report(
    *,
    actor: Actor,
    commitment: Commitment,
    progress: int,
    evidence: str = "",
    completed_on: dt.date | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Commitment:
    """Report a commitment's progress; at 100 % it is kept, with its evidence and date."""
    _require(actor, commitment.owner_unit, _("Bạn không có quyền cập nhật cam kết của đơn vị này."))
    if commitment.status == CommitmentStatus.DONE:
        raise ValidationError(_("Cam kết này đã thực hiện xong."))
    errors: dict[str, str] = {}
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = _("Tiến độ phải từ 0 đến 100%.")
    elif progress == 100:
        if not (evidence or "").strip():
            errors["evidence"] = _("Hãy ghi kết quả thực hiện.")
        completed_on = completed_on or _today()
        if completed_on > _today():
            errors["completed_on"] = _("Ngày hoàn thành không được sau hôm nay.")
        elif completed_on < commitment.issue.dialogue.held_on:
            errors["completed_on"] = _("Ngày hoàn thành không được trước ngày đối thoại.")
    if errors:
        raise ValidationError(errors)
    commitment.progress = progress
    if evidence:
        commitment.evidence = evidence
    if progress == 100:
        commitment.status, commitment.completed_on = CommitmentStatus.DONE, completed_on
    save_with_file(
        commitment, actor=actor, reason=reason, file=file, attach_to=commitment.issue.dialogue
    )
    return commitment


# --- Public-opinion cases ------------------------------------------------------------------


def due_days(urgency: str) -> int:
    """Working days an assigned unit has to answer, by urgency (``OPINION_CASE_DUE_DAYS``)."""
    rules = getattr(settings, "OPINION_CASE_DUE_DAYS", {})
    return int(rules.get(urgency, rules.get(Urgency.NORMAL, 15)))


def due_date(urgency: str, start: dt.date) -> dt.date:
    return deadlines.add_working_days(start, due_days(urgency))


@service
def case_receive(
    *,
    actor: Actor,
    source: str,
    received_on: dt.date,
    content: str,
    unit: OrgUnit,
    category: str,
    urgency: str = Urgency.NORMAL,
    citizen_name: str = "",
    citizen_phone: str = "",
    citizen_address: str = "",
    dialogue_issue: DialogueIssue | None = None,
    reception: Reception | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> OpinionCase:
    """Take in a case (from any source; a dialogue issue or a citizen reception session may
    open one, linked both ways: its source is then the dialogue or the reception)."""
    _require(actor, unit, _("Bạn không có quyền tiếp nhận vụ việc của đơn vị này."))
    if received_on is not None and received_on > _today():
        raise ValidationError({"received_on": _("Ngày tiếp nhận không được sau hôm nay.")})
    if reception is not None:
        if not scope.can_on(actor, reception):
            raise PermissionDenied(_("Bạn không xem được buổi tiếp công dân này."))
        source = CaseSource.RECEPTION
        if received_on is not None and received_on < reception.held_on:
            raise ValidationError({"received_on": _(
                "Ngày tiếp nhận không được trước buổi tiếp công dân (%(day)s)."
            ) % {"day": reception.held_on.strftime("%d/%m/%Y")}})  # fmt: skip
    case = OpinionCase(
        source=source, received_on=received_on, content=content, unit=unit, category=category,
        urgency=urgency, citizen_name=citizen_name, citizen_phone=citizen_phone,
        citizen_address=citizen_address, dialogue_issue=dialogue_issue, reception=reception,
    )  # fmt: skip
    case.full_clean(exclude=CASE_LINKS)
    case.refresh_words()
    save_with_file(case, actor=actor, reason=reason, file=file)
    return case


@service
def case_update(
    *,
    actor: Actor,
    case: OpinionCase,
    content: str = UNSET,
    category: str = UNSET,
    urgency: str = UNSET,
    citizen_name: str = UNSET,
    citizen_phone: str = UNSET,
    citizen_address: str = UNSET,
    reason: str = "",
) -> OpinionCase:
    _require(actor, case.unit, _("Bạn không có quyền sửa vụ việc này."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Vụ việc đã kết thúc; hãy mở lại trước khi sửa."))
    changes = given(
        content=content, category=category, urgency=urgency, citizen_name=citizen_name,
        citizen_phone=citizen_phone, citizen_address=citizen_address,
    )  # fmt: skip
    for name, value in changes.items():
        setattr(case, name, value)
    case.full_clean(exclude=CASE_LINKS)
    case.refresh_words()
    with audited(actor=actor, reason=reason):
        case.save()
    return case


def _hand_over(actor: Actor, case: OpinionCase, kind: str, unit: OrgUnit | None,
               due_on: dt.date | None, reason: str) -> None:  # fmt: skip
    CaseAssignment.objects.create(case=case, kind=kind, unit=unit, due_on=due_on, reason=reason,
                                  by=actor)  # fmt: skip


@service
def case_assign(
    *,
    actor: Actor,
    case: OpinionCase,
    unit: OrgUnit,
    due_on: dt.date | None = None,
    reason: str = "",
) -> OpinionCase:
    """Give a received case to a unit, with a due date (by default the urgency's rule, in
    working days from today)."""
    CASE_WORKFLOW.check(actor, case, "assign")
    return _assign(actor, case, unit, due_on, reason, AssignmentKind.ASSIGN, CaseStatus.ASSIGNED)


def _assign(actor: Actor, case: OpinionCase, unit: OrgUnit | None, due_on: dt.date | None,
            reason: str, kind: str, status: str) -> OpinionCase:  # fmt: skip
    if unit is None:
        raise ValidationError({"unit": _("Hãy chọn đơn vị xử lý.")})
    if not scope.can(actor, AREA, scope.CHANGE, unit):
        raise ValidationError(
            {"unit": _("Không thể giao cho đơn vị ngoài phạm vi của bạn: %(unit)s.")
             % {"unit": unit.name}}
        )  # fmt: skip
    due_on = due_on or due_date(case.urgency, max(_today(), case.received_on))
    if due_on < case.received_on:
        raise ValidationError({"due_on": _("Hạn trả lời không được trước ngày tiếp nhận.")})
    case.assigned_unit, case.due_on, case.status = unit, due_on, status
    with audited(actor=actor, reason=reason):
        case.save()
        _hand_over(actor, case, kind, unit, due_on, reason)
    notify_unit_holders(
        notices=[Notice(
            unit=unit, key=f"opinion-case:{case.pk}:{kind}:{due_on.isoformat()}",
            title=_("Vụ việc dư luận phản ánh được giao: %(content)s")
            % {"content": case.content[:150]},
            body=_("Hạn trả lời: %(due)s.") % {"due": due_on.strftime("%d/%m/%Y")},
            url=case.get_absolute_url(),
        )],
        roles=[Role.WARD_SECRETARY, Role.WARD_STAFF, Role.MASS_MOBILISATION], exclude=[actor],
    )  # fmt: skip
    return case


@service
def case_reassign(
    *, actor: Actor, case: OpinionCase, unit: OrgUnit, due_on: dt.date | None = None, reason: str
) -> OpinionCase:
    """Give an assigned case to another unit (recorded, with the reason)."""
    if case.status not in (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS):
        raise ValidationError(_("Chỉ giao lại được vụ việc đang xử lý."))
    if CASE_WORKFLOW["assign"].who.refusal(actor, case):
        raise PermissionDenied(_("Bạn không có quyền điều phối vụ việc của đơn vị này."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do giao lại.")})
    return _assign(actor, case, unit, due_on or case.due_on, reason, AssignmentKind.REASSIGN,
                   CaseStatus.ASSIGNED)  # fmt: skip


@service
def case_start(*, actor: Actor, case: OpinionCase, reason: str = "") -> OpinionCase:
    CASE_WORKFLOW.check(actor, case, "start")
    case.status = CaseStatus.IN_PROGRESS
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status"])
    return case


@service
def case_answer(
    *,
    actor: Actor,
    case: OpinionCase,
    answer: str,
    answered_on: dt.date,
    outcome: str,
    file: UploadedFile | None = None,
    reason: str = "",
) -> OpinionCase:
    """Record the answer (text, date, file) and what came of it: resolved or explained."""
    CASE_WORKFLOW.check(actor, case, "answer")
    errors: dict[str, str] = {}
    if not (answer or "").strip():
        errors["answer"] = _("Hãy ghi nội dung trả lời.")
    if outcome not in (Outcome.RESOLVED, Outcome.EXPLAINED):
        errors["outcome"] = _("Hãy chọn kết quả: đã giải quyết, hoặc đã giải thích, trả lời.")
    if answered_on is None:
        errors["answered_on"] = _("Hãy ghi ngày trả lời.")
    elif answered_on < case.received_on:
        errors["answered_on"] = _("Ngày trả lời không được trước ngày tiếp nhận (%(day)s).") % {
            "day": case.received_on.strftime("%d/%m/%Y")
        }
    elif answered_on > _today():
        errors["answered_on"] = _("Ngày trả lời không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    case.answer, case.answered_on, case.outcome = answer, answered_on, outcome
    case.status = CaseStatus.ANSWERED
    case.full_clean(exclude=CASE_LINKS)
    save_with_file(case, actor=actor, reason=reason, file=file)
    return case


@service
def case_close(
    *, actor: Actor, case: OpinionCase, closed_on: dt.date | None = None, reason: str = ""
) -> OpinionCase:
    """Close an answered case; closing needs an outcome."""
    CASE_WORKFLOW.check(actor, case, "close")
    if not case.outcome:
        raise ValidationError({"outcome": _("Chưa có kết quả: không kết thúc được vụ việc.")})
    case.status, case.closed_on = CaseStatus.CLOSED, closed_on or _today()
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status", "closed_on"])
    return case


@service
def case_reject(*, actor: Actor, case: OpinionCase, reason: str) -> OpinionCase:
    """Not within the competence of the portal's bodies: closed with that outcome and reason."""
    CASE_WORKFLOW.check(actor, case, "reject")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    case.status, case.outcome = CaseStatus.REJECTED, Outcome.REJECTED
    case.closed_on = _today()
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status", "outcome", "closed_on"])
    return case


@service
def case_transfer(
    *, actor: Actor, case: OpinionCase, transferred_to: str, reason: str = ""
) -> OpinionCase:
    """Hand a case to a body outside the portal (named), recorded as a transfer."""
    CASE_WORKFLOW.check(actor, case, "transfer")
    if not (transferred_to or "").strip():
        raise ValidationError({"transferred_to": _("Hãy ghi cơ quan nhận chuyển.")})
    case.status, case.outcome = CaseStatus.TRANSFERRED, Outcome.TRANSFERRED
    case.transferred_to, case.closed_on = transferred_to, _today()
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["status", "outcome", "transferred_to", "closed_on"])
        _hand_over(actor, case, AssignmentKind.TRANSFER, None, None, reason or transferred_to)
    return case


@service
def case_reopen(*, actor: Actor, case: OpinionCase, reason: str) -> OpinionCase:
    """Reopen with a reason: back to intake, outcome cleared; the next assignment starts a new
    due date from its day."""
    CASE_WORKFLOW.check(actor, case, "reopen")
    if case.merged_into_id:
        raise ValidationError(
            _("Vụ việc đã được gộp vào vụ việc #%(pk)s; hãy mở lại vụ việc đó.")
            % {"pk": case.merged_into_id}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
    case.status, case.outcome, case.closed_on = CaseStatus.RECEIVED, "", None
    case.answered_on, case.due_on = None, None
    with audited(actor=actor, reason=reason):
        case.save()
        _hand_over(actor, case, AssignmentKind.REOPEN, case.assigned_unit, None, reason)
    return case


@service
def case_merge(
    *, actor: Actor, case: OpinionCase, into: OpinionCase, reason: str = ""
) -> OpinionCase:
    """Merge a duplicate into another open case: both intakes and their sources are kept; the
    merged one is closed as part of the other and leaves the counts."""
    _require(actor, case.unit, _("Bạn không có quyền gộp vụ việc này."))
    if not scope.can_on(actor, into, scope.VIEW):
        raise ValidationError({"into": _("Không tìm thấy vụ việc này.")})
    if into.pk == case.pk:
        raise ValidationError({"into": _("Không thể gộp vụ việc vào chính nó.")})
    if into.status in (CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.TRANSFERRED):
        raise ValidationError({"into": _("Không thể gộp vào vụ việc đã kết thúc.")})
    if into.merged_into_id:
        raise ValidationError({"into": _("Vụ việc này đã được gộp vào vụ việc khác.")})
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS):
        raise ValidationError(_("Chỉ gộp được vụ việc đang mở."))
    case.merged_into, case.status = into, CaseStatus.CLOSED
    case.closed_on = _today()
    with audited(actor=actor, reason=reason):
        case.save(update_fields=["merged_into", "status", "closed_on"])
    return case


# --- Around the cases: critique and supervision, feedback, reception, models --------------

# A reception session receives no more citizens than this: a bound against typing mistakes.
MAX_CITIZENS = 1000
# Models are recorded from this year on (the registry's first year).
FIRST_MODEL_YEAR = 2000


def _not_future(errors: dict[str, str], name: str, day: dt.date | None, message: str) -> None:
    if day is not None and day > _today():
        errors[name] = message


def _check_response(
    response: str, responded_on: dt.date | None, since: dt.date, since_message: str
) -> None:
    """A response needs its text and date, not before the record it answers nor after today."""
    errors: dict[str, str] = {}
    if not (response or "").strip():
        errors["response"] = _("Hãy ghi nội dung trả lời, tiếp thu.")
    if responded_on is None:
        errors["responded_on"] = _("Hãy ghi ngày trả lời.")
    elif responded_on < since:
        errors["responded_on"] = since_message % {"day": since.strftime("%d/%m/%Y")}
    else:
        _not_future(errors, "responded_on", responded_on,
                    _("Ngày trả lời không được sau hôm nay."))  # fmt: skip
    if errors:
        raise ValidationError(errors)


def _check_critique(critique: Critique) -> None:
    errors: dict[str, str] = {}
    if critique.kind not in CritiqueKind.values:
        errors["kind"] = _("Hãy chọn hình thức: phản biện xã hội hoặc giám sát chuyên đề.")
    if critique.organiser not in Organiser.values:
        errors["organiser"] = _("Hãy chọn tổ chức chủ trì.")
    _not_future(errors, "held_on", critique.held_on, _("Ngày tổ chức không được sau hôm nay."))
    if errors:
        raise ValidationError(errors)
    critique.subject_folded = fold(critique.subject)[:300]
    critique.full_clean(exclude=["unit"])


@service
def critique_create(
    *,
    actor: Actor,
    kind: str,
    unit: OrgUnit,
    organiser: str,
    held_on: dt.date,
    subject: str,
    findings: str = "",
    recommendations: list[dict[str, Any]] | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Critique:
    """Record a social critique conference or a thematic supervision, with its
    recommendations (each: content and addressee) and its file, all or nothing."""
    _require(actor, unit, _("Bạn không có quyền ghi phản biện, giám sát của đơn vị này."))
    critique = Critique(kind=kind, unit=unit, organiser=organiser, held_on=held_on,
                        subject=subject, findings=findings)  # fmt: skip
    _check_critique(critique)
    save_with_file(critique, actor=actor, reason=reason, file=file)
    for item in recommendations or []:
        recommendation_add(actor=actor, critique=critique, **item)
    return critique


@service
def critique_update(
    *,
    actor: Actor,
    critique: Critique,
    kind: str = UNSET,
    organiser: str = UNSET,
    held_on: dt.date = UNSET,
    subject: str = UNSET,
    findings: str = UNSET,
    reason: str = "",
) -> Critique:
    _require(actor, critique.unit, _("Bạn không có quyền sửa phản biện, giám sát này."))
    changes = given(kind=kind, organiser=organiser, held_on=held_on, subject=subject,
                    findings=findings)  # fmt: skip
    for name, value in changes.items():
        setattr(critique, name, value)
    _check_critique(critique)
    if "held_on" in changes:
        early = critique.recommendations.filter(responded_on__lt=critique.held_on).exists()
        if early:
            raise ValidationError({"held_on": _(
                "Đã có kiến nghị được phản hồi trước ngày này; hãy kiểm tra lại ngày tổ chức."
            )})  # fmt: skip
    with audited(actor=actor, reason=reason):
        critique.save()
    return critique


@service
def recommendation_add(
    *, actor: Actor, critique: Critique, content: str, addressee: str, reason: str = ""
) -> Recommendation:
    """Add a recommendation of the critique or supervision, addressed to a body."""
    _require(actor, critique.unit, _("Bạn không có quyền ghi phản biện, giám sát này."))
    errors: dict[str, str] = {}
    if not (content or "").strip():
        errors["content"] = _("Hãy ghi nội dung kiến nghị.")
    if not (addressee or "").strip():
        errors["addressee"] = _("Hãy ghi cơ quan tiếp nhận kiến nghị.")
    if errors:
        raise ValidationError(errors)
    item = Recommendation(critique=critique, content=content, addressee=addressee)
    item.full_clean(exclude=["critique"])
    with audited(actor=actor, reason=reason):
        item.save()
    return item


@service
def recommendation_respond(
    *,
    actor: Actor,
    recommendation: Recommendation,
    response: str,
    responded_on: dt.date,
    reason: str = "",
) -> Recommendation:
    """Record the addressee's response to a recommendation (a correction keeps the history)."""
    critique = recommendation.critique
    _require(actor, critique.unit, _("Bạn không có quyền ghi phản hồi kiến nghị này."))
    _check_response(response, responded_on, critique.held_on,
                    _("Ngày phản hồi không được trước ngày tổ chức (%(day)s)."))  # fmt: skip
    recommendation.response, recommendation.responded_on = response, responded_on
    recommendation.full_clean(exclude=["critique"])
    with audited(actor=actor, reason=reason):
        recommendation.save()
    return recommendation


def _check_feedback(feedback: Feedback) -> None:
    errors: dict[str, str] = {}
    if feedback.sender not in Organiser.values:
        errors["sender"] = _("Hãy chọn tổ chức góp ý.")
    _not_future(errors, "received_on", feedback.received_on,
                _("Ngày góp ý không được sau hôm nay."))  # fmt: skip
    if not (feedback.content or "").strip():
        errors["content"] = _("Hãy ghi nội dung góp ý.")
    if not (feedback.addressee or "").strip():
        errors["addressee"] = _("Hãy ghi cơ quan được góp ý.")
    if errors:
        raise ValidationError(errors)
    if feedback.responded_on is not None:
        _check_response(feedback.response, feedback.responded_on, feedback.received_on,
                        _("Ngày trả lời không được trước ngày góp ý (%(day)s)."))  # fmt: skip
    feedback.content_folded = fold(feedback.content)
    feedback.full_clean(exclude=["unit"])


@service
def feedback_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    sender: str,
    received_on: dt.date,
    content: str,
    addressee: str,
    response: str = "",
    responded_on: dt.date | None = None,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Feedback:
    """Record a feedback item (Decision 218); with its response if it has been answered."""
    _require(actor, unit, _("Bạn không có quyền ghi góp ý của đơn vị này."))
    if (response or "").strip() and responded_on is None:
        raise ValidationError({"responded_on": _("Hãy ghi ngày trả lời.")})
    feedback = Feedback(unit=unit, sender=sender, received_on=received_on, content=content,
                        addressee=addressee, response=response or "",
                        responded_on=responded_on)  # fmt: skip
    _check_feedback(feedback)
    save_with_file(feedback, actor=actor, reason=reason, file=file)
    return feedback


@service
def feedback_update(
    *,
    actor: Actor,
    feedback: Feedback,
    sender: str = UNSET,
    received_on: dt.date = UNSET,
    content: str = UNSET,
    addressee: str = UNSET,
    reason: str = "",
) -> Feedback:
    _require(actor, feedback.unit, _("Bạn không có quyền sửa góp ý này."))
    changes = given(sender=sender, received_on=received_on, content=content, addressee=addressee)
    for name, value in changes.items():
        setattr(feedback, name, value)
    _check_feedback(feedback)
    with audited(actor=actor, reason=reason):
        feedback.save()
    return feedback


@service
def feedback_respond(
    *,
    actor: Actor,
    feedback: Feedback,
    response: str,
    responded_on: dt.date,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Feedback:
    """Record the addressee's response to a feedback item (it then counts as answered)."""
    _require(actor, feedback.unit, _("Bạn không có quyền ghi trả lời góp ý này."))
    _check_response(response, responded_on, feedback.received_on,
                    _("Ngày trả lời không được trước ngày góp ý (%(day)s)."))  # fmt: skip
    feedback.response, feedback.responded_on = response, responded_on
    feedback.full_clean(exclude=["unit"])
    save_with_file(feedback, actor=actor, reason=reason, file=file)
    return feedback


def _check_reception(reception: Reception) -> None:
    errors: dict[str, str] = {}
    _not_future(errors, "held_on", reception.held_on, _("Ngày tiếp không được sau hôm nay."))
    if reception.citizens is not None and reception.citizens > MAX_CITIZENS:
        errors["citizens"] = _("Số lượt công dân không quá %(max)s.") % {
            "max": f"{MAX_CITIZENS:,}".replace(",", ".")
        }
    if errors:
        raise ValidationError(errors)
    reception.full_clean(exclude=["unit"])


@service
def reception_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    held_on: dt.date,
    leader: str,
    place: str,
    leader_title: str = "",
    citizens: int = 0,
    notes: str = "",
    file: UploadedFile | None = None,
    reason: str = "",
) -> Reception:
    """Record a citizen reception session; its cases are then received from its page."""
    _require(actor, unit, _("Bạn không có quyền ghi buổi tiếp công dân của đơn vị này."))
    reception = Reception(unit=unit, held_on=held_on, leader=leader, leader_title=leader_title,
                          place=place, citizens=citizens, notes=notes)  # fmt: skip
    _check_reception(reception)
    save_with_file(reception, actor=actor, reason=reason, file=file)
    return reception


@service
def reception_update(
    *,
    actor: Actor,
    reception: Reception,
    held_on: dt.date = UNSET,
    leader: str = UNSET,
    leader_title: str = UNSET,
    place: str = UNSET,
    citizens: int = UNSET,
    notes: str = UNSET,
    reason: str = "",
) -> Reception:
    _require(actor, reception.unit, _("Bạn không có quyền sửa buổi tiếp công dân này."))
    changes = given(held_on=held_on, leader=leader, leader_title=leader_title, place=place,
                    citizens=citizens, notes=notes)  # fmt: skip
    for name, value in changes.items():
        setattr(reception, name, value)
    _check_reception(reception)
    if "held_on" in changes and reception.cases.filter(received_on__lt=reception.held_on).exists():
        raise ValidationError({"held_on": _(
            "Đã có vụ việc tiếp nhận trước ngày này từ buổi tiếp; hãy kiểm tra lại ngày tiếp."
        )})  # fmt: skip
    with audited(actor=actor, reason=reason):
        reception.save()
    return reception


def _check_model(model: MobilisationModel) -> None:
    errors: dict[str, str] = {}
    if model.year is not None and not FIRST_MODEL_YEAR <= model.year <= _today().year:
        errors["year"] = _("Năm phải từ %(first)s đến %(last)s.") % {
            "first": FIRST_MODEL_YEAR, "last": _today().year,
        }  # fmt: skip
    if model.field not in ModelField.values:
        errors["field"] = _("Hãy chọn lĩnh vực của mô hình.")
    if model.recognition not in Recognition.values:
        errors["recognition"] = _("Hãy chọn cấp công nhận.")
    if errors:
        raise ValidationError(errors)
    model.name_folded = fold(model.name)[:300]
    model.full_clean()  # with the unit: one model of a name per unit and year


@service
def model_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    year: int,
    name: str,
    field: str,
    recognition: str,
    description: str = "",
    file: UploadedFile | None = None,
    reason: str = "",
) -> MobilisationModel:
    """Register a "skilful mass mobilisation" model of a unit for a year."""
    _require(actor, unit, _("Bạn không có quyền ghi mô hình dân vận khéo của đơn vị này."))
    model = MobilisationModel(unit=unit, year=year, name=name, field=field,
                              recognition=recognition, description=description)  # fmt: skip
    _check_model(model)
    save_with_file(model, actor=actor, reason=reason, file=file)
    return model


@service
def model_update(
    *,
    actor: Actor,
    model: MobilisationModel,
    year: int = UNSET,
    name: str = UNSET,
    field: str = UNSET,
    recognition: str = UNSET,
    description: str = UNSET,
    reason: str = "",
) -> MobilisationModel:
    _require(actor, model.unit, _("Bạn không có quyền sửa mô hình dân vận khéo này."))
    changes = given(year=year, name=name, field=field, recognition=recognition,
                    description=description)  # fmt: skip
    for name_, value in changes.items():
        setattr(model, name_, value)
    _check_model(model)
    with audited(actor=actor, reason=reason):
        model.save()
    return model
