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
    # render_due_on is the table's own method: get_cell calls it.
    assert {"content", "received_on", "source", "status", "select"} <= fast
    assert "due_on" not in fast
    evaluations = EvaluationTable([])
    assert all(evaluations._cell_maker(column) is not None for column in evaluations.columns)
