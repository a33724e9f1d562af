"""Commitments made at a dialogue: the progress report, kept on time or late, the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dialogues.choices import CommitmentStatus
from dialogues.models import Commitment

from .conftest import dialogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def promises(users, tree):
    record = dialogue(users["staff"], tree.ward_a, issues=[
        {"content": "Đèn đường", "commitment": "Thay bóng đèn", "owner_unit": tree.cell_a1,
         "deadline": dt.date(2026, 4, 10)},
        {"content": "Cống ngập", "commitment": "Nạo vét cống", "owner_unit": tree.cell_a1,
         "deadline": dt.date(2026, 4, 10)},
        {"content": "Vỉa hè", "commitment": "Dẹp lấn chiếm", "owner_unit": tree.ward_b,
         "deadline": dt.date(2026, 4, 10)},
    ])  # fmt: skip
    return record, list(Commitment.objects.filter(issue__dialogue=record).order_by("id"))


def _report(client, commitment, **data):
    return client.post(reverse("dialogues:commitment_report", args=[commitment.pk]), data)


def test_report_to_100_keeps_it_on_time_or_late(users, tree, client_for, promises):
    record, (first, second, _third) = promises
    client = client_for(users["ward_secretary"])
    response = _report(client, first, progress="40", evidence="Đã thay một nửa")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.progress == 40 and first.status == CommitmentStatus.OPEN
    response = _report(client, first, progress="100", evidence="Đã thay hết",
                       completed_on="09/04/2026")  # fmt: skip
    assert response["Location"] == first.get_absolute_url()
    response = _report(client, second, progress="100", evidence="Đã nạo vét",
                       completed_on="20/04/2026")  # fmt: skip
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == CommitmentStatus.DONE and first.completed_on == dt.date(2026, 4, 9)
    page = client_for(users["staff"]).get(record.get_absolute_url())
    figures = page.context["figures"]
    assert (figures.total, figures.kept, figures.on_time, figures.late, figures.open) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert figures.overdue == 1  # the third, still open, past its deadline
    html = page.content.decode()
    assert "Đã thay hết" in html and "Quá hạn" in html


def test_bad_reports_are_said_under_their_fields(users, tree, client_for, promises):
    _record, (first, _second, _third) = promises
    client = client_for(users["ward_staff"])
    response = _report(client, first, progress="120")
    assert response.context["form"].errors["progress"] == ["Tiến độ phải từ 0 đến 100%."]
    response = _report(client, first, progress="100", evidence="")
    assert "evidence" in response.context["form"].errors
    response = _report(client, first, progress="100", evidence="Xong", completed_on="01/01/2026")
    assert "completed_on" in response.context["form"].errors
    first.refresh_from_db()
    assert first.progress == 0 and first.status == CommitmentStatus.OPEN


def test_only_the_owner_units_change_right_reports(users, tree, client_for, promises):
    _record, (_first, _second, third) = promises  # owned by ward B
    assert client_for(users["ward_secretary"]).get(
        reverse("dialogues:commitment_report", args=[third.pk])
    ).status_code in (403, 404)
    assert (
        client_for(users["leadership"])
        .get(reverse("dialogues:commitment_report", args=[third.pk]))
        .status_code
        == 403
    )
    assert _report(client_for(users["mass_mobilisation"]), third, progress="10").status_code == 302


def test_the_commitment_register_filters(users, tree, client_for, promises):
    _record, (first, second, third) = promises
    client = client_for(users["staff"])
    _report(client, first, progress="100", evidence="Xong", completed_on="09/04/2026")
    url = reverse("dialogues:commitment_list")
    rows = lambda params: list(client.get(url, params).context["page_obj"].object_list)  # noqa: E731
    assert rows({"status": CommitmentStatus.DONE}) == [first]
    assert set(rows({"overdue": "1"})) == {second, third}
    assert rows({"unit": tree.ward_b.code}) == [third]
    assert rows({"q": "Nạo vét"}) == [second]
    assert len(rows({"q": "trat tu do thi"})) == 3  # the dialogue's topic, folded
