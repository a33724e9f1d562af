"""Kernel form widgets.

:class:`DateInput` is the one date input of the portal: a text box typed as dd/mm/yyyy (never
the browser's ``<input type=date>``, which shows the browser's own language format, e.g.
mm/dd/yyyy in an English Chromium), which ``static/js/dates.js`` turns into a calendar picker.
Without JavaScript it stays a plain text box. Use it through :class:`longbien.core.forms.DateField`.
"""

from __future__ import annotations

from typing import Any

from django import forms
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
