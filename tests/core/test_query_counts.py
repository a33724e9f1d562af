"""Every list page and list endpoint runs a bounded number of SQL queries.

The routes marked ``listing=True`` in tests/routes.py are requested by the whole-district staff
user (the admin for admin-only lists) with a page of rows of every kind, then with three times
as many rows: the number of queries must not grow with the rows, and must not exceed the
baseline kept in ``tests/query_counts.json``. A change that needs more queries updates that
file on purpose (``LONGBIEN_UPDATE_QUERY_COUNTS=1`` rewrites it from the measured counts).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from longbien.org.choices import Role, UnitKind
from longbien.org.models import Term
from tests.conftest import make_unit, make_user
from tests.route_data import Bundle, build_bundle, rolled_back
from tests.routes import ROUTES, Route

BASELINE = Path(__file__).resolve().parent.parent / "query_counts.json"
UPDATE = os.environ.get("LONGBIEN_UPDATE_QUERY_COUNTS") == "1"
LISTINGS = [route for route in ROUTES if route.listing]
FEW, MANY = 10, 30


def _viewer(route: Route) -> str:
    """The whole-district staff user, else the admin, else the first role the page serves
    (the inspection role for the confidential registers)."""
    for role in (route.viewer, "staff", "admin", *route.get):
        if route.get.get(role) == 200:
            return role
    return "admin"


def add_rows(bundle: Bundle, start: int, stop: int) -> None:
    """Add rows ``start``..``stop - 1`` of every kind, in both wards, through the services."""
    from cadres import services as cadres
    from cadres.choices import DecisionKind, Rating
    from longbien.core.models import Notification
    from longbien.procedures import services as procedures
    from longbien.reporting import services as reporting
    from resolutions import services as resolutions
    from resolutions.choices import DocumentKind
    from tests.route_data import _person

    staff = bundle.users["staff"]
    for index in range(start, stop):
        side = bundle.a if index % 2 == 0 else bundle.b
        cell = make_unit(f"CB-X{index}", parent=side.ward, name=f"Chi bộ thêm {index}")
        person = _person(f"CBX{index}", cell, f"Nguyễn Văn Thêm {index}")
        make_user(f"them_{index}", Role.WARD_STAFF, side.ward)
        # A grassroots organisation that reports each quarter (a row of the compliance board,
        # a column of the quarter's workbook).
        grassroots = make_unit(f"CS-X{index}", UnitKind.GRASSROOTS, side.ward.parent,
                               f"Đảng bộ cơ sở thêm {index}")  # fmt: skip
        reporting.report_open(actor=staff, unit=grassroots, year=2026, quarter=1)
        Term.objects.create(
            code=f"{1900 + index * 5}", name=f"Nhiệm kỳ {index}",
            start_date=dt.date(1900 + index * 5, 1, 1), end_date=dt.date(1904 + index * 5, 12, 31),
        )  # fmt: skip
        document = resolutions.document_create(
            actor=staff, symbol=f"{index + 10}-NQ/QU", kind=DocumentKind.RESOLUTION,
            issuing_unit=bundle.tree.root, title=f"Nghị quyết thêm {index}",
            signed_date=dt.date(2026, 1, 8),
        )  # fmt: skip
        for task in resolutions.task_assign(
            actor=staff, document=document, units=[side.ward], title=f"Việc thêm {index}",
            deadline=dt.date(2026, 3, 2),
        ):  # fmt: skip
            for step in (10, 20):
                resolutions.task_report_progress(
                    actor=staff, task=task, progress=step, note=f"Báo cáo {step}"
                )
        resolutions.conference_record(
            actor=staff, document=document, unit=side.ward, held_on=dt.date(2026, 2, 2),
            expected_attendees=40, present_attendees=38,
        )  # fmt: skip
        resolutions.briefing_record(
            actor=staff, unit=side.ward, kind="thematic", held_on=dt.date(2026, 2, 3),
            attendees="x", issues=[{"text": f"Vấn đề {index}"}, {"text": f"Vấn đề khác {index}"}],
        )  # fmt: skip
        procedures.procedure_create(
            actor=staff, code=f"QT-X{index}", name=f"Quy trình thêm {index}", kind="procedure",
            area="office", level="grassroots", effective_date=dt.date(2016, 1, 1),
            owner_unit=side.ward,
        )  # fmt: skip
        evaluation = cadres.evaluation_create(actor=staff, person=person, year=2026, month=1)
        cadres.evaluation_self_assess(
            actor=staff, evaluation=evaluation, self_assessment="Tốt", self_rating=Rating.GOOD
        )
        cadres.decision_create(
            actor=staff, person=person, kind=DecisionKind.APPOINTMENT, symbol=f"{index + 10}-QĐ/QU",
            decision_date=dt.date(2026, 1, 5), to_unit=cell,
        )  # fmt: skip
        test = cadres.test_create(
            actor=staff, unit=side.ward, subject=f"Sát hạch {index}", held_on=dt.date(2026, 2, 10)
        )
        cadres.test_add_participants(actor=staff, test=test, people=[person])
        cadres.plan_create(actor=staff, person=person, year=2026, commitments="Học tập")
        cadres.assignment_create(actor=staff, person=person, year=2026, task="Dân vận")
        training = cadres.training_create(
            actor=staff, unit=side.ward, name=f"Lớp {index}", start_date=dt.date(2026, 3, 1),
            end_date=dt.date(2026, 3, 5),
        )  # fmt: skip
        cadres.training_enrol(actor=staff, training=training, people=[person])
        # Rows that accumulate on ward A's record pages (a detail page lists them).
        resolutions.task_report_progress(
            actor=staff, task=bundle.a.task, progress=min(index + 1, 99), note=f"Tiến độ {index}"
        )
        resolutions.briefing_issue_add(
            actor=staff, briefing=bundle.a.briefing, text=f"Vấn đề {index}"
        )
        if side is bundle.a:
            resolutions.task_assign(
                actor=staff, document=bundle.a.document, units=[cell], title=f"Việc chi bộ {index}",
                deadline=dt.date(2026, 3, 2),
            )  # fmt: skip
            cadres.test_add_participants(actor=staff, test=bundle.a.test, people=[person])
            cadres.training_enrol(actor=staff, training=bundle.a.training, people=[person])
        _add_inspection_rows(bundle, side, cell, person, index)
        _add_dialogue_rows(bundle, side, cell, index)
        for role in ("staff", "admin"):
            Notification.objects.create(
                user=bundle.users[role], key=f"them-{index}", title=f"Thông báo {index}"
            )


def _add_inspection_rows(bundle: Bundle, side: Any, cell: Any, person: Any, index: int) -> None:
    """A plan item, an inspection with a follow-up, a discipline decision and a case."""
    from inspections import services as insp
    from inspections.choices import Activity, CaseKind, DisciplineForm, InspectionKind, SubjectType

    staff, inspector = bundle.users["staff"], bundle.users["inspection"]
    insp.plan_item_add(
        actor=staff, plan=side.insp.plan, activity=Activity.SUPERVISION,
        subject_type=SubjectType.ORGANISATION, topic=f"Giám sát thêm {index}", target_unit=cell,
        start_month=1 + index % 12, end_month=1 + index % 12,
    )  # fmt: skip
    inspection = insp.inspection_create(
        actor=inspector, activity=Activity.INSPECTION, subject_type=SubjectType.MEMBER,
        kind=InspectionKind.REGULAR, topic=f"Kiểm tra thêm {index}", conducting_body=side.ward,
        person=person, starts_on=dt.date(2026, 3, 2),
    )  # fmt: skip
    insp.inspection_start(actor=inspector, inspection=inspection)
    insp.inspection_conclude(
        actor=inspector, inspection=inspection, conclusion=f"Kết luận {index}",
        concluded_on=dt.date(2026, 4, 1),
        recommendations=[{"content": f"Kiến nghị {index}", "owner_unit": cell,
                          "deadline": dt.date(2026, 5, 4)}],
    )  # fmt: skip
    insp.discipline_create(
        actor=inspector, subject_type=SubjectType.MEMBER, form=DisciplineForm.WARNING,
        symbol=f"{index + 10}-QĐ/UBKT", decided_on=dt.date(2026, 4, 20),
        deciding_body=side.ward, person=person,
    )  # fmt: skip
    insp.case_receive(
        actor=inspector, kind=CaseKind.COMPLAINT, received_on=dt.date(2026, 2, 2),
        paper_reference=f"HS-X{index}", subject_type=SubjectType.MEMBER, person=person,
        summary=f"Khiếu nại {index}", handling_body=side.ward,
    )  # fmt: skip


def _add_dialogue_rows(bundle: Bundle, side: Any, cell: Any, index: int) -> None:
    """A dialogue with a commitment and an assigned public-opinion case."""
    from dialogues import services as dlg
    from dialogues.choices import CaseCategory, CaseSource, DialogueLevel

    staff = bundle.users["staff"]
    dlg.dialogue_create(
        actor=staff, level=DialogueLevel.WARD, unit=side.ward, held_on=dt.date(2026, 3, 10),
        chair=f"Chủ trì {index}", topic=f"Đối thoại thêm {index}", participants=50 + index,
        issues=[{"content": f"Ý kiến {index}", "commitment": f"Cam kết {index}",
                 "owner_unit": cell, "deadline": dt.date(2026, 5, 4)}],
    )  # fmt: skip
    case = dlg.case_receive(
        actor=staff, source=CaseSource.PRESS, received_on=dt.date(2026, 3, 2),
        content=f"Phản ánh thêm số {index} về vỉa hè", unit=side.ward,
        category=CaseCategory.URBAN, citizen_name=f"Công dân {index}",
    )  # fmt: skip
    dlg.case_assign(actor=staff, case=case, unit=cell, due_on=dt.date(2026, 3, 23))
    _add_outreach_rows(staff, side, index)
    from longbien.reporting import services as reporting

    # Reports of earlier years (one per unit and quarter), opened by staff.
    reporting.report_open(actor=staff, unit=side.ward, year=2001 + index // 4,
                          quarter=1 + index % 4)  # fmt: skip


def _add_outreach_rows(staff: Any, side: Any, index: int) -> None:
    """A critique with a recommendation, a feedback item, a reception with a case, a model."""
    from dialogues import services as dlg
    from dialogues.choices import (
        CaseCategory,
        CaseSource,
        CritiqueKind,
        ModelField,
        Organiser,
        Recognition,
    )

    dlg.critique_create(
        actor=staff, kind=CritiqueKind.CRITIQUE, unit=side.ward, organiser=Organiser.FRONT,
        held_on=dt.date(2026, 4, 8), subject=f"Phản biện thêm {index}",
        recommendations=[{"content": f"Kiến nghị thêm {index}", "addressee": "UBND phường"}],
    )  # fmt: skip
    dlg.feedback_create(
        actor=staff, unit=side.ward, sender=Organiser.WOMEN, received_on=dt.date(2026, 4, 2),
        content=f"Góp ý thêm {index}", addressee="UBND phường",
    )  # fmt: skip
    reception = dlg.reception_create(
        actor=staff, unit=side.ward, held_on=dt.date(2026, 3, 16), leader=f"Lãnh đạo {index}",
        place="Trụ sở phường", citizens=3,
    )  # fmt: skip
    dlg.case_receive(
        actor=staff, source=CaseSource.RECEPTION, received_on=dt.date(2026, 3, 16),
        content=f"Phản ánh tại buổi tiếp {index}", unit=side.ward, category=CaseCategory.LAND,
        reception=reception,
    )  # fmt: skip
    dlg.model_create(
        actor=staff, unit=side.ward, year=2020 + index % 5, name=f"Mô hình thêm {index}",
        field=ModelField.ECONOMY, recognition=Recognition.WARD,
    )  # fmt: skip


def _count(client: Client, url: str) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries), len(response.content)


def _measure(bundle: Bundle, clients: dict[str, Client]) -> dict[str, tuple[int, int, int]]:
    return {
        route.key: _count(clients[_viewer(route)], route.url(bundle, bundle.a))
        for route in LISTINGS
    }


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """Counts per listing route with FEW and with MANY rows of every kind."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    with django_db_blocker.unblock(), rolled_back():
        bundle = build_bundle()
        clients = {}
        for role in sorted({_viewer(route) for route in LISTINGS}):
            clients[role] = Client(raise_request_exception=False)
            clients[role].force_login(
                bundle.users[role], backend="longbien.org.backends.PersonModelBackend"
            )
        add_rows(bundle, 0, FEW)
        _measure(bundle, clients)  # warm the per-process caches (content types, sites)
        few = _measure(bundle, clients)
        add_rows(bundle, FEW, MANY)
        many = _measure(bundle, clients)
    logger.setLevel(level)
    if UPDATE:
        BASELINE.write_text(
            json.dumps({key: max(few[key][1], many[key][1]) for key in sorted(many)}, indent=2)
            + "\n"
        )
    return few, many


