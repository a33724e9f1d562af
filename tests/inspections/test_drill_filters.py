"""The register filters a dashboard's drill-down opens (``inspections.indicators``): the
inspections concluded between two days, the follow-ups due between two days and how they
stood on the last, the discipline decided between two days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inspections import services
from inspections.choices import DisciplineForm, SubjectType
from tests.inspections.conftest import concluded_inspection

pytestmark = pytest.mark.django_db


def _rows(client, name, **query):
    return set(client.get(reverse(f"inspections:{name}"), query).context["page_obj"].object_list)


def test_inspections_concluded_between_two_days(users, tree, client_for):
    actor = users["inspection"]
    early = concluded_inspection(actor, tree.cell_a1, concluded=dt.date(2026, 3, 31))
    late = concluded_inspection(actor, tree.cell_a1, concluded=dt.date(2026, 4, 1))
    client = client_for(actor)
    q1 = {"start": "2026-01-01", "end": "2026-03-31"}
    assert _rows(client, "inspection_list", **q1) == {early}
    assert _rows(client, "inspection_list", start="2026-04-01") == {late}


def test_follow_ups_due_between_two_days_and_their_progress_at_the_last(users, tree, client_for):
    actor = users["inspection"]
    inspection = concluded_inspection(
        actor, tree.cell_a1, started=dt.date(2026, 1, 12), concluded=dt.date(2026, 2, 2)
    )

    def follow_up(deadline, completed=None):
        row = services.follow_up_add(
            actor=actor, inspection=inspection, content="Bổ sung hồ sơ", owner_unit=tree.cell_a1,
            deadline=deadline,
        )  # fmt: skip
        if completed:
            services.follow_up_complete(
                actor=actor, follow_up=row, completed_on=completed, evidence="Đã bổ sung"
            )
        return row

    on_time = follow_up(dt.date(2026, 3, 6), dt.date(2026, 3, 5))
    # Done after Q1's end: overdue at the end of Q1, done (late) by the end of the year.
    late = follow_up(dt.date(2026, 3, 13), dt.date(2026, 4, 10))
    undone = follow_up(dt.date(2026, 3, 20))
    outside = follow_up(dt.date(2026, 5, 4))
    client = client_for(actor)
    q1 = {"start": "2026-01-01", "end": "2026-03-31"}
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    assert _rows(client, "follow_up_list", **q1) == {on_time, late, undone}
    assert _rows(client, "follow_up_list", **q1, progress="done") == {on_time}
    assert _rows(client, "follow_up_list", **q1, progress="on_time") == {on_time}
    assert _rows(client, "follow_up_list", **q1, progress="overdue") == {late, undone}
    assert _rows(client, "follow_up_list", **year, progress="done") == {on_time, late}
    assert _rows(client, "follow_up_list", **year, progress="on_time") == {on_time}
    assert _rows(client, "follow_up_list", **year, progress="overdue") == {undone, outside}


def test_discipline_decided_between_two_days(users, tree, member, client_for):
    actor = users["inspection"]

    def decide(day, symbol):
        return services.discipline_create(
            actor=actor, subject_type=SubjectType.MEMBER, form=DisciplineForm.WARNING,
            symbol=symbol, decided_on=day, deciding_body=tree.ward_a, person=member,
        )  # fmt: skip

    march = decide(dt.date(2026, 3, 31), "1-QĐ/UBKT")
    decide(dt.date(2026, 4, 1), "2-QĐ/UBKT")
    client = client_for(actor)
    assert _rows(client, "discipline_list", start="2026-01-01", end="2026-03-31") == {march}
