"""Forms of the inspection and supervision records, their follow-ups and discipline decisions.

Every form only reads and shapes the input: the services (``inspections.services``) decide.
Units, bodies and members are pickers (``/tra-cuu/don-vi/``, ``/tra-cuu/dang-vien/``) bound to
the user's scope by :func:`~longbien.core.forms.bind_pickers`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import (
    AutocompleteModelChoiceField,
    ChangeReasonField,
    DateField,
    bind_pickers,
)
from longbien.org import scope

from .. import selectors
from ..choices import (
    Activity,
    DisciplineForm,
    InspectionKind,
    InspectionStatus,
    SubjectType,
)
from ..models import Inspection

Area = scope.Area

# The units a record may name (the inspected organisation, the follow-up's owner): those the
# user may change in the inspections area, as the services require.
UNITS = {"area": Area.INSPECTIONS, "action": scope.CHANGE}
# The body that conducts or decides: any active unit the user may see.
BODIES = {"area": Area.ORG, "action": scope.VIEW}
# How many recommendations the conclusion page offers at once (more are added afterwards).
RECOMMENDATIONS = 3


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _unit_field(label: Any, **kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField("don-vi", lookup_params=UNITS, label=label, **kwargs)


def _body_field(label: Any, **kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField("don-vi", lookup_params=BODIES, label=label, **kwargs)


def _member_field(**kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField(
        "dang-vien",
        label=_("Đảng viên được kiểm tra, giám sát"),
        required=False,
        help_text=_("Chỉ chọn khi đối tượng là đảng viên; gõ vài chữ của họ tên hoặc mã."),
        **kwargs,
    )


class InspectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Inspection) -> str:
        day = obj.concluded_on or obj.starts_on
        return f"{day:%d/%m/%Y} · {obj.unit.name} · {obj.topic}"


class InspectionForm(forms.Form):
    """Record an inspection or supervision (service ``inspection_create``)."""

    activity = forms.ChoiceField(label=_("Hoạt động"), choices=Activity.choices)
    subject_type = forms.ChoiceField(label=_("Đối tượng"), choices=SubjectType.choices)
    kind = forms.ChoiceField(label=_("Loại"), choices=InspectionKind.choices)
    topic = forms.CharField(label=_("Nội dung"), max_length=300)
    unit = _unit_field(
        _("Tổ chức đảng được kiểm tra, giám sát"),
        required=False,
        help_text=_("Khi đối tượng là đảng viên, để trống: lấy nơi sinh hoạt của đảng viên."),
    )
    person = _member_field()
    conducting_body = _body_field(_("Cơ quan tiến hành"))
    plan_item = AutocompleteModelChoiceField(
        "noi-dung-ke-hoach",
        label=_("Thực hiện nội dung kế hoạch"),
        required=False,
        help_text=_("Để trống nếu ngoài kế hoạch; gõ vài chữ của nội dung hoặc đơn vị."),
    )
    team = _text(_("Đoàn kiểm tra, giám sát"), rows=2, required=False)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc dự kiến"), required=False)
    file = forms.FileField(
        label=_("Tệp đính kèm"), required=False,
        help_text=_("Quyết định, kế hoạch của đoàn; PDF, Word hoặc ảnh chụp."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class InspectionUpdateForm(forms.Form):
    """Correct a record (service ``inspection_update``); the conclusion once concluded."""

    topic = forms.CharField(label=_("Nội dung"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại"), choices=InspectionKind.choices)
    team = _text(_("Đoàn kiểm tra, giám sát"), rows=2, required=False)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc dự kiến"), required=False)
    findings = _text(_("Kết quả kiểm tra, giám sát"), rows=4, required=False)
    conclusion = _text(_("Kết luận"), rows=4, required=False)
    concluded_on = DateField(label=_("Ngày kết luận"), required=False)
    reason = ChangeReasonField()

    CONCLUSION_FIELDS = ("findings", "conclusion", "concluded_on")

    def __init__(self, *args: Any, user: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if inspection.status != InspectionStatus.CONCLUDED:
            for name in self.CONCLUSION_FIELDS:
                del self.fields[name]


class ConcludeForm(forms.Form):
    """The conclusion and its recommendations, each becoming a follow-up of a unit."""

    findings = _text(_("Kết quả kiểm tra, giám sát"), rows=4, required=False)
    conclusion = _text(_("Kết luận"), rows=4)
    concluded_on = DateField(label=_("Ngày kết luận"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, RECOMMENDATIONS + 1):
            self.fields[f"rec{index}_content"] = _text(
                _("Kiến nghị %(n)s: nội dung") % {"n": index}, rows=2, required=False
            )
            self.fields[f"rec{index}_owner_unit"] = _unit_field(
                _("Kiến nghị %(n)s: đơn vị thực hiện") % {"n": index}, required=False
            )
            self.fields[f"rec{index}_deadline"] = DateField(
                label=_("Kiến nghị %(n)s: thời hạn") % {"n": index}, required=False
            )
        bind_pickers(self, user)

    def groups(self) -> list[list[forms.BoundField]]:
        """The recommendation fieldsets, for the template."""
        return [
            [self[f"rec{i}_{name}"] for name in ("content", "owner_unit", "deadline")]
            for i in range(1, RECOMMENDATIONS + 1)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("findings", "conclusion", "concluded_on")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for index in range(1, RECOMMENDATIONS + 1):
            names = {key: f"rec{index}_{key}" for key in ("content", "owner_unit", "deadline")}
            values = {key: data.get(name) for key, name in names.items()}
            if not any(values.values()) and not any(name in self.errors for name in names.values()):
                continue
            if not (values["content"] or "").strip():
                self.add_error(names["content"], _("Hãy ghi nội dung kiến nghị."))
            if values["owner_unit"] is None and names["owner_unit"] not in self.errors:
                self.add_error(names["owner_unit"], _("Hãy chọn đơn vị thực hiện."))
            if values["deadline"] is None and names["deadline"] not in self.errors:
                self.add_error(names["deadline"], _("Hãy ghi thời hạn."))
        return data

    def recommendations(self) -> list[dict[str, Any]]:
        """The filled recommendations, as the service's ``recommendations`` argument."""
        data = self.cleaned_data
        return [
            {
                "content": data[f"rec{i}_content"],
                "owner_unit": data[f"rec{i}_owner_unit"],
                "deadline": data[f"rec{i}_deadline"],
            }
            for i in range(1, RECOMMENDATIONS + 1)
            if (data.get(f"rec{i}_content") or "").strip()
        ]

    def conclusion_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("findings", "conclusion", "concluded_on")}


