"""The filters of a register: one django-filter ``FilterSet`` per list page, scoped to the user.

A register's filterset subclasses :class:`ScopedFilterSet` and declares what its page filters:
``search_fields`` (folded columns searched by ``?q=``), a unit filter (:func:`unit_filter`: a
subtree, its choices the units the user may see), a period (:func:`period_filters`: year,
quarter and month read through :mod:`longbien.periods`, on a date field or on year/month
columns) and the model's own fields (state, kind). The list page applies it after
``restrict()``, and the export of the register applies the same filterset to the same
restricted rows (:func:`for_export`), so the export holds exactly what the page shows.

The parameters stay in the URL: sorting and paging keep them.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from longbien import periods
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.text import fold

from . import search
from .widgets import AutocompleteSelect

__all__ = [
    "PeriodNumberFilter",
    "choice_filter",
    "ScopedFilterSet",
    "for_export",
    "period_filters",
    "register_export_filters",
    "unit_filter",
]


class _PeriodNumberField(forms.CharField):
    """A year, quarter or month typed in the URL: checked by :mod:`longbien.periods`."""

    def __init__(self, *args: Any, period_name: str = "year", **kwargs: Any) -> None:
        self.period_name = period_name
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> int | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            periods.from_query({self.period_name: value})
        except ValidationError as error:
            raise ValidationError(error.message_dict[self.period_name]) from error
        return int(value)


class PeriodNumberFilter(django_filters.Filter):
    """One part of a period (``year``, ``quarter`` or ``month``) on a date or a number field.

    With ``date_field`` the rows whose date falls in the period are kept (the quarter and month
    within the year given, or this year); otherwise the model's ``field_name`` column holds
    the number itself (``year``, ``month``; a quarter becomes its three months).
    """

    field_class = _PeriodNumberField

    def __init__(self, *args: Any, period_name: str = "year", date_field: str = "", **kwargs):
        self.period_name = period_name
        self.date_field = date_field
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 5, "inputmode": "numeric"}))
        super().__init__(*args, period_name=period_name, **kwargs)

    def filter(self, qs: models.QuerySet, value: Any) -> models.QuerySet:
        if value in (None, ""):
            return qs
        data = self.parent.form.cleaned_data
        if self.date_field:
            if self.period_name == "year" and (data.get("month") or data.get("quarter")):
                return qs  # the month or quarter filter reads the year itself
            the_year = data.get("year") or periods.timezone.localdate().year
            period = {
                "year": lambda: periods.year(value),
                "quarter": lambda: periods.quarter(the_year, value),
                "month": lambda: periods.month(the_year, value),
            }[self.period_name]()
            return qs.filter(
                **{f"{self.date_field}__gte": period.start, f"{self.date_field}__lte": period.end}
            )
        if self.period_name == "quarter":
            if data.get("month"):
                return qs
            months = range(3 * value - 2, 3 * value + 1)
            return qs.filter(**{f"{self.field_name}__in": months})
        return qs.filter(**{self.field_name: value})


def period_filters(
    *, date_field: str = "", year_field: str = "year", month_field: str = "month"
) -> dict[str, django_filters.Filter]:
    """The ``year``, ``quarter`` and ``month`` filters of a register (spread into the class);
    on a date field also ``start`` and ``end``, the first and last day of any period (a term,
    six months): the drill-down of an indicator (:class:`longbien.indicators.Drill`) opens the
    register with them, on the date the indicator counts by."""
    days: dict[str, django_filters.Filter] = {}
    if date_field:
        widget = forms.DateInput(attrs={"size": 10, "placeholder": "dd/mm/yyyy"})
        days = {
            "start": django_filters.DateFilter(field_name=date_field, lookup_expr="gte",
                                               label=_("Từ ngày"), widget=widget),
            "end": django_filters.DateFilter(field_name=date_field, lookup_expr="lte",
                                             label=_("Đến ngày"), widget=widget),
        }  # fmt: skip
    return {
        "year": PeriodNumberFilter(
            field_name=year_field, period_name="year", date_field=date_field, label=_("Năm")
        ),
        "quarter": PeriodNumberFilter(
            field_name=month_field, period_name="quarter", date_field=date_field, label=_("Quý")
        ),
        "month": PeriodNumberFilter(
            field_name=month_field, period_name="month", date_field=date_field, label=_("Tháng")
        ),
        **days,
    }


def unit_filter(
    area: str, *, field_name: str = "unit", label: Any = None
) -> django_filters.ModelChoiceFilter:
    """A unit and everything under it; the choices are the units the user may see in ``area``.

    The unit is named by its code in the URL (``?unit=P-BODE``); a unit out of scope is not a
    choice, so it is refused as an invalid value (the rows stay restricted anyway).
    """

    def choices(request: Any) -> models.QuerySet[OrgUnit]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return OrgUnit.objects.none()
        return (
            OrgUnit.objects.filter(
                scope.unit_q(user, area, scope.VIEW, unit_field=""), valid_to__isnull=True
            )
            .only("id", "code", "name", "path", "depth")
            .order_by("path")
        )

    def subtree(queryset: models.QuerySet, name: str, value: OrgUnit | None) -> models.QuerySet:
        if value is None:
            return queryset
        return queryset.filter(**{f"{field_name}__path__startswith": value.path})

    chooser = django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=choices,
        to_field_name="code",
        method=subtree,
        label=label or _("Đơn vị"),
        empty_label=_("Tất cả"),
    )
    chooser.picker_area = area  # type: ignore[attr-defined]
    return chooser


def wide_scope(user: Any, area: str) -> bool:
    """Whether the user reads ``area`` over a whole city (a unit at the top, or everything):
    thousands of units, too many for a ``<select>`` drawn on every page of a register."""
    paths = scope.scope_paths(user, area, scope.VIEW)
    return any(path == "" or path.count("/") <= 1 for path in paths)


def choice_filter(choices: Any, label: Any, field_name: str = "") -> django_filters.ChoiceFilter:
    """A state or a kind: "Tất cả" first, then the choices."""
    kwargs = {"field_name": field_name} if field_name else {}
    return django_filters.ChoiceFilter(
        choices=choices, label=label, empty_label=_("Tất cả"), **kwargs
    )


class ScopedFilterSet(django_filters.FilterSet):
    """A register's filters: ``?q=`` through ``search_fields``, then the declared filters.

    ``within_field`` (a unit field path) narrows the rows to the unit picked in the header
    (``request.current_unit``) unless the page's own unit filter names one. Invalid values
    (a year "20x6") are reported by :meth:`error_messages` and left out of the filtering.
    """

    search_fields: tuple[str, ...] = ()
    within_field: str = ""

    q = django_filters.CharFilter(method="filter_search", label=_("Tìm"))

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **kw: Any):
        # Always bound: no parameter is an empty filter, so the form is read the same way.
        super().__init__(data if data is not None else {}, queryset, request=request, **kw)
        if not self.search_fields:
            self.filters.pop("q", None)
        for name in ("q",):
            if name in self.filters:
                self.form.fields[name].widget.input_type = "search"
        self._unit_pickers(getattr(request, "user", None))

    def _unit_pickers(self, user: Any) -> None:
        """A unit filter over a city-wide scope is a type-to-search picker (``/tra-cuu/don-vi/``):
        its ``<select>`` of every unit (4,000 at city scale) cost most of a register's page."""
        if user is None or not user.is_authenticated:
            return
        for name, declared in self.filters.items():
            area = getattr(declared, "picker_area", "")
            if not area or not wide_scope(user, area):
                continue
            field = self.form.fields[name]
            widget = AutocompleteSelect(attrs=field.widget.attrs)
            widget.lookup = "don-vi"
            widget.lookup_params = {"area": str(area), "value": "code"}
            widget.choices = field.choices
            widget.is_required = field.required
            field.widget = widget

    def filter_search(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        if not fold(value or ""):
            return queryset
        return queryset.filter(search.text_q(self.search_fields, value, queryset.model))

    def filter_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        queryset = super().filter_queryset(queryset)
        current = getattr(self.request, "current_unit", None)
        if self.within_field and current is not None and not self.form.cleaned_data.get("unit"):
            queryset = queryset.filter(**{f"{self.within_field}__path__startswith": current.path})
        return queryset

    @property
    def qs(self) -> models.QuerySet:
        if not hasattr(self, "_qs"):
            # An invalid value is left out (and said on the page), not the whole filtering.
            self.form.is_valid()
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def error_messages(self) -> list[str]:
        if not self.is_bound:
            return []
        return [str(m) for errors in self.form.errors.values() for m in errors]

    def is_active(self) -> bool:
        """Say whether a filter narrows the rows (the page shows "clear the filters")."""
        if not self.is_bound:
            return False
        data = getattr(self.form, "cleaned_data", {})
        return any(value not in (None, "", False, [], ()) for value in data.values())


# --- Exports of what is filtered --------------------------------------------------------------

_EXPORT_FILTERS: dict[str, type[ScopedFilterSet]] = {}


def register_export_filters(register: str, filterset_class: type[ScopedFilterSet]) -> None:
    """Let the export of ``register`` read the same filters as its list page."""
    _EXPORT_FILTERS[register] = filterset_class


def for_export(register: str, request: Any) -> Any:
    """The narrowing of an export: a function of the restricted rows, or None (no filters).

    The filterset applies only to rows of its own model (a register exported as other rows,
    such as a session's results, is exported whole).
    """
    filterset_class = _EXPORT_FILTERS.get(register)
    if filterset_class is None or not request.GET:
        return None

    def narrow(queryset: models.QuerySet) -> models.QuerySet:
        if filterset_class._meta.model is not queryset.model:
            return queryset
        return filterset_class(request.GET, queryset=queryset, request=request).qs

    return narrow
