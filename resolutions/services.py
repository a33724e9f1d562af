"""Every write on documents and their implementation: keyword-only, atomic, scoped, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.choices import UnitKind
from longbien.org.models import OrgUnit
from longbien.workflow import check_transition

from .choices import UPPER_ISSUERS, DocumentStatus, IssuerLevel, TaskStatus
from .models import Briefing, BriefingIssue, Conference, Document, Review, Task, TaskUpdate
from .symbols import kinds_for, parse_symbol

AREA = scope.Area.RESOLUTIONS
DOCUMENT_FIELDS = {
    "symbol", "kind", "issuing_unit", "issuer_name", "title", "summary", "topics", "signed_date",
    "signer", "status",
}  # fmt: skip
DOCUMENT_TRANSITIONS = {
    DocumentStatus.DRAFT: {DocumentStatus.ISSUED},
    DocumentStatus.ISSUED: {DocumentStatus.SUPERSEDED, DocumentStatus.EXPIRED},
    DocumentStatus.SUPERSEDED: set(),
    DocumentStatus.EXPIRED: set(),
}


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _require_unit(actor: Any, unit: OrgUnit | None, message: str | None = None) -> None:
    if not scope.can(actor, AREA, scope.CHANGE, unit):
        raise _deny(message or _("Bạn không có quyền thao tác trên đơn vị này."))


def _issuer_level(unit: OrgUnit | None) -> str:
    if unit is None:
        return IssuerLevel.UPPER
    if unit.kind in {UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMITTEE_AGENCY} or unit.depth == 0:
        return IssuerLevel.DISTRICT
    return IssuerLevel.GRASSROOTS


def _apply_symbol(document: Document) -> None:
    try:
        symbol = parse_symbol(document.symbol)
    except ValidationError as error:
        raise ValidationError({"symbol": error.messages}) from error
    if document.kind and document.kind not in kinds_for(symbol):
        raise ValidationError(
            {
                "kind": _("Loại văn bản không khớp với ký hiệu %(code)s trong số hiệu.")
                % {"code": symbol.kind_code}
            }
        )
    document.symbol = str(symbol)
    document.number, document.kind_code, document.issuer_code = (
        symbol.number,
        symbol.kind_code,
        symbol.issuer_code,
    )
    if document.issuing_unit_id is None and not document.issuer_name:
        document.issuer_name = str(UPPER_ISSUERS.get(symbol.issuer_code, ""))
        if not document.issuer_name:
            raise ValidationError(
                {"issuer_name": _("Hãy ghi cơ quan ban hành của văn bản cấp trên.")}
            )
    document.issuer_level = _issuer_level(document.issuing_unit)


def _check_unique(document: Document) -> None:
    year = document.signed_date.year
    clash = Document.objects.filter(number=document.number, kind_code=document.kind_code, year=year)
    if document.issuing_unit_id:
        clash = clash.filter(issuing_unit_id=document.issuing_unit_id)
    else:
        clash = clash.filter(issuing_unit__isnull=True, issuer_code=document.issuer_code)
    if document.pk:
        clash = clash.exclude(pk=document.pk)
    if clash.exists():
        raise ValidationError(
            {
                "symbol": _("Số hiệu %(symbol)s đã có trong năm %(year)s của cơ quan này.")
                % {"symbol": document.symbol, "year": year}
            }
        )


def _check_implements(actor: Any, implements: Iterable[Document]) -> list[Document]:
    """Only documents from above that the actor can read may be named as implemented."""
    chosen = list(implements)
    visible = set(
        Document.objects.restrict(actor)
        .filter(pk__in=[d.pk for d in chosen], issuer_level=IssuerLevel.UPPER)
        .values_list("pk", flat=True)
    )
    if any(d.pk not in visible for d in chosen):
        raise ValidationError({"implements": _("Chỉ chọn văn bản của cấp trên mà bạn được xem.")})
    return chosen


def document_prepare(document: Document) -> None:
    """Parse the symbol into its parts and check it is unique (imports use this too)."""
    _apply_symbol(document)
    if document.signed_date:
        document.year = document.signed_date.year
        _check_unique(document)


def _check_document_access(actor: Any, document: Document) -> None:
    if document.issuing_unit_id is None:
        if not scope.covers_a_root(actor, AREA, scope.CHANGE):
            raise _deny(_("Chỉ cán bộ cấp quận được nhập văn bản của cấp trên."))
    else:
        _require_unit(
            actor, document.issuing_unit, _("Bạn không có quyền ban hành văn bản cho đơn vị này.")
        )


@transaction.atomic
def document_create(
    *, actor: Any, implements: Iterable[Document] = (), reason: str = "", **fields: Any
) -> Document:
    """Register a document; the symbol is parsed, normalised and unique per issuer and year."""
    unknown = set(fields) - DOCUMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    document = Document(**fields)
    _check_document_access(actor, document)
    _apply_symbol(document)
    document.year = document.signed_date.year if document.signed_date else 0
    document.full_clean(
        exclude=["year", "number", "kind_code", "issuer_code", "issuer_level", "title_folded"]
    )
    _check_unique(document)
    upstream = _check_implements(actor, implements)
    with audited(actor=actor, reason=reason):
        document.save()
        document.implements.set(upstream)
    return document


@transaction.atomic
def document_update(
    *,
    actor: Any,
    document: Document,
    implements: Iterable[Document] | None = None,
    reason: str = "",
    **fields: Any,
) -> Document:
    unknown = set(fields) - DOCUMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _check_document_access(actor, document)
    new_status = fields.pop("status", document.status)
    if new_status != document.status:
        check_transition(obj=document, to=new_status, allowed=DOCUMENT_TRANSITIONS)
    for name, value in fields.items():
        setattr(document, name, value)
    document.status = new_status
    _check_document_access(actor, document)
    _apply_symbol(document)
    document.full_clean(
        exclude=["year", "number", "kind_code", "issuer_code", "issuer_level", "title_folded"]
    )
    if document.signed_date and document.tasks.filter(deadline__lt=document.signed_date).exists():
        raise ValidationError({"signed_date": _("Đã có nhiệm vụ có thời hạn trước ngày ký này.")})
    _check_unique(document)
    upstream = _check_implements(actor, implements) if implements is not None else None
    with audited(actor=actor, reason=reason):
        document.save()
        if upstream is not None:
            document.implements.set(upstream)
    return document


@transaction.atomic
def document_supersede(
    *, actor: Any, document: Document, by: Document, reason: str = ""
) -> Document:
    _check_document_access(actor, document)
    check_transition(obj=document, to=DocumentStatus.SUPERSEDED, allowed=DOCUMENT_TRANSITIONS)
    if by.pk == document.pk:
        raise ValidationError(_("Văn bản không thể thay thế chính nó."))
    document.status = DocumentStatus.SUPERSEDED
    document.superseded_by = by
    with audited(actor=actor, reason=reason):
        document.save()
    return document


def _validate_task(*, document: Document, deadline: dt.date, title: str) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Hãy ghi nội dung nhiệm vụ.")]
    if deadline < document.signed_date:
        errors["deadline"] = [
            _("Thời hạn (%(deadline)s) không được trước ngày ký văn bản (%(signed)s).")
            % {
                "deadline": deadline.strftime("%d/%m/%Y"),
                "signed": document.signed_date.strftime("%d/%m/%Y"),
            }
        ]
    if document.status != DocumentStatus.ISSUED:
        errors.setdefault("__all__", []).append(_("Chỉ giao nhiệm vụ từ văn bản đã ban hành."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_assign(
    *,
    actor: Any,
    document: Document,
    units: Iterable[OrgUnit],
    title: str,
    deadline: dt.date,
    description: str = "",
    parent: Task | None = None,
    source_briefing_issue: BriefingIssue | None = None,
) -> list[Task]:
    """Create one task per unit; every unit must lie in the assigner's scope."""
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Hãy chọn ít nhất một đơn vị chủ trì.")})
    if not document.scope_allows(actor, scope.VIEW):
        raise _deny(_("Bạn không có quyền xem văn bản này."))
    outside = [u.name for u in units if not scope.can(actor, AREA, scope.CHANGE, u)]
    if outside:
        raise _deny(
            _("Không thể giao nhiệm vụ cho đơn vị ngoài phạm vi của bạn: %(units)s.")
            % {"units": ", ".join(outside)}
        )
    _validate_task(document=document, deadline=deadline, title=title)
    if parent is not None:
        if parent.document_id != document.pk:
            raise ValidationError({"parent": _("Nhiệm vụ cấp trên phải thuộc cùng văn bản.")})
        strays = [
            u.name
            for u in units
            if not u.path.startswith(parent.unit.path) or u.pk == parent.unit_id
        ]
        if strays:
            raise ValidationError(
                {
                    "units": _("Chỉ phân giao cho đơn vị trực thuộc đơn vị chủ trì: %(units)s.")
                    % {"units": ", ".join(strays)}
                }
            )
        if deadline > parent.deadline:
            raise ValidationError(
                {"deadline": _("Thời hạn không được sau thời hạn của nhiệm vụ cấp trên.")}
            )
    tasks = []
    with audited(actor=actor):
        for unit in units:
            task = Task(
                document=document, parent=parent, title=title.strip(), description=description, unit=unit,
                deadline=deadline, assigned_by=actor, source_briefing_issue=source_briefing_issue,
            )  # fmt: skip
            task.full_clean()
            task.save()
            tasks.append(task)
    # The parent keeps its reported progress until a sub-unit reports (see _roll_up).
    return tasks


