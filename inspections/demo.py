"""Demo records of the inspections app: the 2015–2020 term (the article's figures) and this
year's plans, inspections, follow-ups, discipline and cases.

The article: 672 party organisations and 132 members inspected, 593 organisations and 161
members supervised, 11 denunciations and 3 disciplinary complaints settled in the term.

- The term's 1,558 concluded inspections and supervisions are inserted in bulk *as the
  services leave them* (closed, ``topic_folded`` filled, conclusion after the start), with
  their "created" audit rows (``log_created_in_bulk``): through ``inspection_create`` →
  ``inspection_start`` → ``inspection_conclude`` one by one they cost about 20 s, more than the
  whole of ``seed_demo``. Their follow-ups likewise.
- Everything else goes through the services: the term's cases (received → accepted →
  verifying → concluded → closed) and discipline decisions, this year's plans of four bodies
  with real overlaps (approved with a justification or left flagged), this year's
  inspections with their recommendations (follow-ups done on time, done late, overdue), open
  and overdue cases, and the committee head's flag on ``kiemtra``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from longbien.audit import audited, log_created_in_bulk
from longbien.org.choices import Role
from longbien.org.models import OrgUnit, Person, RoleAssignment, User
from longbien.service import batch
from longbien.text import fold

from . import services
from .choices import (
    Activity,
    CaseKind,
    CaseOutcome,
    DisciplineForm,
    FollowUpStatus,
    InspectionKind,
    InspectionStatus,
    SubjectType,
)
from .models import FollowUp, Inspection, Plan

TERM_START, TERM_END = dt.date(2015, 8, 1), dt.date(2020, 7, 31)
#: The article's figures: records concluded in the term, by activity and subject type.
TERM_FIGURES = {
    (Activity.INSPECTION, SubjectType.ORGANISATION): 672,
    (Activity.INSPECTION, SubjectType.MEMBER): 132,
    (Activity.SUPERVISION, SubjectType.ORGANISATION): 593,
    (Activity.SUPERVISION, SubjectType.MEMBER): 161,
}
DENUNCIATIONS_SETTLED, COMPLAINTS_SETTLED = 11, 3

TOPICS = [
    "Việc thực hiện nguyên tắc tập trung dân chủ", "Công tác phát triển đảng viên",
    "Việc thực hiện quy chế làm việc của cấp ủy", "Việc chấp hành Điều lệ Đảng",
    "Công tác quản lý tài chính đảng, thu nộp đảng phí", "Việc thực hiện Quy định 08-QĐi/TW về nêu gương",
    "Việc thực hiện quy chế dân chủ ở cơ sở", "Công tác quản lý đất đai, trật tự xây dựng",
    "Việc kê khai tài sản, thu nhập", "Chất lượng sinh hoạt chi bộ",
    "Việc học tập, quán triệt nghị quyết của Đảng", "Công tác cải cách hành chính",
]  # fmt: skip
CONCLUSIONS = [
    "Thực hiện tốt; cần hoàn thiện hồ sơ, sổ sách.",
    "Cơ bản thực hiện đúng quy định; còn một số hạn chế đã được chỉ ra.",
    "Có vi phạm nhưng chưa đến mức phải xem xét kỷ luật; yêu cầu kiểm điểm, rút kinh nghiệm.",
]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


@batch()
def load_demo(*, built: Any) -> str:
    """Create the term's records once (a second run changes nothing)."""
    root = built.units["QU-LB"]
    committee = built.units["UBKT-QU"]
    if Inspection.objects.filter(conducting_body=committee).exists():
        return "đã có, bỏ qua"
    admin = User.objects.get(username="admin")
    inspector = User.objects.get(username="kiemtra")
    _head_of_committee(admin, inspector, root)
    rng = random.Random(2020)
    wards = [u for code, u in built.units.items() if code.startswith("P-")]
    cells = [u for code, u in built.units.items() if code.startswith("CB-")]
    people = list(
        Person.objects.filter(unit__path__startswith=root.path, party_member_since__isnull=False)
        .select_related("unit")
        .order_by("code")
    )
    term = _term(rng, inspector, committee, wards, cells, people)
    cases = _cases(rng, inspector, committee, wards, people)
    disciplines = _term_discipline(rng, inspector, committee, root, term)
    plans = _plans(built, inspector)
    current = _this_year(rng, inspector, committee, built, people, plans)
    return (
        f"{len(term)} cuộc kiểm tra, giám sát nhiệm kỳ 2015–2020, {current} cuộc năm nay, "
        f"{cases} đơn tố cáo, khiếu nại, {disciplines} quyết định kỷ luật, {plans['count']} "
        "nội dung kế hoạch"
    )


