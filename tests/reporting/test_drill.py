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
    # --- Helper 10: resolutions, cadres, procedures -------------------------------------
    # A document of every kind at both levels (and a draft, never counted); tasks done on time,
    # done late (after Q1) and passed down (the parent is not counted); approved slips of every
    # rating; a decision of every kind; procedures of every figure (one retired in June).
    from cadres import services as cadres
    from cadres.choices import DecisionKind, Rating
    from longbien.procedures import services as procedures
    from resolutions import services as resolutions

    staff, a = bundle.users["staff"], bundle.a
    codes = {"resolution": "NQ", "thematic_resolution": "NQ", "conclusion_notice": "TB",
             "conclusion": "KL", "directive": "CT", "programme": "CTr", "plan": "KH",
             "regulation": "QĐ", "guidance": "HD", "report": "BC"}  # fmt: skip
    for number, (kind, code) in enumerate(codes.items(), start=20):
        for unit, issuer in ((bundle.tree.root, "QU"), (a.ward, "ĐU")):
            resolutions.document_create(
                actor=staff, symbol=f"{number}-{code}/{issuer}", kind=kind, issuing_unit=unit,
                title=f"Văn bản {kind} {issuer}", signed_date=dt.date(2026, 5, 4),
            )  # fmt: skip
    resolutions.document_create(
        actor=staff, symbol="40-NQ/QU", kind="resolution", issuing_unit=bundle.tree.root,
        title="Dự thảo nghị quyết", signed_date=dt.date(2026, 2, 4), status="draft",
    )  # fmt: skip
    doc = bundle.district_document
    (on_time, late, parent) = (
        resolutions.task_assign(actor=staff, document=doc, units=[a.ward], title=title,
                                deadline=deadline)[0]
        for title, deadline in (("Đúng hạn", dt.date(2026, 2, 20)),
                                ("Trễ hạn", dt.date(2026, 3, 10)),
                                ("Giao tiếp", dt.date(2026, 3, 20)))
    )  # fmt: skip
    for task, day in ((on_time, dt.date(2026, 2, 18)), (late, dt.date(2026, 4, 2))):
        resolutions.task_report_progress(actor=staff, task=task, progress=100, note="Xong", on=day)
    resolutions.task_cascade(actor=staff, task=parent, units=[a.cell])
    for month, rating in ((5, Rating.EXCELLENT), (6, Rating.COMPLETED),
                          (7, Rating.NOT_COMPLETED)):  # fmt: skip
        slip = cadres.evaluation_create(actor=staff, person=a.person, year=2026, month=month)
        slip = cadres.evaluation_self_assess(
            actor=staff, evaluation=slip, self_assessment="Tự nhận xét", self_rating=rating
        )
        slip = cadres.evaluation_assess(
            actor=staff, evaluation=slip, superior_assessment="Nhận xét", proposed_rating=rating
        )
        cadres.evaluation_approve(actor=staff, evaluation=slip)  # fmt: skip
    for number, kind in enumerate(DecisionKind.values[1:], start=70):
        cadres.decision_create(
            actor=staff,
            person=a.person,
            kind=kind,
            to_unit=a.cell,
            symbol=f"{number}-QĐ/QU",
            decision_date=dt.date(2026, 6, 1),
        )
    for code, kind, area, level, unit, retired in (
        ("QT-KT", "procedure", "inspection", "district", bundle.tree.root, None),
        ("QC-PH", "coordination", "office", "grassroots", a.ward, None),
        ("QT-CU", "procedure", "office", "grassroots", a.ward, dt.date(2026, 6, 1)),
    ):  # fmt: skip
        procedures.procedure_create(
            actor=staff, code=code, name=f"Quy trình {code}", kind=kind, area=area, level=level,
            effective_date=dt.date(2020, 1, 1), owner_unit=unit, retired_on=retired,
        )  # fmt: skip
    # --- End of helper 10's block ---------------------------------------------------------
    from dialogues import services as dialogues
    from dialogues.choices import DialogueLevel

    dialogues.dialogue_create(
        actor=bundle.users["staff"], level=DialogueLevel.DISTRICT, unit=bundle.tree.root,
        held_on=dt.date(2026, 2, 3), chair="Bí thư Quận ủy", topic="Đối thoại cấp quận",
        participants=300,
    )  # fmt: skip

    # --- Helper 11: inspections and the dialogues' records around the cases (ward A). -------
    # Each activity × subject × kind concluded in 2026; follow-ups done on time and done late
    # (after Q1's end: overdue in Q1, done in 2026); each form of discipline.
    from inspections import services as insp
    from inspections.choices import Activity, DisciplineForm, InspectionKind, SubjectType

    inspector, side = bundle.users["inspection"], bundle.a

    def concluded(activity, subject, kind, on) -> object:
        who = {"person": side.person} if subject == SubjectType.MEMBER else {"unit": side.cell}
        record = insp.inspection_create(
            actor=inspector, activity=activity, subject_type=subject, kind=kind,
            topic=f"{activity} {subject} {kind}", conducting_body=side.ward,
            starts_on=dt.date(2026, 1, 12), **who,
        )  # fmt: skip
        record = insp.inspection_start(actor=inspector, inspection=record)
        return insp.inspection_conclude(
            actor=inspector, inspection=record, conclusion="Kết luận", concluded_on=on
        )

    first = concluded(Activity.INSPECTION, SubjectType.MEMBER, InspectionKind.THEMATIC,
                      dt.date(2026, 2, 2))  # fmt: skip
    concluded(Activity.INSPECTION, SubjectType.ORGANISATION, InspectionKind.SIGNS,
              dt.date(2026, 6, 1))  # fmt: skip
    for kind in InspectionKind.values:
        concluded(Activity.SUPERVISION, SubjectType.ORGANISATION, kind, dt.date(2026, 3, 20))
    concluded(Activity.SUPERVISION, SubjectType.MEMBER, InspectionKind.REGULAR,
              dt.date(2026, 7, 1))  # fmt: skip
    for deadline, completed in (((2026, 3, 6), (2026, 3, 5)), ((2026, 3, 13), (2026, 4, 10))):
        follow_up = insp.follow_up_add(
            actor=inspector, inspection=first, content="Kiểm điểm", owner_unit=side.cell,
            deadline=dt.date(*deadline),
        )  # fmt: skip
        insp.follow_up_complete(
            actor=inspector, follow_up=follow_up, completed_on=dt.date(*completed),
            evidence="Đã kiểm điểm",
        )  # fmt: skip
    forms = [(SubjectType.MEMBER, DisciplineForm.WARNING, (2026, 2, 9)),
             (SubjectType.MEMBER, DisciplineForm.DISMISSAL, (2026, 5, 9)),
             (SubjectType.MEMBER, DisciplineForm.EXPULSION, (2026, 8, 9)),
             (SubjectType.ORGANISATION, DisciplineForm.DISSOLUTION, (2026, 3, 9))]  # fmt: skip
    for number, (subject, form, day) in enumerate(forms, start=10):
        who = {"person": side.person} if subject == SubjectType.MEMBER else {"unit": side.cell}
        insp.discipline_create(
            actor=inspector, subject_type=subject, form=form, symbol=f"{number}-QĐ/UBKT",
            decided_on=dt.date(*day), deciding_body=side.ward, **who,
        )  # fmt: skip
    # Commitments made at a district dialogue, carried out by ward A's cell (counted under the
    # district, not the ward): one kept on time, one kept late; a model of each field in 2026.
    from dialogues.choices import ModelField, Recognition

    staff = bundle.users["staff"]
    promised = dialogues.dialogue_create(
        actor=staff, level=DialogueLevel.DISTRICT, unit=bundle.tree.root,
        held_on=dt.date(2026, 2, 20), chair="Phó Bí thư Quận ủy", topic="Đối thoại về đô thị",
        participants=150,
        issues=[{"content": f"Ý kiến {n}", "commitment": f"Cam kết {n}", "owner_unit": side.cell,
                 "deadline": dt.date(2026, 3, day)} for n, day in ((1, 6), (2, 13))],
    )  # fmt: skip
    for issue, completed in zip(promised.issues.order_by("id"), (5, 40), strict=True):
        dialogues.commitment_report(
            actor=staff, commitment=issue.commitment, progress=100, evidence="Đã làm",
            completed_on=dt.date(2026, 3, 1) + dt.timedelta(days=completed - 1),
        )  # fmt: skip
    for number, field in enumerate(ModelField.values):
        dialogues.model_create(
            actor=staff, unit=side.ward, year=2026, name=f"Mô hình {field}", field=field,
            recognition=Recognition.values[number % len(Recognition.values)],
        )  # fmt: skip
    # --- End of helper 11's block. ------------------------------------------------------------


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
                if indicator.drill.period:  # the date boxes show the period as typed in
                    shown = response.content.decode()
                    assert (
                        f'value="{start:%d/%m/%Y}"' in shown and f'value="{end:%d/%m/%Y}"' in shown
                    )
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
