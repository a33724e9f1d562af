"""The portal's URLs plus pages built on the generic views alone (``@pytest.mark.urls``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path

from cadres import services as cadre_services
from cadres.models import Evaluation
from cadres.workflows import EVALUATION_WORKFLOW
from longbien.core.generic import ServiceFormView, WorkflowActionView
from longbien.org import scope
from longbien.urls import urlpatterns as portal


class ReturnForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False)


class EvaluationReturnPage(ServiceFormView):
    """A service form page and nothing else: return an evaluation with a reason."""

    model = Evaluation
    action = scope.VIEW
    edits_object = True
    template_name = "cadres/form.html"
    form_class = ReturnForm
    form_takes_user = False
    success_message = "Đã trả lại."

    def may_change(self) -> bool:
        return True  # the service decides: its refusals are what is tested

    def perform(self, form: Any) -> Evaluation:
        return cadre_services.evaluation_return(
            actor=self.request.user, evaluation=self.object, **form.cleaned_data
        )


class EvaluationAction(WorkflowActionView):
    model = Evaluation
    workflow = EVALUATION_WORKFLOW


urlpatterns = [
    path(
        "test-generic/<int:pk>/form/return/", EvaluationReturnPage.as_view(), name="generic_return"
    ),
    path("test-generic/<int:pk>/<str:step>/", EvaluationAction.as_view(), name="generic_action"),
    *portal,
]
