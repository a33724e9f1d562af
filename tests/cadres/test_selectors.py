import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cadres import selectors, services
from cadres.choices import Rating
from cadres.indicators import provide
from longbien import indicators
from longbien.formatting import percentage, shares
from tests.conftest import make_user

from .conftest import make_person, self_assessed_month

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture
def month_of_ratings(users, tree):
    """Seven cadres in ward A approved in May: 2 excellent, 3 good, 1 completed, 1 not."""
    ratings = [Rating.EXCELLENT] * 2 + [Rating.GOOD] * 3 + [Rating.COMPLETED, Rating.NOT_COMPLETED]
    crowd = [make_person(f"S{n}", tree.cell_a1, f"Cán bộ {n}") for n in range(len(ratings))]
    self_assessed_month(users["staff"], crowd, year=2026, month=5)
    services.evaluation_bulk_approve(
        actor=users["staff"], unit=tree.ward_a, year=2026, month=5,
        ratings={p.pk: r for p, r in zip(crowd, ratings, strict=True)},
    )  # fmt: skip
    return crowd


def test_distribution_adds_up_and_shares_come_from_counts(users, tree, month_of_ratings):
    result = selectors.distribution(user=users["leadership"], unit=tree.root, start=START, end=END)
    counts = {row.rating: row.count for row in result.rows}
    assert counts == {"excellent": 2, "good": 3, "completed": 1, "not_completed": 1}
    assert result.total == sum(counts.values()) == 7
    # 2, 3, 1 and 1 of 7 rounded one by one read 28.6 + 42.9 + 14.3 + 14.3 = 100.1.
    assert sum(percentage(row.count, 7, 1) for row in result.rows) == Decimal("100.1")
    assert [row.share for row in result.rows] == shares([2, 3, 1, 1])
    assert [row.share for row in result.rows] == [
        Decimal("28.6"), Decimal("42.8"), Decimal("14.3"), Decimal("14.3"),
    ]  # fmt: skip
    for row in result.rows:  # each within one unit of the exact share
        assert abs(row.share - Decimal(row.count) * 100 / 7) < Decimal("0.1")
    assert result.shares_total == Decimal("100.0")


def test_distribution_of_the_articles_figures_matches_its_shares():
    total = 281 + 705 + 12 + 6
    assert total == 1004
    assert shares([281, 705, 12, 6]) == [
        Decimal("28.0"), Decimal("70.2"), Decimal("1.2"), Decimal("0.6"),
    ]  # fmt: skip
    assert sum(shares([281, 705, 12, 6])) == Decimal("100.0")


def test_distribution_outside_scope_is_refused(users, tree, month_of_ratings):
    with pytest.raises(PermissionDenied):
        selectors.distribution(user=users["ward_staff"], unit=tree.ward_b, start=START, end=END)
    other = selectors.distribution(user=users["ward_staff"], unit=tree.ward_a, start=START, end=END)
    assert other.total == 7


def test_period_bounds_are_by_month(users, tree, month_of_ratings):
    june = selectors.distribution(
        user=users["staff"], unit=tree.root, start=dt.date(2026, 6, 1), end=END
    )
    assert june.total == 0 and all(row.share is None for row in june.rows)


def test_yearly_counts_and_flags(users, tree, month_of_ratings):
    self_assessed_month(users["staff"], month_of_ratings[:1], year=2026, month=6)
    services.evaluation_bulk_approve(
        actor=users["staff"], unit=tree.ward_a, year=2026, month=6,
        ratings={month_of_ratings[0].pk: Rating.NOT_COMPLETED},
    )  # fmt: skip
    yearly = {
        p.code: p for p in selectors.yearly_counts(user=users["staff"], unit=tree.root, year=2026)
    }
    first = yearly["S0"]
    assert (first.months, first.excellent, first.not_completed) == (2, 1, 1)
    flagged = selectors.flagged_cadres(user=users["staff"], unit=tree.root, start=START, end=END)
    assert {p.code: p.not_completed for p in flagged} == {"S0": 1, "S6": 1}


def test_members_without_assignment(users, tree):
    member = make_person("M1", tree.cell_a1, party_member_since=dt.date(2000, 1, 1))
    idle = make_person("M2", tree.cell_a1, party_member_since=dt.date(2001, 1, 1))
    make_person("NM", tree.cell_a1)  # not a Party member
    services.assignment_create(actor=users["staff"], person=member, year=2026, task="Tổ dân phố")
    missing = selectors.members_without_assignment(user=users["ward_staff"], year=2026)
    assert [p.code for p in missing] == [idle.code]


def test_indicators_count_and_share(users, tree, month_of_ratings):
    counts = provide(unit=tree.root, start=START, end=END)
    assert counts["cadres.evaluations"] == 7
    assert counts["cadres.evaluations.good"] == 3
    values = indicators.collect(
        viewer=indicators.SYSTEM, unit=tree.root, start=START, end=END, areas={"cadres"}
    )
    # The four ratings split one whole: rounded together, as on the distribution page.
    ratings = ["excellent", "good", "completed", "not_completed"]
    got = [values[f"cadres.evaluations.{r}.share"].share for r in ratings]
    assert got == shares([counts[f"cadres.evaluations.{r}"] for r in ratings])
    assert sum(got) == 100
    assert values["cadres.evaluations.excellent"].count == 2


def test_a_superuser_with_a_linked_person_still_sees_the_whole_tree(users, people):
    """Q() | Q(own) is Q(own): the whole-tree filter must not be narrowed to one's records."""
    root = make_user("sieu", person=people["a"], is_superuser=True)
    services.evaluation_create(actor=users["staff"], person=people["b"], year=2026, month=1)
    assert selectors.evaluation_list(user=root).count() == 1
    assert selectors.people_in_scope(user=root).filter(code="CBB").exists()