def _head_of_committee(admin: User, inspector: User, root: OrgUnit) -> None:
    """The demo's inspection user heads the committee: they read the log of reads."""
    from longbien.org.services import role_set_heads_committee

    assignment = RoleAssignment.objects.filter(
        user=inspector, role=Role.INSPECTION, unit=root
    ).first()
    if assignment is not None and not assignment.heads_committee:
        role_set_heads_committee(
            actor=admin, assignment=assignment, heads=True,
            reason="Chủ nhiệm Ủy ban Kiểm tra Quận ủy",
        )  # fmt: skip


def _term(
    rng: random.Random,
    inspector: User,
    committee: OrgUnit,
    wards: list[OrgUnit],
    cells: list[OrgUnit],
    people: list[Person],
) -> list[Inspection]:
    """The term's concluded (and closed) records, as the services leave them, in bulk."""
    ward_of = {cell.pk: cell.parent for cell in cells}
    records: list[Inspection] = []
    last_start = TERM_END - dt.timedelta(days=60)
    for (activity, subject), count in TERM_FIGURES.items():
        for index in range(count):
            starts = _day(rng, TERM_START, last_start)
            concluded = min(starts + dt.timedelta(days=rng.randint(10, 45)), TERM_END)
            closed = concluded + dt.timedelta(days=rng.randint(5, 30))
            person = None
            if subject == SubjectType.MEMBER:
                person = people[rng.randrange(len(people))]
                unit = person.unit
                kind = InspectionKind.SIGNS if index % 3 == 0 else InspectionKind.THEMATIC
            else:
                unit = rng.choice(cells) if rng.random() < 0.7 else rng.choice(wards)
                kind = (InspectionKind.REGULAR, InspectionKind.THEMATIC)[index % 2]
                if activity == Activity.INSPECTION and index % 15 == 0:
                    kind = InspectionKind.SIGNS
            # A ward committee inspects its own cells; the district's committee the rest.
            body = ward_of.get(unit.pk) if rng.random() < 0.4 else committee
            topic = rng.choice(TOPICS)
            records.append(
                Inspection(
                    activity=activity,
                    subject_type=subject,
                    kind=kind,
                    topic=topic,
                    topic_folded=fold(topic)[:300],
                    unit=unit,
                    person=person,
                    conducting_body=body or committee,
                    team="Đoàn kiểm tra, giám sát theo quyết định của cơ quan tiến hành",
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=30),
                    findings="Đã làm việc với tổ chức, cá nhân và xem xét hồ sơ, tài liệu.",
                    conclusion=rng.choice(CONCLUSIONS),
                    concluded_on=concluded,
                    closed_on=closed,
                    status=InspectionStatus.CLOSED,
                )  # fmt: skip
            )
    with audited(actor=inspector, reason="Số liệu nhiệm kỳ 2015–2020"):
        Inspection.objects.bulk_create(records, batch_size=1000)
        log_created_in_bulk(records)
        follow_ups = []
        for record in records[::6]:
            deadline = record.concluded_on + dt.timedelta(days=rng.choice((30, 60, 90)))
            late = rng.random() < 0.1
            follow_ups.append(
                FollowUp(
                    inspection=record,
                    owner_unit=record.unit,
                    content="Khắc phục các hạn chế, khuyết điểm theo kết luận; báo cáo kết quả.",
                    deadline=deadline,
                    status=FollowUpStatus.DONE,
                    completed_on=deadline
                    + dt.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 20)),
                    evidence="Đã có báo cáo kết quả khắc phục.",
                )  # fmt: skip
            )
        FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
        log_created_in_bulk(follow_ups)
    return records


