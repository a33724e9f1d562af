"""Pages of the annual inspection and supervision plans: the registers, a plan with its items
and their overlaps with other bodies' plans, the items' workflow steps, and the coordination
view (every body's visits to a unit, months across).

The overlap check is :func:`inspections.selectors.overlaps_of`, called once for all the rows
a page shows (a plan's items, a page of the items register): never a query per item.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from longbien.audit import audit_rows
from longbien.core.forms import drop_change_reason
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ScopedViewMixin,
    ServiceFormView,
    WorkflowActionView,
    WorkflowFormView,
)
from longbien.org import scope
from longbien.org.models import OrgUnit

from .. import selectors, services
from ..choices import PlanItemStatus
from ..filters.plans import PlanFilterSet, PlanItemFilterSet
from ..forms.plans import CoordinationForm, PlanForm, PlanItemApproveForm, PlanItemForm
from ..models import Plan, PlanItem
from ..tables.plans import PlanItemTable, PlanTable
from ..workflows import PLAN_ITEM_WORKFLOW

AREA = scope.Area.INSPECTION_PLANS
HISTORY_LIMIT = 50


def _may_plan(user: Any, body: OrgUnit) -> bool:
    """May the user change ``body``'s plan (no query: the user's grants are cached)?"""
    return scope.can(user, AREA, scope.CHANGE, body)


# The service names the subject's fields ``unit`` and ``person``; the form, ``target_*``.
SERVICE_FIELDS = {"unit": "target_unit", "person": "target_person"}


def _on_form_fields(error: ValidationError) -> ValidationError:
    """The service's errors keyed by the item form's field names (shown under the field)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {SERVICE_FIELDS.get(name, name): errors for name, errors in error.error_dict.items()}
    )


def _overlap_warning(request: HttpRequest, item: PlanItem) -> None:
    conflicts = selectors.overlaps_of([item]).get(item.pk, [])
    if conflicts:
        messages.warning(
            request,
            ngettext(
                "Nội dung này trùng lịch với %(count)s nội dung trong kế hoạch của cơ quan "
                "khác; xem danh sách bên dưới và ghi giải trình khi duyệt.",
                "Nội dung này trùng lịch với %(count)s nội dung trong kế hoạch của cơ quan "
                "khác; xem danh sách bên dưới và ghi giải trình khi duyệt.",
                len(conflicts),
            )
            % {"count": len(conflicts)},
        )


# --- Plans --------------------------------------------------------------------------------------


def _plans(user: Any) -> Any:
    """The plans register's rows: counted per plan, so ordered explicitly (GROUP BY)."""
    return selectors.plan_list(user).order_by("-year", "body__sort_key", "id")


class PlanListView(ScopedListView):
    model = Plan
    area = AREA
    selector = _plans
    filterset_class = PlanFilterSet
    table_class = PlanTable
    template_name = "inspections/plan_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = scope.has_area(self.request.user, AREA, scope.CHANGE)
        return context


plan_list = PlanListView.as_view()


class PlanCreateView(ServiceFormView):
    area = AREA
    form_class = PlanForm
    template_name = "inspections/plan_form.html"
    title = gettext_lazy("Lập kế hoạch kiểm tra, giám sát")
    cancel_url = "inspections:plan_list"
    submit_label = gettext_lazy("Lập kế hoạch")
    catch_denied = True
    denied_field = "body"

    def get_initial(self) -> dict[str, Any]:
        current = getattr(self.request, "current_unit", None)
        initial: dict[str, Any] = {"year": timezone.localdate().year}
        if current is not None and _may_plan(self.request.user, current):
            initial["body"] = current
        return initial

    def perform(self, form: Any) -> Plan:
        return services.plan_create(
            actor=self.request.user, reason=form.cleaned_data.get("reason", ""),
            **form.service_fields(),
        )  # fmt: skip

    def get_success_message(self, result: Plan, form: Any) -> str:
        return _("Đã lập kế hoạch “%(plan)s”.") % {"plan": result.title}


plan_create = PlanCreateView.as_view()


