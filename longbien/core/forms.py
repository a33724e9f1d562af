import datetime as dt
import re
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import renderers as django_forms
from django.forms.models import ModelFormMetaclass
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import lookups
from .widgets import AutocompleteSelect, AutocompleteSelectMultiple, DateInput

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


class ChangeReasonField(forms.CharField):
    """The "reason for change" of an edit form, written into the record's history.

    A create form has nothing to give a reason for: :class:`~longbien.core.generic.ServiceFormView`
    drops this field when it creates (:func:`drop_change_reason`), and the service gets ``""``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Lý do thay đổi"))
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("required", False)
        if not kwargs["required"]:
            kwargs.setdefault("help_text", _("Không bắt buộc; được ghi vào lịch sử thay đổi."))
        super().__init__(**kwargs)


def drop_change_reason(form: forms.BaseForm) -> list[str]:
    """Remove the form's :class:`ChangeReasonField` fields (a create form); return their names."""
    names = [name for name, field in form.fields.items() if isinstance(field, ChangeReasonField)]
    for name in names:
        del form.fields[name]
    form.dropped_reasons = names  # type: ignore[attr-defined]
    return names


# --- Pickers -------------------------------------------------------------------------------------

PICKER_ERRORS = {
    "invalid_choice": _(
        "Lựa chọn này không có trong phạm vi của bạn (hoặc không còn nữa); "
        "hãy gõ vài chữ rồi chọn trong danh sách."
    ),
    "invalid_list": _("Hãy chọn trong danh sách."),
    "invalid_pk_value": _("“%(pk)s” không phải là một lựa chọn hợp lệ."),
    "required": _("Hãy chọn ô này: gõ vài chữ của tên, mã hoặc số hiệu rồi chọn."),
}


class _Picker:
    """What both picker fields share: the lookup, its parameters and the scoped queryset.

    The field's queryset is the lookup's (:meth:`longbien.core.lookups.Lookup.rows`) for the
    form's user, set by :meth:`bind` (``form.__init__`` calls :func:`bind_pickers`): the hits
    offered and the ids accepted come from the same selector. A form may narrow it further.
    """

    lookup: str
    lookup_params: dict[str, str]
    widget: Any

    def setup(self, lookup: str, params: dict[str, str] | None) -> None:
        self.lookup = lookup
        self.lookup_params = {k: str(v) for k, v in (params or {}).items()}
        self.widget.lookup = lookup
        self.widget.lookup_params = dict(self.lookup_params)
        self.error_messages = {**self.error_messages, **PICKER_ERRORS}  # type: ignore[has-type]

    def bind(self, user: Any) -> None:
        item = lookups.get(self.lookup)
        value = getattr(self, "to_field_name", None)  # a field posting a code asks for it
        if value and value != item.value_field:
            item.value_name(value)
            self.widget.lookup_params = {**self.lookup_params, "value": value}
        else:
            self.to_field_name = None if item.value_field == "pk" else item.value_field
        self.queryset = item.rows(user, **self.lookup_params)  # type: ignore[attr-defined]

    def label_from_instance(self, obj: Any) -> str:
        try:
            return str(lookups.get(self.lookup).label(obj))
        except LookupError:
            return str(obj)


class AutocompleteModelChoiceField(_Picker, forms.ModelChoiceField):
    """One person, document or unit, typed for and picked (``/tra-cuu/<lookup>/``)."""

    widget = AutocompleteSelect

    def __init__(
        self,
        lookup: str,
        *,
        lookup_params: dict[str, str] | None = None,
        queryset: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(queryset, **kwargs)
        self.setup(lookup, lookup_params)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and self.to_field_name == "code":
            value = value.strip().upper()
        return super().to_python(value)


class AutocompleteModelMultipleChoiceField(_Picker, forms.ModelMultipleChoiceField):
    """Several (two wards, three people), typed for and picked one after another."""

    widget = AutocompleteSelectMultiple

    def __init__(
        self,
        lookup: str,
        *,
        lookup_params: dict[str, str] | None = None,
        queryset: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(queryset, **kwargs)
        self.setup(lookup, lookup_params)

    def split_values(self, value: Any) -> Any:
        """Codes may also be posted as one text ("LB00001, LB00002"): a script or a paste."""
        if self.to_field_name != "code" or not value:
            return value
        items = [value] if isinstance(value, str) else list(value)
        codes = (code.upper() for item in items for code in re.split(r"[\s,;]+", str(item)))
        return list(dict.fromkeys(code for code in codes if code))

    def clean(self, value: Any) -> Any:
        return super().clean(self.split_values(value))

    def _check_values(self, value: Any) -> Any:
        """As Django's, but an unknown or out-of-scope choice names all of them at once."""
        key = self.to_field_name or "pk"
        values = list(dict.fromkeys(str(v) for v in value))
        for item in values:
            self.validate_no_null_characters(item)
            try:
                self.queryset.filter(**{key: item})
            except (ValueError, TypeError, ValidationError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                ) from None
        rows = self.queryset.filter(**{f"{key}__in": values})
        found = {str(getattr(row, key)) for row in rows}
        unknown = [item for item in values if item not in found]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": ", ".join(unknown)},
            )
        return rows


def bind_pickers(form: forms.BaseForm, user: Any) -> None:
    """Give every picker field of ``form`` the queryset of its lookup for ``user``."""
    for field in form.fields.values():
        if isinstance(field, _Picker):
            field.bind(user)


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


class FormRenderer(DjangoTemplates):
    """Django's form renderer (``settings.FORM_RENDERER``), its ``input`` and ``select`` widget
    templates drawn without an ``{% include %}`` per option and per attribute list.

    Django's ``select.html`` includes ``select_option.html`` for every option, which includes
    ``attrs.html``; a register's filter bar (six selects, some forty options) spent a tenth of
    its page there. The templates under ``longbien/core/form_templates`` write the same markup
    in place (an option drawn by another template is still included);
    ``tests/core/test_form_renderer.py`` checks that every widget draws the same HTML as with
    Django's renderer.
    """

    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).resolve().parent / "form_templates",
                    Path(django_forms.__file__).resolve().parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
