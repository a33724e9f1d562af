"""Kernel form widgets.

:class:`DateInput` is the one date input of the portal: a text box typed as dd/mm/yyyy (never
the browser's ``<input type=date>``, which shows the browser's own language format, e.g.
mm/dd/yyyy in an English Chromium), which ``static/js/dates.js`` turns into a calendar picker.
Without JavaScript it stays a plain text box. Use it through :class:`longbien.core.forms.DateField`.

:class:`AutocompleteSelect` and :class:`AutocompleteSelectMultiple` are the one picker of a
person, a document or a unit: see :mod:`longbien.core.lookups`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
DATE_PLACEHOLDER = "dd/mm/yyyy"
# What the browser lets through before the server checks the date: d/m/yyyy with / - or . as
# separator, ISO yyyy-mm-dd, or eight digits (ddmmyyyy, for phone keypads without a slash).
# Written for the "v" regular-expression mode that browsers use for the pattern attribute.
DATE_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{8})\s*"


class DateInput(forms.DateInput):
    """A dd/mm/yyyy text input marked for the calendar picker (``data-datepicker``)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults: dict[str, Any] = {
            "inputmode": "numeric",
            "placeholder": DATE_PLACEHOLDER,
            "pattern": DATE_PATTERN,
            "title": _("Ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026"),
            "autocomplete": "off",
            "size": 10,
            "data-datepicker": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)


class AutocompleteSelect(forms.Select):
    """A ``<select>`` holding only the chosen option, which ``static/js/pickers.js`` turns into
    a type-to-search picker asking ``/tra-cuu/<lookup>/?q=…`` (:mod:`longbien.core.lookups`).

    The page is not hundreds of options long, and without JavaScript the select still posts
    what was chosen (an edit form keeps its value). Used through
    :class:`longbien.core.forms.AutocompleteModelChoiceField`, which sets :attr:`lookup`.
    """

    #: The registered lookup's name and the query-string parameters it is asked with.
    lookup: str = ""
    lookup_params: dict[str, str]

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs=attrs, choices=choices)
        self.lookup_params = {}

    def lookup_url(self) -> str:
        url = reverse("lookup", args=[self.lookup])
        return f"{url}?{urlencode(self.lookup_params)}" if self.lookup_params else url

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: Any = None) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.setdefault("data-picker", "multiple" if self.allow_multiple_selected else "single")
        attrs["data-lookup-url"] = self.lookup_url()
        attrs.setdefault(
            "data-placeholder", str(_("Gõ vài chữ của tên, mã hoặc số hiệu rồi chọn…"))
        )
        attrs.setdefault("data-no-results", str(_("Không tìm thấy trong phạm vi của bạn.")))
        attrs.setdefault("data-loading", str(_("Đang tìm…")))
        attrs.setdefault("data-clear", str(_("Bỏ chọn")))
        attrs.setdefault("data-remove", str(_("Bỏ mục này")))
        return attrs

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list:
        """Only the chosen options (and an empty one for a single select)."""
        chosen = [str(v) for v in value if v not in ("", None)]
        options: list[dict[str, Any]] = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not chosen, 0))
        for index, (option_value, label) in enumerate(self.chosen_choices(chosen), start=1):
            options.append(self.create_option(name, option_value, label, True, index))
        return [(None, options, 0)]

    def chosen_choices(self, chosen: list[str]) -> list[tuple[Any, str]]:
        if not chosen:
            return []
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:  # plain choices: keep those chosen
            return [(v, label) for v, label in self.choices if str(v) in chosen]
        field = self.choices.field
        key = field.to_field_name or "pk"
        wanted = chosen if key == "pk" else [*chosen, *(value.upper() for value in chosen)]
        try:
            rows = list(queryset.filter(**{f"{key}__in": wanted}))
        except (ValueError, TypeError, ValidationError):
            return []
        order = {value.upper(): index for index, value in enumerate(chosen)}
        pairs = [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in rows]
        return sorted(pairs, key=lambda pair: order.get(str(pair[0]).upper(), len(order)))


class AutocompleteSelectMultiple(AutocompleteSelect, forms.SelectMultiple):
    """Several choices (two wards, three people), each removable, typed for as one."""

    allow_multiple_selected = True