class PlanDetailView(ScopedDetailView):
    """A plan, its items with their overlaps (one ``overlaps_of`` call), buttons, history."""

    model = Plan
    area = AREA
    template_name = "inspections/plan_detail.html"
    context_object_name = "plan"

    def get_scoped_queryset(self) -> Any:
        return Plan.objects.restrict(self.request.user).select_related("body")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.object
        items = selectors.plan_items(user, plan)
        conflicts = selectors.overlaps_of(items)
        can_change = _may_plan(user, plan.body)
        rows = [
            {
                "item": item,
                "conflicts": conflicts.get(item.pk, []),
                "actions": PLAN_ITEM_WORKFLOW.actions(user, item),
                "can_edit": can_change and item.status == PlanItemStatus.DRAFT,
            }
            for item in items
        ]
        context.update(
            rows=rows,
            can_add=can_change,
            item_count=sum(1 for i in items if i.status != PlanItemStatus.CANCELLED),
            approved_count=sum(1 for i in items if i.status == PlanItemStatus.APPROVED),
            conflict_count=sum(1 for row in rows if row["conflicts"]),
            audit_entries=self.history(plan, items),
        )
        return context

    def history(self, plan: Plan, items: list[PlanItem]) -> list[Any]:
        """The plan's and its items' audit rows, newest first (one query for the entries)."""
        types = ContentType.objects.get_for_models(Plan, PlanItem)  # cached per process
        wanted = Q(content_type=types[Plan], object_pk=str(plan.pk))
        if items:
            wanted |= Q(content_type=types[PlanItem], object_pk__in=[str(i.pk) for i in items])
        entries = (
            LogEntry.objects.filter(wanted).select_related("actor").order_by("-timestamp", "-pk")
        )
        return audit_rows(entries[:HISTORY_LIMIT], user=self.request.user)


plan_detail = PlanDetailView.as_view()


# --- Plan items ---------------------------------------------------------------------------------


class PlanItemCreateView(ServiceFormView):
    """Add an item to a plan; back on the plan's page its overlaps show (and a warning)."""

    model = Plan
    area = AREA
    action = scope.CHANGE
    edits_object = True  # the plan the item is added to (404 outside the scope)
    form_class = PlanItemForm
    template_name = "inspections/plan_item_form.html"
    submit_label = gettext_lazy("Thêm nội dung")
    denied_message = gettext_lazy("Bạn không có quyền lập kế hoạch cho cơ quan này.")
    success_message = gettext_lazy("Đã thêm nội dung “%(object)s” vào kế hoạch.")

    def may_change(self) -> bool:
        return _may_plan(self.request.user, self.object.body)

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        drop_change_reason(form)  # a new item: nothing to give a reason for
        return form

    def get_initial(self) -> dict[str, Any]:
        return {"lead_body": self.object.body}

    def get_title(self) -> str:
        return _("Thêm nội dung vào kế hoạch “%(plan)s”") % {"plan": self.object.title}

    def perform(self, form: Any) -> PlanItem:
        try:
            return services.plan_item_add(
                actor=self.request.user, plan=self.object, reason="", **form.service_fields()
            )
        except ValidationError as error:
            raise _on_form_fields(error) from error

    def get_success_message(self, result: PlanItem, form: Any) -> str:
        _overlap_warning(self.request, result)
        return super().get_success_message(result, form)

    def get_extra_context(self) -> dict[str, Any]:
        return {"plan": self.object}


plan_item_create = PlanItemCreateView.as_view()


class _ItemPage:
    """The item of the URL, from what the user may read (404 outside), with its plan."""

    request: HttpRequest

    def get_scoped_queryset(self) -> Any:
        return PlanItem.objects.restrict(self.request.user).select_related(
            "plan__body", "target_unit", "target_person", "lead_body"
        )


