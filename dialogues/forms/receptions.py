"""Forms of the citizen reception sessions and the "skilful mass mobilisation" models.

Every form only reads and shapes the input: the services (``dialogues.services``) decide,
and their refusals land on these fields. Units are pickers (area dialogues, change).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import ChangeReasonField, DateField, bind_pickers
from longbien.org import scope
from longbien.org.forms import unit_picker

from ..choices import ModelField, Recognition

AREA = scope.Area.DIALOGUES


def _text(label: Any, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


class ReceptionUpdateForm(forms.Form):
    """Correct a reception session (service ``reception_update``)."""

    held_on = DateField(label=_("Ngày tiếp"))
    leader = forms.CharField(label=_("Lãnh đạo tiếp công dân"), max_length=200)
    leader_title = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    citizens = forms.IntegerField(
        label=_("Số lượt công dân"), min_value=0, initial=0,
        error_messages={"min_value": _("Số lượt công dân không được âm.")},
    )  # fmt: skip
    notes = _text(_("Ghi chú"), required=False)
    reason = ChangeReasonField()


class ReceptionForm(ReceptionUpdateForm):
    """Record a reception session (service ``reception_create``)."""

    unit = unit_picker(_("Đơn vị"), area=AREA, action=scope.CHANGE)
    file = forms.FileField(
        label=_("Tệp đính kèm"), required=False,
        help_text=_("Biên bản, sổ tiếp công dân; PDF, Word hoặc ảnh chụp."),
    )  # fmt: skip

    field_order = ["unit", "held_on", "leader", "leader_title", "place", "citizens", "notes",
                   "file"]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class MobilisationModelUpdateForm(forms.Form):
    """Correct a model (service ``model_update``)."""

    year = forms.IntegerField(label=_("Năm"))
    name = forms.CharField(label=_("Tên mô hình"), max_length=300)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=_blank(ModelField.choices))
    recognition = forms.ChoiceField(label=_("Cấp công nhận"), choices=_blank(Recognition.choices))
    description = _text(_("Mô tả, kết quả"), rows=5, required=False)
    reason = ChangeReasonField()


class MobilisationModelForm(MobilisationModelUpdateForm):
    """Register a model of a unit for a year (service ``model_create``)."""

    unit = unit_picker(_("Đơn vị"), area=AREA, action=scope.CHANGE)
    file = forms.FileField(
        label=_("Tệp đính kèm"), required=False,
        help_text=_("Quyết định công nhận, báo cáo; PDF, Word hoặc ảnh chụp."),
    )  # fmt: skip

    field_order = ["unit", "year", "name", "field", "recognition", "description", "file"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
