"""Demo cadre work for Long Biên: the article's 2015–2020 figures, and open work in 2026.

Every row has a natural key (person, month; person, kind, symbol; test, person; …) and is
inserted with ``ignore_conflicts``, so loading twice changes nothing and the totals stay exact.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from longbien.org.models import Person, Position, User
from longbien.service import batch

from .choices import DecisionKind, EvaluationStatus, Rating, TestResult
from .models import (
    Evaluation,
    PersonnelDecision,
    PlanReview,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TestParticipant,
    TrainingClass,
    TrainingParticipant,
)

# The article's figures for the 2015–2020 term.
TERM_RATINGS = {
    Rating.EXCELLENT: 281,
    Rating.GOOD: 705,
    Rating.COMPLETED: 12,
    Rating.NOT_COMPLETED: 6,
}
TERM_DECISIONS = {
    DecisionKind.APPOINTMENT: 63,
    DecisionKind.REAPPOINTMENT: 73,
    DecisionKind.CONCURRENCE: 59,
    DecisionKind.TRANSFER: 18,
    DecisionKind.NOMINATION: 179,
}
PEOPLE_TESTED = 256
TERM_MONTHS = [(2015, m) for m in range(8, 13)] + [
    (y, m) for y in range(2016, 2020) for m in range(1, 13)
] + [(2020, m) for m in range(1, 8)]  # fmt: skip
DEMO_YEAR = 2026
SEED = 2019


def _end_of_month(year: int, month: int) -> dt.datetime:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return timezone.make_aware(dt.datetime.combine(first_next - dt.timedelta(days=1), dt.time(17)))


def _term_evaluations(rng: random.Random, key_cadres: list[Person]) -> int:
    """1,004 approved months with exactly the article's distribution."""
    ratings = [rating for rating, count in TERM_RATINGS.items() for _ in range(count)]
    rng.shuffle(ratings)
    slots = [(person, year, month) for person in key_cadres for year, month in TERM_MONTHS]
    rng.shuffle(slots)
    rows = []
    for (person, year, month), rating in zip(slots[: len(ratings)], ratings, strict=True):
        rows.append(
            Evaluation(
                person=person, unit=person.unit, year=year, month=month, rating=rating,
                self_rating=rating, proposed_rating=rating, status=EvaluationStatus.APPROVED,
                self_assessed_at=_end_of_month(year, month), assessed_at=_end_of_month(year, month),
                approved_at=_end_of_month(year, month),
                self_assessment="Hoàn thành các nhiệm vụ được giao trong tháng.",
            )
        )  # fmt: skip
    created = Evaluation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(created)


def _ward_month(rng: random.Random, ward_people: list[Person], secretary: User | None) -> int:
    """P-BODE in 2026: the previous month approved, the current one at every stage."""
    today = timezone.localdate()
    month = today.month if today.year == DEMO_YEAR else 11
    rows = []
    for index, person in enumerate(ward_people):
        previous = Rating.GOOD if index % 5 else Rating.EXCELLENT
        if month > 1:
            rows.append(
                Evaluation(
                    person=person, unit=person.unit, year=DEMO_YEAR, month=month - 1,
                    self_rating=previous, proposed_rating=previous, rating=previous,
                    status=EvaluationStatus.APPROVED, approved_by=secretary,
                    approved_at=_end_of_month(DEMO_YEAR, month - 1),
                    self_assessment="Hoàn thành nhiệm vụ được giao.",
                )
            )  # fmt: skip
        stage = index % 4
        if stage == 3:
            continue  # no record yet: the grid creates it
        evaluation = Evaluation(person=person, unit=person.unit, year=DEMO_YEAR, month=month)
        if stage >= 1:
            evaluation.status = EvaluationStatus.SELF_ASSESSED
            evaluation.self_assessment = "Hoàn thành nhiệm vụ; tham gia đầy đủ sinh hoạt chi bộ."
            evaluation.self_rating = rng.choice([Rating.GOOD, Rating.GOOD, Rating.EXCELLENT])
            evaluation.self_assessed_at = timezone.now()
        if stage == 2:
            evaluation.status = EvaluationStatus.ASSESSED
            evaluation.proposed_rating = evaluation.self_rating
            evaluation.superior_assessment = "Đồng ý với mức tự xếp loại."
            evaluation.assessed_by = secretary
            evaluation.assessed_at = timezone.now()
        rows.append(evaluation)
    return len(Evaluation.objects.bulk_create(rows, ignore_conflicts=True))


