"""Task assignments to Party members and their year-end results."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.org import scope

from .. import selectors, services
from ..forms import (
    AssignmentForm,
    AssignmentResultForm,
)
from ._common import PAGE_SIZE, _CadresForm, _can_change, _int, _need, _year


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    year = _year(request)
    missing = request.GET.get("missing") == "1"
    if missing:
        rows = selectors.members_without_assignment(
            user=request.user, year=year, unit=request.current_unit
        )
    else:
        rows = selectors.assignment_list(user=request.user, unit=request.current_unit, year=year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_change = selectors.sees_area(request.user, scope.CHANGE)
    return render(
        request,
        "cadres/assignment_list.html",
        {
            "page_obj": page,
            "year": year,
            "missing": missing,
            "can_add": can_change,
            # Only the rows of units the user may change get the "record result" link.
            "changeable": {
                row.pk
                for row in page
                if not missing and can_change and _can_change(request.user, row.unit)
            },
        },
    )


class AssignmentCreateView(_CadresForm):
    form_class = AssignmentForm
    title = gettext_lazy("Phân công nhiệm vụ cho đảng viên")
    cancel_url = "cadres:assignment_list"
    denied_field = "person"

    def get_initial(self) -> dict[str, Any]:
        get = self.request.GET
        initial = {"person": get.get("person", ""), "year": _int(get.get("year"))}
        return {k: v for k, v in initial.items() if v}

    def perform(self, form: Any) -> Any:
        return services.assignment_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã phân công nhiệm vụ năm %(year)s cho %(person)s.") % {
            "year": result.year,
            "person": result.person,
        }

    def get_success_url(self, result: Any = None) -> str:
        return f"{reverse('cadres:assignment_list')}?year={result.year}&missing=1"


class AssignmentResultView(_CadresForm):
    """The year-end result of a task assignment."""

    edits_object = True
    selector = selectors.assignment_get
    form_class = AssignmentResultForm
    form_takes_user = False
    cancel_url = "cadres:assignment_list"
    denied_message = gettext_lazy("Bạn không có quyền ghi kết quả nhiệm vụ này.")

    def get_initial(self) -> dict[str, Any]:
        return {"result": self.object.result, "result_note": self.object.result_note}

    def get_title(self) -> str:
        return _("Kết quả cuối năm – %(a)s") % {"a": self.object}

    def get_extra_context(self) -> dict[str, Any]:
        return {"assignment": self.object}

    def perform(self, form: Any) -> Any:
        return services.assignment_record_result(
            actor=self.request.user, assignment=self.object, **form.cleaned_data
        )

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi kết quả cuối năm của %(a)s.") % {"a": self.object}

    def get_success_url(self, result: Any = None) -> str:
        return f"{reverse('cadres:assignment_list')}?year={self.object.year}"


assignment_create = AssignmentCreateView.as_view()
assignment_result = AssignmentResultView.as_view()
