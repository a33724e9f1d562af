"""Pages of the citizen reception sessions (tiếp công dân) and of the "skilful mass
mobilisation" models (mô hình dân vận khéo).

The registers (filters, search, the models' figures by field), a session's page (facts,
notes, the cases received there with the button that opens the intake from it, files and
history), a model's page, recording and correcting both. Every write is one service of
``dialogues.services``; every read starts from the selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.core.generic import ScopedDetailView, ScopedListView, ServiceFormView
from longbien.org import scope

from .. import selectors, services
from ..choices import ModelField
from ..filters.receptions import ModelFilterSet, ReceptionFilterSet
from ..forms.receptions import (
    MobilisationModelForm,
    MobilisationModelUpdateForm,
    ReceptionForm,
    ReceptionUpdateForm,
)
from ..models import MobilisationModel, Reception
from ..tables.receptions import ModelTable, ReceptionTable
from .cases import time_limit

AREA = scope.Area.DIALOGUES
FORM_TEMPLATE = "dialogues/reception_form.html"
MODEL_FORM_TEMPLATE = "dialogues/model_form.html"
# The intake's parameter naming the reception session a case is received from.
RECEPTION_PARAM = "tiep-cong-dan"


def _data(form: Any) -> dict[str, Any]:
    """The form's values as the service's arguments (the file taken apart)."""
    data = dict(form.cleaned_data)
    data.pop("file", None)
    return data


# --- Reception sessions ------------------------------------------------------------------------


def _reception_rows(user: Any) -> QuerySet[Reception]:
    # The count's GROUP BY drops the model's ordering: the register's order, restated.
    return selectors.reception_list(user).order_by("-held_on", "-id")


class ReceptionListView(ScopedListView):
    model = Reception
    selector = _reception_rows
    filterset_class = ReceptionFilterSet
    table_class = ReceptionTable
    template_name = "dialogues/reception_list.html"
    register = "receptions"


reception_list = ReceptionListView.as_view()


class _ReceptionObject:
    """Find the session among those the user may see (404 outside)."""

    model = Reception
    rows = selectors.reception_list


class ReceptionDetailView(_ReceptionObject, ScopedDetailView):
    context_object_name = "reception"
    template_name = "dialogues/reception_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        reception, user = self.object, self.request.user
        today = timezone.localdate()
        cases = list(selectors.reception_cases(user, reception))
        for case in cases:
            case.limit = time_limit(case, today)
        return {
            **super().get_context_data(**kwargs),
            "cases": cases,
            "can_change": scope.can_on(user, reception, scope.CHANGE),
            "reception_param": RECEPTION_PARAM,
        }


reception_detail = ReceptionDetailView.as_view()


class ReceptionCreateView(ServiceFormView):
    model = Reception
    area = AREA
    template_name = FORM_TEMPLATE
    form_class = ReceptionForm
    title = gettext_lazy("Ghi buổi tiếp công dân")
    cancel_url = "dialogues:reception_list"
    denied_field = "unit"
    success_message = gettext_lazy("Đã ghi buổi tiếp công dân “%(object)s”.")

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": timezone.localdate(), "citizens": 0}

    def perform(self, form: Any) -> Reception:
        return services.reception_create(
            actor=self.request.user, file=form.cleaned_data.get("file") or None, **_data(form)
        )


reception_create = ReceptionCreateView.as_view()


class ReceptionUpdateView(_ReceptionObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = FORM_TEMPLATE
    form_class = ReceptionUpdateForm
    form_takes_user = False
    denied_message = gettext_lazy("Bạn không có quyền sửa buổi tiếp công dân này.")
    success_message = gettext_lazy("Đã sửa buổi tiếp công dân.")

    def get_initial(self) -> dict[str, Any]:
        names = ("held_on", "leader", "leader_title", "place", "citizens", "notes")
        return {name: getattr(self.object, name) for name in names}

    def get_title(self) -> str:
        return _("Sửa buổi tiếp công dân %(reception)s") % {"reception": self.object}

    def get_extra_context(self) -> dict[str, Any]:
        return {"reception": self.object}

    def perform(self, form: Any) -> Reception:
        data = _data(form)
        reason = data.pop("reason", "")
        return services.reception_update(
            actor=self.request.user, reception=self.object, reason=reason, **data
        )


reception_update = ReceptionUpdateView.as_view()


# --- "Skilful mass mobilisation" models -------------------------------------------------------


def _model_rows(user: Any) -> QuerySet[MobilisationModel]:
    return selectors.model_list(user).order_by("-year", "unit__path", "id")


def field_figures(rows: QuerySet[MobilisationModel]) -> list[dict[str, Any]]:
    """The number of models in each field among ``rows`` (one query), every field listed."""
    counts = rows.order_by().aggregate(
        **{value: Count("id", filter=Q(field=value)) for value in ModelField.values}
    )
    return [
        {"field": value, "label": label, "count": counts[value]}
        for value, label in ModelField.choices
    ]


class ModelListView(ScopedListView):
    model = MobilisationModel
    selector = _model_rows
    filterset_class = ModelFilterSet
    table_class = ModelTable
    template_name = "dialogues/model_list.html"
    register = "mobilisation_models"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        figures = field_figures(self.object_list)
        context["figures"] = figures
        context["figures_total"] = sum(row["count"] for row in figures)
        return context


model_list = ModelListView.as_view()


class _ModelObject:
    model = MobilisationModel
    rows = selectors.model_list


class ModelDetailView(_ModelObject, ScopedDetailView):
    context_object_name = "model"
    template_name = "dialogues/model_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "can_change": scope.can_on(self.request.user, self.object, scope.CHANGE),
        }


model_detail = ModelDetailView.as_view()


def _on_name(error: ValidationError) -> ValidationError:
    """The unique constraint (one model of a name per unit and year) said on the name."""
    if not hasattr(error, "error_dict") or NON_FIELD_ERRORS not in error.error_dict:
        return error
    placed = dict(error.error_dict)
    placed.setdefault("name", []).extend(placed.pop(NON_FIELD_ERRORS))
    return ValidationError(placed)


class ModelCreateView(ServiceFormView):
    model = MobilisationModel
    area = AREA
    template_name = MODEL_FORM_TEMPLATE
    form_class = MobilisationModelForm
    title = gettext_lazy("Ghi mô hình dân vận khéo")
    cancel_url = "dialogues:model_list"
    denied_field = "unit"
    success_message = gettext_lazy("Đã ghi mô hình “%(object)s”.")

    def get_initial(self) -> dict[str, Any]:
        return {"year": timezone.localdate().year}

    def perform(self, form: Any) -> MobilisationModel:
        try:
            return services.model_create(
                actor=self.request.user, file=form.cleaned_data.get("file") or None,
                **_data(form),
            )  # fmt: skip
        except ValidationError as error:
            raise _on_name(error) from error


model_create = ModelCreateView.as_view()


class ModelUpdateView(_ModelObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = MODEL_FORM_TEMPLATE
    form_class = MobilisationModelUpdateForm
    form_takes_user = False
    denied_message = gettext_lazy("Bạn không có quyền sửa mô hình dân vận khéo này.")
    success_message = gettext_lazy("Đã sửa mô hình dân vận khéo.")

    def get_initial(self) -> dict[str, Any]:
        names = ("year", "name", "field", "recognition", "description")
        return {name: getattr(self.object, name) for name in names}

    def get_title(self) -> str:
        return _("Sửa mô hình “%(name)s”") % {"name": self.object.name}

    def get_extra_context(self) -> dict[str, Any]:
        return {"model": self.object}

    def perform(self, form: Any) -> MobilisationModel:
        data = _data(form)
        reason = data.pop("reason", "")
        try:
            return services.model_update(
                actor=self.request.user, model=self.object, reason=reason, **data
            )
        except ValidationError as error:
            raise _on_name(error) from error


model_update = ModelUpdateView.as_view()
