"""Demo quarterly reports: the last quarter of last year and this year's ended quarters, for
every Long Biên ward, in a realistic mix; and every city ward's reports (``--scale city``).

- Bồ Đề (the ward of the demo logins ``bithu.bode`` and ``canbo.bode``) goes through the
  services (``report_save`` → ``report_submit`` → ``report_return`` / ``report_accept``): its
  older reports accepted (one late), the last ended quarter's returned with comments to work
  on, and the current quarter's draft being written.
- The other wards have no secretary login (the demo has one user per role), so their reports
  are inserted in bulk *as the services leave them* (versions, frozen figures, submission and
  acceptance), with their "created" audit rows: most accepted (a few late), some submitted
  and waiting for the office, one draft and one not started in the last ended quarter. The
  frozen figures are real: the indicators of each ward and quarter (``figures.live_counts``).
- Sending dates are set back to around each deadline (on time, or a few days late).
- The 2015–2020 term has no reports: its 280 ward-quarters would each cost a computation of
  the indicators (about 50 ms), some 14 s more for ``seed_demo``; its figures are the term
  reports' business.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from longbien.audit import audited, log_created_in_bulk
from longbien.org.models import OrgUnit, User
from longbien.service import batch

from . import figures, services
from .choices import ReportStatus
from .models import QuarterlyReport, due_date

RESULTS = [
    "Tổ chức quán triệt, triển khai kịp thời các nghị quyết, chỉ thị của cấp trên; 100% chi bộ "
    "sinh hoạt định kỳ đúng quy định.\nHoàn thành kế hoạch kiểm tra, giám sát của quý.",
    "Duy trì tốt công tác tiếp công dân, giải quyết dứt điểm các vụ việc dư luận phản ánh "
    "trong quý.\nTổ chức đối thoại với nhân dân về chỉnh trang đô thị.",
    "Kết nạp đảng viên mới đạt kế hoạch; công tác dân vận được tăng cường, các mô hình dân vận "
    "khéo phát huy hiệu quả.",
]
LIMITATIONS = [
    "Một số chi bộ sinh hoạt chuyên đề chưa sâu; tiến độ giải phóng mặt bằng còn chậm.\n"
    "Nguyên nhân: địa bàn rộng, một số hộ chưa đồng thuận.",
    "Việc cập nhật số liệu lên cổng còn chậm; trả lời một số kiến nghị chưa đúng hạn.",
]
NEXT_TASKS = [
    "Tiếp tục triển khai nghị quyết Đại hội; chuẩn bị sơ kết 6 tháng.\nĐẩy mạnh cải cách "
    "hành chính, trật tự đô thị.",
    "Hoàn thành kế hoạch kiểm tra, giám sát năm; tổ chức đối thoại với nhân dân quý tới.",
]
PROPOSALS = ["", "Đề nghị Quận ủy hỗ trợ kinh phí chỉnh trang hạ tầng tổ dân phố."]
RETURN_COMMENTS = {
    "results": "Đề nghị bổ sung kết quả cụ thể về công tác giải phóng mặt bằng.",
    "limitations": "Phân tích rõ nguyên nhân chủ quan của hạn chế.",
}


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def demo_quarters(today: dt.date) -> list[tuple[int, int]]:
    """Last year's last quarter and this year's ended quarters, oldest first."""
    ended = [(today.year, q) for q in (1, 2, 3, 4) if _quarter_end(today.year, q) < today]
    return [(today.year - 1, 4), *ended]


def _texts(rng: random.Random) -> dict[str, str]:
    return {
        "results": rng.choice(RESULTS), "limitations": rng.choice(LIMITATIONS),
        "next_tasks": rng.choice(NEXT_TASKS), "proposals": rng.choice(PROPOSALS),
    }  # fmt: skip


def _sent_on(rng: random.Random, due_on: dt.date, late: bool, today: dt.date) -> dt.date:
    day = due_on + (
        dt.timedelta(days=rng.randint(3, 20)) if late else -dt.timedelta(days=rng.randint(0, 10))
    )
    return min(day, today)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


@batch()
def load_demo(*, built: Any) -> str:
    """Create the demo's quarterly reports once (a second run changes nothing)."""
    wards = [u for code, u in sorted(built.units.items()) if code.startswith("P-")]
    if QuarterlyReport.objects.filter(unit__in=wards).exists():
        return "đã có, bỏ qua"
    today = timezone.localdate()
    quarters = demo_quarters(today)
    staff = User.objects.filter(username="vanphong").first() or User.objects.get(username="admin")
    rng = random.Random(2026)
    bode = built.units.get("P-BODE")
    others = [w for w in wards if w != bode]
    made = 0
    with audited(actor=staff, reason="Dữ liệu mẫu báo cáo quý"):
        if bode is not None:
            made += _bode(bode, staff, quarters, today, rng)
        made += _bulk(others, staff, quarters, today, rng)
    states = dict.fromkeys(ReportStatus.values, 0)
    for status in QuarterlyReport.objects.filter(unit__in=wards).values_list("status", flat=True):
        states[status] += 1
    labels = ", ".join(f"{states[s.value]} {s.label.lower()}" for s in ReportStatus if states[s])
    return f"{made} báo cáo quý ({labels})"