@transaction.atomic
def task_cascade(
    *,
    actor: Any,
    task: Task,
    units: Iterable[OrgUnit],
    deadline: dt.date | None = None,
    title: str = "",
) -> list[Task]:
    """Pass a task on to sub-units; the parent's progress then rolls up from them."""
    _require_unit(actor, task.unit)
    return task_assign(
        actor=actor, document=task.document, units=units, title=title or task.title,
        deadline=deadline or task.deadline, description=task.description, parent=task,
    )  # fmt: skip


def _status_for(progress: int) -> str:
    if progress >= 100:
        return TaskStatus.DONE
    return TaskStatus.IN_PROGRESS if progress > 0 else TaskStatus.NOT_STARTED


def _set_progress(task: Task, progress: int, today: dt.date) -> None:
    task.progress = progress
    task.status = _status_for(progress)
    task.completed_on = (task.completed_on or today) if task.status == TaskStatus.DONE else None
    task.save()


def _roll_up(task: Task) -> None:
    """Recompute a parent's progress as the mean of its children's, up the chain."""
    today = timezone.localdate()
    while task is not None:
        mean = task.children.aggregate(mean=Avg("progress"))["mean"]
        if mean is None:
            return
        done_children = not task.children.exclude(status=TaskStatus.DONE).exists()
        progress = 100 if done_children else min(99, round(mean))
        if progress != task.progress:
            _set_progress(task, progress, today)
        task = task.parent


