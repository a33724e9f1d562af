"""The forms of the confidential cases (denunciations and disciplinary complaints).

No form has a field for the denouncer: their identity stays on the paper file, referenced by
its code (``paper_reference``).
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

from ..choices import CaseKind, CaseLevel, CaseOutcome, DayCount, SubjectType

# The units a case may name: those where the user handles cases (the lookup's rows and the
# ids the form accepts are the same).
CASE_UNITS = {"area": scope.Area.CONFIDENTIAL, "action": scope.CHANGE}

IDENTITY_NOTE = _(
    "Danh tính người tố cáo được giữ bí mật trên hồ sơ giấy, tra cứu theo số hồ sơ giấy; "
    "không ghi họ tên, địa chỉ, số điện thoại hay giấy tờ tùy thân của người tố cáo vào "
    "cổng thông tin, kể cả trong phần tóm tắt."
)


def _unit(label: Any, **kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField("don-vi", lookup_params=CASE_UNITS, label=label, **kwargs)


def _summary() -> forms.CharField:
    return forms.CharField(
        label=_("Tóm tắt nội dung"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Chỉ nội dung tố cáo, khiếu nại; không ghi danh tính người tố cáo."),
    )


def _paper_reference() -> forms.CharField:
    return forms.CharField(
        label=_("Số hồ sơ giấy"),
        max_length=40,
        help_text=_("Mã tra cứu hồ sơ giấy lưu danh tính người tố cáo, ví dụ: TC-05/2026."),
    )


class CaseForm(forms.Form):
    """Receive a case: what, when, about whom, who handles it; never who sent it."""

    kind = forms.ChoiceField(label=_("Loại đơn"), choices=CaseKind.choices)
    level = forms.ChoiceField(
        label=_("Cấp giải quyết"), choices=CaseLevel.choices, initial=CaseLevel.DISTRICT
    )
    received_on = DateField(
        label=_("Ngày cơ quan có thẩm quyền nhận đơn"),
        help_text=_("Thời hạn giải quyết tính từ ngày này."),
    )
    paper_reference = _paper_reference()
    subject_type = forms.ChoiceField(label=_("Đối tượng"), choices=SubjectType.choices)
    unit = _unit(
        _("Tổ chức đảng bị tố cáo, khiếu nại (hoặc nơi sinh hoạt)"),
        required=False,
        help_text=_("Với đảng viên: để trống thì lấy đơn vị sinh hoạt của đảng viên."),
    )
    person = AutocompleteModelChoiceField(
        "can-bo", label=_("Đảng viên bị tố cáo, khiếu nại"), required=False
    )
    summary = _summary()
    handling_body = _unit(_("Cơ quan giải quyết"))
    file = forms.FileField(label=_("Tệp đính kèm"), required=False)

    identity_note = IDENTITY_NOTE

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class CaseUpdateForm(forms.Form):
    paper_reference = _paper_reference()
    summary = _summary()
    handling_body = _unit(_("Cơ quan giải quyết"))
    reason = ChangeReasonField()

    identity_note = IDENTITY_NOTE

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class CaseConcludeForm(forms.Form):
    conclusion = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(
        label=_("Kết quả"), choices=[("", "---------"), *CaseOutcome.choices]
    )
    concluded_on = DateField(label=_("Ngày kết luận"))


class CaseExtendForm(forms.Form):
    new_due_on = DateField(label=_("Hạn giải quyết mới"))
    reason = forms.CharField(
        label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TimeLimitForm(forms.Form):
    """One row of the time limits: the kind and level are the row's, hidden."""

    kind = forms.ChoiceField(choices=CaseKind.choices, widget=forms.HiddenInput)
    level = forms.ChoiceField(choices=CaseLevel.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Số ngày"), min_value=1, max_value=365)
    day_count = forms.ChoiceField(label=_("Cách tính"), choices=DayCount.choices)
    reason = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)