class PlanItemUpdateView(_ItemPage, ServiceFormView):
    model = PlanItem
    area = AREA
    action = scope.CHANGE
    edits_object = True
    form_class = PlanItemForm
    template_name = "inspections/plan_item_form.html"
    denied_message = gettext_lazy("Bạn không có quyền sửa nội dung kế hoạch này.")

    def may_change(self) -> bool:
        return _may_plan(self.request.user, self.object.plan.body)

    def check_permission(self) -> None:
        super().check_permission()
        if self.object.status != PlanItemStatus.DRAFT:
            raise PermissionDenied(
                _("Chỉ sửa được nội dung đang dự kiến; hãy mở lại nội dung đã duyệt trước khi sửa.")
            )

    def get_initial(self) -> dict[str, Any]:
        item = self.object
        return {
            "activity": item.activity, "subject_type": item.subject_type, "topic": item.topic,
            "target_unit": item.target_unit, "target_person": item.target_person,
            "start_month": item.starts_on.month, "end_month": item.ends_on.month,
            "lead_body": item.lead_body,
        }  # fmt: skip

    def get_title(self) -> str:
        return _("Sửa nội dung kế hoạch: %(item)s") % {"item": self.object.topic}

    def perform(self, form: Any) -> PlanItem:
        fields = form.service_fields()
        fields["lead_body"] = fields["lead_body"] or self.object.plan.body
        try:
            return services.plan_item_update(
                actor=self.request.user, item=self.object,
                reason=form.cleaned_data.get("reason", ""), **fields,
            )  # fmt: skip
        except ValidationError as error:
            raise _on_form_fields(error) from error

    def get_success_message(self, result: PlanItem, form: Any) -> str:
        _overlap_warning(self.request, result)
        return _("Đã lưu nội dung kế hoạch.")

    def get_extra_context(self) -> dict[str, Any]:
        return {"plan": self.object.plan, "item": self.object}


plan_item_update = PlanItemUpdateView.as_view()


class PlanItemApproveView(_ItemPage, WorkflowFormView):
    """Approve an item: its conflicts shown, a justification required when there are any."""

    model = PlanItem
    workflow = PLAN_ITEM_WORKFLOW
    step = "approve"
    object_kwarg = "item"
    form_class = PlanItemApproveForm
    template_name = "inspections/plan_item_approve.html"
    title = gettext_lazy("Duyệt nội dung kế hoạch")
    submit_label = gettext_lazy("Duyệt")
    success_message = gettext_lazy("Đã duyệt nội dung “%(object)s”.")

    def conflicts(self) -> list[Any]:
        if not hasattr(self, "_conflicts"):
            self._conflicts = selectors.overlaps_of([self.object]).get(self.object.pk, [])
        return self._conflicts

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        if self.conflicts():
            field = form.fields["justification"]
            field.widget.attrs["aria-required"] = "true"
            field.label = _("Giải trình trùng lặp (bắt buộc)")
        return form

    def get_extra_context(self) -> dict[str, Any]:
        return {"item": self.object, "plan": self.object.plan, "conflicts": self.conflicts()}


plan_item_approve = PlanItemApproveView.as_view()


class PlanItemStepView(_ItemPage, WorkflowActionView):
    """A one-click step of an item (cancel, reopen), with its reason, from the plan's page."""

    model = PlanItem
    workflow = PLAN_ITEM_WORKFLOW
    object_kwarg = "item"


plan_item_cancel = PlanItemStepView.as_view(step="cancel")
plan_item_reopen = PlanItemStepView.as_view(step="reopen")


class PlanItemListView(ScopedListView):
    """Every plan item the user may read; the overlap flag of the page's rows in one call."""

    model = PlanItem
    area = AREA
    selector = selectors.plan_item_list
    filterset_class = PlanItemFilterSet
    table_class = PlanItemTable
    template_name = "inspections/plan_item_list.html"
    paginate_by = 50
    register = "plan_items"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_import"] = scope.has_area(self.request.user, AREA, scope.CHANGE)
        return context

    def get_table(self, rows: Any) -> Any:
        rows = list(rows)
        conflicts = selectors.overlaps_of(rows)
        user = self.request.user
        for item in rows:
            item.conflicts = conflicts.get(item.pk, [])
            # A ward reads other bodies' items aimed at it, not those bodies' plans.
            item.plan_readable = scope.can(user, AREA, scope.VIEW, item.plan.body)
        return super().get_table(rows)


plan_item_list = PlanItemListView.as_view()


