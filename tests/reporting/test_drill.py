"""A figure and its drill-down agree: for every indicator that names the register of its
records (``Indicator.drill``), the register opened at the drill-down URL lists exactly as many
rows as the figure counts, for the district and for a ward, over a year and over a quarter.

The records are the route table's (:mod:`tests.route_data`: every app's records in two wards,
made through the services); the register is read by the district staff user (or the
administrator for the areas staff do not read), the figure computed for the system viewer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from longbien import indicators
from longbien.org import scope
from tests.route_data import build_bundle, rolled_back

PERIODS = [
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
]
DRILLED = sorted(i.code for i in indicators.definitions() if i.drill is not None)


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        bundle = build_bundle()
        _more_records(bundle)
        yield bundle


def _more_records(bundle) -> None:
    """Records the route data does not hold and a drill-down needs: a district dialogue."""
    from dialogues import services as dialogues
    from dialogues.choices import DialogueLevel

    dialogues.dialogue_create(
        actor=bundle.users["staff"], level=DialogueLevel.DISTRICT, unit=bundle.tree.root,
        held_on=dt.date(2026, 2, 3), chair="Bí thư Quận ủy", topic="Đối thoại cấp quận",
        participants=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def readers(bundle, django_db_blocker) -> dict[str, Client]:
    result = {}
    with django_db_blocker.unblock():
        for role in ("staff", "admin", "inspection"):
            client = Client()
            client.force_login(bundle.users[role])
            result[role] = client
    return result


def _reader(bundle, readers, area: str) -> Client:
    for role in ("staff", "admin", "inspection"):
        if scope.can(bundle.users[role], area, scope.VIEW, bundle.tree.root):
            return readers[role]
    raise AssertionError(f"no reader for {area}")


def test_some_indicators_have_a_drill_down():
    assert len(DRILLED) >= 5


@pytest.mark.parametrize("code", DRILLED)
def test_a_figure_and_its_drill_down_agree(bundle, readers, django_db_blocker, db, code):
    indicator = {i.code: i for i in indicators.definitions()}[code]
    client = _reader(bundle, readers, indicator.area)
    seen = []
    with django_db_blocker.unblock():
        for unit in (bundle.tree.root, bundle.a.ward):
            for start, end in PERIODS:
                value = indicators.collect(viewer=indicators.SYSTEM, unit=unit, start=start,
                                           end=end, areas={indicator.area})[code]  # fmt: skip
                url = indicators.drill_url(indicator, unit=unit, start=start, end=end)
                response = client.get(url)
                assert response.status_code == 200, url
                listed = response.context["result_count"]
                assert listed == value.count, f"{code}: {value.count} counted, {listed} at {url}"
                seen.append(value.count)
    assert any(seen), f"{code}: no record in the route data counts here: the test proves nothing"


def test_a_share_opens_its_numerators_records(bundle, db):
    share = indicators.Indicator("x.share", "x", "dialogues", numerator="dialogues.total",
                                 denominator="dialogues.total")  # fmt: skip
    total = {i.code: i for i in indicators.definitions()}["dialogues.total"]
    args = {"unit": bundle.tree.root, "start": PERIODS[0][0], "end": PERIODS[0][1]}
    assert indicators.drill_url(share, **args) == indicators.drill_url(total, **args)
    assert indicators.drill_url(share, **args).startswith("/dan-van/doi-thoai/?unit=QU&start=")
