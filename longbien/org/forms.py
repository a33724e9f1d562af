from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import (
    AutocompleteModelChoiceField,
    ChangeReasonField,
    DateField,
    ModelForm,
    bind_pickers,
)
from longbien.org import scope

from .choices import Role
from .models import OrgUnit, Person, Position


def unit_picker(
    label: Any, *, area: str = scope.Area.ORG, action: str = scope.CHANGE, **kwargs: Any
) -> AutocompleteModelChoiceField:
    """A unit typed for by name or code among those the user may ``action`` in ``area``.

    The ``/tra-cuu/don-vi/`` lookup (:mod:`longbien.org.pickers`): the form calls
    :func:`~longbien.core.forms.bind_pickers` with its user.
    """
    return AutocompleteModelChoiceField(
        "don-vi", lookup_params={"area": area, "action": action}, label=label, **kwargs
    )


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đơn vị"), max_length=40, help_text=_("Ví dụ: P-BODE, CB-BODE-01")
    )
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=OrgUnit._meta.get_field("kind").choices)
    parent = unit_picker(_("Đơn vị cấp trên"), required=False)
    valid_from = DateField(label=_("Hiệu lực từ"), required=False)
    reason = ChangeReasonField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class UnitCloseForm(forms.Form):
    on_date = DateField(label=_("Ngày giải thể / sáp nhập"))
    successor = unit_picker(
        _("Sáp nhập vào đơn vị"), required=False,
        help_text=_("Để trống nếu giải thể; các đơn vị trực thuộc và cán bộ chuyển sang đơn vị kế thừa."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Căn cứ (số quyết định)"), max_length=300)

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        successor = self.fields["successor"]
        successor.queryset = successor.queryset.exclude(path__startswith=unit.path)


class PersonForm(ModelForm):
    unit = unit_picker(_("Đơn vị"))
    reason = ChangeReasonField()

    class Meta:
        model = Person
        fields = [
            "code", "full_name", "birth_date", "sex", "party_member_since", "unit", "position",
            "management_level", "is_active",
        ]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PositionChangeForm(forms.Form):
    unit = unit_picker(_("Đơn vị"))
    position = forms.ModelChoiceField(label=_("Chức vụ"), queryset=None)
    start_date = DateField(label=_("Từ ngày"))
    note = forms.CharField(label=_("Ghi chú (số quyết định)"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        self.fields["position"].queryset = Position.objects.all()


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=())
    unit = unit_picker(
        _("Trên đơn vị"), area=scope.Area.ROLES,
        help_text=_("Vai trò có hiệu lực trên đơn vị này và mọi đơn vị trực thuộc."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Căn cứ (số quyết định)"), required=False, max_length=300,
        help_text=_("Không bắt buộc; được ghi vào lịch sử thay đổi."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Role.choices
        if not scope.covers_a_root(user, scope.Area.ROLES, scope.CHANGE):
            # The admin role is handed out by an administrator of a whole tree only.
            choices = [(value, label) for value, label in choices if value != Role.ADMIN]
        self.fields["role"].choices = [("", "---------"), *choices]
        bind_pickers(self, user)  # the units of selectors.role_unit_choices


class RoleHeadsForm(forms.Form):
    """Mark an inspection role as heading the Inspection Committee (or take the mark back)."""

    marker = "heads_committee"

    assignment = forms.IntegerField(widget=forms.HiddenInput)
    heads_committee = forms.TypedChoiceField(
        choices=[("1", _("Có")), ("0", _("Không"))],
        coerce=lambda value: value == "1",
        label=_("Lãnh đạo Ủy ban Kiểm tra"),
    )
    reason = forms.CharField(label=_("Căn cứ"), required=False, max_length=300)


class RoleRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi (số quyết định)"), max_length=300,
        help_text=_("Bắt buộc; được ghi vào lịch sử thay đổi."),
    )  # fmt: skip

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Hãy ghi lý do thu hồi quyền."))
        return reason


class TermForm(forms.Form):
    code = forms.CharField(label=_("Mã nhiệm kỳ"), max_length=20, help_text=_("Ví dụ: 2025-2030"))
    name = forms.CharField(label=_("Tên nhiệm kỳ"), max_length=200)
    start_date = DateField(label=_("Ngày bắt đầu"))
    end_date = DateField(label=_("Ngày kết thúc"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."))
        return data