class FollowUpForm(forms.Form):
    """A recommendation added after the conclusion (service ``follow_up_add``)."""

    content = _text(_("Nội dung kiến nghị"), rows=3)
    owner_unit = _unit_field(_("Đơn vị thực hiện"))
    deadline = DateField(label=_("Thời hạn"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class FollowUpCompleteForm(forms.Form):
    """A follow-up carried out (service ``follow_up_complete``)."""

    completed_on = DateField(label=_("Ngày hoàn thành"))
    evidence = _text(_("Kết quả thực hiện"), rows=4)
    file = forms.FileField(
        label=_("Tài liệu minh chứng"), required=False,
        help_text=_("Không bắt buộc; được lưu vào hồ sơ cuộc kiểm tra, giám sát."),
    )  # fmt: skip


class DisciplineCreateForm(forms.Form):
    """A discipline decision (service ``discipline_create``), the form fitting the subject."""

    subject_type = forms.ChoiceField(label=_("Đối tượng"), choices=SubjectType.choices)
    form = forms.ChoiceField(
        label=_("Hình thức kỷ luật"), choices=DisciplineForm.choices,
        help_text=_("Đảng viên: khiển trách, cảnh cáo, cách chức, khai trừ. "
                    "Tổ chức đảng: khiển trách, cảnh cáo, giải tán."),
    )  # fmt: skip
    unit = _unit_field(
        _("Tổ chức đảng bị kỷ luật"),
        required=False,
        help_text=_("Khi đối tượng là đảng viên, để trống: lấy nơi sinh hoạt của đảng viên."),
    )
    person = AutocompleteModelChoiceField(
        "dang-vien", label=_("Đảng viên bị kỷ luật"), required=False,
        help_text=_("Chỉ chọn khi đối tượng là đảng viên."),
    )  # fmt: skip
    symbol = forms.CharField(label=_("Số quyết định"), max_length=40)
    decided_on = DateField(label=_("Ngày quyết định"))
    deciding_body = _body_field(_("Cơ quan quyết định"))
    inspection = InspectionChoiceField(
        queryset=Inspection.objects.none(),
        label=_("Cuộc kiểm tra làm căn cứ"),
        required=False,
        empty_label=_("Không có"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        self.fields["inspection"].queryset = (
            selectors.inspection_list(user)
            .filter(status__in=[InspectionStatus.CONCLUDED, InspectionStatus.CLOSED])
            .order_by("-concluded_on", "-id")
        )


class BoardUnitForm(forms.Form):
    """The unit of the follow-up board (``?don-vi=<code>``), picked by name or code."""

    PARAM = "don-vi"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.PARAM] = AutocompleteModelChoiceField(
            "don-vi",
            lookup_params={"area": Area.INSPECTIONS, "action": scope.VIEW},
            label=_("Đơn vị"),
            to_field_name="code",
            required=False,
        )
        bind_pickers(self, user)
