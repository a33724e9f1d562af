from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.core.generic import ScopedDetailView, ScopedListView, ServiceFormView
from longbien.org import scope

from . import filters, selectors, services, tables
from .forms import ProcedureForm
from .models import Procedure


def _can_add(user) -> bool:
    return any(
        scope.has_area(user, area, scope.CHANGE)
        for area in (scope.Area.ORG, scope.Area.INSPECTIONS, scope.Area.DIALOGUES)
    )


class ProcedureListView(ScopedListView):
    model = Procedure
    area = scope.Area.ORG
    selector = selectors.procedure_list
    filterset_class = filters.ProcedureFilterSet
    table_class = tables.ProcedureTable
    template_name = "procedures/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_add": _can_add(self.request.user)}


class _ProcedurePage:
    model = Procedure
    area = scope.Area.ORG

    def get_scoped_queryset(self) -> QuerySet[Procedure]:
        return selectors.procedure_list(user=self.request.user)


class ProcedureDetailView(_ProcedurePage, ScopedDetailView):
    template_name = "procedures/detail.html"
    attachments = True
    history_limit = 30

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_change = services.can_change(self.request.user, self.object)
        return {**super().get_context_data(**kwargs), "can_change": can_change}


class ProcedureCreateView(ServiceFormView):
    model = Procedure
    area = None  # any area whose procedures the user keeps (_can_add)
    template_name = "org/form.html"
    form_class = ProcedureForm
    catch_denied = False
    title = gettext_lazy("Thêm quy trình, quy chế")
    cancel_url = "procedures:list"
    denied_message = gettext_lazy("Bạn không có quyền cập nhật quy trình.")

    def may_change(self) -> bool:
        return _can_add(self.request.user)

    # The unit picked in the header is not put in the issuing unit: it is chosen on purpose.

    def perform(self, form: Any) -> Procedure:
        return services.procedure_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Procedure, form: Any) -> str:
        return _("Đã thêm quy trình %(code)s.") % {"code": result.code}


class ProcedureUpdateView(_ProcedurePage, ServiceFormView):
    action = scope.VIEW
    edits_object = True
    template_name = "org/form.html"
    form_class = ProcedureForm
    catch_denied = False
    denied_message = gettext_lazy("Bạn không có quyền cập nhật quy trình của đơn vị này.")

    def may_change(self) -> bool:
        return services.can_change(self.request.user, self.object)

    def get_form_kwargs(self) -> dict[str, Any]:
        instance = Procedure.objects.get(pk=self.object.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_title(self) -> str:
        return _("Sửa quy trình %(code)s") % {"code": self.object.code}

    def perform(self, form: Any) -> Any:
        return services.procedure_update(
            actor=self.request.user, procedure=self.object, **form.cleaned_data
        )


procedure_list = ProcedureListView.as_view()
procedure_detail = ProcedureDetailView.as_view()
procedure_create = ProcedureCreateView.as_view()
procedure_update = ProcedureUpdateView.as_view()
