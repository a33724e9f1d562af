"""Pages of the inspection and supervision records, their follow-ups and discipline decisions.

Registers, the record's page (its states, conclusion, follow-ups, decisions, files, history and
workflow buttons), the workflow steps, a unit's follow-up board and the discipline decisions.
Every write is one service of ``inspections.services``; every read starts from the selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from longbien import worklist
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ScopedViewMixin,
    ServiceFormView,
    WorkflowActionView,
    WorkflowFormView,
)
from longbien.org import scope
from longbien.org.selectors import unit_choices

from .. import selectors, services
from ..choices import FollowUpStatus, InspectionStatus
from ..filters.records import DisciplineFilterSet, FollowUpFilterSet, InspectionFilterSet
from ..forms.records import (
    BoardUnitForm,
    ConcludeForm,
    DisciplineCreateForm,
    FollowUpCompleteForm,
    FollowUpForm,
    InspectionForm,
    InspectionUpdateForm,
)
from ..models import Discipline, FollowUp, Inspection
from ..tables.records import (
    DisciplineTable,
    FollowUpTable,
    InspectionTable,
    follow_up_lateness,
)
from ..workflows import INSPECTION_WORKFLOW

AREA = scope.Area.INSPECTIONS
FORM_TEMPLATE = "inspections/inspection_form.html"


def _can_change(user: Any, obj: Any) -> bool:
    return scope.can_on(user, obj, scope.CHANGE)


def _with_lateness(follow_ups: Any, today: Any) -> list[FollowUp]:
    """The follow-ups with ``days_late`` (0 when on time or done), by the deadline rules."""
    rows = list(follow_ups)
    for row in rows:
        row.days_late = follow_up_lateness(row, today)
    return rows


# --- Inspections and supervisions ---------------------------------------------------------------


class InspectionListView(ScopedListView):
    model = Inspection
    selector = selectors.inspection_list
    filterset_class = InspectionFilterSet
    table_class = InspectionTable
    template_name = "inspections/inspection_list.html"
    register = "inspections"


inspection_list = InspectionListView.as_view()


class _InspectionObject:
    """Find the inspection among those the user may see (404 outside)."""

    model = Inspection
    rows = selectors.inspection_list


class InspectionDetailView(_InspectionObject, ScopedDetailView):
    context_object_name = "inspection"
    template_name = "inspections/inspection_detail.html"
    attachments = True
    workflow = INSPECTION_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        inspection, user = self.object, self.request.user
        today = timezone.localdate()
        can_change = _can_change(user, inspection)
        follow_ups = _with_lateness(
            selectors.follow_up_list(user).filter(inspection=inspection).order_by("deadline", "id"),
            today,
        )
        for follow_up in follow_ups:
            follow_up.can_complete = follow_up.status == FollowUpStatus.OPEN and _can_change(
                user, follow_up
            )
        return {
            **super().get_context_data(**kwargs),
            "timeline": INSPECTION_WORKFLOW.timeline(inspection),
            "follow_ups": follow_ups,
            "disciplines": selectors.discipline_list(user).filter(inspection=inspection),
            "can_change": can_change and inspection.status != InspectionStatus.CLOSED,
            "can_add_follow_up": can_change
            and inspection.status in (InspectionStatus.CONCLUDED, InspectionStatus.CLOSED),
            "can_add_discipline": can_change
            and inspection.status in (InspectionStatus.CONCLUDED, InspectionStatus.CLOSED),
            "today": today,
        }


inspection_detail = InspectionDetailView.as_view()


class InspectionCreateView(ServiceFormView):
    model = Inspection
    area = AREA
    template_name = FORM_TEMPLATE
    form_class = InspectionForm
    title = gettext_lazy("Ghi cuộc kiểm tra, giám sát")
    cancel_url = "inspections:inspection_list"
    catch_denied = True
    denied_field = "unit"

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": timezone.localdate()}

    def perform(self, form: Any) -> Inspection:
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        return services.inspection_create(actor=self.request.user, file=upload or None, **data)

    def get_success_message(self, result: Inspection, form: Any) -> str:
        return _("Đã ghi cuộc kiểm tra, giám sát “%(topic)s”.") % {"topic": result.topic}


inspection_create = InspectionCreateView.as_view()


class InspectionUpdateView(_InspectionObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = FORM_TEMPLATE
    form_class = InspectionUpdateForm
    denied_message = gettext_lazy("Bạn không có quyền sửa cuộc kiểm tra, giám sát này.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.object}

    def get_initial(self) -> dict[str, Any]:
        inspection = self.object
        names = ("topic", "kind", "team", "starts_on", "ends_on", "findings", "conclusion",
                 "concluded_on")  # fmt: skip
        return {name: getattr(inspection, name) for name in names}

    def get_title(self) -> str:
        return _("Sửa cuộc kiểm tra, giám sát “%(topic)s”") % {"topic": self.object.topic}

    def perform(self, form: Any) -> Inspection:
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        return services.inspection_update(
            actor=self.request.user, inspection=self.object, reason=reason, **data
        )


inspection_update = InspectionUpdateView.as_view()


class _InspectionStep(_InspectionObject, WorkflowActionView):
    workflow = INSPECTION_WORKFLOW


inspection_start = _InspectionStep.as_view(step="start")
inspection_close = _InspectionStep.as_view(step="close")


class InspectionConcludeView(_InspectionObject, WorkflowFormView):
    """The conclusion, with the recommendations that become follow-ups (one service call)."""

    workflow = INSPECTION_WORKFLOW
    step = "conclude"
    form_class = ConcludeForm
    form_takes_user = True
    template_name = "inspections/inspection_conclude.html"
    submit_label = gettext_lazy("Ghi kết luận")
    success_message = gettext_lazy("Đã ghi kết luận.")

    def get_initial(self) -> dict[str, Any]:
        return {"findings": self.object.findings, "concluded_on": timezone.localdate()}

    def get_title(self) -> str:
        return _("Kết luận: %(topic)s") % {"topic": self.object.topic}

    def get_extra_context(self) -> dict[str, Any]:
        return {"inspection": self.object}

    def perform(self, form: Any) -> Inspection:
        recommendations = form.recommendations()
        try:
            return self.transition.perform(
                actor=self.request.user,
                inspection=self.object,
                recommendations=recommendations,
                **form.conclusion_data(),
            )
        except ValidationError as error:
            raise _placed(error, form) from error

    def get_success_message(self, result: Inspection, form: Any) -> str:
        count = len(form.recommendations())
        if not count:
            return str(self.success_message)
        return ngettext(
            "Đã ghi kết luận và %(count)s kiến nghị.",
            "Đã ghi kết luận và %(count)s kiến nghị.",
            count,
        ) % {"count": count}


def _placed(error: ValidationError, form: ConcludeForm) -> ValidationError:
    """Put a follow-up's refusal (``deadline``, ``owner_unit``, ``content``) on the fieldsets
    of the recommendations it concerns; the conclusion's own errors stay on their fields."""
    if not hasattr(error, "error_dict"):
        return error
    data = form.cleaned_data
    filled = [i for i, _group in enumerate(form.groups(), 1) if data.get(f"rec{i}_content")]
    placed: dict[str, list[Any]] = {}
    for key, errors in error.error_dict.items():
        if key not in ("content", "owner_unit", "deadline") or not filled:
            placed.setdefault(key, []).extend(errors)
            continue
        targets = filled
        concluded = data.get("concluded_on")
        if key == "deadline" and concluded:
            late = [i for i in filled if (data.get(f"rec{i}_deadline") or concluded) < concluded]
            targets = late or filled
        for index in targets:
            placed.setdefault(f"rec{index}_{key}", []).extend(errors)
    return ValidationError(placed)