def _bode(
    ward: OrgUnit, staff: User, quarters: list[tuple[int, int]], today: dt.date,
    rng: random.Random,
) -> int:  # fmt: skip
    """Bồ Đề's reports through the services, as its secretary and the office make them."""
    secretary = User.objects.filter(username="bithu.bode").first()
    if secretary is None:
        return 0
    current = (today.year, (today.month - 1) // 3 + 1)
    made = 0
    for number, (year, quarter) in enumerate([*quarters, current]):
        last = (year, quarter) == quarters[-1]
        report = services.report_open(actor=secretary, unit=ward, year=year, quarter=quarter)
        services.report_save(actor=secretary, report=report, version=report.version,
                             **_texts(rng))  # fmt: skip
        made += 1
        if (year, quarter) == current:
            continue  # being written
        services.report_submit(actor=secretary, report=report, version=report.version)
        if last:
            services.report_return(actor=staff, report=report, version=report.version,
                                   comments=RETURN_COMMENTS)  # fmt: skip
        else:
            services.report_accept(actor=staff, report=report, version=report.version)
        sent = _sent_on(rng, report.due_on, late=number == 1, today=today)
        QuarterlyReport.objects.filter(pk=report.pk).update(
            first_submitted_on=sent, submitted_at=_at(sent), frozen_at=_at(sent),
            accepted_at=None if last else _at(min(sent + dt.timedelta(days=3), today), 15),
        )  # fmt: skip
    return made


def _bulk(
    wards: list[OrgUnit], staff: User, quarters: list[tuple[int, int]], today: dt.date,
    rng: random.Random,
) -> int:  # fmt: skip
    """The other wards' reports as the services leave them, with their real frozen figures."""
    rows: list[QuarterlyReport] = []
    for year, quarter in quarters:
        last = (year, quarter) == quarters[-1]
        due_on = due_date(year, quarter)
        for number, ward in enumerate(wards):
            if last:  # the last ended quarter: a mix of states
                status = (
                    ReportStatus.NOT_STARTED if number == 0 else ReportStatus.DRAFT
                    if number == 1 else ReportStatus.SUBMITTED if number in (2, 3, 4)
                    else ReportStatus.ACCEPTED
                )  # fmt: skip
            else:
                status = ReportStatus.ACCEPTED
            report = QuarterlyReport(unit=ward, year=year, quarter=quarter, due_on=due_on,
                                     status=status)  # fmt: skip
            if status != ReportStatus.NOT_STARTED:
                for name, text in _texts(rng).items():
                    setattr(report, name, text)
                report.version = 2
            if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                late = rng.random() < 0.15
                sent = _sent_on(rng, due_on, late, today)
                report.frozen = figures.live_counts(report)
                report.frozen_at = report.submitted_at = _at(sent)
                report.first_submitted_on = sent
                report.submitted_version, report.version = 2, 3
            if status == ReportStatus.ACCEPTED:
                accepted = min(sent + dt.timedelta(days=rng.randint(1, 7)), today)
                report.accepted_at, report.accepted_by = _at(accepted, 15), staff
                report.version = 4
            rows.append(report)
    QuarterlyReport.objects.bulk_create(rows, batch_size=1000)
    log_created_in_bulk(rows)
    return len(rows)


# --- City scale (seed_demo --scale city) ---------------------------------------------------

# A ward's quarter, roughly: the counts that are never zero at city scale (others: 0).
CITY_COUNTS = {
    "cadres.members": (150, 400), "conferences.held": (1, 4), "inspections.total": (1, 6),
    "dialogues.ward": (0, 2), "opinion_cases.received": (2, 15), "documents.total": (2, 12),
}  # fmt: skip


def load_city(*, root_code: str = "TU-HN", first_year: int = 2020) -> str:
    """Every city ward's report of every quarter from the 2020–2025 term's first full quarter
    to the last ended one, loaded with COPY: all accepted but the last quarter's (a mix), each
    with a small realistic frozen set of counts (the city's records are not complete enough
    to compute them, and computing 10,000 of them would take minutes)."""
    import json

    from longbien.bulk import copy_rows
    from longbien.org.choices import UnitKind

    root = OrgUnit.objects.filter(code=root_code).first()
    if root is None:
        return "không có cây thành phố"
    wards = list(
        OrgUnit.objects.filter(path__startswith=root.path, kind=UnitKind.WARD_COMMITTEE)
        .exclude(path__contains="/QU-LB/")
        .order_by("path")
        .values_list("pk", flat=True)
    )
    if not wards or QuarterlyReport.objects.filter(unit_id=wards[0]).exists():
        return "đã có"
    today = timezone.localdate()
    quarters = [
        (year, quarter)
        for year in range(first_year, today.year + 1)
        for quarter in (1, 2, 3, 4)
        if (year, quarter) >= (first_year, 4) and _quarter_end(year, quarter) < today
    ]
    rng = random.Random(2012)
    now = timezone.now().isoformat()
    codes = list(figures.count_codes())

    def rows():
        for year, quarter in quarters:
            last = (year, quarter) == quarters[-1]
            due_on = due_date(year, quarter)
            for ward in wards:
                draw = rng.random()
                status = ReportStatus.ACCEPTED
                if last:
                    status = (
                        ReportStatus.NOT_STARTED if draw < 0.05 else ReportStatus.DRAFT
                        if draw < 0.15 else ReportStatus.SUBMITTED if draw < 0.45
                        else ReportStatus.ACCEPTED
                    )  # fmt: skip
                sent = accepted = None
                frozen: dict[str, int] = {}
                version, submitted_version = 1, None
                if status != ReportStatus.NOT_STARTED:
                    version = 2
                if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                    sent = min(_sent_on(rng, due_on, rng.random() < 0.12, today), today)
                    frozen = dict.fromkeys(codes, 0)
                    for code, (low, high) in CITY_COUNTS.items():
                        if code in frozen:
                            frozen[code] = rng.randint(low, high)
                    version, submitted_version = 3, 2
                if status == ReportStatus.ACCEPTED and sent is not None:
                    accepted = min(sent + dt.timedelta(days=rng.randint(1, 7)), today)
                    version = 4
                texts = ("", "", "", "")
                if status != ReportStatus.NOT_STARTED:
                    texts = (RESULTS[ward % 3], LIMITATIONS[ward % 2], NEXT_TASKS[ward % 2], "")
                yield (
                    ward, year, quarter, status, due_on.isoformat(), *texts,
                    json.dumps(frozen), _at(sent).isoformat() if sent else None,
                    sent.isoformat() if sent else None, _at(sent).isoformat() if sent else None,
                    submitted_version, _at(accepted, 15).isoformat() if accepted else None,
                    version, now,
                )  # fmt: skip

    columns = [
        "unit_id", "year", "quarter", "status", "due_on", "results", "limitations",
        "next_tasks", "proposals", "frozen", "frozen_at", "first_submitted_on", "submitted_at",
        "submitted_version", "accepted_at", "version", "updated_at",
    ]  # fmt: skip
    count = copy_rows(QuarterlyReport, columns, rows())
    return f"{count} báo cáo quý ({len(wards)} phường × {len(quarters)} quý)"


def register() -> None:
    from longbien.core import demo

    demo.register(90, "reporting", load_demo)
    demo.register_city(90, "reporting", load_city)
