"""The evaluation register's ``start``/``end``: the months a range of days touches."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cadres import services


def test_start_and_end_keep_the_months_they_touch(client_for, users, people):
    for month in (1, 3, 4):
        services.evaluation_create(actor=users["staff"], person=people["a"], year=2026, month=month)
    services.evaluation_create(actor=users["staff"], person=people["a"], year=2025, month=12)
    client = client_for(users["staff"])

    def months(**params) -> list[tuple[int, int]]:
        response = client.get(reverse("cadres:evaluation_list"), params)
        assert response.status_code == 200
        return sorted((e.year, e.month) for e in response.context["table"].data)

    assert months(start="2026-01-15", end="2026-03-01") == [(2026, 1), (2026, 3)]
    assert months(end=dt.date(2026, 1, 31).isoformat()) == [(2025, 12), (2026, 1)]
    assert months(start="2026-04-30") == [(2026, 4)]
