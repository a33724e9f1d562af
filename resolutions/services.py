"""Every write on documents and their implementation: keyword-only, atomic, scoped, audited."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from longbien import bulk
from longbien.attachments.services import attachment_add
from longbien.audit import audited, log_created_in_bulk, log_updated_in_bulk
from longbien.core.notifications import Notice, notify_unit_holders
from longbien.org import scope
from longbien.org.choices import Role, UnitKind
from longbien.org.models import OrgUnit
from longbien.org.types import Actor, Viewer
from longbien.service import UNSET, given, service
from longbien.text import fold
from longbien.workflow import Transition, Who, Workflow

from .choices import UPPER_ISSUERS, DocumentStatus, IssuerLevel, TaskStatus
from .models import Briefing, BriefingIssue, Conference, Document, Review, Task, TaskUpdate
from .symbols import kinds_for, parse_symbol

AREA = scope.Area.RESOLUTIONS


def _document_refusal(actor: Actor, document: Document) -> str | None:
    try:
        _check_document_access(actor, document)
    except PermissionDenied as denied:
        return str(denied)
    return None


# A document's status, declared once: the services check every move here and the edit form
# offers only the moves the table leaves to the user. Who may move it is who may change it
# (its issuing unit's subtree; a document from above only with a whole-tree scope).
DOCUMENT_EDITOR = Who(area=AREA, check=lambda actor, document: _document_refusal(actor, document))
DOCUMENT_WORKFLOW = Workflow(
    "resolutions.Document",
    [
        Transition(
            "issue", DocumentStatus.DRAFT, DocumentStatus.ISSUED, who=DOCUMENT_EDITOR,
            label=gettext_lazy("Ban hành"), service="resolutions.services.document_update",
        ),
        Transition(
            "supersede", DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED, who=DOCUMENT_EDITOR,
            label=gettext_lazy("Thay thế bằng văn bản khác"),
            service="resolutions.services.document_supersede",
        ),
        Transition(
            "expire", DocumentStatus.ISSUED, DocumentStatus.EXPIRED, who=DOCUMENT_EDITOR,
            label=gettext_lazy("Hết hiệu lực"), service="resolutions.services.document_update",
        ),
    ],
)  # fmt: skip


# The states a new document may start in: a draft, or issued (registered after the fact).
INITIAL_STATES = (DocumentStatus.DRAFT, DocumentStatus.ISSUED)


def edits_status(transition: Transition) -> bool:
    """A workflow step that :func:`document_update` performs (an edited status field)."""
    return transition.service == "resolutions.services.document_update"


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _require_unit(actor: Actor, unit: OrgUnit | None, message: str | None = None) -> None:
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


def _check_implements(actor: Actor, implements: Iterable[Document]) -> list[Document]:
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


def _check_document_access(actor: Actor, document: Document) -> None:
    if document.issuing_unit_id is None:
        if not scope.covers_a_root(actor, AREA, scope.CHANGE):
            raise _deny(_("Chỉ cán bộ cấp quận được nhập văn bản của cấp trên."))
    else:
        _require_unit(
            actor, document.issuing_unit, _("Bạn không có quyền ban hành văn bản cho đơn vị này.")
        )


@service
def document_create(
    *,
    actor: Actor,
    symbol: str,
    kind: str,
    title: str,
    signed_date: dt.date,
    issuing_unit: OrgUnit | None = None,
    issuer_name: str = "",
    summary: str = "",
    topics: list[str] | None = None,
    signer: str = "",
    status: str = DocumentStatus.ISSUED,
    implements: Iterable[Document] = (),
    reason: str = "",
) -> Document:
    """Register a document; the symbol is parsed, normalised and unique per issuer and year."""
    if status not in INITIAL_STATES:
        raise ValidationError(
            {"status": _("Văn bản mới chỉ ở trạng thái dự thảo hoặc đã ban hành.")},
            code="invalid_initial_state",
        )
    document = Document(
        symbol=symbol, kind=kind, title=title, signed_date=signed_date, issuing_unit=issuing_unit,
        issuer_name=issuer_name, summary=summary, topics=list(topics or []), signer=signer,
        status=status,
    )  # fmt: skip
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


@service
def document_update(
    *,
    actor: Actor,
    document: Document,
    symbol: str = UNSET,
    kind: str = UNSET,
    title: str = UNSET,
    signed_date: dt.date = UNSET,
    issuing_unit: OrgUnit | None = UNSET,
    issuer_name: str = UNSET,
    summary: str = UNSET,
    topics: list[str] = UNSET,
    signer: str = UNSET,
    status: str = UNSET,
    implements: Iterable[Document] | None = None,
    reason: str = "",
) -> Document:
    """Change a document (arguments not given keep their values; a status move follows the
    workflow table)."""
    fields = given(
        symbol=symbol, kind=kind, title=title, signed_date=signed_date,
        issuing_unit=issuing_unit, issuer_name=issuer_name, summary=summary, topics=topics,
        signer=signer, status=status,
    )  # fmt: skip
    _check_document_access(actor, document)
    new_status = fields.pop("status", document.status)
    if new_status != document.status:
        # Only the moves this service performs: superseding needs its successor
        # (document_supersede), so a status field cannot take that step around it.
        DOCUMENT_WORKFLOW.check_move(actor, document, new_status, only=edits_status)
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


@service
def document_supersede(
    *, actor: Actor, document: Document, by: Document, reason: str = ""
) -> Document:
    _check_document_access(actor, document)
    DOCUMENT_WORKFLOW.check(actor, document, "supersede")
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


def _check_cascade(
    *, document: Document, units: list[OrgUnit], parent: Task, deadline: dt.date
) -> None:
    """A sub-task: the same document, a unit below the parent's, a deadline not after its."""
    if parent.document_id != document.pk:
        raise ValidationError({"parent": _("Nhiệm vụ cấp trên phải thuộc cùng văn bản.")})
    strays = [
        u.name for u in units if not u.path.startswith(parent.unit.path) or u.pk == parent.unit_id
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


# Who hears of a new task: the secretary of the unit it is assigned to (of the ward above
# it, for a party cell). A whole import tells each unit once.
TASK_NOTIFIED_ROLES = (Role.WARD_SECRETARY,)


def _announce_tasks(actor: Actor, tasks: list[Task]) -> None:
    """Tell the secretaries of the units given new tasks, one notice per unit, after commit."""
    by_unit: dict[int, list[Task]] = {}
    for task in tasks:
        by_unit.setdefault(task.unit_id, []).append(task)
    notices = []
    for group in by_unit.values():
        first, unit = group[0], group[0].unit
        pks = sorted(t.pk for t in group)
        facts = {
            "unit": unit.name,
            "symbol": first.document.symbol,
            "deadline": min(t.deadline for t in group).strftime("%d/%m/%Y"),
            "count": len(group),
        }
        if len(group) == 1:
            title = _("Nhiệm vụ mới: %(title)s") % {"title": first.title[:200]}
            body = (
                _("%(unit)s được giao nhiệm vụ theo văn bản %(symbol)s, thời hạn %(deadline)s.")
                % facts
            )
            url = first.get_absolute_url()
        else:
            title = (
                ngettext(
                    "%(count)s nhiệm vụ mới được giao cho %(unit)s",
                    "%(count)s nhiệm vụ mới được giao cho %(unit)s",
                    len(group),
                )
                % facts
            )
            body = _("Thời hạn sớm nhất: %(deadline)s. %(titles)s") % {
                **facts,
                "titles": "; ".join(t.title[:80] for t in group[:3])
                + ("…" if len(group) > 3 else ""),
            }
            url = reverse("resolutions:task_list")
        notices.append(
            Notice(
                unit=unit, key=f"task-assigned:{unit.pk}:{pks[0]}-{pks[-1]}", title=title,
                body=body, url=url,
            )
        )  # fmt: skip
    notify_unit_holders(notices=notices, roles=TASK_NOTIFIED_ROLES, exclude=[actor])


@service
def task_assign(
    *,
    actor: Actor,
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
        _check_cascade(document=document, units=units, parent=parent, deadline=deadline)
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
    _announce_tasks(actor, tasks)
    # The parent keeps its reported progress until a sub-unit reports (see _roll_up).
    return tasks


@service
def task_cascade(
    *,
    actor: Actor,
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


def _roll_up(task: Task | None) -> None:
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


@service
def task_report_progress(
    *,
    actor: Actor,
    task: Task,
    progress: int,
    note: str,
    on: dt.date | None = None,
    evidence: UploadedFile | None = None,
) -> TaskUpdate:
    """Record a progress report (0–100) with its text and evidence file; 100 completes the task."""
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
    if evidence is not None:
        attachment_add(actor=actor, record=update, upload=evidence)
    return update


def task_can_edit(actor: Viewer, task: Task) -> bool:
    """The assigning side (the parent task's unit, or the document's issuer) edits a task."""
    assigner_unit = task.parent.unit if task.parent is not None else task.document.issuing_unit
    return scope.can(actor, AREA, scope.CHANGE, assigner_unit) or scope.covers_a_root(
        actor, AREA, scope.CHANGE
    )


@service
def task_update(
    *,
    actor: Actor,
    task: Task,
    title: str = UNSET,
    description: str = UNSET,
    deadline: dt.date = UNSET,
    reason: str = "",
) -> Task:
    """Change a task's title, description or deadline (with a reason, audited)."""
    fields = given(title=title, description=description, deadline=deadline)
    if not task_can_edit(actor, task):
        raise _deny(_("Chỉ đơn vị giao nhiệm vụ được sửa nội dung, thời hạn."))
    for name, value in fields.items():
        setattr(task, name, value)
    _validate_task(document=task.document, deadline=task.deadline, title=task.title)
    with audited(actor=actor, reason=reason):
        task.save()
    return task


IMPORT_NOTE = gettext_lazy("Cập nhật từ tệp nhập.")


@service
def task_import_progress(
    *, actor: Actor, task: Task, progress: int | None, status: str, completed_on: dt.date | None
) -> Task:
    """Bring a task to the progress a file row records, as a progress report would.

    The row's status and completion date must agree with its progress (0 is not started,
    100 is done and needs its date); the report rolls up to the parent task.
    """
    _check_import_progress(progress=progress, status=status, completed_on=completed_on)
    if progress == task.progress and (
        status != TaskStatus.DONE or completed_on == task.completed_on
    ):
        return task
    if status == TaskStatus.DONE and completed_on != task.completed_on:
        task.completed_on = None  # the report sets the date the row gives
    # _check_import_progress has refused a missing progress.
    task_report_progress(
        actor=actor, task=task, progress=cast(int, progress), note=str(IMPORT_NOTE),
        on=completed_on if status == TaskStatus.DONE else None,
    )  # fmt: skip
    return task


@service
def task_import_many(
    *, actor: Actor, rows: list[dict[str, Any]], reason: str = ""
) -> list[ValidationError | None]:
    """Create many tasks from a file at once, each as :func:`task_assign` (one unit) followed
    by :func:`task_import_progress` would; all of them or none.

    The same checks, set-based: the documents readable by the actor in one query, the units'
    scope from the actor's grants, the parents in one query; then one insert of the tasks,
    one of their progress reports, one update of their progress and one insert of each kind
    of audit row. A parent task whose new sub-units reported progress is rolled up once,
    from all of its sub-units, after the file. Returns each row's error (None where fine).
    """
    errors: list[ValidationError | None] = [None] * len(rows)
    readable = set(
        Document.objects.restrict(actor)
        .filter(pk__in={r["document"].pk for r in rows if r.get("document")})
        .values_list("pk", flat=True)
    )
    parent_ids = {r["parent"].pk for r in rows if r.get("parent")}
    parents = {t.pk: t for t in Task.objects.select_related("unit").filter(pk__in=parent_ids)}
    tasks: list[Task] = []
    reports: list[tuple[Task, int, dt.date | None]] = []
    for index, values in enumerate(rows):
        document, unit, parent = values.get("document"), values.get("unit"), values.get("parent")
        deadline, title = values.get("deadline"), (values.get("title") or "")
        progress, status = values.get("progress"), values.get("status")
        completed_on = values.get("completed_on")
        try:
            if unit is None:
                raise ValidationError({"units": _("Hãy chọn ít nhất một đơn vị chủ trì.")})
            if document is None or document.pk not in readable:
                raise _deny(_("Bạn không có quyền xem văn bản này."))
            if not scope.can(actor, AREA, scope.CHANGE, unit):
                raise _deny(
                    _("Không thể giao nhiệm vụ cho đơn vị ngoài phạm vi của bạn: %(units)s.")
                    % {"units": unit.name}
                )
            if deadline is None:
                raise ValidationError({"deadline": _("Hãy ghi thời hạn.")})
            _validate_task(document=document, deadline=deadline, title=title)
            if parent is not None:
                parent = parents[parent.pk]
                _check_cascade(document=document, units=[unit], parent=parent, deadline=deadline)
            task = Task(
                document=document, parent=parent, title=title.strip(),
                description=values.get("description") or "", unit=unit, deadline=deadline,
                assigned_by=actor,
            )  # fmt: skip
            task.full_clean(
                exclude=["document", "parent", "unit", "assigned_by", "source_briefing_issue"],
                validate_unique=False, validate_constraints=False,
            )  # fmt: skip
            _check_import_progress(progress=progress, status=status, completed_on=completed_on)
        except PermissionDenied as denied:
            errors[index] = ValidationError({NON_FIELD_ERRORS: [str(denied)]})
            continue
        except ValidationError as error:
            errors[index] = error
            continue
        tasks.append(task)
        if progress:
            reports.append((task, progress, completed_on if status == TaskStatus.DONE else None))
    if any(errors):
        return errors
    today = timezone.localdate()
    # As assigned (0 %), for the "created" audit rows; then as the progress report leaves it.
    assigned = []
    for task in tasks:
        task.title_folded = fold(task.title)[:500]
        assigned.append(copy.copy(task))
    updates = []
    for task, progress, on in reports:
        update = TaskUpdate(task=task, progress=progress, note=str(IMPORT_NOTE), reported_by=actor)
        if on is not None and on < today:
            update.reported_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
        updates.append(update)
        task.progress, task.status = progress, _status_for(progress)
        task.completed_on = (on or today) if task.status == TaskStatus.DONE else None
    with audited(actor=actor, reason=reason):
        bulk.insert(tasks)
        for before, task in zip(assigned, tasks, strict=True):
            before.pk, before.created_at = task.pk, task.created_at
        log_created_in_bulk(assigned)
        bulk.insert(updates)
        log_created_in_bulk(updates)
        reported = {task.pk for task, _p, _o in reports}
        log_updated_in_bulk(
            [(b, t) for b, t in zip(assigned, tasks, strict=True) if t.pk in reported]
        )
        for parent_id in sorted({t.parent_id for t, _p, _o in reports if t.parent_id}):
            _roll_up(parents[parent_id])
    _announce_tasks(actor, tasks)
    return errors


def _check_import_progress(
    *, progress: int | None, status: str | None, completed_on: dt.date | None
) -> None:
    errors: dict[str, list[str]] = {}
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = [_("Tiến độ phải từ 0 đến 100%.")]
    elif status != _status_for(progress):
        errors["status"] = [
            _("Trạng thái không khớp với tiến độ: 0 là chưa thực hiện, 100 là hoàn thành.")
        ]
    elif status == TaskStatus.DONE and not completed_on:
        errors["completed_on"] = [_("Nhiệm vụ hoàn thành phải có ngày hoàn thành.")]
    if errors:
        raise ValidationError(errors)


def _require_readable_issued(actor: Actor, document: Document) -> None:
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


@service
def conference_record(
    *,
    actor: Actor,
    document: Document,
    unit: OrgUnit,
    held_on: dt.date,
    expected_attendees: int,
    present_attendees: int,
    learning_reports: int = 0,
    missing_reports_note: str = "",
    reason: str = "",
) -> Conference:
    """Record a study conference held by ``unit`` on ``document``."""
    _require_unit(actor, unit)
    _require_readable_issued(actor, document)
    conference = Conference(
        document=document, unit=unit, held_on=held_on, expected_attendees=expected_attendees,
        present_attendees=present_attendees, learning_reports=learning_reports,
        missing_reports_note=missing_reports_note,
    )  # fmt: skip
    _check_conference(conference)
    conference.full_clean()
    with audited(actor=actor, reason=reason):
        conference.save()
    return conference


@service
def conference_update(
    *,
    actor: Actor,
    conference: Conference,
    unit: OrgUnit = UNSET,
    held_on: dt.date = UNSET,
    expected_attendees: int = UNSET,
    present_attendees: int = UNSET,
    learning_reports: int = UNSET,
    missing_reports_note: str = UNSET,
    reason: str = "",
) -> Conference:
    """Correct a conference's record (arguments not given keep their values)."""
    fields = given(
        unit=unit, held_on=held_on, expected_attendees=expected_attendees,
        present_attendees=present_attendees, learning_reports=learning_reports,
        missing_reports_note=missing_reports_note,
    )  # fmt: skip
    _require_unit(actor, conference.unit)
    for name, value in fields.items():
        setattr(conference, name, value)
    _require_unit(actor, conference.unit)
    _check_conference(conference)
    conference.full_clean()
    with audited(actor=actor, reason=reason):
        conference.save()
    return conference


@service
def review_record(
    *,
    actor: Actor,
    document: Document,
    unit: OrgUnit,
    kind: str,
    held_on: dt.date,
    level: str,
    outcome: str,
    file: UploadedFile | None = None,
) -> Review:
    """Record an interim or final review of a document, with its file."""
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
    if file is not None:
        attachment_add(actor=actor, record=review, upload=file)
    return review


@service
def briefing_record(
    *,
    actor: Actor,
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


@service
def briefing_issue_add(
    *,
    actor: Actor,
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


@service
def briefing_issue_to_task(
    *,
    actor: Actor,
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
