"""The procedures register's filters an indicator's drill-down needs: the owning unit's
subtree, ISO 9001 only, and in force on a day (retired since included)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from longbien.procedures import services


@pytest.fixture
def procedures(tree, users):
    rows = (
        ("QT-Q", tree.root, True, dt.date(2016, 1, 1), None),
        ("QT-A", tree.ward_a, False, dt.date(2016, 1, 1), None),
        ("QT-CU", tree.ward_a, True, dt.date(2016, 1, 1), dt.date(2026, 6, 1)),
        ("QT-MOI", tree.ward_a, True, dt.date(2026, 5, 1), None),
    )
    for code, unit, iso, effective, retired in rows:
        services.procedure_create(
            actor=users["staff"], code=code, name=f"Quy trình {code}", kind="procedure",
            area="office", level="grassroots", effective_date=effective, owner_unit=unit,
            retired_on=retired, iso_9001=iso,
        )  # fmt: skip


def _codes(client, **params) -> set[str]:
    response = client.get(reverse("procedures:list"), params)
    assert response.status_code == 200
    return {row.code for row in response.context["table"].data}


def test_unit_iso_and_in_force_on_a_day(client_for, users, tree, procedures):
    client = client_for(users["staff"])
    assert _codes(client) == {"QT-Q", "QT-A", "QT-MOI"}
    assert _codes(client, unit=tree.ward_a.code) == {"QT-A", "QT-MOI"}
    assert _codes(client, iso="1") == {"QT-Q", "QT-MOI"}
    # On 31/3/2026 the old one was still in force and the new one not yet.
    assert _codes(client, end="2026-03-31") == {"QT-Q", "QT-A", "QT-CU"}
    assert _codes(client, end="2026-12-31", unit=tree.ward_a.code) == {"QT-A", "QT-MOI"}