def _decisions(rng: random.Random, people: list[Person], positions: list[Position]) -> int:
    rows = []
    number = 0
    for kind, count in TERM_DECISIONS.items():
        for _ in range(count):
            number += 1
            person = people[(number * 7) % len(people)]
            year, month = TERM_MONTHS[rng.randrange(len(TERM_MONTHS))]
            day = dt.date(year, month, rng.randint(1, 28))
            to_unit = person.unit
            if kind == DecisionKind.TRANSFER:
                to_unit = people[(number * 13) % len(people)].unit
            rows.append(
                PersonnelDecision(
                    person=person, kind=kind, unit=to_unit, symbol=f"{number}-QĐ/QU",
                    decision_date=day, from_position=person.position, from_unit=person.unit,
                    to_position=person.position or rng.choice(positions), to_unit=to_unit,
                )
            )  # fmt: skip
    return len(PersonnelDecision.objects.bulk_create(rows, ignore_conflicts=True))


def _tests(rng: random.Random, people: list[Person], organiser: Any) -> int:
    sessions = [
        QualificationTest.objects.get_or_create(
            unit=organiser, subject=subject, held_on=held_on, defaults={"pass_mark": Decimal(50)}
        )[0]
        for subject, held_on in (
            ("Sát hạch kiến thức lý luận chính trị, nghiệp vụ công tác đảng", dt.date(2017, 10, 20)),
            ("Sát hạch kỹ năng quản lý, điều hành và tin học văn phòng", dt.date(2018, 9, 14)),
        )
    ]  # fmt: skip
    chosen = sorted(rng.sample(people, PEOPLE_TESTED), key=lambda p: p.code)
    rows = []
    for index, person in enumerate(chosen):
        score = Decimal(rng.randint(42, 98))
        rows.append(
            TestParticipant(
                test=sessions[index % 2], person=person, unit=person.unit, score=score,
                result=TestResult.PASSED if score >= 50 else TestResult.FAILED,
            )
        )  # fmt: skip
    return len(TestParticipant.objects.bulk_create(rows, ignore_conflicts=True))


def _plans_and_assignments(rng: random.Random, heads: list[Person], members: list[Person]) -> int:
    plans = [
        SelfImprovementPlan(
            person=person, unit=person.unit, year=DEMO_YEAR,
            commitments=(
                "1. Giữ gìn phẩm chất đạo đức, lối sống; nêu gương trước cán bộ, đảng viên.\n"
                "2. Hoàn thành xuất sắc nhiệm vụ được giao; không để xảy ra đơn thư vượt cấp.\n"
                "3. Học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
            ),
        )
        for person in heads
    ]  # fmt: skip
    SelfImprovementPlan.objects.bulk_create(plans, ignore_conflicts=True)
    saved = SelfImprovementPlan.objects.filter(year=DEMO_YEAR, person__in=heads)
    PlanReview.objects.bulk_create(
        [
            PlanReview(plan=plan, month=month, note="Chi bộ nhận xét: thực hiện tốt cam kết.")
            for plan in saved
            for month in range(1, 4)
        ],
        ignore_conflicts=True,
    )
    if not TaskAssignment.objects.filter(year=DEMO_YEAR, person__in=members).exists():
        tasks = [
            "Phụ trách tổ dân phố, nắm tình hình dư luận",
            "Tuyên truyền vận động vệ sinh môi trường",
            "Tham gia tổ hòa giải cơ sở",
            "Theo dõi công tác khuyến học",
        ]
        TaskAssignment.objects.bulk_create(
            [
                TaskAssignment(
                    person=person, unit=person.unit, year=DEMO_YEAR, task=rng.choice(tasks)
                )
                for index, person in enumerate(members)
                if index % 6  # one member in six left without a task, for the list
            ]
        )
    return len(plans)


