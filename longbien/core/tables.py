"""The tables of the registers: one django-tables2 base, the column chooser and bulk actions.

A register declares a :class:`Table` (its columns, the keys of its sort) in its app's
``tables.py``; :class:`~longbien.core.generic.ScopedListView` sorts the filtered rows by the
``?sort=`` column in the database, pages them, and draws the page's rows with
``templates/includes/table.html`` (the filters, the result count and the sort stay in the URL).

- Phones: columns marked :func:`low` are hidden below 600 px; the rest scroll inside the
  table's own container, never the page.
- Column chooser ("Cấu hình bảng"): a wide table's optional columns are shown or hidden per
  user; the choice is kept in the session (:func:`visible_columns`, :func:`save_columns`).
- Bulk actions (:class:`BulkAction`): a checkbox column, an action bar, a confirmation page
  naming how many rows will be touched; every row goes through the service (so permissions,
  the workflow and the audit hold) and a row refused is reported, not skipped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import django_tables2 as tables
import django_tables2.utils
from django import forms
from django.db import models
from django.template import Context, Template
from django.template.base import render_value_in_context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_tables2.utils import OrderBy, OrderByTuple

from longbien.formatting import vn_number, vn_short_date

from .memo import kept_answer

__all__ = [
    "BadgeColumn",
    "BulkAction",
    "DateColumn",
    "LinkColumn",
    "NumberColumn",
    "NoteForm",
    "PythonColumn",
    "Table",
    "TemplateColumn",
    "low",
    "num",
    "save_columns",
    "table_named",
    "visible_columns",
]

SESSION_KEY = "table_columns"
SORT_PARAM = "sort"
LOW = "col-low"
#: A table with fewer optional columns than this has no column chooser (it is not wide).
CHOOSER_MIN_COLUMNS = 4

_TABLES: dict[str, type[Table]] = {}


_COMPILED: dict[str, Template] = {}


class TemplateColumn(tables.TemplateColumn):
    """django-tables2's column drawn from a template, its ``template_code`` compiled once per
    process instead of once per cell (the library compiles it for every cell it draws: a
    page of 50 rows with three such columns compiled 150 templates, a fifth of its time)."""

    def render(self, record: Any, table: Any, value: Any, bound_column: Any, **kwargs: Any) -> Any:
        if not self.template_code:
            return super().render(record, table, value, bound_column, **kwargs)
        compiled = _COMPILED.get(self.template_code)
        if compiled is None:
            compiled = _COMPILED[self.template_code] = Template(self.template_code)
        parent_context = getattr(table, "context", None)
        if parent_context is None:
            parent_context = Context()
        context = self.get_context_data(
            record=record, table=table, value=value, bound_column=bound_column, **kwargs
        )
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return compiled.render(parent_context)


class PythonColumn(tables.Column):
    """A column whose cells are drawn in Python by its :meth:`draw` (``format_html``), not by
    the template engine: a :class:`TemplateColumn` cell costs 40-60 µs (its context pushed, each
    variable looked up through the engine's chain of tries), one of these a few. The registers'
    recurring cells are such columns (:class:`LinkColumn`, :class:`DateColumn`,
    :class:`NumberColumn`, :class:`BadgeColumn`); :meth:`Table.body_html` calls them directly, django-tables2's
    ``get_cell`` through :meth:`render`. A value in ``empty_values`` shows the column's
    ``default`` (the class's ``blank`` unless given) and is not drawn."""

    #: What an empty cell shows when the column is not given a ``default``.
    blank: ClassVar[Any] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.blank is not None:
            kwargs.setdefault("default", self.blank)
        super().__init__(*args, **kwargs)

    def render(self, record: Any, value: Any, **_kwargs: Any) -> Any:
        return self.draw(record, value)

    def draw(self, record: Any, value: Any) -> Any:
        raise NotImplementedError


class LinkColumn(PythonColumn):
    """The column's value as a link: ``<a href="…">value</a>``.

    The address is ``url(record)`` when given, else ``get_absolute_url()`` of the record or of
    the related record named by ``to`` (``to="document"``). The text is ``shown(value)`` when
    given (``shown=vn_short_date``), cut to ``truncate`` characters as the ``truncatechars``
    filter cuts, and inside an ``inside`` element when named (``strong``, ``code``).
    """

    def __init__(
        self,
        *args: Any,
        to: str = "",
        url: Callable[[Any], str] | None = None,
        shown: Callable[[Any], Any] | None = None,
        truncate: int = 0,
        inside: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.to = django_tables2.utils.Accessor(to) if to else None
        self.url = url
        self.shown = shown
        self.truncate = truncate
        self.inside = inside

    def draw(self, record: Any, value: Any) -> Any:
        if self.url is not None:
            href = self.url(record)
        else:
            target = self.to.resolve(record) if self.to is not None else record
            href = target.get_absolute_url()
        text = self.shown(value) if self.shown is not None else value
        if self.truncate:
            text = Truncator(text).chars(self.truncate)
        if self.inside:
            return format_html('<a href="{}"><{}>{}</{}></a>', href, self.inside, text, self.inside)
        return format_html('<a href="{}">{}</a>', href, text)


class DateColumn(PythonColumn):
    """A date as the portal writes it, dd/mm/yyyy (``vn_short_date``); none is blank."""

    blank = ""

    def draw(self, record: Any, value: Any) -> Any:
        return vn_short_date(value)


class NumberColumn(PythonColumn):
    """A whole number as the portal writes it, 1.004 (``vn_number``); none is "–"."""

    blank = "–"

    def draw(self, record: Any, value: Any) -> Any:
        return vn_number(value)


class BadgeColumn(PythonColumn):
    """A state shown as a badge coloured by the state: ``<span class="badge {tone}">label``.

    ``tones`` maps the states (values of the ``state`` field, ``status`` by default) to a
    badge colour (``green``, ``amber``, ``grey``, ``red``); another state takes ``default``
    (no colour when empty). The label is the column's value, the state's display.
    """

    def __init__(
        self,
        tones: dict[str, str],
        *args: Any,
        default_tone: str = "",
        state: str = "status",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tones = tones
        self.default_tone = default_tone
        self.state = state

    def draw(self, record: Any, value: Any) -> Any:
        tone = self.tones.get(getattr(record, self.state), self.default_tone)
        if tone:
            return format_html('<span class="badge {}">{}</span>', tone, value)
        return format_html('<span class="badge">{}</span>', value)


_signature = django_tables2.utils.signature
_SIGNATURES: dict[Any, Any] = {}


def _kept_signature(fn: Any) -> Any:
    """django-tables2 asks ``inspect.signature`` of a column's ``render_*`` method for every
    cell (a tenth of a page's time); a function's signature does not change: keep it."""
    function = getattr(fn, "__func__", None)
    key = (function, True) if function is not None else (fn, False)
    return kept_answer(_SIGNATURES, key, lambda: _signature(fn))


django_tables2.utils.signature = _kept_signature


def low(**attrs: Any) -> dict[str, Any]:
    """Column ``attrs`` of a column a phone may hide (``col-low``): key columns come first."""
    return {"th": {"class": LOW, **attrs}, "td": {"class": LOW, **attrs}}


def num() -> dict[str, Any]:
    """Column ``attrs`` of a number column (right-aligned)."""
    return {"th": {"class": "num"}, "td": {"class": "num"}}


def unit_column(label: Any = None, **options: Any) -> tables.Column:
    """The column of a record's unit: its name, sorted in tree order (``unit__path``)."""
    return tables.Column(
        accessor="unit__name",
        verbose_name=label if label is not None else _("Đơn vị"),
        order_by="unit__path",
        **options,
    )


#: What ``BoundRow.get_cell`` offers a render method (it passes those the method names).
_CELL_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))


def _called_as_get_cell(method: Callable[..., Any], column: Any) -> Callable[..., Any] | None:
    """``method`` (a table's ``render_<column>``) called with the arguments it names, as
    django-tables2's ``call_with_appropriate`` calls it, the signature read once per page
    rather than once per cell. None for a method naming anything else (get_cell does not call
    it: the slow path keeps that case)."""
    names, catch_all = django_tables2.utils.signature(method)
    if catch_all:
        return lambda **given: method(column=column, **given)
    if not set(names) <= _CELL_ARGUMENTS:
        return None

    def call(**given: Any) -> Any:
        given["column"] = column
        return method(**{name: given[name] for name in names})

    return call


class Table(tables.Table):
    """The portal's table: Vietnamese empty text, sortable headers, the chooser's columns.

    ``config_key`` names the table in a user's chosen columns (the class name by default);
    ``default_hidden`` are the optional columns hidden until the user shows them and
    ``fixed`` the ones the chooser cannot hide (the first column by default).
    """

    config_key: ClassVar[str] = ""
    default_hidden: ClassVar[tuple[str, ...]] = ()
    fixed: ClassVar[tuple[str, ...]] = ()

    class Meta:
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        empty_text = _("Không có dòng nào phù hợp.")
        order_by_field = SORT_PARAM
        page_field = "page"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        key = cls.__dict__.get("config_key") or f"{cls.__module__}.{cls.__name__}"
        cls.config_key = key
        _TABLES[key] = cls

    def __init__(self, data: Any, *, sorted_by: str = "", selectable: bool = False, **kw: Any):
        if selectable:
            kw["extra_columns"] = [
                *kw.get("extra_columns", ()),
                ("select", tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {
                    "data-select-all": "select", "aria-label": _("Chọn tất cả")}}))
            ]  # fmt: skip
            kw["sequence"] = ("select", "...")
        super().__init__(data, **kw)
        if sorted_by:
            # The rows came sorted from the database: only the headers show the sort.
            self._order_by = OrderByTuple(self.valid_sort(sorted_by))

    # Drawing the rows -------------------------------------------------------------------

    def body_html(self) -> SafeString:
        """The page's rows (``<tr>`` … ``</tr>``), drawn in Python: each cell as
        django-tables2 makes it (``BoundRow.get_cell``: accessor, choices' labels, ``render_*``,
        templates, links, defaults) and shown as ``{{ cell }}`` would show it, inside the
        column's ``<td>`` attributes. The same loop in the template read ``column.attrs`` (a
        dozen dicts merged) for every cell and cost a third of a register page; a column's
        ``td`` attributes that are not computed per record are worked out once per page.
        Empty when there are no rows (the template then says so)."""
        context = Context()
        if getattr(self, "context", None) is None:
            self.context = context  # the templates' cells are drawn in it (TemplateColumn)
        columns = list(self.columns)
        opening = [self._td_opening(column) for column in columns]
        cells = [self._cell_maker(column) for column in columns]
        parts: list[str] = []
        for row in self.rows:
            parts.append(format_html("<tr {}>", row.attrs.as_html()))
            record = row.record
            for column, td, make in zip(columns, opening, cells, strict=True):
                cell = row.get_cell(column.name) if make is None else make(row, record)
                if td is None:  # attributes computed from the record or the value
                    column.current_value, column.current_record = cell, record
                    td = format_html("<td {}>", column.attrs["td"].as_html())
                parts += (td, render_value_in_context(cell, context), "</td>")
            parts.append("</tr>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above

    def _cell_maker(self, bound: Any) -> Callable[[Any, Any], Any] | None:
        """A cell of a plain column (``tables.Column`` shown as its value, a
        :class:`PythonColumn`, a :class:`TemplateColumn`, the bulk actions' checkbox), made as ``BoundRow.get_cell`` makes it, with what does not
        change from row to row worked out once per page: the accessor and its parent path,
        whether the field has choices (per class of record), the render method. ``get_cell``
        redid all of it for every cell (half of a register page's rows); a table's own
        ``render_<column>`` of a plain column too, its signature read once. None for any other
        column (links, other column classes, a ``render_*`` replacing another column's
        render): those go through ``get_cell``. ``tests/core/test_table_cells.py`` compares
        both, cell by cell, on every table of the demo."""
        column = bound.column
        kind = type(column)
        if bound.link:
            return None
        render: Callable[..., Any] | None = None
        if getattr(type(self), f"render_{bound.name}", None) is not None:
            # The table's own method replaces a plain column's render (BoundColumn.render).
            if kind is not tables.Column:
                return None
            render = _called_as_get_cell(getattr(self, f"render_{bound.name}"), column)
            if render is None:
                return None
        elif isinstance(column, PythonColumn):
            render = column.render
        elif kind is TemplateColumn:
            if not column.template_code:
                return None
            render = column.render
        elif kind is tables.CheckBoxColumn:
            # The bulk actions' column (:meth:`__init__`): no checked rows, no cell attributes.
            if (
                column.checked is not None
                or column.attrs.get("input")
                or column.attrs.get("td__input")
            ):
                return None

            def render(value: Any, **_kwargs: Any) -> Any:
                return format_html('<input type="checkbox" name="{}" value="{}" />', bound.name,
                                   value)  # fmt: skip
        elif kind is not tables.Column:
            return None
        accessor = django_tables2.utils.Accessor(bound.accessor)
        path, _sep, last = accessor.rpartition(accessor.SEPARATOR)
        parent = django_tables2.utils.Accessor(path)
        empty = column.empty_values
        display = f"get_{last}_display"
        choices: dict[type, bool] = {}

        def make(row: Any, record: Any) -> Any:
            value = None
            remainder = last
            owner = parent.resolve(record, quiet=True)
            if isinstance(owner, models.Model):
                kind_of = type(record)
                has_choices = choices.get(kind_of)
                if has_choices is None:
                    field = accessor.get_field(record)
                    has_choices = choices[kind_of] = bool(getattr(field, "choices", ()))
                shown = getattr(owner, display, None) if has_choices else None
                if shown is not None:
                    value, remainder = shown(), ""
            if remainder:
                with contextlib.suppress(Exception):  # as get_cell: the column's default
                    value = accessor.resolve(record)
            if value in empty:
                return bound.default
            if render is None:
                return value
            return render(record=record, table=self, value=value, bound_column=bound,
                          bound_row=row)  # fmt: skip

        return make

    def _td_opening(self, column: Any) -> str | None:
        """``<td …>`` of a column whose ``td`` attributes are fixed, else None."""
        declared = {**self.attrs, **column.column.attrs}
        td = declared.get("td", declared.get("cell", {}))
        if any(callable(value) for value in td.values()):
            return None
        column.current_value = column.current_record = None
        return format_html("<td {}>", column.attrs["td"].as_html())

    # Sorting in the database -------------------------------------------------------------

    def valid_sort(self, value: str) -> list[str]:
        valid = []
        for alias in (value or "").split(","):
            name = OrderBy(alias.strip()).bare
            if name in self.columns and self.columns[name].orderable:
                valid.append(alias.strip())
        return valid

    @classmethod
    def sort_queryset(cls, queryset: models.QuerySet, value: str) -> models.QuerySet:
        """``queryset`` ordered by the ``?sort=`` columns (ties by id, so pages hold)."""
        table = cls(queryset)
        valid = table.valid_sort(value)
        if not valid:
            return queryset
        table.order_by = valid
        ordered = table.data.data
        descending = valid[0].startswith("-")
        return ordered.order_by(*ordered.query.order_by, "-pk" if descending else "pk")

    # The column chooser ------------------------------------------------------------------

    @classmethod
    def optional_columns(cls) -> list[tuple[str, Any]]:
        """The columns the chooser lists: (name, header), every one but the fixed ones."""
        names = list(cls.base_columns)
        fixed = set(cls.fixed or names[:1]) | {"select"}
        return [
            (name, column.verbose_name or name)
            for name, column in cls.base_columns.items()
            if name not in fixed
        ]

    def apply_choice(self, shown: list[str] | None) -> None:
        """Hide the optional columns the user did not choose (or the default hidden ones)."""
        for name, _header in self.optional_columns():
            if (name in self.default_hidden) if shown is None else (name not in shown):
                self.columns.hide(name)


def table_named(key: str) -> type[Table] | None:
    return _TABLES.get(key)


def visible_columns(request: Any, table_class: type[Table]) -> list[str] | None:
    """The optional columns this user chose to show (None: the table's default)."""
    chosen = request.session.get(SESSION_KEY, {}).get(table_class.config_key)
    return list(chosen) if isinstance(chosen, list) else None


def save_columns(request: Any, table_class: type[Table], shown: list[str] | None) -> None:
    """Keep the user's choice of columns (None: back to the default)."""
    known = {name for name, _header in table_class.optional_columns()}
    stored = dict(request.session.get(SESSION_KEY, {}))
    if shown is None:
        stored.pop(table_class.config_key, None)
    else:
        stored[table_class.config_key] = [name for name in shown if name in known]
    request.session[SESSION_KEY] = stored


# --- Bulk actions -------------------------------------------------------------------------------


class NoteForm(forms.Form):
    """The text a bulk action writes on every row (a report's content, a reason)."""

    note = forms.CharField(
        label=_("Nội dung / lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required


@dataclass(frozen=True)
class BulkAction:
    """One thing done to many rows: ``perform(user, row, note)`` calls the row's service.

    A row's ``PermissionDenied`` or ``ValidationError`` is reported with the row; the other
    rows are still done (each service call is its own transaction).
    """

    name: str
    label: Any
    perform: Callable[[Any, Any, str], Any]
    done: Any = field(
        default=ngettext_lazy(
            "Đã thực hiện “%(action)s” cho %(count)s dòng.",
            "Đã thực hiện “%(action)s” cho %(count)s dòng.",
            "count",
        )
    )
    note: bool = False
    note_required: bool = True