inspection_conclude = InspectionConcludeView.as_view()


# --- Follow-ups ---------------------------------------------------------------------------------


class FollowUpCreateView(_InspectionObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = FORM_TEMPLATE
    form_class = FollowUpForm
    success_message = gettext_lazy("Đã ghi kiến nghị.")
    denied_message = gettext_lazy("Bạn không có quyền ghi kiến nghị của cuộc kiểm tra này.")

    def get_title(self) -> str:
        return _("Thêm kiến nghị: %(topic)s") % {"topic": self.object.topic}

    def perform(self, form: Any) -> FollowUp:
        return services.follow_up_add(
            actor=self.request.user, inspection=self.object, **form.cleaned_data
        )


follow_up_create = FollowUpCreateView.as_view()


class FollowUpCompleteView(ServiceFormView):
    model = FollowUp
    area = AREA
    edits_object = True
    form_takes_user = False
    template_name = FORM_TEMPLATE
    form_class = FollowUpCompleteForm
    submit_label = gettext_lazy("Báo hoàn thành")
    success_message = gettext_lazy("Đã ghi kết quả thực hiện kiến nghị.")
    denied_message = gettext_lazy("Bạn không có quyền cập nhật kiến nghị của đơn vị này.")

    def get_scoped_queryset(self) -> QuerySet:
        return selectors.follow_up_list(self.request.user).select_related("inspection")

    def get_initial(self) -> dict[str, Any]:
        return {"completed_on": timezone.localdate()}

    def get_title(self) -> str:
        return _("Báo hoàn thành kiến nghị: %(content)s") % {
            "content": str(self.object.content)[:80]
        }

    def get_extra_context(self) -> dict[str, Any]:
        return {"follow_up": self.object}

    def _board(self) -> str:
        return reverse("inspections:follow_up_board") + f"?don-vi={self.object.owner_unit.code}"

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def get_success_url(self, result: Any = None) -> str:
        if scope.can_on(self.request.user, self.object.inspection):
            return self.object.get_absolute_url()
        return self._board()

    def perform(self, form: Any) -> FollowUp:
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        return services.follow_up_complete(
            actor=self.request.user, follow_up=self.object, file=upload or None, **data
        )


follow_up_complete = FollowUpCompleteView.as_view()


class FollowUpListView(ScopedListView):
    model = FollowUp
    selector = selectors.follow_up_list
    filterset_class = FollowUpFilterSet
    table_class = FollowUpTable
    template_name = "inspections/follow_up_list.html"


follow_up_list = FollowUpListView.as_view()


class FollowUpBoardView(ScopedViewMixin, TemplateView):
    """A unit's follow-ups: overdue first (days overdue), then open by deadline, then done."""

    model = FollowUp
    template_name = "inspections/follow_up_board.html"
    unit_param = "don-vi"

    def get_unit(self) -> Any:
        request, user = self.request, self.request.user
        units = unit_choices(user=user, area=AREA)
        if (request.GET.get(self.unit_param) or "").strip():
            picked = BoardUnitForm(request.GET, user=user)
            if not picked.is_valid() or picked.cleaned_data[self.unit_param] is None:
                raise Http404  # a unit out of the scope is not found, as any record
            return picked.cleaned_data[self.unit_param]
        current = getattr(request, "current_unit", None)
        if current is not None and scope.can(user, AREA, scope.VIEW, current):
            return current
        unit = worklist.home_unit(user)
        if unit is not None and scope.can(user, AREA, scope.VIEW, unit):
            return unit
        return units.first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        unit = self.get_unit()
        board = selectors.follow_up_board(user, unit)
        today = board["today"]
        return {
            **super().get_context_data(**kwargs),
            "unit": unit,
            "overdue": _with_lateness(board["overdue"], today),
            "open": board["open"],
            "done": board["done"],
            "today": today,
            "pick": BoardUnitForm(initial={self.unit_param: unit}, user=user),
        }


follow_up_board = FollowUpBoardView.as_view()


# --- Discipline ---------------------------------------------------------------------------------


class DisciplineListView(ScopedListView):
    model = Discipline
    selector = selectors.discipline_list
    filterset_class = DisciplineFilterSet
    table_class = DisciplineTable
    template_name = "inspections/discipline_list.html"
    register = "disciplines"


discipline_list = DisciplineListView.as_view()


class DisciplineCreateView(ServiceFormView):
    model = Discipline
    area = AREA
    template_name = FORM_TEMPLATE
    form_class = DisciplineCreateForm
    title = gettext_lazy("Ghi quyết định kỷ luật")
    cancel_url = "inspections:discipline_list"
    denied_field = "unit"

    def get_initial(self) -> dict[str, Any]:
        inspection = self.request.GET.get("inspection", "")
        return {"inspection": inspection} if inspection.isdigit() else {}

    def perform(self, form: Any) -> Discipline:
        return services.discipline_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Discipline, form: Any) -> str:
        return _("Đã ghi quyết định kỷ luật %(symbol)s.") % {"symbol": result.symbol}


discipline_create = DisciplineCreateView.as_view()


class DisciplineDetailView(ScopedDetailView):
    """A decision; the case behind it only for a viewer admitted to the case (else nothing)."""

    model = Discipline
    context_object_name = "discipline"
    template_name = "inspections/discipline_detail.html"

    def get_scoped_queryset(self) -> QuerySet:
        return selectors.discipline_list(self.request.user).select_related("inspection")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        discipline, user = self.object, self.request.user
        case = None
        if discipline.case_id is not None and scope.can_on(user, discipline.case):
            case = discipline.case
        if case is None:
            # Nothing about a case for a viewer not admitted to it, not even in the history.
            hidden = str(capfirst(Discipline._meta.get_field("case").verbose_name))
            for entry in context["audit_entries"]:
                entry.changes[:] = [c for c in entry.changes if str(c[0]) != hidden]
        inspection = discipline.inspection
        return {
            **context,
            "case": case,
            "inspection": inspection if inspection and scope.can_on(user, inspection) else None,
        }


discipline_detail = DisciplineDetailView.as_view()
