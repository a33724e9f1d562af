"""The approval grid approves only the rows the approver ticked, after a confirmation.

Only months the superior assessed are approvable from the grid, by the users the workflow's
"approve" step lets approve them; rows posted anyway (unrated, another ward's, the
approver's own) are refused with their reason and nothing else changes.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from cadres import selectors, services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation
from tests.conftest import make_user

from .conftest import make_person, self_assessed_month

S = EvaluationStatus
URL = reverse("cadres:evaluation_grid")
PERIOD = {"unit": "P-A", "year": 2026, "month": 6}


def _assessed(actor, people, *, year=2026, month=6, rating=Rating.GOOD):
    """Months self-assessed and then rated by the superior: the rows the grid approves."""
    return [
        services.evaluation_assess(
            actor=actor, evaluation=evaluation, superior_assessment="Tốt", proposed_rating=rating
        )
        for evaluation in self_assessed_month(actor, people, year=year, month=month)
    ]


@pytest.fixture
def month(users, tree):
    """Ward A's June: four assessed months, two only self-assessed, one person without one."""
    crowd = [make_person(f"G{n:02d}", tree.cell_a1, f"Cán bộ số {n}") for n in range(7)]
    assessed = _assessed(users["staff"], crowd[:4])
    self_only = self_assessed_month(users["staff"], crowd[4:6], year=2026, month=6)
    return {"crowd": crowd, "assessed": assessed, "self_only": self_only}


def _post(client, ids, **extra):
    data = {**PERIOD, "selected": [str(pk) for pk in ids], **extra}
    return client.post(URL, data)


def _statuses():
    return dict(Evaluation.objects.values_list("pk", "status"))


def test_nothing_is_ticked_at_first_and_only_rated_rows_have_a_box(client_for, users, month):
    page = client_for(users["ward_secretary"]).get(URL, PERIOD).content.decode()
    assert page.count('class="grid-select"') == 4
    assert " checked" not in page.split('id="grid-form"')[1]
    for evaluation in month["assessed"]:
        assert f'id="s-{evaluation.pk}"' in page
    for evaluation in month["self_only"]:
        assert f'id="s-{evaluation.pk}"' not in page
    assert page.count("Cấp trên chưa nhận xét, đề xuất: chưa phê duyệt được trên bảng") == 2
    assert "Cán bộ chưa có phiếu đánh giá tháng này" in page
    # The helper ticks exactly the rated rows (a reload, so it works without JavaScript).
    ticked = client_for(users["ward_secretary"]).get(URL, {**PERIOD, "chon": "da-nhan-xet"})
    assert ticked.content.decode().count("checked") == 4


def test_nothing_selected_says_so_and_changes_nothing(client_for, users, month):
    before = _statuses()
    client = client_for(users["ward_secretary"])
    response = _post(client, [], confirmed="1")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Chưa chọn phiếu nào" in page
    assert "Đã phê duyệt 0" not in page
    assert _statuses() == before


def test_confirmation_names_the_count_and_changes_nothing(client_for, users, month):
    before = _statuses()
    picked = [e.pk for e in month["assessed"][:3]]
    response = _post(client_for(users["ward_secretary"]), picked)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phê duyệt 3 phiếu?" in page
    assert page.count('name="selected"') == 3
    assert 'name="confirmed" value="1"' in page
    assert _statuses() == before


def test_only_the_selected_rows_are_approved(client_for, users, month):
    picked, left = month["assessed"][:2], month["assessed"][2:]
    client = client_for(users["ward_secretary"])
    response = _post(
        client, [e.pk for e in picked], confirmed="1", **{f"rating-{picked[0].pk}": "excellent"}
    )
    assert response.status_code == 302
    statuses = _statuses()
    assert all(statuses[e.pk] == S.APPROVED for e in picked)
    assert all(statuses[e.pk] == S.ASSESSED for e in left)
    assert all(statuses[e.pk] == S.SELF_ASSESSED for e in month["self_only"])
    first = Evaluation.objects.get(pk=picked[0].pk)
    assert first.rating == Rating.EXCELLENT and first.approved_by == users["ward_secretary"]
    assert Evaluation.objects.get(pk=picked[1].pk).rating == Rating.GOOD  # the proposal
    page = client.get(response["Location"]).content.decode()
    assert "Đã phê duyệt 2 phiếu đánh giá tháng 6/2026" in page
    # The audit trail holds one "changed" entry per approved row, by the approver.
    entries = LogEntry.objects.filter(
        object_pk__in=[str(e.pk) for e in picked], action=LogEntry.Action.UPDATE,
        actor=users["ward_secretary"],
    )  # fmt: skip
    assert entries.count() == 2
    assert all("status" in e.changes_dict for e in entries)


