"""The confidential cases (denunciations and disciplinary complaints): the register, the
record with its time limit, extensions and steps, the time limits and the log of reads.

Only the inspection role reaches these pages; everyone else (a superuser too) gets the 404
page, so that a case's existence is not disclosed. The kernel records every read
(``longbien.confidential``): the list and detail bases, the step pages and the files.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien import confidential, deadlines
from longbien.core.forms import add_service_errors
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    WorkflowActionView,
    WorkflowFormView,
)
from longbien.org import scope

from .. import services
from ..choices import CASE_SETTLED, CaseKind, CaseLevel
from ..filters.cases import CaseFilterSet
from ..forms.cases import (
    IDENTITY_NOTE,
    CaseConcludeForm,
    CaseExtendForm,
    CaseForm,
    CaseUpdateForm,
    TimeLimitForm,
)
from ..models import Case, Discipline
from ..tables.cases import CaseTable
from ..workflows import CASE_WORKFLOW

Area = scope.Area


def _admitted_or_404(user: Any, action: str = scope.VIEW) -> None:
    """Nobody but the confidential area's role learns that these pages exist."""
    if not scope.has_area(user, Area.CONFIDENTIAL, action):
        raise Http404


class _CaseGate:
    """The 404 (not the 403) for everyone outside the confidential area."""

    area = None
    request: HttpRequest

    def check_area(self) -> None:
        _admitted_or_404(self.request.user)


class _CaseObject(_CaseGate):
    model = Case
    kwargs: dict[str, Any]

    def get_scoped_queryset(self) -> Any:
        return Case.objects.restrict(self.request.user).select_related(
            "unit", "person", "handling_body"
        )


# --- The register ------------------------------------------------------------------------------


class CaseListView(_CaseGate, ScopedListView):
    model = Case
    filterset_class = CaseFilterSet
    table_class = CaseTable
    template_name = "inspections/case_list.html"
    paginate_by = 50
    register = "cases"  # exported for the inspection role only, each export recorded

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "can_add": scope.has_area(user, Area.CONFIDENTIAL, scope.CHANGE),
            "is_head": confidential.heads_committee(user),
        }


case_list = CaseListView.as_view()


# --- The record --------------------------------------------------------------------------------


def time_limit_figures(case: Case, today: Any = None) -> dict[str, Any]:
    """The case's time limit as its page shows it: due date, days left or days overdue."""
    today = today or timezone.localdate()
    settled = case.status in CASE_SETTLED
    effective = deadlines.effective_deadline(case.due_on)
    overdue = deadlines.days_overdue(case.due_on, today, done=settled)
    left = 0 if settled or overdue else (effective - today).days
    return {"due_on": case.due_on, "effective": effective, "settled": settled,
            "days_overdue": overdue, "days_left": left}  # fmt: skip


class CaseDetailView(_CaseObject, ScopedDetailView):
    template_name = "inspections/case_detail.html"
    context_object_name = "case"
    attachments = True
    workflow = CASE_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        case, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "limit": time_limit_figures(case),
            "extensions": case.extensions.select_related("extended_by"),
            "timeline": CASE_WORKFLOW.timeline(case),
            "disciplines": Discipline.objects.restrict(user)
            .filter(case=case)
            .select_related("person", "unit", "deciding_body"),
            "reads": confidential.reads_of(user, case)[:100],
            "can_change": scope.can_on(user, case, scope.CHANGE),
            "can_extend": scope.can_on(user, case, scope.CHANGE)
            and case.status not in CASE_SETTLED,
        }


case_detail = CaseDetailView.as_view()


# --- Forms -------------------------------------------------------------------------------------


class _CaseForm(_CaseGate, ServiceFormView):
    template_name = "inspections/case_form.html"

    def check_area(self) -> None:
        _admitted_or_404(self.request.user, scope.CHANGE)

    def get_extra_context(self) -> dict[str, Any]:
        return {"identity_note": IDENTITY_NOTE, "case": self.object}


class CaseCreateView(_CaseForm):
    form_class = CaseForm
    title = gettext_lazy("Tiếp nhận đơn tố cáo, khiếu nại")
    cancel_url = "inspections:case_list"
    submit_label = gettext_lazy("Tiếp nhận")

    def perform(self, form: Any) -> Case:
        return services.case_receive(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Case, form: Any) -> str:
        return _("Đã tiếp nhận đơn, hồ sơ giấy số %(ref)s; hạn giải quyết %(day)s.") % {
            "ref": result.paper_reference,
            "day": result.due_on.strftime("%d/%m/%Y"),
        }


case_create = CaseCreateView.as_view()


