"""Pages of the resolutions app: registers, a document's timeline, tasks, the overdue board."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from longbien import periods
from longbien.attachments.selectors import attachments_for, attachments_for_many
from longbien.audit import entries_for
from longbien.core.forms import add_service_errors
from longbien.core.generic import ScopedDetailView, ScopedListView, ServiceFormView
from longbien.core.tables import BulkAction
from longbien.org import scope

from . import filters, selectors, services, tables
from .choices import DocumentStatus
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
from .models import Briefing, BriefingIssue, Conference, Document, Task

AREA = scope.Area.RESOLUTIONS


def _need(user, action: str = scope.VIEW) -> None:
    scope.require_area(user, AREA, action)


def _get(getter, user, pk):
    _need(user)
    try:
        return getter(user=user, pk=pk)
    except (Document.DoesNotExist, Task.DoesNotExist, Conference.DoesNotExist) as exc:
        raise Http404 from exc


class _Form(ServiceFormView):
    """A form page of the resolutions app: one service; its refusal of the actor is a 403."""

    area = AREA
    template_name = "resolutions/form.html"
    catch_denied = False


class _DocumentPage(_Form):
    """A form on one document (404 outside the scope), for users who may change the area."""

    model = Document
    action = scope.VIEW
    edits_object = True
    selector = selectors.document_get

    def may_change(self) -> bool:
        _need(self.request.user, scope.CHANGE)
        return True


class DocumentListView(ScopedListView):
    model = Document
    selector = selectors.document_list
    filterset_class = filters.DocumentFilterSet
    table_class = tables.DocumentTable
    template_name = "resolutions/document_list.html"
    paginate_by = 30
    register = "documents"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_add = scope.has_area(self.request.user, AREA, scope.CHANGE)
        return {**super().get_context_data(**kwargs), "can_add": can_add}


document_list = DocumentListView.as_view()


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


class DocumentCreateView(_Form):
    form_class = DocumentForm
    title = gettext_lazy("Thêm văn bản")
    cancel_url = "resolutions:document_list"

    # The unit picked in the header is not put in the issuing unit: it is chosen on purpose.

    def perform(self, form: Any) -> Document:
        return services.document_create(
            actor=self.request.user,
            implements=form.cleaned_data["implements"],
            reason=form.cleaned_data["reason"],
            **form.service_fields(),
        )

    def get_success_message(self, result: Document, form: Any) -> str:
        return _("Đã ghi văn bản %(symbol)s.") % {"symbol": result.symbol}


class DocumentUpdateView(_DocumentPage):
    form_class = DocumentForm
    denied_message = gettext_lazy("Bạn không có quyền sửa văn bản này.")

    def may_change(self) -> bool:
        return self.object.scope_allows(self.request.user, scope.CHANGE)

    def get_initial(self) -> dict[str, Any]:
        document = self.object
        return {
            "symbol": document.symbol, "kind": document.kind, "issuing_unit": document.issuing_unit,
            "issuer_name": document.issuer_name, "title": document.title, "summary": document.summary,
            "topics": ", ".join(document.topics), "signed_date": document.signed_date, "signer": document.signer,
            "status": document.status, "implements": document.implements.all(),
        }  # fmt: skip

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        # The status offers the current state and the moves the workflow table leaves this user.
        document = self.object
        moves = {
            t.target
            for t in services.DOCUMENT_WORKFLOW.available(self.request.user, document)
            if services.edits_status(t)
        }
        form.fields["status"].choices = [
            (value, label) for value, label in DocumentStatus.choices
            if value == document.status or value in moves
        ]  # fmt: skip
        return form

    def get_title(self) -> str:
        return _("Sửa văn bản %(symbol)s") % {"symbol": self.object.symbol}

    def perform(self, form: Any) -> Any:
        return services.document_update(
            actor=self.request.user, document=self.object, implements=form.cleaned_data["implements"],
            reason=form.cleaned_data["reason"], **form.service_fields(),
        )  # fmt: skip


class TaskAssignView(_DocumentPage):
    """Assign a document's tasks to units, or (``?parent=``) pass a task down the tree."""

    form_class = TaskAssignForm
    submit_label = gettext_lazy("Giao nhiệm vụ")
    parent: Task | None = None

    def may_change(self) -> bool:
        super().may_change()
        if self.request.GET.get("parent", "").isdigit():
            self.parent = _get(
                selectors.task_get, self.request.user, int(self.request.GET["parent"])
            )
        return True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "within": self.parent.unit if self.parent else None}

    def get_initial(self) -> dict[str, Any]:
        parent = self.parent
        return {
            "title": parent.title if parent else "",
            "deadline": parent.deadline if parent else None,
        }

    def get_title(self) -> str:
        if self.parent:
            return _("Phân giao nhiệm vụ cho đơn vị trực thuộc")
        return _("Giao nhiệm vụ thực hiện %(symbol)s") % {"symbol": self.object.symbol}

    def perform(self, form: Any) -> list[Task]:
        if self.parent is not None:
            return services.task_cascade(
                actor=self.request.user, task=self.parent, units=form.cleaned_data["units"],
                deadline=form.cleaned_data["deadline"], title=form.cleaned_data["title"],
            )  # fmt: skip
        return services.task_assign(
            actor=self.request.user, document=self.object, **form.cleaned_data
        )

    def get_success_message(self, result: list[Task], form: Any) -> str:
        return ngettext(
            "Đã giao %(count)s nhiệm vụ.", "Đã giao %(count)s nhiệm vụ.", len(result)
        ) % {"count": len(result)}

    def get_success_url(self, result: Any = None) -> str:
        return (self.parent or self.object).get_absolute_url()


