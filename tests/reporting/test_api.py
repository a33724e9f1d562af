"""The quarterly reports' API: list filters and scope, the report with its figures, the
narrative and corrections through PATCH, the workflow's steps, the version check (409,
nothing saved), the double submission (one) and the services' refusals in Vietnamese."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from dialogues import services as dialogue_services
from dialogues.choices import DialogueLevel
from longbien.reporting import services
from longbien.reporting.choices import ReportStatus
from longbien.reporting.models import FigureCorrection, QuarterlyReport, ReturnComment
from tests.reporting.route_data import TEXTS
from tests.reporting.route_data import build as build_reports

pytestmark = pytest.mark.django_db

API = "/api/v1/reporting/quarterly-reports"


def login(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
    return client


def send(client, method, url, data=None, **extra):
    return getattr(client, method)(
        url, data=json.dumps(data or {}), content_type="application/json", **extra
    )


@pytest.fixture
def reports(tree, users):
    return {
        "a": build_reports("a", tree.ward_a, users["staff"], users["ward_secretary"]),
        "b": build_reports("b", tree.ward_b, users["staff"], None),
    }


def fresh(report):
    return QuarterlyReport.objects.get(pk=report.pk)


def test_the_list_is_scoped_and_filtered(users, reports):
    ward = login(users["ward_secretary"])
    rows = ward.get(f"{API}/").json()["results"]
    assert {r["unit"] for r in rows} == {"P-A"} and len(rows) == 4
    staff = login(users["staff"])
    assert staff.get(f"{API}/").json()["count"] == 8
    accepted = staff.get(f"{API}/?status=accepted&unit=P-B").json()["results"]
    assert [(r["unit"], r["quarter"], r["status"]) for r in accepted] == [("P-B", 3, "accepted")]
    assert staff.get(f"{API}/?year=2026&quarter=2").json()["count"] == 2
    assert staff.get(f"{API}/?year=2025").json()["count"] == 0
    assert staff.get(f"{API}/?quarter=5").status_code == 400
    for role in ("inspection", "mass_mobilisation", "no_role"):
        assert login(users[role]).get(f"{API}/").status_code == 403


def test_a_report_shows_its_figures_narrative_and_comments(users, tree, reports):
    staff = users["staff"]
    dialogue_services.dialogue_create(
        actor=staff, level=DialogueLevel.WARD, unit=tree.ward_a, held_on=dt.date(2026, 2, 10),
        chair="Bí thư", topic="Trật tự đô thị", participants=80,
    )  # fmt: skip
    draft = reports["a"].draft
    body = login(users["ward_secretary"]).get(f"{API}/{draft.pk}/").json()
    assert body["status"] == "draft" and body["results"] == TEXTS["results"]
    assert body["version"] == fresh(draft).version and body["due_on"] == "2026-04-15"
    figures = {f["code"]: f for f in body["figures"]}
    assert figures["dialogues.ward"]["count"] == 1 and figures["dialogues.ward"]["group"]
    assert figures["dialogues.ward"]["computed"] is None
    assert figures["dialogues.ward"]["today"] is None
    assert any(code.startswith("inspections.") for code in figures)
    # Ward staff do not read inspections: those figures are not shown to them.
    for_staff = login(users["ward_staff"]).get(f"{API}/{draft.pk}/").json()["figures"]
    assert "dialogues.ward" in {f["code"] for f in for_staff}
    assert not any(f["code"].startswith("inspections.") for f in for_staff)
    shares = [f for f in body["figures"] if f["denominator"] is not None]
    assert shares and all(f["count"] is None for f in shares)
    returned = login(users["ward_secretary"]).get(f"{API}/{reports['a'].returned.pk}/").json()
    assert [(c["round"], c["section"], c["comment"]) for c in returned["comments"]] == [
        (1, "results", "Bổ sung số liệu")
    ]
    # Another ward's report does not exist for the ward.
    other = reports["b"].draft
    assert login(users["ward_secretary"]).get(f"{API}/{other.pk}/").status_code == 404
    assert login(users["ward_staff"]).get(f"{API}/{other.pk}/").status_code == 404


def test_a_frozen_report_shows_todays_value_beside_the_frozen_one(users, tree, reports):
    accepted = reports["a"].accepted  # Q3 2026, frozen with no dialogue
    dialogue_services.dialogue_create(
        actor=users["staff"], level=DialogueLevel.WARD, unit=tree.ward_a,
        held_on=dt.date(2026, 8, 10), chair="Bí thư", topic="Môi trường", participants=50,
    )  # fmt: skip
    body = login(users["staff"]).get(f"{API}/{accepted.pk}/").json()
    figure = {f["code"]: f for f in body["figures"]}["dialogues.ward"]
    assert figure["count"] == 0
    assert figure["today"]["count"] == 1


def test_patch_saves_the_narrative_and_corrections_with_the_version(users, tree, reports):
    draft = reports["a"].draft
    client = login(users["ward_staff"])
    version = fresh(draft).version
    answer = send(client, "patch", f"{API}/{draft.pk}/", {
        "version": version, "results": "Kết quả mới của quý",
        "corrections": [{"code": "dialogues.ward", "value": 3,
                         "explanation": "Hai cuộc ghi sổ giấy chưa nhập"}],
    })  # fmt: skip
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["version"] == version + 1 and body["results"] == "Kết quả mới của quý"
    figure = {f["code"]: f for f in body["figures"]}["dialogues.ward"]
    assert (figure["count"], figure["computed"]) == (3, 0)
    assert figure["explanation"] == "Hai cuộc ghi sổ giấy chưa nhập"
    correction = FigureCorrection.objects.get(report=draft)
    assert (correction.computed, correction.corrected) == (0, 3)
    assert LogEntry.objects.get_for_object(fresh(draft)).filter(actor=users["ward_staff"]).exists()


def test_a_stale_version_is_a_conflict_and_saves_nothing(users, reports):
    draft = reports["a"].draft
    version = fresh(draft).version
    first = send(login(users["ward_secretary"]), "patch", f"{API}/{draft.pk}/",
                 {"version": version, "results": "Bản của bí thư"})  # fmt: skip
    assert first.status_code == 200
    second = send(login(users["ward_staff"]), "patch", f"{API}/{draft.pk}/",
                  {"version": version, "results": "Bản của cán bộ"})  # fmt: skip
    assert second.status_code == 409
    assert "người khác sửa" in second.json()["version"][0]
    stored = fresh(draft)
    assert stored.results == "Bản của bí thư" and stored.version == version + 1
    # A step on a stale version is refused the same way.
    stale = send(login(users["ward_secretary"]), "post", f"{API}/{draft.pk}/submit/",
                 {"version": version})  # fmt: skip
    assert stale.status_code == 409 and fresh(draft).status == ReportStatus.DRAFT


def test_the_version_is_required_and_unknown_fields_are_refused(users, reports):
    draft = reports["a"].draft
    client = login(users["ward_secretary"])
    missing = send(client, "patch", f"{API}/{draft.pk}/", {"results": "Không có phiên bản"})
    assert missing.status_code == 400 and "version" in missing.json()
    unknown = send(client, "patch", f"{API}/{draft.pk}/",
                   {"version": fresh(draft).version, "status": "accepted"})  # fmt: skip
    assert unknown.status_code == 400 and "không được hỗ trợ" in unknown.json()["status"][0]
    assert fresh(draft).status == ReportStatus.DRAFT


def test_bad_input_gets_the_services_vietnamese_errors_and_saves_nothing(users, reports):
    draft = reports["a"].draft
    client = login(users["ward_secretary"])
    before = fresh(draft)
    unexplained = send(client, "patch", f"{API}/{draft.pk}/", {
        "version": before.version, "results": "Đổi",
        "corrections": [{"code": "dialogues.ward", "value": 5}],
    })  # fmt: skip
    assert unexplained.status_code == 400
    assert "giải trình" in unexplained.json()["corrections"][0]
    negative = send(client, "patch", f"{API}/{draft.pk}/", {
        "version": before.version,
        "corrections": [{"code": "dialogues.ward", "value": -1, "explanation": "Sai"}],
    })  # fmt: skip
    assert negative.status_code == 400 and "không được âm" in negative.json()["corrections"][0]
    after = fresh(draft)
    assert (after.results, after.version) == (before.results, before.version)
    assert not FigureCorrection.objects.filter(report=draft).exists()
    # An empty required section: the submission is refused.
    empty = send(client, "patch", f"{API}/{draft.pk}/",
                 {"version": before.version, "limitations": ""})  # fmt: skip
    assert empty.status_code == 200
    refused = send(client, "post", f"{API}/{draft.pk}/submit/", {"version": before.version + 1})
    assert refused.status_code == 400 and "Hạn chế" in refused.json()["limitations"][0]
    assert fresh(draft).status == ReportStatus.DRAFT
    # An accepted report is locked.
    accepted = reports["a"].accepted
    locked = send(client, "patch", f"{API}/{accepted.pk}/",
                  {"version": fresh(accepted).version, "results": "Sửa"})  # fmt: skip
    assert locked.status_code == 400 and "khóa" in str(locked.json())


def test_the_workflow_submit_return_resubmit_accept(users, reports):
    draft = reports["a"].draft
    secretary, staff = login(users["ward_secretary"]), login(users["staff"])
    # Only the secretary submits; only the office returns and accepts.
    denied = send(login(users["ward_staff"]), "post", f"{API}/{draft.pk}/submit/",
                  {"version": fresh(draft).version})  # fmt: skip
    assert denied.status_code == 403 and "bí thư" in denied.json()["detail"]
    sent = send(secretary, "post", f"{API}/{draft.pk}/submit/", {"version": fresh(draft).version})
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert fresh(draft).frozen
    no_comment = send(staff, "post", f"{API}/{draft.pk}/return/",
                      {"version": fresh(draft).version, "comments": {"results": "  "}})  # fmt: skip
    assert no_comment.status_code == 400 and fresh(draft).status == ReportStatus.SUBMITTED
    bad_section = send(staff, "post", f"{API}/{draft.pk}/return/",
                       {"version": fresh(draft).version, "comments": {"intro": "x"}})  # fmt: skip
    assert bad_section.status_code == 400
    by_ward = send(secretary, "post", f"{API}/{draft.pk}/accept/",
                   {"version": fresh(draft).version})  # fmt: skip
    assert by_ward.status_code == 403
    returned = send(staff, "post", f"{API}/{draft.pk}/return/", {
        "version": fresh(draft).version, "comments": {"limitations": "Nêu rõ nguyên nhân"},
    })  # fmt: skip
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert ReturnComment.objects.get(report=draft).comment == "Nêu rõ nguyên nhân"
    resent = send(secretary, "post", f"{API}/{draft.pk}/submit/",
                  {"version": fresh(draft).version})  # fmt: skip
    assert resent.json()["status"] == "submitted"
    accepted = send(staff, "post", f"{API}/{draft.pk}/accept/", {"version": fresh(draft).version})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = send(staff, "post", f"{API}/{draft.pk}/accept/", {"version": fresh(draft).version})
    assert again.status_code == 400 and fresh(draft).status == ReportStatus.ACCEPTED


def test_a_double_submission_is_one_submission(users, reports):
    draft = reports["a"].draft
    client = login(users["ward_secretary"])
    version = fresh(draft).version
    first = send(client, "post", f"{API}/{draft.pk}/submit/", {"version": version})
    stored = fresh(draft)
    second = send(client, "post", f"{API}/{draft.pk}/submit/", {"version": version})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    again = fresh(draft)
    assert (again.version, again.submitted_at, again.submitted_version) == (
        stored.version, stored.submitted_at, version,
    )  # fmt: skip
    # Another version than the one sent, on a submitted report: no second submission.
    other = send(client, "post", f"{API}/{draft.pk}/submit/", {"version": version + 1})
    assert other.status_code == 400 and fresh(draft).version == stored.version


def test_post_opens_a_report_once(users, tree, reports):
    client = login(users["ward_secretary"])
    made = send(client, "post", f"{API}/", {"unit": "P-A", "year": 2025, "quarter": 4})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["due_on"], body["version"]) == ("not_started", "2026-01-15", 1)
    again = send(client, "post", f"{API}/", {"unit": "P-A", "year": 2025, "quarter": 4})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert QuarterlyReport.objects.filter(unit=tree.ward_a, year=2025, quarter=4).count() == 1
    other = send(client, "post", f"{API}/", {"unit": "P-B", "year": 2025, "quarter": 4})
    assert other.status_code == 400 and "P-B" in other.json()["unit"][0]
    future = send(client, "post", f"{API}/", {"unit": "P-A", "year": 2030, "quarter": 1})
    assert future.status_code == 400 and "chưa bắt đầu" in future.json()["quarter"][0]
    cell = send(client, "post", f"{API}/", {"unit": "CB-A1", "year": 2026, "quarter": 1})
    assert cell.status_code == 400 and "không lập báo cáo quý" in cell.json()["unit"][0]
    assert not QuarterlyReport.objects.filter(year=2030).exists()
    leadership = send(login(users["leadership"]), "post", f"{API}/",
                      {"unit": "P-A", "year": 2025, "quarter": 3})  # fmt: skip
    assert leadership.status_code == 403


def test_ward_users_cannot_reach_another_wards_report_through_any_action(users, reports):
    other = reports["b"].submitted
    version = fresh(other).version
    for role in ("ward_secretary", "ward_staff"):
        client = login(users[role])
        for step in ("submit", "return", "accept"):
            answer = send(client, "post", f"{API}/{other.pk}/{step}/", {"version": version})
            assert answer.status_code == 404, (role, step)
        assert send(client, "patch", f"{API}/{other.pk}/", {"version": version}).status_code == 404
    assert fresh(other).version == version


def test_services_refusals_are_clear(users, reports):
    """A report returned to the ward cannot be accepted: the workflow's Vietnamese 400."""
    returned = reports["a"].returned
    answer = send(login(users["staff"]), "post", f"{API}/{returned.pk}/accept/",
                  {"version": fresh(returned).version})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["non_field_errors"][0]
    assert fresh(returned).status == ReportStatus.RETURNED
    # The same version, through the service: the same refusal.
    with pytest.raises(ValidationError):
        services.report_accept(actor=users["staff"], report=returned, version=returned.version)
