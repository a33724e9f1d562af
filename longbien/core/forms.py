import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.translation import gettext_lazy as _

from .widgets import DateInput

# What a date field accepts: dd/mm/yyyy first (also d/m/yyyy), then dd-mm-yyyy and dd.mm.yyyy,
# ISO yyyy-mm-dd for pasted values, and ddmmyyyy (eight digits) for phone keypads.
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d%m%Y")
FIRST_YEAR, LAST_YEAR = 1900, 2100


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy whatever the browser's or the interface's language.

    Every form's date goes through this field (model forms get it from :class:`ModelForm`),
    with :class:`longbien.core.widgets.DateInput`: a text box with a calendar picker. The
    formats do not depend on the locale, so 11/01/2026 is always 11 January 2026.
    """

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026."),
        "out_of_range": _("Năm phải từ %(first)s đến %(last)s."),
    }

    def strptime(self, value: str, format: str) -> dt.date:
        if format == "%d%m%Y" and not re.fullmatch(r"\d{8}", value):
            raise ValueError(value)  # 1112026 could be 1/11 or 11/1
        return super().strptime(value, format)

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return day


def formfield_callback(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Give a model's DateField the kernel :class:`DateField` (DateTimeField is left alone)."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)


class _ModelFormMetaclass(ModelFormMetaclass):
    """Set :func:`formfield_callback` on every subclass's Meta unless it names its own.

    Django reads ``formfield_callback`` only from a form's own ``Meta``, which subclasses
    usually redefine; the metaclass puts it there so no model form can forget it.
    """

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            attrs["Meta"] = type(
                "Meta", (meta,), {"formfield_callback": staticmethod(formfield_callback)}
            )
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """The base of every model form: dates are :class:`DateField` (dd/mm/yyyy, calendar)."""


class LoginForm(AuthenticationForm):
    """The login form; field labels in Vietnamese."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)