def _cases(
    rng: random.Random,
    inspector: User,
    committee: OrgUnit,
    wards: list[OrgUnit],
    people: list[Person],
) -> int:
    """The term's settled cases, then this year's open ones (overdue, new, not accepted)."""
    made = 0
    settled = [CaseKind.DENUNCIATION] * DENUNCIATIONS_SETTLED + [
        CaseKind.COMPLAINT
    ] * COMPLAINTS_SETTLED
    for number, kind in enumerate(settled, start=1):
        received = _day(rng, TERM_START, dt.date(2020, 3, 31))
        # Two of them settled after the time limit (90 days): the indicators say "late".
        days = rng.randint(95, 110) if number in (4, 12) else rng.randint(30, 80)
        subject = SubjectType.MEMBER if number % 3 else SubjectType.ORGANISATION
        person = people[rng.randrange(len(people))] if subject == SubjectType.MEMBER else None
        case = services.case_receive(
            actor=inspector, kind=kind, received_on=received,
            paper_reference=f"HS-{received.year}/{number:03d}", subject_type=subject,
            unit=person.unit if person else rng.choice(wards), person=person,
            summary="Nội dung đơn được lưu trong hồ sơ giấy (tóm tắt mẫu).",
            handling_body=committee,
        )  # fmt: skip
        services.case_accept(actor=inspector, case=case)
        services.case_verify(actor=inspector, case=case)
        services.case_conclude(
            actor=inspector, case=case, conclusion="Đã xác minh, kết luận theo quy định.",
            outcome=(CaseOutcome.PARTLY, CaseOutcome.UNFOUNDED, CaseOutcome.WELL_FOUNDED)[number % 3],
            concluded_on=received + dt.timedelta(days=days),
        )  # fmt: skip
        if number % 5:
            services.case_close(
                actor=inspector, case=case, closed_on=received + dt.timedelta(days=days + 10)
            )
        made += 1
    today = timezone.localdate()
    ward = wards[0]
    # This year: one overdue in verification, one just received, one extended, one refused.
    overdue = services.case_receive(
        actor=inspector, kind=CaseKind.DENUNCIATION, received_on=today - dt.timedelta(days=120),
        paper_reference=f"HS-{today.year}/001", subject_type=SubjectType.ORGANISATION, unit=ward,
        summary="Nội dung đơn được lưu trong hồ sơ giấy (tóm tắt mẫu).", handling_body=committee,
    )  # fmt: skip
    services.case_accept(actor=inspector, case=overdue)
    services.case_verify(actor=inspector, case=overdue)
    services.case_receive(
        actor=inspector, kind=CaseKind.DENUNCIATION, received_on=today - dt.timedelta(days=10),
        paper_reference=f"HS-{today.year}/002", subject_type=SubjectType.ORGANISATION,
        unit=wards[1], summary="Nội dung đơn được lưu trong hồ sơ giấy (tóm tắt mẫu).",
        handling_body=committee,
    )  # fmt: skip
    extended = services.case_receive(
        actor=inspector, kind=CaseKind.COMPLAINT, received_on=today - dt.timedelta(days=85),
        paper_reference=f"HS-{today.year}/003", subject_type=SubjectType.ORGANISATION,
        unit=wards[2], summary="Nội dung đơn được lưu trong hồ sơ giấy (tóm tắt mẫu).",
        handling_body=committee,
    )  # fmt: skip
    services.case_accept(actor=inspector, case=extended)
    services.case_extend(
        actor=inspector, case=extended, new_due_on=extended.due_on + dt.timedelta(days=30),
        reason="Nội dung phức tạp, cần xác minh thêm tại nhiều đơn vị.",
    )  # fmt: skip
    refused = services.case_receive(
        actor=inspector, kind=CaseKind.DENUNCIATION, received_on=today - dt.timedelta(days=40),
        paper_reference=f"HS-{today.year}/004", subject_type=SubjectType.ORGANISATION,
        unit=wards[3], summary="Nội dung đơn được lưu trong hồ sơ giấy (tóm tắt mẫu).",
        handling_body=committee,
    )  # fmt: skip
    services.case_reject(
        actor=inspector, case=refused, reason="Đơn không rõ nội dung, không có căn cứ để thụ lý."
    )
    return made + 4