def _trainings(people: list[Person], organiser: Any) -> int:
    classes = [
        TrainingClass.objects.get_or_create(
            unit=organiser, name=f"Lớp bồi dưỡng cán bộ chủ chốt số {n}",
            defaults={"start_date": dt.date(2016 + (n - 1) // 2, 3 + n, 5), "end_date": dt.date(2016 + (n - 1) // 2, 3 + n, 9)},
        )[0]
        for n in range(1, 7)
    ]  # fmt: skip
    TrainingParticipant.objects.bulk_create(
        [
            TrainingParticipant(training=t, person=p, completed=True)
            for t in classes
            for p in people
        ],
        ignore_conflicts=True,
    )
    return len(classes)


@batch()
def load_demo(*, built: Any) -> str:
    """Load the cadres demo; safe to run again."""
    rng = random.Random(SEED)
    lb = list(
        Person.objects.filter(code__startswith="LB")
        .select_related("unit", "position")
        .order_by("code")
    )
    if not lb:
        return "không có cán bộ mẫu"
    key_cadres = [p for p in lb if p.management_level == "standing_committee"][:20]
    evaluations = _term_evaluations(rng, key_cadres)
    ward = built.units["P-BODE"]
    ward_people = [p for p in lb if p.unit.path.startswith(ward.path) and p.is_active]
    secretary = User.objects.filter(username="bithu.bode").first()
    evaluations += _ward_month(rng, ward_people, secretary)
    organiser = built.units.get("BTC-QU") or built.units["QU-LB"]
    decisions = _decisions(rng, lb, list(Position.objects.all()))
    tested = _tests(rng, lb, organiser)
    heads = [p for p in lb if p.position is not None and p.position.is_head]
    members = [p for p in ward_people if p.party_member_since is not None]
    plans = _plans_and_assignments(rng, heads, members)
    classes = _trainings([p for p in lb if p.management_level == "standing_committee"], organiser)
    return (
        f"{evaluations} phiếu đánh giá, {decisions} quyết định, {tested} lượt sát hạch, "
        f"{plans} kế hoạch tu dưỡng, {classes} lớp bồi dưỡng"
    )


# --- City scale (seed_demo --scale city) ---------------------------------------------------

CITY_RATINGS = (
    (Rating.EXCELLENT, 0.28), (Rating.GOOD, 0.70), (Rating.COMPLETED, 0.012),
    (Rating.NOT_COMPLETED, 0.008),
)  # fmt: skip


def load_city(*, root_code: str = "TU-HN", term_start: dt.date = dt.date(2015, 8, 1)) -> str:
    """Give every city cadre an approved evaluation a month over a term (about 1.2 million).

    The records are those the workflow leaves: self-rating, proposal and final rating, the
    person's unit at the time, approved (and so locked). Loaded with COPY; safe to run again.
    """
    from longbien.bulk import copy_rows
    from longbien.org.choices import ManagementLevel

    cadres = list(
        Person.objects.filter(
            unit__path__startswith=f"{root_code}/",
            management_level=ManagementLevel.GRASSROOTS_COMMITTEE,
        )
        .exclude(code__startswith="LB")
        .values_list("pk", "unit_id")
    )
    if not cadres or Evaluation.objects.filter(person_id=cadres[0][0]).exists():
        return "đã có"
    rng = random.Random(SEED)
    ratings = [rating for rating, _share in CITY_RATINGS]
    weights = [share for _rating, share in CITY_RATINGS]
    months = [
        ((term_start.month - 1 + i) // 12 + term_start.year, (term_start.month - 1 + i) % 12 + 1)
        for i in range(60)
    ]
    now = timezone.now().isoformat()

    def rows():
        for person_id, unit_id in cadres:
            for (year, month), rating in zip(
                months, rng.choices(ratings, weights, k=len(months)), strict=True
            ):
                yield (
                    person_id, unit_id, year, month, "", rating, "", rating, rating,
                    EvaluationStatus.APPROVED, "", "", now, now, now, now, now,
                )  # fmt: skip

    count = copy_rows(
        Evaluation,
        [
            "person_id", "unit_id", "year", "month", "self_assessment", "self_rating",
            "superior_assessment", "proposed_rating", "rating", "status", "returned_reason",
            "unassessed_reason", "self_assessed_at", "assessed_at", "approved_at", "created_at",
            "updated_at",
        ],
        rows(),
    )  # fmt: skip
    return f"{count} phiếu đánh giá"
