from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import DateField, ModelForm
from longbien.org import scope
from longbien.org.forms import UnitChoiceField
from longbien.org.selectors import unit_choices

from .choices import DocumentKind, DocumentStatus, IssuerLevel, ReviewKind
from .models import Briefing, Conference, Document


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return "— " * obj.depth + obj.name


def _units(user: Any):
    return unit_choices(user=user, action=scope.CHANGE, area=scope.Area.RESOLUTIONS)


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label=_("Số hiệu"), max_length=40, help_text=_("Ví dụ: 01-CTr/QU, 12-TB/QU, 05-CT/TW")
    )
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices)
    issuing_unit = UnitChoiceField(
        label=_("Đơn vị ban hành"),
        queryset=None,
        required=False,
        help_text=_("Để trống nếu là văn bản của cấp trên."),
    )
    issuer_name = forms.CharField(
        label=_("Cơ quan ban hành (văn bản cấp trên)"), max_length=200, required=False
    )
    title = forms.CharField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    topics = forms.CharField(
        label=_("Chủ đề"), required=False, help_text=_("Phân cách bằng dấu phẩy.")
    )
    signed_date = DateField(label=_("Ngày ký"))
    signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=DocumentStatus.choices, initial=DocumentStatus.ISSUED
    )
    implements = forms.ModelMultipleChoiceField(
        label=_("Thực hiện văn bản cấp trên"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    reason = forms.CharField(label=_("Lý do thay đổi"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = _units(user)
        self.fields["implements"].queryset = (
            Document.objects.restrict(user)
            .filter(issuer_level=IssuerLevel.UPPER)
            .order_by("-signed_date")
        )

    def clean_topics(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["topics"].split(",") if t.strip()][:20]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        data.pop("implements", None)
        return data


class TaskAssignForm(forms.Form):
    title = forms.CharField(
        label=_("Nội dung nhiệm vụ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Yêu cầu cụ thể"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    units = UnitMultipleChoiceField(
        label=_("Đơn vị chủ trì"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Giữ Ctrl để chọn nhiều đơn vị; mỗi đơn vị nhận một nhiệm vụ."),
    )  # fmt: skip
    deadline = DateField(label=_("Thời hạn"))

    def __init__(self, *args: Any, user: Any, within=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = _units(user)
        if within is not None:
            units = units.filter(path__startswith=within.path).exclude(pk=within.pk)
        self.fields["units"].queryset = units


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Tài liệu minh chứng"), required=False)


class TaskEditForm(forms.Form):
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=500)
    description = forms.CharField(
        label=_("Yêu cầu cụ thể"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = DateField(label=_("Thời hạn"))
    reason = forms.CharField(label=_("Lý do thay đổi"), max_length=300)


class ConferenceForm(ModelForm):
    class Meta:
        model = Conference
        fields = [
            "document",
            "unit",
            "held_on",
            "expected_attendees",
            "present_attendees",
            "learning_reports",
            "missing_reports_note",
        ]
        widgets = {
            "missing_reports_note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["document"].queryset = (
            Document.objects.restrict(user)
            .filter(status=DocumentStatus.ISSUED)
            .order_by("-signed_date")
        )

    def validate_constraints(self, exclude=None) -> None:
        """Leave the attendance rules to the service, which words them for the user."""


class ReviewForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị tổ chức"), queryset=None)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ReviewKind.choices)
    held_on = DateField(label=_("Ngày tổ chức"))
    level = forms.ChoiceField(label=_("Cấp"), choices=IssuerLevel.choices[1:])
    outcome = forms.CharField(
        label=_("Kết quả, đánh giá"), widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Báo cáo sơ kết, tổng kết"), required=False,
        help_text=_("PDF, Word hoặc ảnh chụp; tệp được kiểm tra nội dung trước khi lưu."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)


class BriefingForm(ModelForm):
    issues = forms.CharField(
        label=_("Vấn đề, kiến nghị được nêu"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi dòng một vấn đề."),
    )  # fmt: skip

    class Meta:
        model = Briefing
        fields = ["unit", "kind", "held_on", "attendees", "summary"]
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)

    def issue_rows(self) -> list[dict[str, str]]:
        return [
            {"text": line.strip()}
            for line in self.cleaned_data["issues"].splitlines()
            if line.strip()
        ]


class IssueToTaskForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Văn bản làm căn cứ"), queryset=None)
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=500)
    units = UnitMultipleChoiceField(
        label=_("Đơn vị chủ trì"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    deadline = DateField(label=_("Thời hạn"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units(user)
        self.fields["document"].queryset = (
            Document.objects.restrict(user)
            .filter(status=DocumentStatus.ISSUED)
            .order_by("-signed_date")
        )
