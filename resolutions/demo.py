"""Demo records for the 2015–2020 term (the article's counts) and for the current year."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from longbien.org.models import OrgUnit, User
from longbien.service import batch
from longbien.text import fold

from . import services
from .choices import DocumentKind, DocumentStatus, IssuerLevel
from .models import Conference, Document, Task

TERM_START, ARTICLE_DATE = dt.date(2015, 8, 1), dt.date(2019, 11, 15)
DISTRICT_RESOLUTIONS, CONCLUSION_NOTICES, WARD_THEMATIC, CONFERENCES = 22, 202, 488, 312
ATTENDANCE = 0.954

RESOLUTION_TOPICS = [
    "nâng cao chất lượng sinh hoạt chi bộ", "công tác cán bộ", "chỉnh trang đô thị", "xây dựng nông thôn mới",
    "cải cách hành chính", "phát triển kinh tế tư nhân", "bảo vệ môi trường", "công tác dân vận",
    "phòng, chống tham nhũng", "quản lý trật tự xây dựng", "công tác kiểm tra, giám sát",
]  # fmt: skip


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _doc(
    symbol: str,
    number: int,
    kind_code: str,
    issuer_code: str,
    kind: str,
    unit: OrgUnit | None,
    level: str,
    title: str,
    day: dt.date,
    issuer_name: str = "",
) -> Document:
    document = Document(
        symbol=symbol, number=number, kind_code=kind_code, issuer_code=issuer_code, kind=kind, issuing_unit=unit,
        issuer_name=issuer_name, issuer_level=level, title=title, signed_date=day, year=day.year, status=DocumentStatus.ISSUED,
    )  # fmt: skip
    document.title_folded = fold(f"{symbol} {title}")[:600]
    return document


def _numbered(
    rng: random.Random, count: int, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int]]:
    """Dates in order, numbered from 1 again each year."""
    days = sorted(_day(rng, start, end) for _ in range(count))
    numbered, counter = [], {}
    for day in days:
        counter[day.year] = counter.get(day.year, 0) + 1
        numbered.append((day, counter[day.year]))
    return numbered


@batch()
def load_demo(*, built: Any) -> str:
    """Create the term's documents and conferences once, and the current year's tasks."""
    root = built.units["QU-LB"]
    if Document.objects.filter(issuing_unit=root).exists():
        return "đã có, bỏ qua"
    rng = random.Random(2019)
    upper = [
        _doc("04-NQ/TW", 4, "NQ", "TW", DocumentKind.RESOLUTION, None, IssuerLevel.UPPER,
             "Nghị quyết Hội nghị Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng", dt.date(2016, 10, 30), "Ban Chấp hành Trung ương"),
        _doc("05-CT/TW", 5, "CT", "TW", DocumentKind.DIRECTIVE, None, IssuerLevel.UPPER,
             "Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", dt.date(2016, 5, 15), "Bộ Chính trị"),
        _doc("01-CTr/TU", 1, "CTr", "TU", DocumentKind.PROGRAMME, None, IssuerLevel.UPPER,
             "Chương trình về tăng cường xây dựng Đảng bộ Thành phố trong sạch, vững mạnh", dt.date(2016, 4, 26), "Thành ủy Hà Nội"),
    ]  # fmt: skip
    documents = list(upper)
    documents.append(
        _doc("01-CTr/QU", 1, "CTr", "QU", DocumentKind.PROGRAMME, root, IssuerLevel.DISTRICT,
             "Chương trình đổi mới phương thức lãnh đạo của các cấp ủy đảng; phát huy vai trò tiền phong gương mẫu của đội ngũ cán bộ, đảng viên quận Long Biên, giai đoạn 2015-2020",
             dt.date(2015, 10, 12))
    )  # fmt: skip
    resolutions = []
    for day, number in _numbered(rng, DISTRICT_RESOLUTIONS, TERM_START, ARTICLE_DATE):
        topic = rng.choice(RESOLUTION_TOPICS)
        resolutions.append(_doc(f"{number:02d}-NQ/QU", number, "NQ", "QU", DocumentKind.RESOLUTION, root, IssuerLevel.DISTRICT,
                                f"Nghị quyết của Ban Chấp hành Đảng bộ quận về {topic}", day))  # fmt: skip
    documents += resolutions
    for day, number in _numbered(rng, CONCLUSION_NOTICES, TERM_START, ARTICLE_DATE):
        documents.append(_doc(f"{number:02d}-TB/QU", number, "TB", "QU", DocumentKind.CONCLUSION_NOTICE, root, IssuerLevel.DISTRICT,
                              f"Thông báo kết luận của Ban Thường vụ Quận ủy về {rng.choice(RESOLUTION_TOPICS)}", day))  # fmt: skip
    wards = [u for code, u in built.units.items() if code.startswith("P-")]
    shares = [
        WARD_THEMATIC // len(wards) + (1 if i < WARD_THEMATIC % len(wards) else 0)
        for i in range(len(wards))
    ]
    for ward, count in zip(wards, shares, strict=True):
        for day, number in _numbered(rng, count, TERM_START, ARTICLE_DATE):
            documents.append(_doc(f"{number:02d}-NQ/ĐU", number, "NQ", "ĐU", DocumentKind.THEMATIC_RESOLUTION, ward, IssuerLevel.GRASSROOTS,
                                  f"Nghị quyết chuyên đề của Đảng ủy {ward.name.removeprefix('Đảng ủy ')} về {rng.choice(RESOLUTION_TOPICS)}", day))  # fmt: skip
    Document.objects.bulk_create(documents, batch_size=500)
    documents[3].implements.set(upper)

    hosts = [root, *wards]
    subjects = upper + resolutions
    expected = [rng.randint(25, 70) for _ in range(CONFERENCES)]
    absent_total = sum(expected) - round(ATTENDANCE * sum(expected))
    absent = [0] * CONFERENCES
    while absent_total:
        index = rng.randrange(CONFERENCES)
        if absent[index] < expected[index] // 5:
            absent[index] += 1
            absent_total -= 1
    conferences = []
    for index in range(CONFERENCES):
        subject = subjects[index % len(subjects)]
        held = min(subject.signed_date + dt.timedelta(days=rng.randint(7, 90)), ARTICLE_DATE)
        present = expected[index] - absent[index]
        conferences.append(Conference(
            document=subject, unit=hosts[index % len(hosts)], held_on=held, expected_attendees=expected[index],
            present_attendees=present, learning_reports=present - rng.randint(0, min(2, present)),
        ))  # fmt: skip
    Conference.objects.bulk_create(conferences, batch_size=500)
    _current_year(rng, built, root, wards)
    return f"{len(documents)} văn bản, {len(conferences)} hội nghị"


def _current_year(rng: random.Random, built: Any, root: OrgUnit, wards: list[OrgUnit]) -> None:
    """This year's resolution with tasks for every ward: some done, some late, some due soon."""
    admin = User.objects.get(username="admin")
    staff = User.objects.filter(username="vanphong").first() or admin
    today = timezone.localdate()
    signed = today - dt.timedelta(days=120)
    document = services.document_create(
        actor=staff, symbol="05-NQ/QU", kind=DocumentKind.RESOLUTION, issuing_unit=root,
        title="Nghị quyết về nâng cao chất lượng sinh hoạt chi bộ và vai trò nêu gương của cán bộ, đảng viên",
        summary="Mỗi Đảng ủy phường xây dựng kế hoạch thực hiện, tổ chức sinh hoạt chuyên đề ở 100% chi bộ, báo cáo kết quả.",
        topics=["sinh hoạt chi bộ", "nêu gương"], signed_date=signed, signer="Bí thư Quận ủy", status=DocumentStatus.ISSUED,
    )  # fmt: skip
    plan = services.task_assign(
        actor=staff, document=document, units=wards, title="Xây dựng kế hoạch thực hiện nghị quyết",
        deadline=signed + dt.timedelta(days=60),
    )  # fmt: skip
    report = services.task_assign(
        actor=staff, document=document, units=wards, title="Báo cáo kết quả sinh hoạt chuyên đề tại các chi bộ",
        deadline=today + dt.timedelta(days=2),
    )  # fmt: skip
    # Back-date the assignments to when they were made, so the timeline reads true.
    Task.objects.filter(pk__in=[t.pk for t in plan]).update(
        created_at=timezone.make_aware(
            dt.datetime.combine(signed + dt.timedelta(days=3), dt.time(9))
        )
    )
    Task.objects.filter(pk__in=[t.pk for t in report]).update(
        created_at=timezone.make_aware(
            dt.datetime.combine(signed + dt.timedelta(days=40), dt.time(9))
        )
    )
    secretary = User.objects.filter(username="bithu.bode").first() or staff
    for index, task in enumerate(plan):
        if index % 4 == 3:
            continue  # left late on purpose: the overdue board shows it
        actor = secretary if task.unit.code == "P-BODE" else staff
        services.task_report_progress(
            actor=actor,
            task=task,
            progress=100,
            note="Đã ban hành kế hoạch thực hiện.",
            on=task.deadline - dt.timedelta(days=rng.randint(0, 10)),
        )
    for task in report[:6]:
        services.task_report_progress(
            actor=staff,
            task=task,
            progress=rng.choice([30, 50, 70]),
            note="Đang tổng hợp kết quả từ các chi bộ.",
        )
    bode = next(t for t in report if t.unit.code == "P-BODE")
    cells = [u for code, u in built.units.items() if code.startswith("CB-BODE-")]
    services.task_cascade(actor=secretary, task=bode, units=cells[:3], deadline=bode.deadline)
    services.briefing_record(
        actor=staff, unit=root, kind="quarterly_wards", held_on=today - dt.timedelta(days=30),
        attendees="Bí thư Đảng ủy, Chủ tịch UBND 14 phường",
        summary="Tập trung tháo gỡ vướng mắc về giải phóng mặt bằng và chỉnh trang đô thị.",
        issues=[{"text": "Phường Thạch Bàn kiến nghị hỗ trợ kinh phí chỉnh trang tuyến đường ven đê.", "conclusion": "Giao UBND quận làm việc với phường, báo cáo Ban Thường vụ."},
                {"text": "Một số chi bộ sinh hoạt chưa đúng định kỳ.", "conclusion": "Đảng ủy các phường kiểm tra, chấn chỉnh."}],
    )  # fmt: skip