def _term_discipline(
    rng: random.Random, inspector: User, committee: OrgUnit, root: OrgUnit, term: list[Inspection]
) -> int:
    """Discipline decided after some of the term's inspections on signs of violation."""
    signs = sorted(
        (r for r in term if r.kind == InspectionKind.SIGNS and r.activity == Activity.INSPECTION),
        key=lambda r: (r.concluded_on, r.pk),
    )
    made = 0
    for number, record in enumerate(signs[:24], start=1):
        if record.subject_type == SubjectType.MEMBER:
            form = (DisciplineForm.REPRIMAND, DisciplineForm.REPRIMAND, DisciplineForm.WARNING,
                    DisciplineForm.DISMISSAL, DisciplineForm.EXPULSION)[number % 5]  # fmt: skip
        else:
            form = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING)[number % 2]
        services.discipline_create(
            actor=inspector, subject_type=record.subject_type, form=form,
            symbol=f"{number:02d}-QĐ/UBKTQU", decided_on=record.concluded_on + dt.timedelta(days=rng.randint(3, 20)),
            deciding_body=committee, unit=record.unit, person=record.person, inspection=record,
        )  # fmt: skip
        made += 1
    return made


def _plans(built: Any, inspector: User) -> dict[str, Any]:
    """This year's plans of four bodies, with a few real overlaps for the coordination view."""
    year = timezone.localdate().year
    units = built.units
    staff = User.objects.filter(username="vanphong").first() or inspector
    front = User.objects.filter(username="danvan").first() or staff
    secretary = User.objects.filter(username="bithu.bode").first() or staff
    bode, saidong, cell1, cell2 = (
        units["P-BODE"], units["P-SAIDONG"], units["CB-BODE-01"], units["CB-BODE-02"]
    )  # fmt: skip

    def plan(actor: User, body: OrgUnit) -> Plan:
        return Plan.objects.filter(body=body, year=year).first() or services.plan_create(
            actor=actor, body=body, year=year
        )

    def item(actor, plan_, unit, first, last, topic, activity=Activity.INSPECTION, **extra):
        return services.plan_item_add(
            actor=actor, plan=plan_, activity=activity,
            subject_type=extra.pop("subject_type", SubjectType.ORGANISATION), topic=topic,
            target_unit=unit, start_month=first, end_month=last, **extra,
        )  # fmt: skip

    ubkt = plan(inspector, units["UBKT-QU"])
    hdnd = plan(staff, units["HDND-LB"])
    mttq = plan(front, units["MTTQ-LB"])
    ward = plan(secretary, bode)
    made = [
        # UBKT: the ward of Bồ Đề in March–April (overlaps the Council and the ward's own).
        committee_bode := item(inspector, ubkt, bode, 3, 4, "Công tác phát triển đảng viên"),
        committee_cell := item(inspector, ubkt, cell2, 9, 9, "Chất lượng sinh hoạt chi bộ"),
        item(inspector, ubkt, saidong, 5, 6, "Việc thực hiện Quy định 08-QĐi/TW về nêu gương",
             activity=Activity.SUPERVISION),
        # The People's Council: Bồ Đề in April–May (same unit, same months as UBKT's April).
        council_bode := item(staff, hdnd, bode, 4, 5, "Việc thực hiện quy chế dân chủ ở cơ sở",
                             activity=Activity.SUPERVISION),
        # The Council and the Front on the same topic at Sài Đồng four months apart.
        item(staff, hdnd, saidong, 2, 2, "Công tác quản lý đất đai, trật tự xây dựng",
             activity=Activity.SUPERVISION),
        item(front, mttq, saidong, 6, 6, "Công tác quản lý đất đai, trật tự xây dựng",
             activity=Activity.SUPERVISION),
        # The Front at a cell of Bồ Đề in April (a unit below UBKT's and the Council's).
        item(front, mttq, cell1, 4, 4, "Việc thực hiện quy chế dân chủ ở cơ sở",
             activity=Activity.SUPERVISION),
        # The ward's own plan: its cell 1 in April too, its cell 3 in August.
        item(secretary, ward, cell1, 4, 4, "Việc chấp hành Điều lệ Đảng"),
        item(secretary, ward, units["CB-BODE-03"], 8, 8, "Công tác quản lý tài chính đảng, thu nộp đảng phí"),
    ]  # fmt: skip
    # Approvals: the item without conflicts as it is; an overlapping one with a justification.
    services.plan_item_approve(actor=inspector, item=committee_cell)
    services.plan_item_approve(
        actor=staff, item=council_bode,
        justification="Đã thống nhất với Ủy ban Kiểm tra Quận ủy: giám sát sau khi đoàn kiểm tra kết thúc.",
    )  # fmt: skip
    return {"count": len(made), "committee_bode": committee_bode, "committee_cell": committee_cell}