@transaction.atomic
def task_report_progress(
    *, actor: Any, task: Task, progress: int, note: str, on: dt.date | None = None
) -> TaskUpdate:
    """Record a progress report (0–100) with its text; 100 completes the task."""
    _require_unit(actor, task.unit, _("Bạn không có quyền báo cáo tiến độ nhiệm vụ này."))
    errors: dict[str, list[str]] = {}
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
        errors["progress"] = [_("Tiến độ phải là số nguyên từ 0 đến 100.")]
    if not (note or "").strip():
        errors["note"] = [_("Hãy ghi nội dung báo cáo.")]
    if task.children.exists():
        errors.setdefault("__all__", []).append(
            _(
                "Nhiệm vụ này đã phân giao cho đơn vị trực thuộc; tiến độ được tổng hợp từ các đơn vị đó."
            )
        )
    if errors:
        raise ValidationError(errors)
    with audited(actor=actor):
        update = TaskUpdate(task=task, progress=progress, note=note.strip(), reported_by=actor)
        if on is not None and on < timezone.localdate():
            update.reported_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
        update.save()
        _set_progress(task, progress, on or timezone.localdate())
        if task.parent_id:
            _roll_up(task.parent)
    return update


def task_can_edit(actor: Any, task: Task) -> bool:
    """The assigning side (the parent task's unit, or the document's issuer) edits a task."""
    assigner_unit = task.parent.unit if task.parent_id else task.document.issuing_unit
    return scope.can(actor, AREA, scope.CHANGE, assigner_unit) or scope.covers_a_root(
        actor, AREA, scope.CHANGE
    )


