"""indicators.in_subtree: a provider's rows of a unit's subtree; the whole organisation's
rows taken without the join to the units when the unit is the root of the only tree."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues.models import OpinionCase
from longbien import indicators
from longbien.org.models import OrgUnit, Person
from tests.cadres.conftest import make_person
from tests.conftest import make_unit


def _sql(rows) -> str:
    return str(rows.query)


def test_the_only_roots_rows_are_taken_whole_without_the_units(tree):
    for code, unit in (("R", tree.root), ("A", tree.ward_a), ("A1", tree.cell_a1)):
        make_person(f"P-{code}", unit)
    make_person("P-B1", tree.cell_b1)

    whole = indicators.in_subtree(Person.objects.all(), tree.root)
    assert "org_orgunit" not in _sql(whole)
    assert set(whole.values_list("code", flat=True)) == {"P-R", "P-A", "P-A1", "P-B1"}

    ward = indicators.in_subtree(Person.objects.all(), tree.ward_a)
    assert "org_orgunit" in _sql(ward)
    assert set(ward.values_list("code", flat=True)) == {"P-A", "P-A1"}


def test_a_second_tree_keeps_the_path_and_its_rows_out(tree):
    other = make_unit("QU-2", "district_committee", name="Quận ủy khác")
    make_person("P-R", tree.root)
    make_person("P-OTHER", make_unit("P-2", parent=other))
    root = OrgUnit.objects.get(pk=tree.root.pk)

    rows = indicators.in_subtree(Person.objects.all(), root)
    assert "org_orgunit" in _sql(rows)
    assert list(rows.values_list("code", flat=True)) == ["P-R"]


def test_whether_the_tree_is_whole_is_asked_once_per_unit_object(tree):
    root = OrgUnit.objects.get(pk=tree.root.pk)
    with CaptureQueriesContext(connection) as asked:
        for _n in range(3):
            indicators.in_subtree(Person.objects.all(), root)
            indicators.in_subtree(Person.objects.all(), tree.ward_a)  # a child: no question
    assert len(asked) == 1


def test_a_relation_that_may_be_empty_keeps_only_rows_with_a_unit(tree):
    root = OrgUnit.objects.get(pk=tree.root.pk)
    # A case's reception is optional: a case taken in without one is no reception's case.
    through_reception = _sql(
        indicators.in_subtree(OpinionCase.objects.all(), root, "reception__unit")
    )
    assert "org_orgunit" not in through_reception
    assert '"reception_id" IS NOT NULL' in through_reception
    # A case's own unit is required: nothing to narrow.
    assert "WHERE" not in _sql(indicators.in_subtree(OpinionCase.objects.all(), root))
