from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import (
    AutocompleteModelChoiceField,
    AutocompleteModelMultipleChoiceField,
    DateField,
    bind_pickers,
)
from longbien.org import scope
from longbien.org.models import Position
from longbien.org.selectors import unit_choices

from .choices import DecisionKind, Rating

RATING_CHOICES = [("", "---------"), *Rating.choices]
#: The units a cadres form may name (the ``/tra-cuu/don-vi/`` lookup's parameters).
CADRE_UNITS = {"area": scope.Area.CADRES, "action": scope.CHANGE}


def _month_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12)


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)


PERSON_HELP = _("Gõ vài chữ của họ tên hoặc mã cán bộ (ví dụ LB00012) rồi chọn.")


class PersonCodeField(AutocompleteModelChoiceField):
    """A person typed for by name or code and picked (``/tra-cuu/can-bo/``, posted by code).

    Only the people the form's user may name (:func:`cadres.selectors.people_in_scope`) are
    offered or accepted: a code outside the scope gets the same error as an unknown one.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Cán bộ"))
        kwargs.setdefault("help_text", PERSON_HELP)
        super().__init__("can-bo", **kwargs)
        self.error_messages["invalid_choice"] = _("Không có cán bộ mã “%(value)s”.")


class PeopleCodesField(AutocompleteModelMultipleChoiceField):
    """Several people, typed for one after another (or codes pasted, separated by commas).

    Looked up only among the people the form's user may name: codes outside the scope are
    reported exactly as unknown ones, by the code typed and nothing else.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Cán bộ"))
        kwargs.setdefault("help_text", PERSON_HELP)
        super().__init__("can-bo", **kwargs)
        self.error_messages["invalid_choice"] = _("Không có cán bộ mã: %(value)s.")

    def clean(self, value: Any) -> list[Any]:
        """The people in the order picked (or typed)."""
        people = {person.code: person for person in super().clean(value)}
        return [people[code] for code in self.split_values(value) or () if code in people]


class ScopedForm(forms.Form):
    """A form whose people and units are picked within ``user``'s scope."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        bind_pickers(self, user)


class EvaluationCreateForm(ScopedForm):
    person = PersonCodeField()
    year = _year_field()
    month = _month_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month


class SelfAssessForm(forms.Form):
    self_assessment = forms.CharField(
        label=_("Tự nhận xét (kết quả thực hiện nhiệm vụ được giao)"), widget=forms.Textarea
    )
    self_rating = forms.ChoiceField(label=_("Tự xếp loại"), choices=RATING_CHOICES)


class AssessForm(forms.Form):
    superior_assessment = forms.CharField(
        label=_("Nhận xét của cấp trên trực tiếp"), widget=forms.Textarea, required=False
    )
    proposed_rating = forms.ChoiceField(label=_("Đề xuất xếp loại"), choices=RATING_CHOICES)


class ApproveForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Xếp loại phê duyệt"), choices=RATING_CHOICES, required=False,
        help_text=_("Để trống để dùng mức cấp trên đề xuất."),
    )  # fmt: skip


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), max_length=500)


class ReviseForm(forms.Form):
    rating = forms.ChoiceField(label=_("Xếp loại mới"), choices=RATING_CHOICES)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=500)


class RateUnassessedForm(forms.Form):
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=RATING_CHOICES)
    reason = forms.CharField(
        label=_("Lý do cán bộ không tự đánh giá"), max_length=500, widget=forms.Textarea,
        help_text=_(
            "Bắt buộc; ví dụ: nghỉ ốm dài ngày, đi học tập trung, không nộp bản tự đánh giá. "
            "Lý do được lưu trên phiếu và trong nhật ký."
        ),
    )  # fmt: skip


class GridPickForm(forms.Form):
    """The unit and month shown on the approval grid."""

    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    year = _year_field()
    month = _month_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(
            user=user, action=scope.CHANGE, area=scope.Area.CADRES
        )
        self.fields["unit"].to_field_name = "code"
        self.fields["unit"].label_from_instance = lambda u: "— " * u.depth + u.name


class DecisionForm(ScopedForm):
    person = PersonCodeField()
    kind = forms.ChoiceField(label=_("Loại quyết định"), choices=DecisionKind.choices)
    symbol = forms.CharField(
        label=_("Số quyết định"), max_length=40, help_text=_("Ví dụ: 125-QĐ/QU")
    )
    decision_date = DateField(label=_("Ngày quyết định"))
    to_position = forms.ModelChoiceField(
        label=_("Chức vụ mới"), queryset=Position.objects.all(), required=False
    )
    to_unit = AutocompleteModelChoiceField(
        "don-vi", lookup_params=CADRE_UNITS, label=_("Đơn vị mới"), required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


def _unit_field(user: Any) -> forms.ModelChoiceField:
    """The unit holding a test or a training: typed for, posted by code."""
    field = AutocompleteModelChoiceField(
        "don-vi", lookup_params=CADRE_UNITS, label=_("Đơn vị tổ chức"), to_field_name="code"
    )
    field.bind(user)
    return field


class PlanForm(ScopedForm):
    person = PersonCodeField()
    year = _year_field()
    commitments = forms.CharField(
        label=_("Nội dung cam kết tu dưỡng, rèn luyện"), widget=forms.Textarea
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PlanReviewForm(forms.Form):
    month = _month_field()
    note = forms.CharField(label=_("Nhận xét của chi bộ"), widget=forms.Textarea)


class TestForm(forms.Form):
    subject = forms.CharField(label=_("Nội dung sát hạch"), max_length=300)
    held_on = DateField(label=_("Ngày sát hạch"))
    pass_mark = forms.CharField(
        label=_("Điểm đạt"), max_length=10, initial="50", help_text=_("Thang điểm 100.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(user), **self.fields}


class PeopleForm(ScopedForm):
    people = PeopleCodesField()


class AssignmentForm(ScopedForm):
    person = PersonCodeField(label=_("Mã đảng viên"))
    year = _year_field()
    task = forms.CharField(label=_("Nhiệm vụ được phân công"), widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class AssignmentResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả cuối năm"), choices=RATING_CHOICES)
    result_note = forms.CharField(label=_("Ghi chú kết quả"), max_length=300, required=False)


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("Tên lớp"), max_length=300)
    start_date = DateField(label=_("Từ ngày"))
    end_date = DateField(label=_("Đến ngày"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(user), **self.fields}
