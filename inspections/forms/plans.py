"""The forms of the annual inspection and supervision plans and their items.

Units and members are picked (``/tra-cuu/don-vi/``, ``/tra-cuu/dang-vien/``), never typed blind;
the units offered are those where the user plans (Area.INSPECTION_PLANS, change), the same
rows the form accepts. Months are whole months of the plan's year.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import AutocompleteModelChoiceField, ChangeReasonField, bind_pickers
from longbien.org import scope

from ..choices import Activity, SubjectType

# The units a planner may name: where they plan (the lookup's rows are the accepted ids).
PLAN_UNITS = {"area": scope.Area.INSPECTION_PLANS, "action": scope.CHANGE}
# The lead body of a visit may be any body the user sees in the plans area.
LEAD_BODIES = {"area": scope.Area.INSPECTION_PLANS, "action": scope.VIEW}
MONTHS = [(month, _("Tháng %(month)s") % {"month": month}) for month in range(1, 13)]


def _month(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=MONTHS, coerce=int)


class PlanForm(forms.Form):
    """A body's plan for a year (the service names it when no title is given)."""

    body = AutocompleteModelChoiceField(
        "don-vi", lookup_params=PLAN_UNITS, label=_("Cơ quan lập kế hoạch"),
        help_text=_("Gõ vài chữ của tên hoặc mã đơn vị rồi chọn."),
    )  # fmt: skip
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Tên kế hoạch"), max_length=300, required=False,
        help_text=_("Để trống: “Kế hoạch kiểm tra, giám sát năm … của …”."),
    )  # fmt: skip
    reason = ChangeReasonField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})
        bind_pickers(self, user)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"body": data["body"], "year": data["year"], "title": data.get("title", "")}


class PlanItemForm(forms.Form):
    """One planned visit: of whom, on what, in which months, led by which body."""

    activity = forms.ChoiceField(label=_("Hoạt động"), choices=Activity.choices)
    subject_type = forms.ChoiceField(
        label=_("Đối tượng"), choices=SubjectType.choices, initial=SubjectType.ORGANISATION
    )
    topic = forms.CharField(
        label=_("Nội dung"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_unit = AutocompleteModelChoiceField(
        "don-vi", lookup_params=PLAN_UNITS, label=_("Đơn vị được kiểm tra, giám sát"),
        required=False,
        help_text=_("Tổ chức đảng được kiểm tra, giám sát; với đảng viên có thể để trống "
                    "(lấy nơi sinh hoạt của đảng viên)."),
    )  # fmt: skip
    target_person = AutocompleteModelChoiceField(
        "dang-vien", label=_("Đảng viên được kiểm tra, giám sát"), required=False,
        help_text=_("Chỉ chọn khi đối tượng là đảng viên."),
    )  # fmt: skip
    start_month = _month(_("Từ tháng"))
    end_month = _month(_("Đến tháng"))
    lead_body = AutocompleteModelChoiceField(
        "don-vi", lookup_params=LEAD_BODIES, label=_("Cơ quan chủ trì đoàn"), required=False,
        help_text=_("Để trống: cơ quan lập kế hoạch."),
    )  # fmt: skip
    reason = ChangeReasonField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "activity", "subject_type", "topic", "target_unit", "target_person",
                "start_month", "end_month", "lead_body",
            )
        }  # fmt: skip


class CoordinationForm(forms.Form):
    """The coordination page's choice (GET): a unit (picked, posted as its code) and a year."""

    UNIT, YEAR = "don-vi", "nam"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.UNIT] = AutocompleteModelChoiceField(
            "don-vi", lookup_params=LEAD_BODIES, label=_("Đơn vị"), to_field_name="code"
        )
        self.fields[self.YEAR] = forms.IntegerField(
            label=_("Năm"), min_value=2000, max_value=2100,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )  # fmt: skip
        bind_pickers(self, user)


class PlanItemApproveForm(forms.Form):
    """The approval of an item: a justification, required (by the service) when it overlaps."""

    justification = forms.CharField(
        label=_("Giải trình trùng lặp"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bắt buộc khi nội dung trùng lịch với kế hoạch của cơ quan khác; "
                    "được lưu cùng nội dung và trong lịch sử thay đổi."),
    )  # fmt: skip