class CaseUpdateView(_CaseObject, _CaseForm):
    form_class = CaseUpdateForm
    edits_object = True
    denied_message = gettext_lazy("Bạn không có quyền sửa đơn này.")

    def get_title(self) -> str:
        return _("Sửa đơn %(case)s") % {"case": self.object}

    def get_initial(self) -> dict[str, Any]:
        case = self.object
        return {"paper_reference": case.paper_reference, "summary": case.summary,
                "handling_body": case.handling_body}  # fmt: skip

    def perform(self, form: Any) -> Case:
        return services.case_update(actor=self.request.user, case=self.object, **form.cleaned_data)


case_update = CaseUpdateView.as_view()


class CaseStepView(_CaseObject, WorkflowFormView):
    template_name = "inspections/case_form.html"
    workflow = CASE_WORKFLOW
    object_kwarg = "case"

    def get_title(self) -> str:
        return f"{self.title} – {self.object}"

    def get_extra_context(self) -> dict[str, Any]:
        return {"case": self.object}


case_conclude = CaseStepView.as_view(
    step="conclude",
    form_class=CaseConcludeForm,
    title=gettext_lazy("Kết luận đơn"),
    success_message=gettext_lazy("Đã ghi kết luận."),
    submit_label=gettext_lazy("Ghi kết luận"),
)


class CaseExtendView(_CaseObject, _CaseForm):
    form_class = CaseExtendForm
    form_takes_user = False
    edits_object = True
    title = gettext_lazy("Gia hạn giải quyết đơn")
    submit_label = gettext_lazy("Gia hạn")
    denied_message = gettext_lazy("Bạn không có quyền gia hạn đơn này.")

    def get_title(self) -> str:
        return _("Gia hạn giải quyết đơn %(case)s") % {"case": self.object}

    def perform(self, form: Any) -> Any:
        return services.case_extend(actor=self.request.user, case=self.object, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã gia hạn đến %(day)s.") % {"day": result.new_due_on.strftime("%d/%m/%Y")}

    def get_success_url(self, result: Any = None) -> str:
        return self.object.get_absolute_url()


case_extend = CaseExtendView.as_view()


class CaseActionView(_CaseObject, WorkflowActionView):
    workflow = CASE_WORKFLOW
    object_kwarg = "case"


case_accept = CaseActionView.as_view(step="accept")
case_reject = CaseActionView.as_view(step="reject")
case_verify = CaseActionView.as_view(step="verify")
case_close = CaseActionView.as_view(step="close")


# --- Time limits -------------------------------------------------------------------------------


def _time_limit_rows() -> list[dict[str, Any]]:
    from ..models import CaseTimeLimit

    stored = {(rule.kind, rule.level): rule for rule in CaseTimeLimit.objects.all()}
    rows = []
    for kind, kind_label in CaseKind.choices:
        for level, level_label in CaseLevel.choices:
            days, count = services.time_limit(kind, level)
            rows.append({"kind": kind, "kind_label": kind_label, "level": level,
                         "level_label": level_label, "days": days, "day_count": count,
                         "stored": (kind, level) in stored})  # fmt: skip
    return rows


@login_required
def time_limits(request: HttpRequest) -> HttpResponse:
    """The time limit of each kind and level (the defaults until one is set), with a form per
    row for the district's inspection role."""
    user = request.user
    _admitted_or_404(user)
    may_set = scope.covers_a_root(user, Area.CONFIDENTIAL, scope.CHANGE)
    posted: TimeLimitForm | None = None
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied(
                _("Chỉ Ủy ban Kiểm tra cấp quận được đặt thời hạn giải quyết đơn.")
            )
        key = (request.POST.get("kind", ""), request.POST.get("level", ""))
        posted = TimeLimitForm(request.POST, auto_id=f"id_{key[0]}_{key[1]}_%s")
        if posted.is_valid():
            try:
                rule = services.case_time_limit_set(actor=user, **posted.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    posted.add_error(None, str(error))
                else:
                    add_service_errors(posted, error)
            else:
                messages.success(request, _("Đã lưu thời hạn: %(rule)s ngày.") % {"rule": rule})
                return redirect("inspections:time_limits")
    rows = _time_limit_rows()
    for row in rows:
        key = (row["kind"], row["level"])
        if posted is not None and (posted.data.get("kind"), posted.data.get("level")) == key:
            row["form"] = posted
        else:
            row["form"] = TimeLimitForm(
                initial={"kind": row["kind"], "level": row["level"], "days": row["days"],
                         "day_count": row["day_count"]},
                auto_id=f"id_{row['kind']}_{row['level']}_%s",
            )  # fmt: skip
    return render(request, "inspections/time_limits.html", {"rows": rows, "may_set": may_set})


# --- The log of reads --------------------------------------------------------------------------


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read which confidential records, when, how and from where: read-only, for the
    heads of the Inspection Committee only (everyone else: the 404 page)."""
    if request.method not in ("GET", "HEAD"):
        raise Http404
    user = request.user
    if not confidential.heads_committee(user):
        raise Http404
    page = Paginator(confidential.access_log(user), 50).get_page(request.GET.get("page"))
    return render(request, "inspections/access_log.html", {"page_obj": page})
