"""Subtree tallies (longbien.tallies), on the evaluations' (cadres.EvaluationTally): after any
write, whoever makes it, each unit's counts equal its subtree's rows counted directly."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection, transaction

from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation, EvaluationTally
from cadres.selectors import rating_counts
from longbien.org.models import OrgUnit
from tests.cadres.conftest import make_person
from tests.conftest import make_unit


def _direct() -> Counter:
    """Every unit's subtree counted from the evaluations themselves."""
    found: Counter = Counter()
    units = list(OrgUnit.objects.all())
    for row in Evaluation.objects.values("unit__path", "year", "month", "status", "rating"):
        for unit in units:
            if row["unit__path"].startswith(unit.path):
                key = (unit.pk, row["year"], row["month"], row["status"], row["rating"])
                found[key] += 1
    return found


def _tally() -> Counter:
    rows = EvaluationTally.objects.values_list("unit_id", "year", "month", "status", "rating", "n")
    return Counter({tuple(key): n for *key, n in rows if n})


def _assert_kept() -> None:
    assert _tally() == _direct()


def _assert_people_kept() -> None:
    """The people's tally (org.PersonTally) against the people counted per subtree."""
    from longbien.org.models import Person, PersonTally

    units = list(OrgUnit.objects.all())
    direct: Counter = Counter()
    for path, active, since in Person.objects.values_list("unit__path", "is_active",
                                                          "party_member_since"):  # fmt: skip
        for unit in units:
            if path.startswith(unit.path):
                direct[(unit.pk, active, since is not None)] += 1
    kept = PersonTally.objects.values_list("unit_id", "is_active", "is_member", "n")
    assert Counter({(u, a, m): n for u, a, m, n in kept if n}) == direct


@pytest.fixture
def staff(tree):
    return [make_person(f"CB{i}", unit) for i, unit in enumerate(
        [tree.cell_a1, tree.cell_a1, tree.cell_b1, tree.ward_a, tree.root]
    )]  # fmt: skip


def _evaluation(person, month: int, status=EvaluationStatus.APPROVED, rating=Rating.GOOD):
    return Evaluation(person=person, unit=person.unit, year=2020, month=month, status=status,
                      rating=rating)  # fmt: skip


def test_every_write_keeps_each_units_subtree_counts(tree, staff):
    _assert_kept()  # empty
    _assert_people_kept()
    first = _evaluation(staff[0], 1)
    first.save()
    _assert_kept()
    Evaluation.objects.bulk_create(
        [_evaluation(p, m, rating=Rating.EXCELLENT) for p in staff for m in (2, 3)]
    )
    _assert_kept()
    # A queryset update (the grid's approval), a unit changed, a row deleted.
    Evaluation.objects.filter(month=2).update(status=EvaluationStatus.ASSESSED, rating="")
    _assert_kept()
    Evaluation.objects.filter(pk=first.pk).update(unit=tree.cell_b1)
    _assert_kept()
    Evaluation.objects.filter(person=staff[3]).delete()
    _assert_kept()
    # Raw SQL, outside the ORM.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cadres_evaluation SET rating = %s WHERE month = 3", [Rating.COMPLETED]
        )
    _assert_kept()
    # An edit that changes no counted column writes nothing to the tally.
    before = list(EvaluationTally.objects.order_by("pk").values_list("pk", "n"))
    Evaluation.objects.update(self_assessment="Hoàn thành")
    assert list(EvaluationTally.objects.order_by("pk").values_list("pk", "n")) == before
    # People: a member admitted, one moved, one leaving (expressions as grouping columns).
    from longbien.org.models import Person

    Person.objects.filter(pk=staff[0].pk).update(party_member_since=dt.date(2020, 5, 19))
    Person.objects.filter(pk=staff[1].pk).update(unit=tree.cell_b1)
    Person.objects.filter(pk=staff[2].pk).update(is_active=False)
    _assert_people_kept()


def test_the_figure_reads_the_tally_and_matches_the_rows(tree, staff):
    Evaluation.objects.bulk_create(
        [_evaluation(staff[0], 1), _evaluation(staff[1], 1, rating=Rating.EXCELLENT),
         _evaluation(staff[2], 2), _evaluation(staff[4], 12, status=EvaluationStatus.ASSESSED)]
    )  # fmt: skip
    whole = rating_counts(unit=tree.root, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    assert whole == {Rating.EXCELLENT: 1, Rating.GOOD: 2, Rating.COMPLETED: 0,
                     Rating.NOT_COMPLETED: 0}  # fmt: skip
    ward = rating_counts(unit=tree.ward_a, start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31))
    assert ward[Rating.GOOD] == 1 and ward[Rating.EXCELLENT] == 1
    assert (
        rating_counts(unit=tree.ward_b, start=dt.date(2020, 2, 1), end=dt.date(2020, 2, 29))[
            Rating.GOOD
        ]
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_a_unit_moved_in_the_tree_moves_its_counts_when_the_move_commits(tree, staff, users):
    """A move rebuilds the tally once, at commit (a merger moves many units at once)."""
    from longbien.org.services import unit_update

    Evaluation.objects.bulk_create([_evaluation(p, 5) for p in staff])
    # Cell A1 (two people) moves from ward A to ward B: the service repaths the subtree.
    unit_update(actor=users["admin"], unit=tree.cell_a1, parent=tree.ward_b)
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.path.startswith(tree.ward_b.path)
    _assert_kept()
    may = (dt.date(2020, 5, 1), dt.date(2020, 5, 31))
    assert rating_counts(unit=tree.ward_b, start=may[0], end=may[1])[Rating.GOOD] == 3
    # A new unit below, and a bigger move of a whole subtree.
    deeper = make_unit("TO-1", parent=tree.cell_b1)
    Evaluation.objects.bulk_create([_evaluation(make_person("CBX", deeper), 6)])
    unit_update(actor=users["admin"], unit=tree.ward_b, parent=tree.ward_a)
    _assert_kept()
    # Two units moved by hand in one transaction: the tally is rebuilt at commit, once.
    with transaction.atomic(), connection.cursor() as cursor:
        for unit in (deeper, tree.cell_a1):
            unit.refresh_from_db()
            cursor.execute(
                "UPDATE org_orgunit SET parent_id = %s, path = %s WHERE id = %s",
                [tree.root.pk, f"{tree.root.path}{unit.code}/", unit.pk],
            )
        cursor.execute("SELECT current_setting('longbien.cadres_evaluationtally_rebuilt', true)")
        assert not cursor.fetchone()[0]  # not yet: at commit
    _assert_kept()
    _assert_people_kept()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_tally_as_it_was(tree, staff):
    _evaluation(staff[0], 1).save()
    before = _tally()

    class UndoError(Exception):
        pass

    with pytest.raises(UndoError), transaction.atomic():
        Evaluation.objects.bulk_create([_evaluation(p, 7) for p in staff])
        assert _tally() != before
        raise UndoError
    assert _tally() == before == _direct()