def _this_year(
    rng: random.Random,
    inspector: User,
    committee: OrgUnit,
    built: Any,
    people: list[Person],
    plans: dict[str, Any],
) -> int:
    """This year's records: planned, in progress, concluded with follow-ups, closed."""
    today = timezone.localdate()
    units = built.units
    bode = units["P-BODE"]
    secretary = User.objects.filter(username="bithu.bode").first()

    def create(unit, topic, starts, *, activity=Activity.INSPECTION, kind=InspectionKind.THEMATIC,
               person=None, plan_item=None, body=committee):  # fmt: skip
        return services.inspection_create(
            actor=inspector, activity=activity,
            subject_type=SubjectType.MEMBER if person else SubjectType.ORGANISATION, kind=kind,
            topic=topic, conducting_body=body, unit=None if person else unit, person=person,
            plan_item=plan_item, starts_on=starts, ends_on=starts + dt.timedelta(days=30),
            team="Đồng chí Phó Chủ nhiệm UBKT Quận ủy (trưởng đoàn) và 3 cán bộ kiểm tra",
        )  # fmt: skip

    made = 0
    # Planned: the committee's approved visit to cell 2 (carried out under the plan).
    create(units["CB-BODE-02"], "Chất lượng sinh hoạt chi bộ", today + dt.timedelta(days=20),
           plan_item=plans["committee_cell"])  # fmt: skip
    create(units["P-SAIDONG"], "Việc thực hiện Quy định 08-QĐi/TW về nêu gương",
           today + dt.timedelta(days=40), activity=Activity.SUPERVISION)  # fmt: skip
    made += 2
    # In progress.
    running = create(
        units["P-NGOCLAM"], "Việc kê khai tài sản, thu nhập", today - dt.timedelta(days=15)
    )
    services.inspection_start(actor=inspector, inspection=running)
    member = next(p for p in people if p.unit.code.startswith("CB-BODE-"))
    on_member = create(None, "Việc thực hiện nhiệm vụ đảng viên", today - dt.timedelta(days=25),
                       person=member, kind=InspectionKind.SIGNS)  # fmt: skip
    services.inspection_start(actor=inspector, inspection=on_member)
    made += 2
    # Concluded at Bồ Đề 75 days ago with three recommendations: done on time, done late, overdue.
    bode_visit = create(bode, "Công tác phát triển đảng viên", today - dt.timedelta(days=110))
    services.inspection_start(actor=inspector, inspection=bode_visit)
    concluded_on = today - dt.timedelta(days=75)
    services.inspection_conclude(
        actor=inspector, inspection=bode_visit, concluded_on=concluded_on,
        conclusion="Cơ bản thực hiện tốt; còn chậm bổ sung hồ sơ quần chúng ưu tú.",
        findings="Đoàn đã làm việc với Đảng ủy phường và 3 chi bộ trực thuộc.",
        recommendations=[
            {"content": "Hoàn thiện hồ sơ quần chúng ưu tú được cử đi học lớp nhận thức về Đảng.",
             "owner_unit": bode, "deadline": today - dt.timedelta(days=45)},
            {"content": "Rà soát, bổ sung sổ theo dõi phát triển đảng viên của các chi bộ.",
             "owner_unit": bode, "deadline": today - dt.timedelta(days=40)},
            {"content": "Báo cáo kết quả khắc phục hạn chế với Ủy ban Kiểm tra Quận ủy.",
             "owner_unit": bode, "deadline": today - dt.timedelta(days=10)},
            {"content": "Tổ chức kiểm điểm rút kinh nghiệm ở chi bộ Tổ dân phố số 1.",
             "owner_unit": units["CB-BODE-01"], "deadline": today + dt.timedelta(days=2)},
        ],
    )  # fmt: skip
    on_time, late, *_rest = list(bode_visit.follow_ups.order_by("deadline", "id"))
    actor = secretary or inspector
    services.follow_up_complete(
        actor=actor, follow_up=on_time, completed_on=on_time.deadline - dt.timedelta(days=3),
        evidence="Đã hoàn thiện 12 hồ sơ, gửi Ban Tổ chức Quận ủy.",
    )  # fmt: skip
    services.follow_up_complete(
        actor=actor, follow_up=late, completed_on=late.deadline + dt.timedelta(days=12),
        evidence="Các chi bộ đã bổ sung sổ theo dõi.",
    )  # fmt: skip
    # Concluded and closed elsewhere, one with a follow-up still open and not yet due.
    closed = create(units["P-GIATHUY"], "Công tác quản lý tài chính đảng, thu nộp đảng phí",
                    today - dt.timedelta(days=60))  # fmt: skip
    services.inspection_start(actor=inspector, inspection=closed)
    services.inspection_conclude(
        actor=inspector, inspection=closed, concluded_on=today - dt.timedelta(days=30),
        conclusion="Thu, nộp đảng phí đúng quy định.",
        recommendations=[{"content": "Công khai tài chính đảng hằng quý.", "owner_unit": units["P-GIATHUY"],
                          "deadline": today + dt.timedelta(days=30)}],
    )  # fmt: skip
    services.inspection_close(
        actor=inspector, inspection=closed, closed_on=today - dt.timedelta(days=20)
    )
    made += 2
    # Discipline after the inspection of a member on signs of violation, concluded this year.
    signs = create(None, "Việc chấp hành Điều lệ Đảng", today - dt.timedelta(days=70),
                   person=people[rng.randrange(len(people))], kind=InspectionKind.SIGNS)  # fmt: skip
    services.inspection_start(actor=inspector, inspection=signs)
    services.inspection_conclude(
        actor=inspector, inspection=signs, concluded_on=today - dt.timedelta(days=35),
        conclusion="Vi phạm Điều lệ Đảng, đến mức phải xem xét kỷ luật.",
    )  # fmt: skip
    services.discipline_create(
        actor=inspector, subject_type=SubjectType.MEMBER, form=DisciplineForm.REPRIMAND,
        symbol=f"01-QĐ/UBKTQU-{today.year}", decided_on=today - dt.timedelta(days=20),
        deciding_body=committee, person=signs.person, inspection=signs,
    )  # fmt: skip
    made += 1
    return made


