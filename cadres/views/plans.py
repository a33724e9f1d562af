"""Self-improvement plans (kế hoạch tu dưỡng, rèn luyện) and their monthly reviews."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien import periods
from longbien.org import scope
from longbien.org.models import OrgUnit

from .. import filters, selectors, services, tables
from ..forms import (
    PlanForm,
    PlanReviewForm,
)
from ..models import (
    SelfImprovementPlan,
)
from ._common import (
    _CadresForm,
    _CadresList,
    _can_change,
    _default_unit,
    _need_evaluations,
    _OwnRecordDetail,
    _OwnRecordForm,
    _year,
)


class PlanListView(_CadresList):
    """Plans in scope; a cadre without a role sees their own."""

    model = SelfImprovementPlan
    area = None  # the cadre themself or a cadres role (_need_evaluations)
    selector = selectors.plan_list
    filterset_class = filters.PlanFilterSet
    table_class = tables.PlanTable
    template_name = "cadres/plan_list.html"

    def check_area(self) -> None:
        _need_evaluations(self.request.user)

    def selector_kwargs(self) -> dict[str, Any]:
        self.year = _year(self.request)
        return {"year": self.year}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request = self.request
        return {
            **super().get_context_data(**kwargs),
            "year": self.year,
            "public_unit": _default_unit(request),
            "can_add": selectors.sees_area(request.user, scope.CHANGE)
            or bool(request.user.person_id),
        }


plan_list = PlanListView.as_view()


class PlanCreateView(_OwnRecordForm):
    """A yearly plan: written by the cadre themself, or entered by staff in scope."""

    form_class = PlanForm
    title = gettext_lazy("Lập kế hoạch tu dưỡng, rèn luyện")
    cancel_url = "cadres:plan_list"
    denied_message = gettext_lazy("Bạn không có quyền lập kế hoạch tu dưỡng.")

    def get_initial(self) -> dict[str, Any]:
        if self.request.GET.get("person"):
            return {"person": self.request.GET["person"]}
        return super().get_initial()

    def perform(self, form: Any) -> Any:
        return services.plan_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã lưu %(plan)s.") % {"plan": result}


plan_create = PlanCreateView.as_view()


class PlanDetailView(_OwnRecordDetail):
    model = SelfImprovementPlan
    selector = selectors.plan_get
    context_object_name = "plan"
    template_name = "cadres/plan_detail.html"
    history_limit = 30

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "reviews": selectors.plan_reviews(plan=plan),
            "can_review": _can_change(user, plan.unit) and user.person_id != plan.person_id,
            "is_head": bool(plan.person.position and plan.person.position.is_head),
        }


plan_detail = PlanDetailView.as_view()


class PlanReviewView(_CadresForm):
    """The cell meeting's review note on a plan for one month."""

    edits_object = True
    selector = selectors.plan_get
    form_class = PlanReviewForm
    form_takes_user = False
    submit_label = gettext_lazy("Ghi nhận xét")
    denied_message = gettext_lazy("Bạn không có quyền ghi nhận xét cho kế hoạch này.")

    def get_initial(self) -> dict[str, Any]:
        plan = self.object
        reviewed = set(plan.reviews.values_list("month", flat=True))
        today = timezone.localdate()
        last = 12 if plan.year < today.year else today.month
        free = [month for month in range(1, last + 1) if month not in reviewed]
        return {"month": free[-1] if free else None}

    def get_title(self) -> str:
        return _("Nhận xét hằng tháng – %(plan)s") % {"plan": self.object}

    def perform(self, form: Any) -> Any:
        return services.plan_review(actor=self.request.user, plan=self.object, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi nhận xét tháng %(month)s.") % {"month": form.cleaned_data["month"]}


plan_review = PlanReviewView.as_view()


def public_plans(request: HttpRequest, code: str) -> HttpResponse:
    """Heads' plans of a unit, posted publicly: no login, nothing personal but name and post."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    # A public page without login: an invalid year is simply not found.
    values, errors = periods.numbers_from_query(
        request.GET, "year", defaults={"year": timezone.localdate().year}
    )
    if errors:
        raise Http404
    year = values["year"] or timezone.localdate().year
    plans = selectors.public_head_plans(unit=unit, year=year)
    return render(request, "cadres/public_plans.html", {"unit": unit, "year": year, "plans": plans})