@pytest.fixture(scope="module")
def baseline() -> dict[str, int]:
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else {}


@pytest.mark.parametrize("key", [route.key for route in LISTINGS])
def test_list_query_count_is_bounded(key, measured, baseline, db):
    few, many = measured
    (status_few, count_few, size_few), (status_many, count_many, size_many) = few[key], many[key]
    assert status_few == status_many == 200, f"{key}: status {status_few}/{status_many}"
    assert size_many > size_few, (
        f"{key} shows nothing more with {MANY} rows than with {FEW}: the count proves nothing; "
        "make add_rows create rows this page lists"
    )
    # Fewer queries with more rows happens (a cached lookup, a branch for long lists); more
    # is a query per row.
    assert count_many <= count_few, (
        f"{key}: {count_few} queries with {FEW} rows of each kind but {count_many} with {MANY}: "
        "a query per row (prefetch or select the related records in the selector)"
    )
    assert key in baseline, (
        f'{key} has no baseline in tests/query_counts.json: add "{key}": {count_many} '
        "(or run with LONGBIEN_UPDATE_QUERY_COUNTS=1)"
    )
    assert count_many <= baseline[key], (
        f"{key}: {count_many} queries, the baseline is {baseline[key]}. If the extra queries "
        "are intended, update tests/query_counts.json on purpose in the same change "
        "(LONGBIEN_UPDATE_QUERY_COUNTS=1 rewrites it)."
    )
    if count_many < baseline[key]:
        print(
            f"note: {key} now runs {count_many} queries (baseline {baseline[key]}); lower the baseline"
        )


def test_every_baseline_names_a_listing_route(baseline):
    stale = sorted(set(baseline) - {route.key for route in LISTINGS})
    assert not stale, f"tests/query_counts.json names routes that are not list routes: {stale}"
