"""Official print layouts of cadre records: the monthly evaluation slip.

A print view is the record page's view with an A4 template: the same selector, scope and
confidentiality as the page (``EvaluationDetailView``); ``?dinh-dang=pdf`` gives a PDF.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from longbien.core import printing

from ..choices import Rating
from .evaluations import EvaluationDetailView


class EvaluationPrintView(EvaluationDetailView):
    template_name = "cadres/evaluation_print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        evaluation = self.object
        return {
            **super().get_context_data(**kwargs),
            "back_url": evaluation.get_absolute_url(),
            "ratings": [
                {
                    "label": label,
                    "self": value == evaluation.self_rating,
                    "proposed": value == evaluation.proposed_rating,
                    "final": value == evaluation.rating,
                }
                for value, label in Rating.choices
            ],
        }

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        evaluation = self.object
        name = f"phieu-danh-gia-{evaluation.person.code}-{evaluation.year}-{evaluation.month:02d}"
        return printing.respond(self.request, response, filename=name)


evaluation_print = EvaluationPrintView.as_view()
