"""Monthly evaluations: the list, the record and its workflow steps, the approval grid,
the rating distribution, a person's history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from longbien import periods
from longbien.core.generic import (
    WorkflowFormView,
)
from longbien.core.tables import BulkAction
from longbien.org import scope
from longbien.org.models import Person, Term

from .. import filters, person_sections, selectors, services, tables
from ..choices import Rating
from ..forms import (
    ApproveForm,
    AssessForm,
    EvaluationCreateForm,
    GridPickForm,
    RateUnassessedForm,
    ReturnForm,
    ReviseForm,
    SelfAssessForm,
)
from ..models import (
    Evaluation,
)
from ..workflows import EVALUATION_WORKFLOW
from ._common import (
    PAGE_SIZE,
    _CadresList,
    _can_change,
    _need,
    _need_evaluations,
    _OwnRecordDetail,
    _OwnRecordForm,
    _unit_from_query,
    scope_units,
)


def _approve(user: Any, evaluation: Evaluation, note: str) -> Any:
    return services.evaluation_approve(actor=user, evaluation=evaluation, reason=note)


class EvaluationListView(_CadresList):
    """The register of monthly evaluations; the approver approves the rows they select."""

    model = Evaluation
    area = None  # the cadre themself or a cadres role (_need_evaluations)
    selector = selectors.evaluation_list
    filterset_class = filters.EvaluationFilterSet
    table_class = tables.EvaluationTable
    template_name = "cadres/evaluation_list.html"
    register = "evaluations"
    bulk_actions = (
        BulkAction(
            "approve",
            gettext_lazy("Phê duyệt (giữ xếp loại đề xuất)"),
            _approve,
            done=ngettext_lazy(
                "Đã phê duyệt %(count)s phiếu đánh giá.",
                "Đã phê duyệt %(count)s phiếu đánh giá.",
                "count",
            ),
            note=True,
            note_required=False,
        ),
    )

    def check_area(self) -> None:
        _need_evaluations(self.request.user)

    def bulk_queryset(self) -> Any:
        return selectors.evaluation_list(user=self.request.user)

    def get_bulk_actions(self) -> tuple[Any, ...]:
        # A cadre reading their own slips approves nothing: no checkboxes for them.
        if not selectors.sees_area(self.request.user, scope.CHANGE):
            return ()
        return super().get_bulk_actions()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        own = Person.objects.filter(pk=user.person_id).first() if user.person_id else None
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "can_add": selectors.sees_area(user, scope.CHANGE) or own is not None,
            "can_grid": selectors.sees_area(user, scope.CHANGE),
            "own": own,
        }


evaluation_list = EvaluationListView.as_view()


class EvaluationDetailView(_OwnRecordDetail):
    model = Evaluation
    selector = selectors.evaluation_get
    context_object_name = "evaluation"
    template_name = "cadres/evaluation_detail.html"
    attachments = True
    workflow = EVALUATION_WORKFLOW  # workflow_actions: what this user may do now

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        evaluation, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "is_self": user.person_id == evaluation.person_id,
            "timeline": selectors.evaluation_timeline(evaluation=evaluation),
            "revisions": evaluation.revisions.select_related("revised_by"),
            "can_change": _can_change(user, evaluation.unit),
        }


evaluation_detail = EvaluationDetailView.as_view()


class EvaluationCreateView(_OwnRecordForm):
    form_class = EvaluationCreateForm
    title = gettext_lazy("Mở phiếu đánh giá hằng tháng")
    cancel_url = "cadres:evaluation_list"
    denied_message = gettext_lazy("Bạn không có quyền mở phiếu đánh giá.")

    def perform(self, form: Any) -> Evaluation:
        return services.evaluation_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Evaluation, form: Any) -> str:
        return _("Đã mở phiếu đánh giá %(e)s.") % {"e": result}


evaluation_create = EvaluationCreateView.as_view()


class EvaluationStepView(WorkflowFormView):
    """The page of one workflow step: a form, one service call, back to the record.

    Who may open the page is the table's rule for the step; the record's state is checked
    by the service, whose clear error is shown on the form.
    """

    model = Evaluation
    area = None  # the cadre themself or a cadres role (_need_evaluations)
    template_name = "cadres/form.html"
    selector = selectors.evaluation_get
    workflow = EVALUATION_WORKFLOW

    def check_area(self) -> None:
        _need_evaluations(self.request.user)

    def get_title(self) -> str:
        return f"{self.title} – {self.object}"

    def get_extra_context(self) -> dict[str, Any]:
        return {"evaluation": self.object}


def _step(step: str, form_class: type, title: Any, done: Any, submit: Any) -> Any:
    return EvaluationStepView.as_view(
        step=step, form_class=form_class, title=title, success_message=done, submit_label=submit
    )


evaluation_self_assess = _step(
    "self_assess", SelfAssessForm,
    gettext_lazy("Tự đánh giá"), gettext_lazy("Đã ghi phần tự đánh giá."), gettext_lazy("Gửi tự đánh giá"),
)  # fmt: skip
evaluation_assess = _step(
    "assess", AssessForm,
    gettext_lazy("Nhận xét, đề xuất xếp loại"), gettext_lazy("Đã ghi nhận xét của cấp trên."), gettext_lazy("Ghi nhận xét"),
)  # fmt: skip
evaluation_approve = _step(
    "approve", ApproveForm,
    gettext_lazy("Phê duyệt"), gettext_lazy("Đã phê duyệt; tháng này đã khóa."), gettext_lazy("Phê duyệt"),
)  # fmt: skip
evaluation_return = _step(
    "return", ReturnForm,
    gettext_lazy("Trả lại"), gettext_lazy("Đã trả lại phiếu đánh giá."), gettext_lazy("Trả lại"),
)  # fmt: skip
evaluation_rate_unassessed = _step(
    "rate_unassessed", RateUnassessedForm,
    gettext_lazy("Xếp loại khi cán bộ không tự đánh giá"),
    gettext_lazy("Đã xếp loại và phê duyệt; lý do đã được ghi, tháng này đã khóa."),
    gettext_lazy("Xếp loại và phê duyệt"),
)  # fmt: skip
evaluation_revise = _step(
    "revise", ReviseForm,
    gettext_lazy("Điều chỉnh xếp loại"), gettext_lazy("Đã ghi điều chỉnh xếp loại."), gettext_lazy("Ghi điều chỉnh"),
)  # fmt: skip


def _grid_period(source: Any) -> tuple[int, int, list[str]]:
    """Read the grid's year and month (this month when absent); errors for invalid ones.

    An invalid value is an error, never a silent fall back to this month: a POST would
    otherwise approve another month than the one the user typed.
    """
    today = timezone.localdate()
    query = {"year": source.get("year") or "", "month": source.get("month") or ""}
    try:
        period = periods.from_query(
            {"year": query["year"] or today.year, "month": query["month"] or today.month}
        )
    except ValidationError as error:
        return today.year, today.month, [m for ms in error.message_dict.values() for m in ms]
    return period.start.year, period.start.month, []


def _posted_ids(values: list[str]) -> list[int]:
    """The evaluation ids of the ticked rows (anything not a number is ignored)."""
    return list(dict.fromkeys(int(v) for v in values if v.strip().isdigit()))[:10_000]


def _posted_ratings(post: Any, ids: list[int]) -> dict[int, str]:
    return {pk: post.get(f"rating-{pk}", "").strip() for pk in ids}


@login_required
def evaluation_grid(request: HttpRequest) -> HttpResponse:
    """A unit's month on one page: the approver ticks the rows to approve, confirms, done.

    Only months the superior assessed can be approved here, by those the workflow lets
    approve them (never their own); other rows are listed for follow-up, without a box.
    Nothing is ticked at first. A POST shows the confirmation ("Phê duyệt N phiếu?") with
    the ticked rows; its own POST (``confirmed``) approves them in one transaction.
    """
    _need(request.user, scope.CHANGE)
    unit = _unit_from_query(request, scope.CHANGE)
    if unit is None:
        raise PermissionDenied(_("Bạn không có quyền duyệt đánh giá."))
    source = request.POST if request.method == "POST" else request.GET
    year, month, period_errors = _grid_period(source)
    pick = GridPickForm(
        {"unit": unit.code, "year": source.get("year", year), "month": source.get("month", month)},
        user=request.user,
    )
    base = {"pick": pick, "unit": unit, "year": year, "month": month, "ratings": Rating.choices}
    if period_errors:
        return render(
            request,
            "cadres/evaluation_grid.html",
            {
                **base, "rows": [], "open_count": 0, "period_invalid": True,
                "errors": [_("Chưa mở được bảng duyệt; không lưu gì."), *period_errors],
            },
            status=400,
        )  # fmt: skip
    grid_url = f"{request.path}?unit={unit.code}&year={year}&month={month}"
    if request.method == "POST":
        return _grid_post(request, unit=unit, year=year, month=month, base=base, back=grid_url)
    rows = selectors.grid_rows(user=request.user, unit=unit, year=year, month=month)
    if len(rows) > settings.EVALUATION_GRID_MAX_ROWS:
        # A whole district on one page cannot be reviewed with care: ask for a smaller unit.
        message = ngettext(
            "%(unit)s có %(n)s cán bộ: quá nhiều cho một bảng duyệt. Hãy chọn một phường hoặc chi bộ.",
            "%(unit)s có %(n)s cán bộ: quá nhiều cho một bảng duyệt. Hãy chọn một phường hoặc chi bộ.",
            len(rows),
        ) % {"unit": unit.name, "n": len(rows)}
        return render(
            request,
            "cadres/evaluation_grid.html",
            {**base, "rows": [], "open_count": 0, "period_invalid": True, "errors": [message]},
        )
    # "Chọn tất cả phiếu cấp trên đã nhận xét" without JavaScript: the same page, ticked.
    select_all = request.GET.get("chon") == "da-nhan-xet"
    for row in rows:
        row.selected = select_all and row.approvable
    return render(
        request,
        "cadres/evaluation_grid.html",
        {
            **base,
            "rows": rows,
            "grid_url": grid_url,
            "open_count": sum(1 for row in rows if row.approvable),
            "waiting_count": sum(1 for row in rows if not row.locked and not row.approvable),
            "locked_count": sum(1 for row in rows if row.locked),
        },
    )


def _grid_post(
    request: HttpRequest, *, unit: Any, year: int, month: int, base: dict[str, Any], back: str
) -> HttpResponse:
    ids = _posted_ids(request.POST.getlist("selected"))
    if not ids:
        messages.warning(request, _("Chưa chọn phiếu nào: hãy đánh dấu các phiếu cần phê duyệt."))
        return redirect(back)
    ratings = _posted_ratings(request.POST, ids)
    reason = request.POST.get("reason", "")
    if request.POST.get("confirmed") != "1":
        selection = selectors.grid_selection(
            user=request.user, unit=unit, year=year, month=month, ids=ids, ratings=ratings
        )
        return render(
            request,
            "cadres/evaluation_grid_confirm.html",
            {**base, "selection": selection, "reason": reason, "grid_url": back},
        )
    try:
        result = services.evaluation_approve_selected(
            actor=request.user, unit=unit, year=year, month=month, selected=ids,
            ratings=ratings, reason=reason,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("Chưa phê duyệt phiếu nào: %(error)s") % {"error": text})
        return redirect(back)
    if result.approved:
        messages.success(
            request,
            ngettext(
                "Đã phê duyệt %(count)s phiếu đánh giá tháng %(month)s/%(year)s.",
                "Đã phê duyệt %(count)s phiếu đánh giá tháng %(month)s/%(year)s.",
                len(result.approved),
            )
            % {"count": len(result.approved), "month": month, "year": year},
        )
    if result.refused:
        messages.warning(
            request,
            ngettext(
                "Không phê duyệt %(count)s phiếu: %(rows)s",
                "Không phê duyệt %(count)s phiếu: %(rows)s",
                len(result.refused),
            )
            % {
                "count": len(result.refused),
                "rows": "; ".join(f"{label}: {why}" for label, why in result.refused),
            },
        )
    return redirect(back)


@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    unit = _unit_from_query(request)
    if unit is None:
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))
    context: dict[str, Any] = {
        "unit": unit, "terms": Term.objects.all(), "ratings": Rating.choices,
        "units": scope_units(request.user),
    }  # fmt: skip
    try:
        period = periods.from_query(request.GET, terms={t.code: t for t in Term.objects.all()})
    except ValidationError as error:
        # Never the figures of another period than the one asked for: the error, no table.
        errors = [m for ms in error.message_dict.values() for m in ms]
        context |= {"period_errors": errors, "period_label": _("kỳ không hợp lệ"),
                    "year": request.GET.get("year", "")}  # fmt: skip
        return render(request, "cadres/distribution.html", context, status=400)
    start, end, term = period.start, period.end, period.term
    yearly = None
    if term is None:
        yearly = Paginator(
            selectors.yearly_counts(user=request.user, unit=unit, year=start.year), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    context |= {
        "result": selectors.distribution(user=request.user, unit=unit, start=start, end=end),
        "flagged": selectors.flagged_cadres(user=request.user, unit=unit, start=start, end=end)[
            :200
        ],
        "period_label": period.label, "page_obj": yearly, "year": start.year, "term": term,
    }  # fmt: skip
    return render(request, "cadres/distribution.html", context)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's cadre record: evaluations per year, decisions, tests, plans, assignments."""
    _need_evaluations(request.user)
    try:
        person = selectors.person_for_history(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    is_self = user.person_id == person.pk
    can_change = _can_change(user, person.unit)
    assignments = list(selectors.assignment_list(user=user, person=person))
    return render(
        request,
        "cadres/person_history.html",
        {
            "person": person,
            "org_page": person_sections.org_page_url(user=user, person=person),
            "evaluations": selectors.evaluation_list(user=user, person=person)[:120],
            "decisions": selectors.decision_list(user=user, person=person),
            "tests": selectors.participant_list(user=user, person=person),
            "plans": selectors.plan_list(user=user, person=person),
            "assignments": assignments,
            "trainings": selectors.training_history(user=user, person=person),
            "sees_area": selectors.sees_area(user),
            "can_change": can_change,
            "can_add_plan": can_change or is_self,
            "changeable": {a.pk for a in assignments if not is_self and _can_change(user, a.unit)},
        },
    )
