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
from django.utils.translation import gettext_lazy

from longbien import periods
from longbien.core.generic import (
    WorkflowFormView,
)
from longbien.org import scope
from longbien.org.models import Person, Term

from .. import selectors, services
from ..choices import EvaluationStatus, Rating
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
    _can_change,
    _need,
    _need_evaluations,
    _OwnRecordDetail,
    _OwnRecordForm,
    _unit_from_query,
    scope_units,
)


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    _need_evaluations(request.user)
    period, errors = periods.numbers_from_query(request.GET, "year", "month")
    for message in errors:
        messages.error(request, message)
    evaluations = selectors.evaluation_list(
        user=request.user,
        unit=request.current_unit,
        year=period["year"],
        month=period["month"],
        status=request.GET.get("status", ""),
        rating=request.GET.get("rating", ""),
        query=request.GET.get("q", ""),
    )
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    own = None
    if request.user.person_id:
        own = Person.objects.filter(pk=request.user.person_id).first()
    return render(
        request,
        "cadres/evaluation_list.html",
        {
            "page_obj": page,
            "statuses": EvaluationStatus.choices,
            "ratings": Rating.choices,
            "months": range(1, 13),
            "can_add": selectors.sees_area(request.user, scope.CHANGE) or own is not None,
            "can_grid": selectors.sees_area(request.user, scope.CHANGE),
            "own": own,
        },
    )


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


@login_required
def evaluation_grid(request: HttpRequest) -> HttpResponse:
    """A unit's month on one page: a native select per cadre, one submit saves every row.

    Only months the cadre self-assessed (or the superior assessed) can be approved here;
    missing and draft months are listed for follow-up, without a select.
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
    if period_errors:
        return render(
            request,
            "cadres/evaluation_grid.html",
            {
                "pick": pick, "unit": unit, "year": year, "month": month, "rows": [],
                "ratings": Rating.choices, "open_count": 0, "period_invalid": True,
                "errors": [_("Chưa mở được bảng duyệt; không lưu gì."), *period_errors],
            },
            status=400,
        )  # fmt: skip
    rows = selectors.grid_rows(user=request.user, unit=unit, year=year, month=month)
    if len(rows) > settings.EVALUATION_GRID_MAX_ROWS:
        # A whole district on one page cannot be reviewed with care: ask for a smaller unit.
        message = _(
            "%(unit)s có %(n)s cán bộ: quá nhiều cho một bảng duyệt. Hãy chọn một phường hoặc chi bộ."
        ) % {"unit": unit.name, "n": len(rows)}
        return render(
            request,
            "cadres/evaluation_grid.html",
            {
                "pick": pick, "unit": unit, "year": year, "month": month, "rows": [],
                "ratings": Rating.choices, "open_count": 0, "period_invalid": True, "errors": [message],
            },
        )  # fmt: skip
    errors: list[str] = []
    if request.method == "POST":
        ratings = {}
        for row in rows:
            if row.locked:
                continue
            value = request.POST.get(f"rating-{row.person.pk}", "")
            row.value = value
            ratings[row.person.pk] = value  # a value posted for a row not open is refused
        try:
            saved = services.evaluation_bulk_approve(
                actor=request.user, unit=unit, year=year, month=month, ratings=ratings,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except ValidationError as error:
            by_person = getattr(error, "error_dict", {})
            for row in rows:
                for item in by_person.get(str(row.person.pk), []):
                    row.error = " ".join(item.messages)
            errors = [m for m in error.messages] if not by_person else []
            errors.insert(0, _("Chưa lưu dòng nào: hãy sửa các dòng báo lỗi rồi lưu lại."))
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            messages.success(
                request,
                _("Đã phê duyệt %(count)s phiếu đánh giá tháng %(month)s/%(year)s.")
                % {"count": len(saved), "month": month, "year": year},
            )
            return redirect(f"{request.path}?unit={unit.code}&year={year}&month={month}")
    return render(
        request,
        "cadres/evaluation_grid.html",
        {
            "pick": pick,
            "unit": unit,
            "year": year,
            "month": month,
            "rows": rows,
            "ratings": Rating.choices,
            "errors": errors,
            "open_count": sum(1 for row in rows if row.approvable),
            "waiting_count": sum(1 for row in rows if not row.locked and not row.approvable),
        },
        status=400 if errors else 200,
    )


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
