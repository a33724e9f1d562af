from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import (
    AutocompleteModelChoiceField,
    AutocompleteModelMultipleChoiceField,
    ChangeReasonField,
    DateField,
    ModelForm,
    bind_pickers,
)
from longbien.org import scope

from .choices import DocumentKind, DocumentStatus, IssuerLevel, ReviewKind
from .models import Briefing, Conference

# The units a resolutions form may name, and the documents it may cite: the pickers' lookups
# (``/tra-cuu/don-vi/``, ``/tra-cuu/van-ban/``) and the ids the forms accept are the same rows.
UNITS = {"area": scope.Area.RESOLUTIONS, "action": scope.CHANGE}
ISSUED = {"status": DocumentStatus.ISSUED}
UPPER = {"level": IssuerLevel.UPPER}


def _unit_field(label: Any, **kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField("don-vi", lookup_params=UNITS, label=label, **kwargs)


def _units_field(label: Any, **kwargs: Any) -> AutocompleteModelMultipleChoiceField:
    return AutocompleteModelMultipleChoiceField(
        "don-vi", lookup_params=UNITS, label=label, **kwargs
    )


def _document_field(label: Any, **kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField("van-ban", lookup_params=ISSUED, label=label, **kwargs)


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label=_("Số hiệu"), max_length=40, help_text=_("Ví dụ: 01-CTr/QU, 12-TB/QU, 05-CT/TW")
    )
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices)
    issuing_unit = _unit_field(
        _("Đơn vị ban hành"),
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
    implements = AutocompleteModelMultipleChoiceField(
        "van-ban",
        lookup_params=UPPER,
        label=_("Thực hiện văn bản cấp trên"),
        required=False,
        help_text=_("Gõ số hiệu hoặc vài chữ của trích yếu; chọn được nhiều văn bản."),
    )
    reason = ChangeReasonField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

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
    units = _units_field(
        _("Đơn vị chủ trì"),
        help_text=_("Gõ tên hoặc mã đơn vị rồi chọn; chọn được nhiều đơn vị, mỗi đơn vị nhận một nhiệm vụ."),
    )  # fmt: skip
    deadline = DateField(label=_("Thời hạn"))

    def __init__(self, *args: Any, user: Any, within=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        if within is not None:
            units = self.fields["units"].queryset
            self.fields["units"].queryset = units.filter(path__startswith=within.path).exclude(
                pk=within.pk
            )


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
    reason = ChangeReasonField(required=True)


class ConferenceForm(ModelForm):
    document = _document_field(_("Văn bản"))
    unit = _unit_field(_("Đơn vị tổ chức"))

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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def validate_constraints(self, exclude=None) -> None:
        """Leave the attendance rules to the service, which words them for the user."""


class ReviewForm(forms.Form):
    unit = _unit_field(_("Đơn vị tổ chức"))
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
        bind_pickers(self, user)


class BriefingForm(ModelForm):
    issues = forms.CharField(
        label=_("Vấn đề, kiến nghị được nêu"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi dòng một vấn đề."),
    )  # fmt: skip
    unit = _unit_field(_("Đơn vị chủ trì"))

    class Meta:
        model = Briefing
        fields = ["unit", "kind", "held_on", "attendees", "summary"]
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def issue_rows(self) -> list[dict[str, str]]:
        return [
            {"text": line.strip()}
            for line in self.cleaned_data["issues"].splitlines()
            if line.strip()
        ]


class IssueToTaskForm(forms.Form):
    document = _document_field(_("Văn bản làm căn cứ"))
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=500)
    units = _units_field(_("Đơn vị chủ trì"))
    deadline = DateField(label=_("Thời hạn"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