@transaction.atomic
def task_update(*, actor: Any, task: Task, reason: str = "", **fields: Any) -> Task:
    """Change a task's title, description or deadline (with a reason, audited)."""
    allowed = {"title", "description", "deadline"}
    if set(fields) - allowed:
        raise ValueError(f"unknown fields: {sorted(set(fields) - allowed)}")
    if not task_can_edit(actor, task):
        raise _deny(_("Chỉ đơn vị giao nhiệm vụ được sửa nội dung, thời hạn."))
    for name, value in fields.items():
        setattr(task, name, value)
    _validate_task(document=task.document, deadline=task.deadline, title=task.title)
    with audited(actor=actor, reason=reason):
        task.save()
    return task


def document_check_import(*, actor: Any, document: Document) -> None:
    """Apply the rules of document_create/update to a row of an import (no save)."""
    errors: dict[str, list[str]] = {}
    stored = Document.objects.filter(pk=document.pk).first() if document.pk else None
    checks = [lambda: _check_document_access(actor, document), lambda: document_prepare(document)]
    if stored is not None:
        checks.insert(0, lambda: _check_document_access(actor, stored))
        if document.status != stored.status:
            checks.append(
                lambda: check_transition(
                    obj=stored, to=document.status, allowed=DOCUMENT_TRANSITIONS
                )
            )
    for check in checks:
        try:
            check()
        except PermissionDenied as denied:
            errors.setdefault("__all__", []).append(str(denied))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def task_check_import(*, actor: Any, task: Task) -> None:
    """Apply the rules of task_assign/task_cascade/task_report_progress to an imported row."""
    errors: dict[str, list[str]] = {}
    if not task.document_id or not task.document.scope_allows(actor, scope.VIEW):
        raise ValidationError({"document": _("Không tìm thấy văn bản trong phạm vi của bạn.")})
    _require_unit(actor, task.unit, _("Đơn vị chủ trì nằm ngoài phạm vi của bạn."))
    stored = Task.objects.select_related("unit").filter(pk=task.pk).first() if task.pk else None
    if stored is not None:
        _require_unit(actor, stored.unit, _("Nhiệm vụ này nằm ngoài phạm vi của bạn."))
    else:
        task.assigned_by = actor  # whoever imports a new task assigns it
    if task.parent_id:
        parent = task.parent
        if (
            not Task.objects.restrict(actor).filter(pk=parent.pk).exists()
            or parent.document_id != task.document_id
        ):
            errors["parent"] = [
                _("Nhiệm vụ cấp trên không thuộc văn bản này hoặc ngoài phạm vi của bạn.")
            ]
        elif not task.unit.path.startswith(parent.unit.path) or task.unit_id == parent.unit_id:
            errors["unit"] = [_("Chỉ phân giao cho đơn vị trực thuộc đơn vị chủ trì.")]
        elif not scope.can(actor, AREA, scope.CHANGE, parent.unit):
            errors["parent"] = [_("Bạn không có quyền phân giao nhiệm vụ cấp trên này.")]
    try:
        _validate_task(document=task.document, deadline=task.deadline, title=task.title or "")
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if task.progress is None or not 0 <= task.progress <= 100:
        errors.setdefault("progress", []).append(_("Tiến độ phải từ 0 đến 100%."))
    elif task.status != _status_for(task.progress):
        errors.setdefault("status", []).append(
            _("Trạng thái không khớp với tiến độ: 0 là chưa thực hiện, 100 là hoàn thành.")
        )
    elif task.status == TaskStatus.DONE and not task.completed_on:
        errors.setdefault("completed_on", []).append(
            _("Nhiệm vụ hoàn thành phải có ngày hoàn thành.")
        )
    if errors:
        raise ValidationError(errors)