document_create = DocumentCreateView.as_view()
document_update = DocumentUpdateView.as_view()
task_assign = TaskAssignView.as_view()


def _report_done(user: Any, task: Task, note: str) -> Any:
    return services.task_report_progress(actor=user, task=task, progress=100, note=note)


class TaskListView(ScopedListView):
    model = Task
    area = AREA
    selector = selectors.task_list
    filterset_class = filters.TaskFilterSet
    table_class = tables.TaskTable
    template_name = "resolutions/task_list.html"
    register = "tasks"
    bulk_actions = (
        BulkAction(
            "complete",
            gettext_lazy("Báo hoàn thành"),
            _report_done,
            done=ngettext_lazy(
                "Đã báo hoàn thành %(count)s nhiệm vụ.",
                "Đã báo hoàn thành %(count)s nhiệm vụ.",
                "count",
            ),
            note=True,
        ),
    )

    def bulk_queryset(self) -> Any:
        return selectors.task_list(user=self.request.user)


task_list = TaskListView.as_view()


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
                services.task_report_progress(
                    actor=request.user,
                    task=task,
                    progress=form.cleaned_data["progress"],
                    note=form.cleaned_data["note"],
                    evidence=form.cleaned_data["evidence"] or None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã ghi báo cáo tiến độ."))
                return redirect(task)
    updates = list(selectors.task_updates(task=task))
    evidence = attachments_for_many(user=request.user, objs=updates)
    for update in updates:
        update.evidence = evidence[update.pk]
    return render(
        request,
        "resolutions/task_detail.html",
        {
            "task": task,
            "form": form,
            "updates": updates,
            "children": selectors.task_list(user=request.user).filter(parent=task),
            "can_report": can_report and not has_children,
            "can_cascade": can_report and task.unit.children.exists(),
            "can_edit": services.task_can_edit(request.user, task),
            "audit_entries": entries_for(task, limit=30),
            "today": timezone.localdate(),
        },
    )


class TaskEditView(_Form):
    model = Task
    action = scope.VIEW
    edits_object = True
    selector = selectors.task_get
    form_class = TaskEditForm
    form_takes_user = False
    title = gettext_lazy("Sửa nhiệm vụ")
    denied_message = gettext_lazy("Chỉ đơn vị giao nhiệm vụ được sửa nội dung, thời hạn.")

    def may_change(self) -> bool:
        return services.task_can_edit(self.request.user, self.object)

    def get_initial(self) -> dict[str, Any]:
        task = self.object
        return {"title": task.title, "description": task.description, "deadline": task.deadline}

    def perform(self, form: Any) -> Any:
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        return services.task_update(
            actor=self.request.user, task=self.object, reason=reason, **data
        )


task_edit = TaskEditView.as_view()


@login_required
def overdue_board(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    groups = selectors.overdue_board(user=request.user, within=request.current_unit)
    return render(
        request,
        "resolutions/overdue_board.html",
        {"groups": groups, "total": sum(len(g["tasks"]) for g in groups)},
    )


def _year_filter(request: HttpRequest) -> int | None:
    """The year filter of a list page (none by default); an invalid one is said, not dropped."""
    values, errors = periods.numbers_from_query(request.GET, "year")
    for message in errors:
        messages.error(request, message)
    return values["year"]


class ConferenceListView(ScopedListView):
    model = Conference
    area = AREA
    selector = selectors.conference_list
    filterset_class = filters.ConferenceFilterSet
    table_class = tables.ConferenceTable
    template_name = "resolutions/conference_list.html"
    register = "conferences"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request = self.request
        document = None
        if request.GET.get("document", "").isdigit():
            document = _get(selectors.document_get, request.user, int(request.GET["document"]))
        return {
            **super().get_context_data(**kwargs),
            "document": document,
            "totals": selectors.conference_totals(self.object_list),
            "can_add": scope.has_area(request.user, AREA, scope.CHANGE),
        }


conference_list = ConferenceListView.as_view()


class ConferenceCreateView(_Form):
    form_class = ConferenceForm
    title = gettext_lazy("Ghi hội nghị học tập, quán triệt")
    cancel_url = "resolutions:conference_list"
    success_message = gettext_lazy("Đã ghi hội nghị học tập.")

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.request.current_unit, "document": self.request.GET.get("document")}

    def perform(self, form: Any) -> Conference:
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"document", "unit"}}
        return services.conference_record(
            actor=self.request.user,
            document=form.cleaned_data["document"],
            unit=form.cleaned_data["unit"],
            **data,
        )

    def get_success_url(self, result: Any = None) -> str:
        document = self.form.cleaned_data["document"]
        return reverse("resolutions:conference_list") + f"?document={document.pk}"