def test_unrated_rows_are_refused_even_if_posted(client_for, users, month):
    rated = month["assessed"][0]
    unrated = month["self_only"]
    client = client_for(users["ward_secretary"])
    confirm = _post(client, [rated.pk, *(e.pk for e in unrated)]).content.decode()
    assert "Phê duyệt 1 phiếu?" in confirm
    assert "Cấp trên chưa nhận xét" in confirm
    response = _post(client, [rated.pk, *(e.pk for e in unrated)], confirmed="1")
    statuses = _statuses()
    assert statuses[rated.pk] == S.APPROVED
    assert all(statuses[e.pk] == S.SELF_ASSESSED for e in unrated)
    page = client.get(response["Location"]).content.decode()
    assert "Đã phê duyệt 1 phiếu" in page
    assert "Không phê duyệt 2 phiếu" in page and "Cấp trên chưa nhận xét" in page


def test_another_wards_row_is_refused_without_naming_it(client_for, users, tree, month):
    stranger = make_person("CBB9", tree.cell_b1, "Người Phường Khác")
    (theirs,) = _assessed(users["staff"], [stranger])
    client = client_for(users["ward_secretary"])
    confirm = _post(client, [theirs.pk]).content.decode()
    assert "Không có phiếu nào phê duyệt được" in confirm
    assert "Người Phường Khác" not in confirm
    response = _post(client, [theirs.pk, month["assessed"][0].pk], confirmed="1")
    assert Evaluation.objects.get(pk=theirs.pk).status == S.ASSESSED
    assert Evaluation.objects.get(pk=month["assessed"][0].pk).status == S.APPROVED
    page = client.get(response["Location"]).content.decode()
    assert f"Phiếu số {theirs.pk}" in page and "Người Phường Khác" not in page


def test_the_approvers_own_row_has_no_box_and_is_refused(client_for, users, tree, month):
    """Approvable is what the workflow lets this user do, row by row, not a fixed state."""
    own = month["crowd"][0]
    approver = make_user("secretary_own", "ward_secretary", tree.ward_a, person=own)
    mine = month["assessed"][0]
    page = client_for(approver).get(URL, PERIOD).content.decode()
    assert f'id="s-{mine.pk}"' not in page
    assert "Không được tự phê duyệt phiếu đánh giá của chính mình" in page
    assert page.count('class="grid-select"') == 3
    result = services.evaluation_approve_selected(
        actor=approver, unit=tree.ward_a, year=2026, month=6, selected=[mine.pk]
    )
    assert result.approved == [] and "chính mình" in result.refused[0][1]
    assert Evaluation.objects.get(pk=mine.pk).status == S.ASSESSED


def test_a_user_who_may_not_approve_gets_no_grid(client_for, users, month):
    response = _post(client_for(users["ward_staff"]), [month["assessed"][0].pk], confirmed="1")
    assert response.status_code == 403
    assert Evaluation.objects.get(pk=month["assessed"][0].pk).status == S.ASSESSED


def test_grid_rows_say_per_row_what_this_user_may_approve(users, tree, month):
    rows = selectors.grid_rows(user=users["staff"], unit=tree.ward_a, year=2026, month=6)
    approvable = {row.evaluation.pk for row in rows if row.approvable}
    assert approvable == {e.pk for e in month["assessed"]}


def test_query_counts_are_bounded(client_for, users, tree, django_assert_max_num_queries):
    crowd = [make_person(f"Q{n:03d}", tree.cell_a1, f"Người {n}") for n in range(40)]
    assessed = _assessed(users["staff"], crowd)
    client = client_for(users["ward_secretary"])
    ids = [e.pk for e in assessed]
    with django_assert_max_num_queries(14):
        page = client.get(URL, PERIOD)
    assert page.content.decode().count('class="grid-select"') == 40
    with django_assert_max_num_queries(14):
        confirm = _post(client, ids)
    assert "Phê duyệt 40 phiếu?" in confirm.content.decode()
    with django_assert_max_num_queries(18):
        _post(client, ids, confirmed="1")
    assert Evaluation.objects.filter(status=S.APPROVED).count() == 40
