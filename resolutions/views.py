"""Pages of the resolutions app: registers, a document's timeline, tasks, the overdue board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.attachments.selectors import attachments_for
from longbien.attachments.services import attachment_add
from longbien.audit import entries_for
from longbien.core.forms import add_service_errors
from longbien.org import scope

from . import selectors, services
from .choices import DocumentKind, DocumentStatus, IssuerLevel, TaskStatus
from .forms import (
    BriefingForm,
    ConferenceForm,
    DocumentForm,
    IssueToTaskForm,
    ProgressForm,
    ReviewForm,
    TaskAssignForm,
    TaskEditForm,
)
from .models import BriefingIssue, Conference, Document, Task

AREA = scope.Area.RESOLUTIONS


def _need(user, action: str = scope.VIEW) -> None:
    scope.require_area(user, AREA, action)


def _get(getter, user, pk):
    _need(user)
    try:
        return getter(user=user, pk=pk)
    except (Document.DoesNotExist, Task.DoesNotExist, Conference.DoesNotExist) as exc:
        raise Http404 from exc


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    year = request.GET.get("year", "")
    documents = selectors.document_list(
        user=request.user,
        query=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        issuer=request.GET.get("issuer", ""),
        year=int(year) if year.isdigit() else None,
        status=request.GET.get("status", ""),
        level=request.GET.get("level", ""),
    )
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "resolutions/document_list.html",
        {
            "page_obj": page,
            "kinds": DocumentKind.choices,
            "statuses": DocumentStatus.choices,
            "levels": IssuerLevel.choices,
            "years": selectors.document_years(user=request.user),
            "can_add": scope.has_area(request.user, AREA, scope.CHANGE),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request.user, pk)
    tasks = selectors.task_list(user=request.user, document=document)
    return render(
        request,
        "resolutions/document_detail.html",
        {
            "document": document,
            "tasks": tasks,
            "timeline": selectors.document_timeline(user=request.user, document=document),
            "implements": document.implements.restrict(request.user),
            "implemented_by": document.implemented_by.restrict(request.user),
            "conference_totals": selectors.conference_totals(
                selectors.conference_list(user=request.user, document=document)
            ),
            "audit_entries": entries_for(document),
            "attachments": attachments_for(user=request.user, obj=document),
            "can_change": document.scope_allows(request.user, scope.CHANGE),
            "can_assign": scope.has_area(request.user, AREA, scope.CHANGE)
            and document.status == DocumentStatus.ISSUED,
            "today": timezone.localdate(),
        },
    )


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.CHANGE)
    form = DocumentForm(
        request.POST or None, user=request.user, initial={"issuing_unit": request.current_unit}
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                actor=request.user,
                implements=form.cleaned_data["implements"],
                reason=form.cleaned_data["reason"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi văn bản %(symbol)s.") % {"symbol": document.symbol})
            return redirect(document)
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": _("Thêm văn bản"),
            "cancel_url": reverse("resolutions:document_list"),
        },
    )


@login_required
def document_update(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request.user, pk)
    if not document.scope_allows(request.user, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền sửa văn bản này."))
    initial = {
        "symbol": document.symbol, "kind": document.kind, "issuing_unit": document.issuing_unit,
        "issuer_name": document.issuer_name, "title": document.title, "summary": document.summary,
        "topics": ", ".join(document.topics), "signed_date": document.signed_date, "signer": document.signer,
        "status": document.status, "implements": document.implements.all(),
    }  # fmt: skip
    form = DocumentForm(request.POST or None, user=request.user, initial=initial)
    # The status offers the current state and the moves the workflow table leaves this user.
    moves = {t.target for t in services.DOCUMENT_WORKFLOW.available(request.user, document)}
    form.fields["status"].choices = [
        (value, label) for value, label in DocumentStatus.choices
        if value == document.status or value in moves
    ]  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=request.user, document=document, implements=form.cleaned_data["implements"],
                reason=form.cleaned_data["reason"], **form.service_fields(),
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(document)
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": _("Sửa văn bản %(symbol)s") % {"symbol": document.symbol},
            "cancel_url": document.get_absolute_url(),
        },
    )


@login_required
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request.user, pk)
    _need(request.user, scope.CHANGE)
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = _get(selectors.task_get, request.user, int(request.GET["parent"]))
    form = TaskAssignForm(
        request.POST or None, user=request.user, within=parent.unit if parent else None,
        initial={"title": parent.title if parent else "", "deadline": parent.deadline if parent else None},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            if parent is not None:
                tasks = services.task_cascade(
                    actor=request.user, task=parent, units=form.cleaned_data["units"],
                    deadline=form.cleaned_data["deadline"], title=form.cleaned_data["title"],
                )  # fmt: skip
            else:
                tasks = services.task_assign(
                    actor=request.user, document=document, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã giao %(count)s nhiệm vụ.") % {"count": len(tasks)})
            return redirect(parent or document)
    title = (
        _("Phân giao nhiệm vụ cho đơn vị trực thuộc")
        if parent
        else _("Giao nhiệm vụ thực hiện %(symbol)s") % {"symbol": document.symbol}
    )
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": document.get_absolute_url(),
            "submit_label": _("Giao nhiệm vụ"),
        },
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    tasks = selectors.task_list(
        user=request.user,
        within=request.current_unit,
        status=request.GET.get("status", ""),
        overdue=request.GET.get("overdue") == "1",
        query=request.GET.get("q", ""),
    )
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "resolutions/task_list.html",
        {"page_obj": page, "statuses": TaskStatus.choices, "today": timezone.localdate()},
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(selectors.task_get, request.user, pk)
    can_report = scope.can(request.user, AREA, scope.CHANGE, task.unit)
    has_children = task.children.exists()
    form = ProgressForm(
        request.POST or None, request.FILES or None, initial={"progress": task.progress}
    )
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied(_("Bạn không có quyền báo cáo tiến độ nhiệm vụ này."))
        if form.is_valid():
            try:
                with transaction.atomic():
                    update = services.task_report_progress(
                        actor=request.user,
                        task=task,
                        progress=form.cleaned_data["progress"],
                        note=form.cleaned_data["note"],
                    )
                    if form.cleaned_data["evidence"]:
                        attachment_add(
                            actor=request.user, record=update, upload=form.cleaned_data["evidence"]
                        )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã ghi báo cáo tiến độ."))
                return redirect(task)
    updates = list(selectors.task_updates(task=task))
    return render(
        request,
        "resolutions/task_detail.html",
        {
            "task": task,
            "form": form,
            "updates": updates,
            "evidence": {u.pk: attachments_for(user=request.user, obj=u) for u in updates},
            "children": selectors.task_list(user=request.user).filter(parent=task),
            "can_report": can_report and not has_children,
            "can_cascade": can_report and task.unit.children.exists(),
            "can_edit": services.task_can_edit(request.user, task),
            "audit_entries": entries_for(task, limit=30),
            "today": timezone.localdate(),
        },
    )


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(selectors.task_get, request.user, pk)
    if not services.task_can_edit(request.user, task):
        raise PermissionDenied(_("Chỉ đơn vị giao nhiệm vụ được sửa nội dung, thời hạn."))
    form = TaskEditForm(
        request.POST or None,
        initial={"title": task.title, "description": task.description, "deadline": task.deadline},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.task_update(actor=request.user, task=task, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(task)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "title": _("Sửa nhiệm vụ"), "cancel_url": task.get_absolute_url()},
    )


@login_required
def overdue_board(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    groups = selectors.overdue_board(user=request.user, within=request.current_unit)
    return render(
        request,
        "resolutions/overdue_board.html",
        {"groups": groups, "total": sum(len(g["tasks"]) for g in groups)},
    )


@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    document = None
    if request.GET.get("document", "").isdigit():
        document = _get(selectors.document_get, request.user, int(request.GET["document"]))
    year = request.GET.get("year", "")
    conferences = selectors.conference_list(
        user=request.user,
        document=document,
        within=request.current_unit,
        year=int(year) if year.isdigit() else None,
    )
    page = Paginator(conferences, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "resolutions/conference_list.html",
        {
            "page_obj": page,
            "document": document,
            "totals": selectors.conference_totals(conferences),
            "can_add": scope.has_area(request.user, AREA, scope.CHANGE),
        },
    )


@login_required
def conference_create(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.CHANGE)
    initial = {"unit": request.current_unit, "document": request.GET.get("document")}
    form = ConferenceForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"document", "unit"}}
        try:
            services.conference_record(
                actor=request.user,
                document=form.cleaned_data["document"],
                unit=form.cleaned_data["unit"],
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hội nghị học tập."))
            return redirect(
                reverse("resolutions:conference_list")
                + f"?document={form.cleaned_data['document'].pk}"
            )
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": _("Ghi hội nghị học tập, quán triệt"),
            "cancel_url": reverse("resolutions:conference_list"),
        },
    )


@login_required
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request.user, pk)
    _need(request.user, scope.CHANGE)
    form = ReviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            with transaction.atomic():
                review = services.review_record(actor=request.user, document=document, **data)
                if upload:
                    attachment_add(actor=request.user, record=review, upload=upload)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi sơ kết, tổng kết."))
            return redirect(document)
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": _("Sơ kết, tổng kết %(symbol)s") % {"symbol": document.symbol},
            "cancel_url": document.get_absolute_url(),
        },
    )


@login_required
def briefing_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    page = Paginator(
        selectors.briefing_list(user=request.user, within=request.current_unit), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "resolutions/briefing_list.html",
        {"page_obj": page, "can_add": scope.has_area(request.user, AREA, scope.CHANGE)},
    )


@login_required
def briefing_create(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.CHANGE)
    form = BriefingForm(
        request.POST or None, user=request.user, initial={"unit": request.current_unit}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "issues"}
        try:
            briefing = services.briefing_record(
                actor=request.user, issues=form.issue_rows(), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi buổi giao ban."))
            return redirect(briefing)
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": _("Ghi buổi giao ban"),
            "cancel_url": reverse("resolutions:briefing_list"),
        },
    )


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request.user)
    try:
        briefing = selectors.briefing_get(user=request.user, pk=pk)
    except Exception as exc:  # noqa: BLE001
        raise Http404 from exc
    return render(
        request,
        "resolutions/briefing_detail.html",
        {
            "briefing": briefing,
            "can_change": scope.can(request.user, AREA, scope.CHANGE, briefing.unit),
            "audit_entries": entries_for(briefing, limit=30),
        },
    )


@login_required
def briefing_issue_task(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request.user, scope.CHANGE)
    issue = (
        BriefingIssue.objects.restrict(request.user, scope.CHANGE)
        .select_related("briefing")
        .filter(pk=pk)
        .first()
    )
    if issue is None:
        raise Http404
    form = IssueToTaskForm(
        request.POST or None, user=request.user, initial={"title": issue.conclusion or issue.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.briefing_issue_to_task(actor=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã chuyển kết luận thành nhiệm vụ."))
            return redirect(issue.briefing)
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "title": _("Giao nhiệm vụ từ kết luận giao ban"),
            "cancel_url": issue.briefing.get_absolute_url(),
        },
    )