def conference_check_import(*, actor: Any, conference: Conference) -> None:
    if not conference.document_id or not conference.document.scope_allows(actor, scope.VIEW):
        raise ValidationError({"document": _("Không tìm thấy văn bản trong phạm vi của bạn.")})
    _require_unit(actor, conference.unit)
    stored = (
        Conference.objects.select_related("unit").filter(pk=conference.pk).first()
        if conference.pk
        else None
    )
    if stored is not None:
        _require_unit(actor, stored.unit)
    _check_conference(conference)


def _require_readable_issued(actor: Any, document: Document) -> None:
    if not document.scope_allows(actor, scope.VIEW):
        raise _deny(_("Bạn không có quyền xem văn bản này."))
    if document.status != DocumentStatus.ISSUED:
        raise ValidationError({"document": _("Chỉ ghi cho văn bản đã ban hành.")})


def _check_conference(conference: Conference) -> None:
    errors: dict[str, list[str]] = {}
    if conference.expected_attendees is not None and conference.expected_attendees <= 0:
        errors["expected_attendees"] = [_("Số người phải dự phải lớn hơn 0.")]
    if (
        conference.present_attendees is not None
        and conference.expected_attendees is not None
        and conference.present_attendees > conference.expected_attendees
    ):
        errors["present_attendees"] = [
            _("Số người dự (%(present)s) không được nhiều hơn số người phải dự (%(expected)s).")
            % {"present": conference.present_attendees, "expected": conference.expected_attendees}
        ]
    if (
        conference.learning_reports is not None
        and conference.present_attendees is not None
        and conference.learning_reports > conference.present_attendees
    ):
        errors["learning_reports"] = [_("Số bài thu hoạch không được nhiều hơn số người dự.")]
    if (
        conference.held_on
        and conference.document_id
        and conference.held_on < conference.document.signed_date
    ):
        errors["held_on"] = [_("Ngày học tập không được trước ngày ký văn bản.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conference_record(
    *, actor: Any, document: Document, unit: OrgUnit, reason: str = "", **fields: Any
) -> Conference:
    """Record a study conference held by ``unit`` on ``document``."""
    _require_unit(actor, unit)
    _require_readable_issued(actor, document)
    conference = Conference(document=document, unit=unit, **fields)
    _check_conference(conference)
    conference.full_clean()
    with audited(actor=actor, reason=reason):
        conference.save()
    return conference


@transaction.atomic
def conference_update(
    *, actor: Any, conference: Conference, reason: str = "", **fields: Any
) -> Conference:
    _require_unit(actor, conference.unit)
    for name, value in fields.items():
        setattr(conference, name, value)
    _require_unit(actor, conference.unit)
    _check_conference(conference)
    conference.full_clean()
    with audited(actor=actor, reason=reason):
        conference.save()
    return conference


@transaction.atomic
def review_record(
    *,
    actor: Any,
    document: Document,
    unit: OrgUnit,
    kind: str,
    held_on: dt.date,
    level: str,
    outcome: str,
) -> Review:
    _require_unit(actor, unit)
    _require_readable_issued(actor, document)
    if held_on < document.signed_date:
        raise ValidationError(
            {"held_on": _("Ngày sơ kết, tổng kết không được trước ngày ký văn bản.")}
        )
    review = Review(
        document=document, unit=unit, kind=kind, held_on=held_on, level=level, outcome=outcome
    )
    review.full_clean()
    with audited(actor=actor):
        review.save()
    return review


@transaction.atomic
def briefing_record(
    *,
    actor: Any,
    unit: OrgUnit,
    kind: str,
    held_on: dt.date,
    attendees: str,
    summary: str = "",
    issues: Iterable[dict[str, Any]] = (),
) -> Briefing:
    """Record a briefing and the issues raised at it."""
    _require_unit(actor, unit)
    briefing = Briefing(unit=unit, kind=kind, held_on=held_on, attendees=attendees, summary=summary)
    briefing.full_clean()
    with audited(actor=actor):
        briefing.save()
        for issue in issues:
            raised_by = issue.get("raised_by_unit")
            if raised_by is not None and not scope.can(
                actor, scope.Area.ORG, scope.VIEW, raised_by
            ):
                raise _deny(_("Đơn vị nêu vấn đề nằm ngoài phạm vi của bạn."))
            item = BriefingIssue(briefing=briefing, **issue)
            item.full_clean()
            item.save()
    return briefing


@transaction.atomic
def briefing_issue_add(
    *,
    actor: Any,
    briefing: Briefing,
    text: str,
    conclusion: str = "",
    raised_by_unit: OrgUnit | None = None,
) -> BriefingIssue:
    _require_unit(actor, briefing.unit)
    issue = BriefingIssue(
        briefing=briefing, text=text, conclusion=conclusion, raised_by_unit=raised_by_unit
    )
    issue.full_clean()
    with audited(actor=actor):
        issue.save()
    return issue


@transaction.atomic
def briefing_issue_to_task(
    *,
    actor: Any,
    issue: BriefingIssue,
    document: Document,
    units: Iterable[OrgUnit],
    deadline: dt.date,
    title: str = "",
) -> list[Task]:
    """Turn a briefing's conclusion into tasks for the units concerned."""
    _require_unit(actor, issue.briefing.unit)
    return task_assign(
        actor=actor, document=document, units=units, title=title or issue.conclusion or issue.text,
        deadline=deadline, description=issue.text, source_briefing_issue=issue,
    )  # fmt: skip


def _recipients(task: Task) -> list[Any]:
    """The assigner and the users who work on the task's unit (not district-wide roles)."""
    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment, User

    prefixes = [p + "/" for p in _prefixes(task.unit.path)]
    assignments = RoleAssignment.objects.filter(
        unit__path__in=prefixes,
        unit__depth__gte=1,
        role__in=[Role.WARD_SECRETARY, Role.WARD_STAFF, Role.STAFF],
    )
    users = list(User.objects.filter(is_active=True, pk__in=assignments.values("user_id")))
    if (
        task.assigned_by_id
        and task.assigned_by.is_active
        and all(u.pk != task.assigned_by_id for u in users)
    ):
        users.append(task.assigned_by)
    return users


def _prefixes(path: str) -> list[str]:
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]


