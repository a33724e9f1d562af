"""The register pages' rows (Table.body_html): a plain column's cell made on the page's fast
path is the cell django-tables2's ``BoundRow.get_cell`` makes, on every table of the demo."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from longbien.core import tables
from tests.conftest import make_user
from tests.reporting.conftest import demo  # noqa: F401 - the module's demo fixture

pytestmark = pytest.mark.django_db


def _registers(request) -> list[tuple[object, list]]:
    """Every register page's view with the first rows it reads (the selectors annotate what
    some columns show, and a view may prepare its rows for its table)."""
    import longbien.urls  # noqa: F401 - every app's views (and so tables) imported
    from longbien.core.generic import ScopedListView

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = []
    for view_class in set(subclasses(ScopedListView)):
        if view_class.table_class is None:
            continue
        view = view_class()
        view.setup(request)
        try:
            rows = list(view.get_queryset()[:40])
        except (KeyError, AttributeError, TypeError):
            continue  # a register nested under a record (its URL names the record)
        if rows:
            found.append((view, rows))
    return found


def _body(view, rows, *, fast: bool, monkeypatch) -> str:
    if not fast:
        monkeypatch.setattr(tables.Table, "_cell_maker", lambda self, bound: None)
    body = str(view.get_table(rows).body_html())
    monkeypatch.undo()
    return body


def test_every_table_draws_the_same_cells_on_the_fast_path(demo, monkeypatch):  # noqa: F811
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    from longbien.org.models import OrgUnit

    request.user = make_user("bang_admin", "admin", unit=OrgUnit.objects.get(code="QU-LB"))
    drawn = 0
    for view, rows in _registers(request):
        fast = _body(view, rows, fast=True, monkeypatch=monkeypatch)
        slow = _body(view, rows, fast=False, monkeypatch=monkeypatch)
        assert fast == slow, type(view).__name__
        assert fast.count("<tr ") == len(rows)
        drawn += 1
    assert drawn >= 15  # the demo fills most registers


def test_plain_columns_take_the_fast_path_and_the_rest_do_not():
    from cadres.tables import EvaluationTable
    from dialogues.tables.cases import CaseTable

    table = CaseTable([], selectable=True)
    fast = {column.name for column in table.columns if table._cell_maker(column) is not None}
    # render_content and render_due_on, the table's own methods of plain columns, are
    # called on the fast path too (with the arguments they name).
    assert {"received_on", "source", "status", "select", "content", "due_on", "outcome"} <= fast
    # The kernel's columns drawn in Python (a date, a state's badge) are on the fast path.
    assert {type(table.columns[name].column) for name in ("received_on", "status")} == {
        tables.DateColumn,
        tables.BadgeColumn,
    }
    evaluations = EvaluationTable([])
    assert all(evaluations._cell_maker(column) is not None for column in evaluations.columns)


def test_the_kernels_python_columns_draw_what_their_templates_drew(tree):
    """A link, a date and a state's badge, drawn in Python, are the markup the registers'
    templates drew (``{{ record.title|truncatechars:12 }}`` and the rest), escaped the same."""
    import datetime as dt

    from django.template import Context, Template

    from longbien.org.models import Person

    person = Person(code="CB-1", full_name="Nguyễn <Văn> & An", unit=tree.ward_a)
    person.save()
    person.status, person.day = "approved", dt.date(2026, 3, 5)

    def drawn(column, name):
        table = type("T", (tables.Table,), {name: column, "Meta": tables.Table.Meta})([person])
        return str(table.body_html()).split(">", 2)[2].rsplit("</td>", 1)[0]

    def template(code):
        return Template("{% load vn %}" + code).render(Context({"record": person}))

    assert drawn(tables.LinkColumn(accessor="full_name"), "name") == template(
        '<a href="{{ record.get_absolute_url }}">{{ record.full_name }}</a>'
    )
    assert drawn(
        tables.LinkColumn(accessor="full_name", truncate=12, inside="strong"), "n"
    ) == template(
        '<a href="{{ record.get_absolute_url }}"><strong>{{ record.full_name|truncatechars:12 }}'
        "</strong></a>"
    )
    link = tables.LinkColumn(accessor="code", url=lambda r: f"/x/{r.pk}?a&b")
    assert drawn(link, "c") == f'<a href="/x/{person.pk}?a&amp;b">CB-1</a>'  # as {% url %} is
    assert (
        drawn(tables.DateColumn(accessor="day"), "d")
        == "05/03/2026"
        == template("{{ record.day|vn_short_date }}")
    )
    assert drawn(tables.DateColumn(accessor="birth_date", default="–"), "b") == "–"
    badge = tables.BadgeColumn({"approved": "green"}, accessor="full_name")
    assert drawn(badge, "s") == template('<span class="badge green">{{ record.full_name }}</span>')
    person.status = "draft"
    assert drawn(badge, "s") == '<span class="badge">Nguyễn &lt;Văn&gt; &amp; An</span>'


def test_a_tables_render_method_is_called_with_the_arguments_it_names(tree):
    """As django-tables2's call_with_appropriate: the names it asks for, all of them to a
    catch-all; a method naming anything else, or replacing a kernel column's render, stays
    on get_cell. An empty value is the column's default: the method is not called."""
    import django_tables2 as dt2

    from longbien.org.models import Person

    person = Person.objects.create(code="CB-9", full_name="Lê Thị Hoa", unit=tree.ward_a)
    calls = []

    class T(tables.Table):
        full_name = dt2.Column()
        code = dt2.Column()
        sex = dt2.Column(default="–")
        unit = dt2.Column()
        birth_date = tables.DateColumn()

        class Meta(tables.Table.Meta):
            model = Person
            fields = ()

        def render_full_name(self, value, record):
            calls.append("full_name")
            return f"{value}/{record.code}"

        def render_code(self, **given):
            return ",".join(sorted(given))

        def render_sex(self, value):
            calls.append("sex")
            return value

        def render_unit(self, value, missing):
            return "never"

        def render_birth_date(self, value):
            return "never"

    table = T([person])
    made = {c.name: table._cell_maker(c) for c in table.columns}
    assert made["unit"] is None and made["birth_date"] is None
    row = next(iter(table.rows))
    assert made["full_name"](row, person) == "Lê Thị Hoa/CB-9"
    assert made["code"](row, person) == "bound_column,bound_row,column,record,table,value"
    assert made["code"](row, person) == row.get_cell("code")
    assert made["sex"](row, person) == "–" == row.get_cell("sex")
    assert calls == ["full_name"]