# --- City scale (seed_demo --scale city) ---------------------------------------------------


def load_city(*, root_code: str = "TU-HN", per_district: int = 670) -> str:
    """About 20,000 inspections and supervisions across the city's districts (not Long Biên),
    closed, concluded or in progress as the services leave them; loaded with COPY."""
    from longbien.bulk import copy_rows
    from longbien.org.choices import UnitKind

    root = OrgUnit.objects.filter(code=root_code).first()
    if root is None:
        return "không có cây thành phố"
    districts = list(
        OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .exclude(code="QU-LB")
        .order_by("code")
    )
    if not districts or Inspection.objects.filter(conducting_body=districts[0]).exists():
        return "đã có"
    rng = random.Random(2021)
    units: dict[str, list[int]] = {}
    by_path = {d.path: d for d in districts}
    for pk, path in (
        OrgUnit.objects.filter(
            path__startswith=root.path, kind__in=(UnitKind.WARD_COMMITTEE, UnitKind.PARTY_CELL)
        )
        .exclude(path__startswith=f"{root.path}QU-LB/")
        .values_list("pk", "path")
    ):
        district_path = "/".join(path.split("/")[:2]) + "/"
        if district_path in by_path:
            units.setdefault(district_path, []).append(pk)
    people: dict[str, list[tuple[int, int]]] = {}
    for pk, unit_id, path in Person.objects.filter(
        code__startswith="HN", unit__path__startswith=root.path
    ).values_list("pk", "unit_id", "unit__path"):
        people.setdefault("/".join(path.split("/")[:2]) + "/", []).append((pk, unit_id))
    today = timezone.localdate()
    now = timezone.now().isoformat()
    topics = [(t, fold(t)[:300]) for t in TOPICS]
    weights = [(Activity.INSPECTION, SubjectType.ORGANISATION, 0.43),
               (Activity.INSPECTION, SubjectType.MEMBER, 0.09),
               (Activity.SUPERVISION, SubjectType.ORGANISATION, 0.38),
               (Activity.SUPERVISION, SubjectType.MEMBER, 0.10)]  # fmt: skip

    def rows():
        for district in districts:
            targets = units.get(district.path, [])
            members = people.get(district.path, [])
            if not targets:
                continue
            for _ in range(per_district):
                draw, acc = rng.random(), 0.0
                activity, subject = weights[-1][:2]
                for a, s, w in weights:
                    acc += w
                    if draw < acc:
                        activity, subject = a, s
                        break
                person_id = None
                unit_id = rng.choice(targets)
                if subject == SubjectType.MEMBER and members:
                    person_id, unit_id = rng.choice(members)
                elif subject == SubjectType.MEMBER:
                    subject = SubjectType.ORGANISATION
                starts = _day(rng, dt.date(2015, 8, 1), today - dt.timedelta(days=5))
                state = rng.random()
                concluded = closed = None
                conclusion = ""
                status = InspectionStatus.IN_PROGRESS
                if starts < today - dt.timedelta(days=60) or state < 0.9:
                    concluded = min(starts + dt.timedelta(days=rng.randint(10, 45)), today)
                    conclusion = CONCLUSIONS[rng.randrange(len(CONCLUSIONS))]
                    status = InspectionStatus.CONCLUDED
                    closed_day = concluded + dt.timedelta(days=rng.randint(5, 30))
                    if closed_day <= today:
                        closed, status = closed_day, InspectionStatus.CLOSED
                topic, folded = topics[rng.randrange(len(topics))]
                kind = (InspectionKind.REGULAR, InspectionKind.THEMATIC, InspectionKind.SIGNS)[
                    rng.randrange(3) if subject == SubjectType.MEMBER else rng.randrange(2)
                ]
                yield (
                    activity, subject, kind, topic, folded, unit_id, person_id, district.pk,
                    "", starts.isoformat(), (starts + dt.timedelta(days=30)).isoformat(), "",
                    conclusion, concluded.isoformat() if concluded else None,
                    closed.isoformat() if closed else None, status, now,
                )  # fmt: skip

    columns = [
        "activity", "subject_type", "kind", "topic", "topic_folded", "unit_id", "person_id",
        "conducting_body_id", "team", "starts_on", "ends_on", "findings", "conclusion",
        "concluded_on", "closed_on", "status", "created_at",
    ]  # fmt: skip
    count = copy_rows(Inspection, columns, rows())
    return f"{count} cuộc kiểm tra, giám sát"


def register() -> None:
    from longbien.core import demo

    demo.register(40, "inspections", load_demo)
    demo.register_city(40, "inspections", load_city)
