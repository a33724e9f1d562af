"""Task assignments to Party members and their year-end results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.org import scope
from longbien.org.models import Person

from .. import filters, selectors, services, tables
from ..forms import (
    AssignmentForm,
    AssignmentResultForm,
)
from ..models import TaskAssignment
from ._common import _CadresForm, _CadresList, _can_change, _int, _year


class AssignmentListView(_CadresList):
    """The year's assignments, or (``?missing=1``) the members with none for the year."""

    model = TaskAssignment
    selector = selectors.assignment_list
    filterset_class = filters.AssignmentFilterSet
    table_class = tables.AssignmentTable
    template_name = "cadres/assignment_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.year = _year(request)
        self.missing = request.GET.get("missing") == "1"
        if self.missing:
            self.model = Person
            self.filterset_class = filters.MissingMemberFilterSet
            self.table_class = tables.MissingMemberTable
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        if not self.missing:
            return super().get_queryset()
        rows = selectors.members_without_assignment(user=self.request.user, year=self.year)
        return self.sort_queryset(self.filter_queryset(rows))

    def selector_kwargs(self) -> dict[str, Any]:
        return {"year": self.year}

    def get_table(self, rows: Any) -> Any:
        user = self.request.user
        can_change = selectors.sees_area(user, scope.CHANGE)
        rows = list(rows)
        for row in rows:
            # Only the rows of units the user may change get the "record result" link.
            row.may_record = can_change and not self.missing and _can_change(user, row.unit)
            row.may_assign, row.for_year = can_change, self.year
        return super().get_table(rows)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "year": self.year, "missing": self.missing}


assignment_list = AssignmentListView.as_view()


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
