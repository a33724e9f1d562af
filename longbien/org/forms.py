from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import DateField, ModelForm
from longbien.org import scope

from . import selectors
from .choices import Role
from .models import OrgUnit, Person, Position


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return "— " * obj.depth + obj.name


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Lý do thay đổi"), required=False, max_length=300,
        help_text=_("Không bắt buộc; được ghi vào lịch sử thay đổi."),
    )  # fmt: skip


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đơn vị"), max_length=40, help_text=_("Ví dụ: P-BODE, CB-BODE-01")
    )
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=OrgUnit._meta.get_field("kind").choices)
    parent = UnitChoiceField(
        label=_("Đơn vị cấp trên"), queryset=OrgUnit.objects.none(), required=False
    )
    valid_from = DateField(label=_("Hiệu lực từ"), required=False)
    reason = _reason_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.unit_choices(user=user, action=scope.CHANGE)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class UnitCloseForm(forms.Form):
    on_date = DateField(label=_("Ngày giải thể / sáp nhập"))
    successor = UnitChoiceField(
        label=_("Sáp nhập vào đơn vị"), queryset=OrgUnit.objects.none(), required=False,
        help_text=_("Để trống nếu giải thể; các đơn vị trực thuộc và cán bộ chuyển sang đơn vị kế thừa."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Căn cứ (số quyết định)"), max_length=300)

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = selectors.unit_choices(
            user=user, action=scope.CHANGE
        ).exclude(path__startswith=unit.path)


class PersonForm(ModelForm):
    reason = _reason_field()

    class Meta:
        model = Person
        fields = [
            "code", "full_name", "birth_date", "sex", "party_member_since", "unit", "position",
            "management_level", "is_active",
        ]  # fmt: skip
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.unit_choices(user=user, action=scope.CHANGE)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PositionChangeForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    position = forms.ModelChoiceField(label=_("Chức vụ"), queryset=None)
    start_date = DateField(label=_("Từ ngày"))
    note = forms.CharField(label=_("Ghi chú (số quyết định)"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.unit_choices(user=user, action=scope.CHANGE)
        self.fields["position"].queryset = Position.objects.all()


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=())
    unit = UnitChoiceField(
        label=_("Trên đơn vị"), queryset=OrgUnit.objects.none(),
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
        self.fields["unit"].queryset = selectors.role_unit_choices(user=user)


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