def _remind(task: Task, kind: str) -> int:
    from longbien.core.notifications import notify

    facts = {
        "unit": task.unit.name,
        "symbol": task.document.symbol,
        "deadline": task.deadline.strftime("%d/%m/%Y"),
        "progress": task.progress,
    }
    if kind == "due_soon":
        title = _("Sắp đến hạn: %(title)s") % {"title": task.title[:200]}
        body = _(
            "Nhiệm vụ của %(unit)s (văn bản %(symbol)s) đến hạn ngày %(deadline)s; tiến độ %(progress)s%%."
        )
    else:
        title = _("Quá hạn: %(title)s") % {"title": task.title[:200]}
        body = _(
            "Nhiệm vụ của %(unit)s (văn bản %(symbol)s) đã quá hạn từ ngày %(deadline)s; tiến độ %(progress)s%%."
        )
    key = f"task:{task.pk}:{'due' if kind == 'due_soon' else 'overdue'}:{task.deadline.isoformat()}"
    return notify(
        users=_recipients(task),
        key=key,
        title=title,
        body=body % facts,
        url=task.get_absolute_url(),
    )


def deadline_reminders_send(*, today: dt.date, days_before: int) -> dict[str, int]:
    """Remind of tasks due within ``days_before`` days and of tasks past due; each once."""

    from .selectors import tasks_due_between

    due_soon = tasks_due_between(start=today, end=today + dt.timedelta(days=days_before))
    # Deadlines passed in the last week: once each (the key), and a job that was down for a
    # few days catches up, without rescanning every task ever overdue.
    overdue = Task.objects.overdue(today).filter(deadline__gte=today - dt.timedelta(days=7))
    sent = {"due_soon": 0, "overdue": 0}
    for kind, tasks in (("due_soon", due_soon), ("overdue", overdue)):
        for task in tasks.select_related("unit", "document", "assigned_by"):
            sent[kind] += _remind(task, kind)
    return sent
