"""The forms of the public-opinion cases: intake, assignment, answer, transfer, merge."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import DateField, bind_pickers
from longbien.org import scope
from longbien.org.forms import unit_picker

from ..choices import CaseCategory, CaseSource, Outcome, Urgency
from ..models import DialogueIssue, Reception

AREA = scope.Area.DIALOGUES

CITIZEN_NOTE = _(
    "Họ tên, điện thoại và địa chỉ người phản ánh là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): "
    "không bắt buộc; chỉ bộ phận Dân vận và đơn vị được giao xử lý xem được."
)

# The decision of the intake's second step (after the similar open cases are shown).
SAVE_NEW = "new"


def _text(label: Any, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


class CaseForm(forms.Form):
    """Take in a case; the citizen's data is optional (personal data)."""

    source = forms.ChoiceField(label=_("Nguồn"), choices=_blank(CaseSource.choices))
    received_on = DateField(label=_("Ngày tiếp nhận"))
    content = _text(_("Nội dung phản ánh"), rows=5)
    unit = unit_picker(_("Đơn vị liên quan"), area=AREA, action=scope.CHANGE)
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=_blank(CaseCategory.choices))
    urgency = forms.ChoiceField(label=_("Mức độ"), choices=Urgency.choices, initial=Urgency.NORMAL)
    citizen_name = forms.CharField(
        label=_("Họ tên người phản ánh"), max_length=200, required=False,
        help_text=_("Dữ liệu cá nhân; không bắt buộc."),
    )  # fmt: skip
    citizen_phone = forms.CharField(
        label=_("Điện thoại người phản ánh"), max_length=20, required=False,
        help_text=_("Dữ liệu cá nhân; không bắt buộc."),
    )  # fmt: skip
    citizen_address = forms.CharField(
        label=_("Địa chỉ người phản ánh"), max_length=300, required=False,
        help_text=_("Dữ liệu cá nhân; không bắt buộc."),
    )  # fmt: skip
    file = forms.FileField(label=_("Tệp đính kèm"), required=False)
    # The second step: "new" saves a new case; a case's id saves and merges into it.
    decision = forms.CharField(required=False, widget=forms.HiddenInput)
    # The issue raised at a dialogue that opens the case (``?y-kien=<id>``), if any.
    dialogue_issue = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The citizen reception session the case is received at (``?tiep-cong-dan=<id>``), if any.
    reception = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The file chosen before the duplicate step, kept by the page (a signed token; see
    # ``views.cases.stage_upload``): a browser never sends a chosen file twice.
    staged_file = forms.CharField(required=False, widget=forms.HiddenInput)
    drop_staged_file = forms.BooleanField(label=_("Không lưu tệp đã chọn"), required=False)

    citizen_note = CITIZEN_NOTE

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        bind_pickers(self, user)
        posted = self.data.get(self.add_prefix("reception")) if self.is_bound else None
        if self.initial.get("reception") or posted:
            # Received at a reception session: that is its source (the service says so too).
            source = self.fields["source"]
            source.required = False
            source.disabled = bool(self.initial.get("reception"))
            source.help_text = _("Vụ việc tiếp nhận tại buổi tiếp công dân.")

    def clean_reception(self) -> Reception | None:
        pk = self.cleaned_data.get("reception")
        if not pk:
            return None
        reception = Reception.objects.restrict(self.user).filter(pk=pk).first()
        if reception is None:
            raise forms.ValidationError(_("Không tìm thấy buổi tiếp công dân này."))
        return reception

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reception") is not None:
            data["source"] = CaseSource.RECEPTION
        return data

    def clean_dialogue_issue(self) -> DialogueIssue | None:
        pk = self.cleaned_data.get("dialogue_issue")
        if not pk:
            return None
        issue = DialogueIssue.objects.restrict(self.user).filter(pk=pk).first()
        if issue is None:
            raise forms.ValidationError(_("Không tìm thấy ý kiến tại đối thoại này."))
        return issue

    def clean_decision(self) -> str:
        value = (self.cleaned_data.get("decision") or "").strip()
        if value and value != SAVE_NEW and not value.isdigit():
            raise forms.ValidationError(
                _("Hãy chọn: lưu thành vụ việc mới, hoặc gộp vào một vụ việc.")
            )
        return value


class CaseAssignForm(forms.Form):
    unit = unit_picker(_("Đơn vị xử lý"), area=AREA, action=scope.CHANGE)
    due_on = DateField(
        label=_("Hạn trả lời"), required=False,
        help_text=_("Để trống thì tính theo mức độ khẩn, bằng ngày làm việc kể từ hôm nay."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class CaseReassignForm(CaseAssignForm):
    reason = _text(_("Lý do giao lại"), rows=3)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["due_on"].help_text = _("Để trống thì giữ hạn trả lời hiện tại.")


class CaseAnswerForm(forms.Form):
    answer = _text(_("Nội dung trả lời"), rows=5)
    answered_on = DateField(label=_("Ngày trả lời"))
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=_blank([(v, label) for v, label in Outcome.choices
                        if v in (Outcome.RESOLVED, Outcome.EXPLAINED)]),
    )  # fmt: skip
    file = forms.FileField(label=_("Tệp đính kèm"), required=False)


class CaseTransferForm(forms.Form):
    transferred_to = forms.CharField(label=_("Chuyển đến cơ quan"), max_length=300)
    reason = _text(_("Lý do"), rows=3, required=False)


class CaseMergeForm(forms.Form):
    """Merge into one of the similar open cases, or into a case named by its number."""

    into = forms.TypedChoiceField(
        label=_("Vụ việc tương tự"), required=False, coerce=int, empty_value=None,
        widget=forms.RadioSelect,
    )  # fmt: skip
    into_id = forms.IntegerField(
        label=_("Hoặc số vụ việc"), required=False, min_value=1,
        help_text=_("Số vụ việc (#) cần gộp vào, nếu không có trong danh sách trên."),
    )  # fmt: skip
    reason = _text(_("Lý do"), rows=2, required=False)

    def __init__(self, *args: Any, similar: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [(c.pk, str(c)) for c in similar]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        target = data.get("into_id") or data.get("into")
        if not target and not self.errors:
            raise forms.ValidationError(_("Hãy chọn vụ việc cần gộp vào, hoặc ghi số vụ việc."))
        data["target"] = target
        return data


class UnitPeriodForm(forms.Form):
    nam = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    quy = forms.TypedChoiceField(
        label=_("Quý"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Cả năm")), *[(q, _("Quý %(q)s") % {"q": q}) for q in range(1, 5)]],
    )  # fmt: skip
