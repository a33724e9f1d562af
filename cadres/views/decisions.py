"""Personnel decisions: appointment, reappointment, concurrence, transfer, nomination."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import filters, selectors, services, tables
from ..forms import (
    DecisionForm,
)
from ..models import (
    PersonnelDecision,
)
from ._common import _CadresForm, _CadresList


class DecisionListView(_CadresList):
    model = PersonnelDecision
    selector = selectors.decision_list
    filterset_class = filters.DecisionFilterSet
    table_class = tables.DecisionTable
    template_name = "cadres/decision_list.html"
    register = "decisions"


decision_list = DecisionListView.as_view()


class DecisionCreateView(_CadresForm):
    form_class = DecisionForm
    title = gettext_lazy("Ghi quyết định nhân sự")
    cancel_url = "cadres:decision_list"

    def perform(self, form: Any) -> Any:
        return services.decision_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi quyết định %(s)s.") % {"s": result.symbol}

    def get_success_url(self, result: Any = None) -> str:
        return reverse("cadres:person_history", args=[result.person_id])


decision_create = DecisionCreateView.as_view()