conference_create = ConferenceCreateView.as_view()


@login_required
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request.user, pk)
    _need(request.user, scope.CHANGE)
    form = ReviewForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services.review_record(
                actor=request.user, document=document, file=upload or None, **data
            )
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


class BriefingListView(ScopedListView):
    model = Briefing
    selector = selectors.briefing_list
    filterset_class = filters.BriefingFilterSet
    table_class = tables.BriefingTable
    template_name = "resolutions/briefing_list.html"
    paginate_by = 30

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_add = scope.has_area(self.request.user, AREA, scope.CHANGE)
        return {**super().get_context_data(**kwargs), "can_add": can_add}


briefing_list = BriefingListView.as_view()


class BriefingCreateView(_Form):
    form_class = BriefingForm
    title = gettext_lazy("Ghi buổi giao ban")
    cancel_url = "resolutions:briefing_list"
    success_message = gettext_lazy("Đã ghi buổi giao ban.")

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.request.current_unit}

    def perform(self, form: Any) -> Any:
        data = {k: v for k, v in form.cleaned_data.items() if k != "issues"}
        return services.briefing_record(actor=self.request.user, issues=form.issue_rows(), **data)


briefing_create = BriefingCreateView.as_view()


class BriefingDetailView(ScopedDetailView):
    model = Briefing
    selector = selectors.briefing_get
    template_name = "resolutions/briefing_detail.html"
    history_limit = 30

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_change = scope.can(self.request.user, AREA, scope.CHANGE, self.object.unit)
        return {**super().get_context_data(**kwargs), "can_change": can_change}


briefing_detail = BriefingDetailView.as_view()


class BriefingIssueTaskView(_Form):
    """Turn a briefing's conclusion into a task (the issue found among those it may change)."""

    model = BriefingIssue
    edits_object = True
    form_class = IssueToTaskForm
    title = gettext_lazy("Giao nhiệm vụ từ kết luận giao ban")
    success_message = gettext_lazy("Đã chuyển kết luận thành nhiệm vụ.")

    def get_scoped_queryset(self) -> Any:
        issues = BriefingIssue.objects.restrict(self.request.user, scope.CHANGE)
        return issues.select_related("briefing")

    def may_change(self) -> bool:
        return True  # found among the issues the user may change

    def get_initial(self) -> dict[str, Any]:
        return {"title": self.object.conclusion or self.object.text}

    def get_cancel_url(self) -> str:
        return self.object.briefing.get_absolute_url()

    def get_success_url(self, result: Any = None) -> str:
        return self.object.briefing.get_absolute_url()

    def perform(self, form: Any) -> Any:
        return services.briefing_issue_to_task(
            actor=self.request.user, issue=self.object, **form.cleaned_data
        )


briefing_issue_task = BriefingIssueTaskView.as_view()
