"""Official print layouts of the resolutions app: the overdue task board on A4.

The same selector, scope and unit choice as the board's page (``views.overdue_board``);
``?dinh-dang=pdf`` gives a PDF.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from longbien.core import printing

from . import selectors
from .views import _need


@login_required
def overdue_print(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    groups = selectors.overdue_board(user=request.user, within=request.current_unit)
    response = TemplateResponse(
        request,
        "resolutions/overdue_print.html",
        {
            "groups": groups,
            "total": sum(len(g["tasks"]) for g in groups),
            "today": timezone.localdate(),
            "back_url": reverse("resolutions:overdue_board"),
        },
    )
    return printing.respond(request, response, filename="nhiem-vu-qua-han")