# --- City scale (seed_demo --scale city) ---------------------------------------------------


def load_city(*, root_code: str = "TU-HN", documents_per_district: int = 40) -> str:
    """Give each city district documents and about 100,000 tasks, with consistent roll-ups.

    Each district's resolutions and conclusion notices are assigned to its 14 wards, and each
    ward passes its task on to five of its cells ("phân giao"). The cells' progress is drawn
    (mostly done, some late, some still open); each ward task is the roll-up of its cells',
    as :func:`services.task_report_progress` would leave it. Loaded with COPY.
    """
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
    if not districts or Document.objects.filter(issuing_unit=districts[0]).exists():
        return "đã có"
    rng = random.Random(2020)
    kinds = [("NQ", DocumentKind.RESOLUTION), ("TB", DocumentKind.CONCLUSION_NOTICE)]
    documents = []
    for district in districts:
        for n in range(1, documents_per_district + 1):
            kind_code, kind = kinds[n % 2]
            signed = dt.date(2015 + n % 5, 1 + n % 12, 1 + n % 27)
            title = f"Về nhiệm vụ trọng tâm số {n} của {district.name}"
            documents.append(
                Document(
                    symbol=f"{n:02d}-{kind_code}/QU",
                    number=n,
                    kind_code=kind_code,
                    issuer_code="QU",
                    kind=kind,
                    issuing_unit=district,
                    issuer_level=IssuerLevel.DISTRICT,
                    title=title,
                    signed_date=signed,
                    year=signed.year,
                    status=DocumentStatus.ISSUED,
                    title_folded=fold(f"{n:02d}-{kind_code}/QU {title}")[:600],
                )  # fmt: skip
            )
    Document.objects.bulk_create(documents, batch_size=2000)
    wards: dict[int, list[OrgUnit]] = {}
    cells: dict[int, list[int]] = {}
    for unit in OrgUnit.objects.filter(path__startswith=root.path).exclude(
        path__startswith=f"{root.path}QU-LB/"
    ):
        if unit.kind == UnitKind.WARD_COMMITTEE:
            wards.setdefault(unit.parent_id, []).append(unit)
        elif unit.kind == UnitKind.PARTY_CELL:
            cells.setdefault(unit.parent_id, []).append(unit.pk)
    now = timezone.now().isoformat()
    today = timezone.localdate()
    plan: dict[tuple[int, int], list[tuple[int, int, str | None]]] = {}
    for document in documents:
        deadline = document.signed_date + dt.timedelta(days=rng.choice((60, 90, 180, 365)))
        for ward in wards.get(document.issuing_unit_id, []):
            children = []
            for cell in rng.sample(cells.get(ward.pk, []), k=min(5, len(cells.get(ward.pk, [])))):
                draw = rng.random()
                if draw < 0.78:
                    late = rng.random() < 0.1
                    done = deadline + dt.timedelta(
                        days=rng.randint(1, 30) if late else -rng.randint(0, 30)
                    )
                    children.append((cell, 100, min(done, today).isoformat()))
                elif draw < 0.92:
                    children.append((cell, rng.choice((20, 40, 50, 60, 80)), None))
                else:
                    children.append((cell, 0, None))
            plan[(document.pk, ward.pk)] = children
            plan[(document.pk, ward.pk)].insert(0, (deadline.toordinal(), 0, None))

    def status(progress: int) -> str:
        return services._status_for(progress)

    def ward_rows():
        for (document_id, ward_id), (head, *children) in plan.items():
            deadline = dt.date.fromordinal(head[0])
            done = all(p == 100 for _c, p, _d in children)
            mean = sum(p for _c, p, _d in children) / len(children) if children else 0
            progress = 100 if done and children else min(99, round(mean))
            completed = max(d for _c, _p, d in children) if progress == 100 else None
            yield (
                document_id, None, "Tổ chức thực hiện văn bản", "", ward_id, deadline.isoformat(),
                status(progress), progress, completed, now, "to chuc thuc hien van ban",
            )  # fmt: skip

    columns = [
        "document_id", "parent_id", "title", "description", "unit_id", "deadline", "status",
        "progress", "completed_on", "created_at", "title_folded",
    ]  # fmt: skip
    count = copy_rows(Task, columns, ward_rows())
    parents = dict(
        ((d, u), pk)
        for pk, d, u in Task.objects.filter(
            document__in=documents, parent__isnull=True
        ).values_list("pk", "document_id", "unit_id")
    )

    def cell_rows():
        for (document_id, ward_id), (head, *children) in plan.items():
            deadline = dt.date.fromordinal(head[0]).isoformat()
            for cell, progress, completed in children:
                yield (
                    document_id, parents[(document_id, ward_id)], "Tổ chức thực hiện văn bản",
                    "", cell, deadline, status(progress), progress, completed, now,
                    "to chuc thuc hien van ban",
                )  # fmt: skip

    count += copy_rows(Task, columns, cell_rows())
    return f"{len(documents)} văn bản, {count} nhiệm vụ"
