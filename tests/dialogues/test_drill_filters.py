"""The register filters a dashboard's drill-down opens (``dialogues.indicators``): the
commitments of the dialogues a unit held between two days and their progress, the cases
without the merged duplicates, the receptions held between two days, the models of the years
ending between two days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.choices import ModelField, Recognition
from tests.dialogues.conftest import dialogue, receive

pytestmark = pytest.mark.django_db


def _rows(client, name, **query):
    return set(client.get(reverse(f"dialogues:{name}"), query).context["page_obj"].object_list)


def test_commitments_by_the_dialogues_unit_and_day_and_their_progress(users, tree, client_for):
    staff = users["staff"]
    issues = [{"content": f"Ý kiến {day}", "commitment": f"Cam kết {day}",
               "owner_unit": tree.cell_a1, "deadline": dt.date(2026, 3, day)}
              for day in (6, 13, 20)]  # fmt: skip
    held = dialogue(staff, tree.root, held_on=dt.date(2026, 2, 20), issues=issues)
    on_time, late, undone = (issue.commitment for issue in held.issues.order_by("id"))
    for commitment, day in ((on_time, dt.date(2026, 3, 5)), (late, dt.date(2026, 4, 10))):
        services.commitment_report(
            actor=staff, commitment=commitment, progress=100, evidence="Đã làm", completed_on=day
        )
    other = dialogue(staff, tree.ward_a, held_on=dt.date(2026, 4, 2), issues=[
        {"content": "Ý kiến", "commitment": "Cam kết", "owner_unit": tree.cell_a1,
         "deadline": dt.date(2026, 5, 4)}]).issues.get().commitment  # fmt: skip
    client = client_for(staff)
    q1 = {"start": "2026-01-01", "end": "2026-03-31"}
    # The dialogue's unit, not the unit carrying the commitment out.
    assert _rows(client, "commitment_list", dialogue_unit=tree.ward_a.code) == {other}
    assert _rows(client, "commitment_list", **q1) == {on_time, late, undone}
    assert _rows(client, "commitment_list", **q1, progress="on_time") == {on_time}
    assert _rows(client, "commitment_list", **q1, progress="late") == {late}
    assert _rows(client, "commitment_list", **q1, progress="overdue") == {undone}
    assert _rows(client, "commitment_list", end="2026-12-31", progress="overdue") == {
        undone, other,
    }  # fmt: skip


def test_cases_without_the_duplicates_merged_into_another(users, tree, client_for):
    staff = users["staff"]
    kept = receive(staff, tree.ward_a, "Đèn đường hỏng ở ngõ 12")
    duplicate = receive(staff, tree.ward_a, "Đèn đường ngõ 12 bị hỏng")
    services.case_merge(actor=staff, case=duplicate, into=kept)
    client = client_for(staff)
    assert _rows(client, "case_list", duplicates="hide") == {kept}
    assert _rows(client, "case_list", duplicates="only") == {duplicate}
    assert _rows(client, "case_list") == {kept, duplicate}


def test_receptions_held_between_two_days(users, tree, client_for):
    staff = users["staff"]

    def reception(day):
        return services.reception_create(
            actor=staff, unit=tree.ward_a, held_on=day, leader="Nguyễn Văn A",
            leader_title="Bí thư", place="Trụ sở", citizens=3,
        )  # fmt: skip

    march = reception(dt.date(2026, 3, 31))
    reception(dt.date(2026, 4, 1))
    client = client_for(staff)
    assert _rows(client, "reception_list", start="2026-01-01", end="2026-03-31") == {march}


def test_models_of_the_years_ending_between_two_days(users, tree, client_for):
    staff = users["staff"]
    made = {
        year: services.model_create(
            actor=staff,
            unit=tree.ward_a,
            year=year,
            name=f"Mô hình {year}",
            field=ModelField.URBAN,
            recognition=Recognition.WARD,
        )  # fmt: skip
        for year in (2025, 2026)
    }
    client = client_for(staff)
    assert _rows(client, "model_list", start="2026-01-01", end="2026-12-31") == {made[2026]}
    # A period not holding a year's last day holds no model; a term holds both years.
    assert _rows(client, "model_list", start="2026-01-01", end="2026-03-31") == set()
    assert _rows(client, "model_list", start="2025-10-01", end="2030-09-30") == set(made.values())