# --- Coordination -------------------------------------------------------------------------------


def _place(visits: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Put a lane's visits on as few rows as needed: no two visits of a row share a month."""
    rows: list[list[dict[str, Any]]] = []
    for visit in visits:
        for row in rows:
            if row[-1]["last"] < visit["first"]:
                row.append(visit)
                break
        else:
            rows.append([visit])
    return rows


def _cells(row: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A row's twelve months as cells: an empty cell per free month, a visit spanning its."""
    cells: list[dict[str, Any]] = []
    month = 1
    for visit in row:
        cells.extend({"month": m, "visit": None} for m in range(month, visit["first"]))
        cells.append({"month": visit["first"], "visit": visit, "span": visit["span"]})
        month = visit["last"] + 1
    cells.extend({"month": m, "visit": None} for m in range(month, 13))
    return cells


def timeline(user: Any, lanes: list[Any]) -> list[dict[str, Any]]:
    """The table's bodies: per body, one row per set of visits that do not overlap each other."""
    groups = []
    for lane in lanes:
        readable = scope.can(user, AREA, scope.VIEW, lane.body)  # its plan's page
        rows = _place(lane.visits)
        for row in rows:
            for visit in row:
                visit["bodies"] = sorted({c.item.plan.body.name for c in visit["conflicts"]})
                visit["url"] = visit["item"].get_absolute_url() if readable else ""
        groups.append({"body": lane.body, "rows": [_cells(row) for row in rows]})
    return groups


class CoordinationView(ScopedViewMixin, View):
    """Every body's planned visits to a unit (and above and below it) in a year."""

    area = AREA
    template_name = "inspections/coordination.html"

    def units(self) -> Any:
        return OrgUnit.objects.filter(scope.unit_q(self.request.user, AREA, scope.VIEW, ""))

    def chosen_unit(self) -> OrgUnit:
        """The unit asked for (a code or a pk; 404 outside the scope), else a default one."""
        # The picker's select, then (without JavaScript) the code typed: the last one given.
        given = [v.strip() for v in self.request.GET.getlist(CoordinationForm.UNIT) if v.strip()]
        value = given[-1] if given else ""
        units = self.units()
        if value:
            lookup = {"pk": int(value)} if value.isdigit() else {"code": value.upper()}
            try:
                return units.get(**lookup)
            except OrgUnit.DoesNotExist as exc:
                raise Http404 from exc
        current = getattr(self.request, "current_unit", None)
        if current is not None and units.filter(pk=current.pk).exists():
            return current
        first = units.order_by("path").first()
        if first is None:
            raise Http404
        return first

    def chosen_year(self) -> int:
        value = (self.request.GET.get(CoordinationForm.YEAR) or "").strip()
        if value:
            if value.isdigit() and 2000 <= int(value) <= 2100:
                return int(value)
            messages.error(self.request, _("Năm không hợp lệ; đang xem năm nay."))
        return timezone.localdate().year

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit, year = self.chosen_unit(), self.chosen_year()
        data = selectors.coordination(request.user, unit, year)
        form = CoordinationForm(
            user=request.user, initial={CoordinationForm.UNIT: unit, CoordinationForm.YEAR: year}
        )
        groups = timeline(request.user, data["lanes"])
        # Links up and down the tree (in the user's scope), for moving without the picker.
        nearby = list(
            self.units()
            .filter(Q(pk=unit.parent_id) | Q(parent=unit), valid_to__isnull=True)
            .only("id", "code", "name", "path", "parent_id")
            .order_by("path")
        )
        visits = [c["visit"] for g in groups for row in g["rows"] for c in row if c["visit"]]
        context = {
            **data,
            "form": form,
            "groups": groups,
            "parent_unit": next((u for u in nearby if u.pk == unit.parent_id), None),
            "child_units": [u for u in nearby if u.parent_id == unit.pk],
            "visit_count": len(visits),
            "overlap_count": sum(1 for visit in visits if visit["conflicts"]),
            "previous_year": year - 1,
            "next_year": year + 1,
        }
        return render(request, self.template_name, context)


coordination = CoordinationView.as_view()
