"""Demo records of the dialogues app: the 2015–2020 term (the article's figures) and this year's
open work.

The article: 7 district-level and 143 ward-level dialogues with citizens; 493 of the 502
public-opinion cases due in the term resolved or explained (98,2 %).

- The term's 150 dialogues, their issues and commitments (most kept on time, some late, a few
  still open and overdue), and its cases (the 502 due: 493 resolved or explained, on time or
  late, 9 still unanswered; plus rejected and transferred ones, counted apart) are inserted
  in bulk *as the services leave them* (``topic_folded``, ``content_folded`` and ``words``
  filled, the assignment rows, due dates in working days by urgency, answer dates after
  receipt), with their "created" audit rows (``log_created_in_bulk``): through the services
  one by one (``dialogue_create`` → ``dialogue_issue_add`` → ``commitment_report``,
  ``case_receive`` → ``case_assign`` → ``case_answer`` → ``case_close``, each with its audit
  rows and notices) they cost several seconds, more than a whole app's share of ``seed_demo``.
- Around the cases, the article's figures too: 5 thematic supervisions and 59 social critique
  conferences (with recommendations, most responded), 709 feedback items on building the Party
  and the government answered in the term (a few more received late in the term were answered
  after it), the citizen reception sessions at which the term's cases from receptions were
  received (one session per ward and day: the case figures stay the same), and skilful mass
  mobilisation models per ward and year; inserted in bulk the same way, with their audit rows.
- Everything of this year goes through the services: a ward dialogue with commitments (kept,
  overdue, open), and open cases (received, assigned, in progress, overdue, answered late),
  two of them similar so that the duplicate suggestion shows; a critique conference and a
  supervision, feedback answered and waiting, a reception session with a case received there,
  and this year's models.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from longbien.audit import audited, log_created_in_bulk
from longbien.org.models import OrgUnit, User
from longbien.service import batch
from longbien.text import fold

from . import services
from .choices import (
    AssignmentKind,
    CaseCategory,
    CaseSource,
    CaseStatus,
    CommitmentStatus,
    CritiqueKind,
    DialogueLevel,
    ModelField,
    Organiser,
    Outcome,
    Recognition,
    Urgency,
)
from .models import (
    CaseAssignment,
    Commitment,
    Critique,
    Dialogue,
    DialogueIssue,
    Feedback,
    MobilisationModel,
    OpinionCase,
    Reception,
    Recommendation,
    words,
)

TERM_START, TERM_END = dt.date(2015, 8, 1), dt.date(2020, 7, 31)
#: The article's figures.
DISTRICT_DIALOGUES, WARD_DIALOGUES = 7, 143
CASES_DUE, CASES_SETTLED = 502, 493
#: Counted apart from the rate (not within competence; handed to another body).
CASES_REJECTED, CASES_TRANSFERRED = 6, 4
#: The article: 5 thematic supervisions, 59 social critique conferences, 709 feedback items
#: received and answered (a few more, received at the term's end, answered after it).
SUPERVISIONS, CRITIQUES = 5, 59
FEEDBACK_ANSWERED, FEEDBACK_ANSWERED_LATER = 709, 15
#: The years whose skilful mass mobilisation models the demo registers (to last year).
FIRST_MODEL_YEAR = 2015

TOPICS = [
    "Công tác giải phóng mặt bằng, tái định cư", "Trật tự xây dựng, quản lý đất đai",
    "Vệ sinh môi trường, thu gom rác thải", "Trật tự an toàn giao thông",
    "Thực hiện chính sách an sinh xã hội", "Cải cách thủ tục hành chính",
    "Xây dựng nếp sống văn minh đô thị", "Chỉnh trang đô thị, hạ tầng khu dân cư",
]  # fmt: skip
ISSUES = [
    ("Đề nghị sửa chữa tuyến đường ngõ xuống cấp", "Cải tạo, trải nhựa mặt đường ngõ"),
    ("Phản ánh ngập úng cục bộ khi mưa lớn", "Nạo vét, bổ sung cống thoát nước"),
    ("Đề nghị bố trí thêm điểm tập kết rác", "Bố trí điểm tập kết rác mới, thu gom đúng giờ"),
    ("Kiến nghị lắp đặt đèn chiếu sáng ngõ xóm", "Lắp đặt hệ thống chiếu sáng ngõ"),
    ("Đề nghị đẩy nhanh chi trả bồi thường", "Hoàn thành chi trả bồi thường cho các hộ"),
    ("Phản ánh lấn chiếm vỉa hè kinh doanh", "Ra quân lập lại trật tự vỉa hè"),
]  # fmt: skip
ANSWERS = [
    "Đã giải thích rõ chính sách, người dân đồng tình.",
    "Ủy ban nhân dân phường đã trả lời trực tiếp tại hội nghị.",
]
PROBLEMS = [
    "Ngập nước kéo dài sau mưa", "Rác thải tồn đọng, bốc mùi", "Lấn chiếm vỉa hè kinh doanh",
    "Xây dựng không phép", "Đèn chiếu sáng hỏng nhiều ngày", "Tiếng ồn karaoke về đêm",
    "Chậm giải quyết hồ sơ đất đai", "Mặt đường hư hỏng, ổ gà", "Khói bụi từ công trình",
    "Cán bộ tiếp dân thiếu niềm nở", "Chậm chi trả trợ cấp xã hội", "Đỗ xe trái phép",
]  # fmt: skip
PLACES = [
    "đường Nguyễn Văn Cừ", "phố Ngọc Lâm", "đường Nguyễn Sơn", "phố Sài Đồng",
    "đường Ngô Gia Tự", "phố Thạch Bàn", "ngõ 5 Bồ Đề", "khu đô thị Việt Hưng",
    "chợ Long Biên", "phố Phúc Lợi", "đường Cổ Linh", "phố Đức Giang",
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Văn Hải", "Thị Lan", "Văn Minh"]
CRITIQUE_SUBJECTS = [
    "Dự thảo quy hoạch chi tiết khu dân cư", "Dự thảo đề án chỉnh trang đô thị",
    "Dự thảo kế hoạch giải phóng mặt bằng", "Dự thảo quy định thu phí vệ sinh môi trường",
    "Dự thảo đề án xây dựng nếp sống văn minh", "Dự thảo kế hoạch cải cách hành chính",
]  # fmt: skip
SUPERVISION_SUBJECTS = [
    "Giám sát thực hiện chính sách hộ nghèo, cận nghèo",
    "Giám sát công tác giải phóng mặt bằng, tái định cư",
    "Giám sát thực hiện Quy chế dân chủ ở cơ sở",
    "Giám sát giải quyết đơn thư, kiến nghị của cử tri",
    "Giám sát công tác bảo vệ môi trường khu dân cư",
]  # fmt: skip
RECOMMENDATIONS = [
    ("Bổ sung ý kiến của Nhân dân trước khi ban hành", "Ủy ban nhân dân"),
    ("Công khai kế hoạch, tiến độ thực hiện tại khu dân cư", "Ủy ban nhân dân"),
    ("Bố trí kinh phí thực hiện dứt điểm", "Ủy ban nhân dân quận"),
    ("Tăng cường kiểm tra, xử lý vi phạm", "Đội Quản lý trật tự đô thị"),
]  # fmt: skip
FEEDBACK = [
    ("Góp ý dự thảo văn kiện Đại hội Đảng bộ", "Đảng ủy"),
    ("Góp ý tác phong, thái độ cán bộ bộ phận một cửa", "Ủy ban nhân dân"),
    ("Góp ý công tác quản lý trật tự xây dựng", "Ủy ban nhân dân"),
    ("Góp ý việc thực hiện nêu gương của cán bộ, đảng viên", "Đảng ủy"),
    ("Góp ý dự thảo nghị quyết phát triển kinh tế - xã hội", "Hội đồng nhân dân"),
]  # fmt: skip
MODELS = {
    ModelField.ECONOMY: "Hỗ trợ hộ nghèo phát triển kinh tế",
    ModelField.URBAN: "Tuyến phố văn minh, sạch đẹp",
    ModelField.CULTURE: "Khu dân cư văn hóa, gia đình hạnh phúc",
    ModelField.SECURITY: "Tổ dân phố an toàn về an ninh trật tự",
    ModelField.ADMINISTRATION: "Một cửa thân thiện, hài lòng",
    ModelField.PARTY: "Chi bộ gương mẫu gắn với khu dân cư",
}
SETTLED_SOURCES = [CaseSource.HOTLINE, CaseSource.PETITION, CaseSource.PRESS,
                   CaseSource.SOCIAL_MEDIA, CaseSource.DIALOGUE, CaseSource.RECEPTION]  # fmt: skip


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _citizen(rng: random.Random, number: int) -> tuple[str, str, str]:
    if number % 3 == 0:  # not every citizen gives their name
        return "", "", ""
    name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
    return name, f"09{rng.randint(10_000_000, 99_999_999)}", f"Tổ {rng.randint(1, 30)}"


@batch()
def load_demo(*, built: Any) -> str:
    """Create the term's records and this year's open work once (a second run changes nothing)."""
    root = built.units["QU-LB"]
    if Dialogue.objects.filter(unit=root).exists():
        return "đã có, bỏ qua"
    actor = User.objects.filter(username="danvan").first() or User.objects.get(username="admin")
    rng = random.Random(2020)
    wards = [u for code, u in sorted(built.units.items()) if code.startswith("P-")]
    cells = [u for code, u in sorted(built.units.items()) if code.startswith("CB-")]
    with audited(actor=actor, reason="Số liệu nhiệm kỳ 2015–2020"):
        dialogues, promises = _term_dialogues(rng, root, wards)
        cases = _term_cases(rng, actor, wards, cells)
        # Their own generator: the dialogues' and cases' draws stay those of the figures above.
        around = _term_around_the_cases(random.Random(218), root, wards)
        models = _models(random.Random(2025), wards)
    current = _this_year(actor, built)
    return (
        f"{len(dialogues)} cuộc đối thoại nhiệm kỳ 2015–2020 ({promises} cam kết), "
        f"{cases} vụ việc dư luận phản ánh nhiệm kỳ, {around}, {models} mô hình dân vận khéo, "
        f"{current} vụ việc năm nay"
    )


def _term_dialogues(
    rng: random.Random, root: OrgUnit, wards: list[OrgUnit]
) -> tuple[list[Dialogue], int]:
    """The term's dialogues, their issues and commitments, as the services leave them."""
    dialogues: list[Dialogue] = []
    plan = [(DialogueLevel.DISTRICT, root)] * DISTRICT_DIALOGUES + [
        (DialogueLevel.WARD, wards[n % len(wards)]) for n in range(WARD_DIALOGUES)
    ]
    for level, unit in plan:
        topic = rng.choice(TOPICS)
        district = level == DialogueLevel.DISTRICT
        dialogues.append(
            Dialogue(
                level=level,
                unit=unit,
                held_on=_day(rng, TERM_START, dt.date(2020, 4, 30)),
                chair="Đồng chí Bí thư Quận ủy" if district else "Đồng chí Bí thư Đảng ủy phường",
                topic=topic,
                topic_folded=fold(topic)[:300],
                participants=rng.randint(250, 600) if district else rng.randint(60, 250),
            )  # fmt: skip
        )
    Dialogue.objects.bulk_create(dialogues, batch_size=1000)
    log_created_in_bulk(dialogues)
    issues: list[DialogueIssue] = []
    promised: list[tuple[DialogueIssue, str]] = []
    for dialogue in dialogues:
        for content, commitment in rng.sample(ISSUES, 3):
            committed = len(promised) < 1000 and rng.random() < 0.4
            issue = DialogueIssue(
                dialogue=dialogue, content=content, answer="" if committed else rng.choice(ANSWERS)
            )
            issues.append(issue)
            if committed:
                promised.append((issue, commitment))
    DialogueIssue.objects.bulk_create(issues, batch_size=1000)
    log_created_in_bulk(issues)
    commitments: list[Commitment] = []
    for number, (issue, content) in enumerate(promised):
        held = issue.dialogue.held_on
        deadline = held + dt.timedelta(days=rng.choice((30, 60, 90)))
        if number % 40 == 7:  # a few never kept: open, long overdue
            commitments.append(
                Commitment(
                    issue=issue,
                    content=content,
                    owner_unit=issue.dialogue.unit,
                    deadline=deadline,
                    progress=rng.choice((30, 50, 70)),
                    status=CommitmentStatus.OPEN,
                )  # fmt: skip
            )
            continue
        late = number % 8 == 3
        completed = deadline + (
            dt.timedelta(days=rng.randint(3, 30))
            if late
            else -dt.timedelta(days=rng.randint(0, 25))
        )
        commitments.append(
            Commitment(
                issue=issue,
                content=content,
                owner_unit=issue.dialogue.unit,
                deadline=deadline,
                progress=100,
                status=CommitmentStatus.DONE,
                completed_on=completed,
                evidence="Đã thực hiện xong, báo cáo kết quả với cử tri.",
            )  # fmt: skip
        )
    Commitment.objects.bulk_create(commitments, batch_size=1000)
    log_created_in_bulk(commitments)
    return dialogues, len(commitments)


def _term_cases(rng: random.Random, actor: User, wards: list[OrgUnit], cells: list[OrgUnit]) -> int:
    """The term's cases due in the term: 493 settled of 502, and some counted apart."""
    ward_of = {cell.pk: cell.parent for cell in cells}
    cases: list[OpinionCase] = []
    total = CASES_DUE + CASES_REJECTED + CASES_TRANSFERRED
    for number in range(total):
        unit = rng.choice(cells) if rng.random() < 0.3 else rng.choice(wards)
        handler = ward_of.get(unit.pk, unit)
        urgency = Urgency.URGENT if number % 10 == 0 else Urgency.NORMAL
        received = _day(rng, TERM_START, dt.date(2020, 6, 15))
        due = services.due_date(urgency, received)
        content = f"{rng.choice(PROBLEMS)} tại {rng.choice(PLACES)}"
        name, phone, address = _citizen(rng, number)
        case = OpinionCase(
            source=rng.choice(SETTLED_SOURCES), received_on=received, content=content,
            unit=unit, category=rng.choice(CaseCategory.values), urgency=urgency,
            citizen_name=name, citizen_phone=phone, citizen_address=address,
            status=CaseStatus.ASSIGNED, assigned_unit=handler, due_on=due,
        )  # fmt: skip
        case.refresh_words()
        if number < CASES_SETTLED:
            late = number % 25 == 4  # a few answered after their deadline
            answered = due + dt.timedelta(days=rng.randint(1, 15)) if late else max(
                received, due - dt.timedelta(days=rng.randint(0, 10))
            )  # fmt: skip
            case.answer = "Đơn vị đã kiểm tra, xử lý và trả lời người phản ánh."
            case.answered_on = answered
            case.outcome = Outcome.RESOLVED if number % 4 else Outcome.EXPLAINED
            if number % 10:
                case.status, case.closed_on = CaseStatus.CLOSED, answered + dt.timedelta(days=5)
            else:
                case.status = CaseStatus.ANSWERED
        elif number < CASES_DUE:  # due in the term, never answered: late and pending
            case.status = CaseStatus.IN_PROGRESS
        elif number < CASES_DUE + CASES_REJECTED:
            case.status, case.outcome = CaseStatus.REJECTED, Outcome.REJECTED
            case.closed_on = received + dt.timedelta(days=3)
        else:
            case.status, case.outcome = CaseStatus.TRANSFERRED, Outcome.TRANSFERRED
            case.transferred_to = "Công an quận Long Biên"
            case.closed_on = received + dt.timedelta(days=3)
        cases.append(case)
    _term_receptions(cases, ward_of)
    OpinionCase.objects.bulk_create(cases, batch_size=1000)
    log_created_in_bulk(cases)
    handovers = [
        CaseAssignment(
            case=case,
            kind=AssignmentKind.ASSIGN,
            unit=case.assigned_unit,
            due_on=case.due_on,
            by=actor,
        )  # fmt: skip
        for case in cases
    ]
    handovers += [
        CaseAssignment(
            case=case,
            kind=AssignmentKind.TRANSFER,
            unit=None,
            due_on=None,
            reason=case.transferred_to,
            by=actor,
        )  # fmt: skip
        for case in cases
        if case.status == CaseStatus.TRANSFERRED
    ]
    CaseAssignment.objects.bulk_create(handovers, batch_size=1000)
    log_created_in_bulk(handovers)
    return len(cases)


def _term_receptions(cases: list[OpinionCase], ward_of: dict[int, OrgUnit]) -> None:
    """The reception sessions at which the term's cases from receptions were received: one
    per ward and day (held that day by the ward's secretary), linked as ``case_receive``
    links them. The cases' dates, due dates and outcomes stay as they are."""
    sessions: dict[tuple[int, dt.date], Reception] = {}
    for case in cases:
        if case.source != CaseSource.RECEPTION:
            continue
        ward = ward_of.get(case.unit.pk, case.unit)
        key = (ward.pk, case.received_on)
        if key not in sessions:
            sessions[key] = Reception(
                unit=ward, held_on=case.received_on, leader="Đồng chí Bí thư Đảng ủy phường",
                leader_title="Bí thư Đảng ủy", place=f"Trụ sở {ward.name}", citizens=0,
                notes="Tiếp công dân định kỳ",
            )  # fmt: skip
        sessions[key].citizens += 2  # who raised the case, and who came with them
        case.reception = sessions[key]
    rows = list(sessions.values())
    Reception.objects.bulk_create(rows, batch_size=1000)
    log_created_in_bulk(rows)
    for case in cases:
        if case.reception is not None:
            case.reception_id = case.reception.pk  # set before the session had its key


def _term_around_the_cases(rng: random.Random, root: OrgUnit, wards: list[OrgUnit]) -> str:
    """The term's supervisions and critique conferences with their recommendations (most
    responded), and its feedback items (709 answered in the term), as the services leave
    them."""
    critiques: list[Critique] = []
    organisers = Organiser.values
    for number in range(SUPERVISIONS + CRITIQUES):
        supervision = number < SUPERVISIONS
        subject = (
            SUPERVISION_SUBJECTS[number]
            if supervision
            else f"{rng.choice(CRITIQUE_SUBJECTS)} ({number - SUPERVISIONS + 1})"
        )
        critiques.append(
            Critique(
                kind=CritiqueKind.SUPERVISION if supervision else CritiqueKind.CRITIQUE,
                unit=root if supervision or number % 4 == 0 else wards[number % len(wards)],
                organiser=Organiser.FRONT if number % 3 else rng.choice(organisers),
                held_on=_day(rng, TERM_START, dt.date(2020, 5, 31)),
                subject=subject,
                subject_folded=fold(subject)[:300],
                findings="Nội dung cơ bản phù hợp; đề nghị tiếp thu các kiến nghị dưới đây.",
            )  # fmt: skip
        )
    Critique.objects.bulk_create(critiques, batch_size=1000)
    log_created_in_bulk(critiques)
    recommendations: list[Recommendation] = []
    for number, critique in enumerate(critiques):
        for content, addressee in rng.sample(RECOMMENDATIONS, rng.randint(1, 3)):
            item = Recommendation(critique=critique, content=content, addressee=addressee)
            if number % 7 != 3:  # most were responded to, within weeks
                item.responded_on = critique.held_on + dt.timedelta(days=rng.randint(7, 45))
                item.response = "Đã tiếp thu, chỉ đạo thực hiện và trả lời bằng văn bản."
            recommendations.append(item)
    Recommendation.objects.bulk_create(recommendations, batch_size=1000)
    log_created_in_bulk(recommendations)
    feedback: list[Feedback] = []
    units = [root, *wards]
    for number in range(FEEDBACK_ANSWERED + FEEDBACK_ANSWERED_LATER):
        content, addressee = rng.choice(FEEDBACK)
        if number < FEEDBACK_ANSWERED:
            received = _day(rng, TERM_START, dt.date(2020, 6, 30))
            answered = min(received + dt.timedelta(days=rng.randint(5, 30)), TERM_END)
        else:  # received at the term's end, answered after it
            received = _day(rng, dt.date(2020, 7, 20), TERM_END)
            answered = TERM_END + dt.timedelta(days=rng.randint(5, 30))
        unit = units[number % len(units)]
        feedback.append(
            Feedback(
                unit=unit,
                sender=rng.choice(organisers),
                received_on=received,
                content=content,
                content_folded=fold(content),
                addressee=f"{addressee} ({unit.name})"[:300],
                response="Đã tiếp thu, giải trình và trả lời bằng văn bản.",
                responded_on=answered,
            )  # fmt: skip
        )
    Feedback.objects.bulk_create(feedback, batch_size=1000)
    log_created_in_bulk(feedback)
    return (
        f"{SUPERVISIONS} cuộc giám sát, {CRITIQUES} hội nghị phản biện, "
        f"{len(feedback)} ý kiến góp ý"
    )


def _models(rng: random.Random, wards: list[OrgUnit]) -> int:
    """One to three skilful mass mobilisation models per ward and year, to last year."""
    models: list[MobilisationModel] = []
    last = timezone.localdate().year - 1
    for year in range(FIRST_MODEL_YEAR, last + 1):
        for ward in wards:
            for field in rng.sample(ModelField.values, rng.randint(1, 3)):
                name = f"{MODELS[field]} ({ward.name.removeprefix('Đảng ủy ')})"
                draw = rng.random()
                recognition = (
                    Recognition.CITY if draw < 0.05
                    else Recognition.DISTRICT if draw < 0.35 else Recognition.WARD
                )  # fmt: skip
                models.append(
                    MobilisationModel(
                        unit=ward,
                        year=year,
                        name=name,
                        name_folded=fold(name)[:300],
                        field=field,
                        recognition=recognition,
                        description="Mô hình được Nhân dân đồng tình, hưởng ứng; nhân rộng.",
                    )  # fmt: skip
                )
    MobilisationModel.objects.bulk_create(models, batch_size=1000)
    log_created_in_bulk(models)
    return len(models)


def _this_year(actor: User, built: Any) -> int:
    """This year's open work, through the services."""
    today = timezone.localdate()
    units = built.units
    bode, saidong = units["P-BODE"], units["P-SAIDONG"]
    secretary = User.objects.filter(username="bithu.bode").first() or actor

    def receive(unit, content, days_ago, number, **extra):
        name, phone, address = _citizen(random.Random(number), number + 1)
        return services.case_receive(
            actor=actor, source=extra.pop("source", CaseSource.HOTLINE),
            received_on=today - dt.timedelta(days=days_ago), content=content, unit=unit,
            category=extra.pop("category", CaseCategory.URBAN), citizen_name=name,
            citizen_phone=phone, citizen_address=address, **extra,
        )  # fmt: skip

    # Two similar cases at Bồ Đề: the second one is offered the first as a duplicate.
    flooded = receive(bode, "Đường Nguyễn Văn Cừ ngập nước sau mưa lớn", 20, 1,
                      category=CaseCategory.ENVIRONMENT)  # fmt: skip
    services.case_assign(actor=actor, case=flooded, unit=bode)
    receive(bode, "Ngập nước kéo dài trên đường Nguyễn Văn Cừ", 2, 2, source=CaseSource.PRESS,
            category=CaseCategory.ENVIRONMENT)  # fmt: skip
    receive(bode, "Rác thải tồn đọng tại chợ Long Biên", 3, 3, category=CaseCategory.ENVIRONMENT)
    # Overdue: past their due date, unanswered.
    overdue = receive(bode, "Lấn chiếm vỉa hè kinh doanh tại ngõ 5 Bồ Đề", 40, 4)
    services.case_assign(actor=actor, case=overdue, unit=bode, due_on=today - dt.timedelta(days=10))
    services.case_start(actor=secretary, case=overdue)
    late_one = receive(saidong, "Xây dựng không phép tại phố Sài Đồng", 35, 5,
                       category=CaseCategory.LAND, urgency=Urgency.URGENT)  # fmt: skip
    services.case_assign(actor=actor, case=late_one, unit=saidong,
                         due_on=today - dt.timedelta(days=5))  # fmt: skip
    # Answered late and closed; answered on time (explained).
    answered_late = receive(bode, "Đèn chiếu sáng hỏng nhiều ngày tại phố Ngọc Lâm", 60, 6)
    services.case_assign(actor=actor, case=answered_late, unit=bode,
                         due_on=today - dt.timedelta(days=35))  # fmt: skip
    services.case_answer(
        actor=secretary, case=answered_late, answer="Đã thay bóng đèn, khôi phục chiếu sáng.",
        answered_on=today - dt.timedelta(days=30), outcome=Outcome.RESOLVED,
    )  # fmt: skip
    services.case_close(actor=actor, case=answered_late, closed_on=today - dt.timedelta(days=28))
    explained = receive(bode, "Chậm chi trả trợ cấp xã hội tháng này", 25, 7,
                        category=CaseCategory.SOCIAL)  # fmt: skip
    services.case_assign(actor=actor, case=explained, unit=bode)
    services.case_answer(
        actor=secretary, case=explained, answer="Đã giải thích lịch chi trả theo quy định.",
        answered_on=today - dt.timedelta(days=15), outcome=Outcome.EXPLAINED,
    )  # fmt: skip
    # In progress, not yet due.
    running = receive(saidong, "Tiếng ồn karaoke về đêm tại phố Sài Đồng", 4, 8)
    services.case_assign(actor=actor, case=running, unit=saidong)
    services.case_start(actor=actor, case=running)
    # A ward dialogue this year: commitments kept, overdue and still open.
    held = today - dt.timedelta(days=45)
    dialogue = services.dialogue_create(
        actor=secretary, level=DialogueLevel.WARD, unit=bode, held_on=held,
        chair="Đồng chí Bí thư Đảng ủy phường", topic="Chỉnh trang đô thị, hạ tầng khu dân cư",
        participants=180,
        issues=[
            {"content": "Đề nghị công khai kế hoạch cải tạo vườn hoa", "answer": ANSWERS[1]},
            {"content": "Phản ánh ngập úng cục bộ khi mưa lớn", "commitment": "Nạo vét cống thoát nước ngõ 5",
             "owner_unit": bode, "deadline": held + dt.timedelta(days=20)},
            {"content": "Kiến nghị lắp đặt đèn chiếu sáng ngõ xóm", "commitment": "Lắp đèn chiếu sáng ngõ 12",
             "owner_unit": bode, "deadline": held + dt.timedelta(days=35)},
            {"content": "Đề nghị bố trí thêm điểm tập kết rác", "commitment": "Bố trí điểm tập kết rác mới",
             "owner_unit": bode, "deadline": today + dt.timedelta(days=30)},
        ],
    )  # fmt: skip
    kept = Commitment.objects.filter(issue__dialogue=dialogue).order_by("deadline").first()
    services.commitment_report(
        actor=secretary, commitment=kept, progress=100, completed_on=held + dt.timedelta(days=15),
        evidence="Đã nạo vét 300 m cống, hết ngập khi mưa.",
    )  # fmt: skip
    _this_year_around_the_cases(actor, secretary, built, today)
    return 9


def _this_year_around_the_cases(actor: User, secretary: User, built: Any, today: dt.date) -> None:
    """This year's critique conference and supervision, feedback, a reception session with a
    case received there, and models: through the services."""
    root, bode = built.units["QU-LB"], built.units["P-BODE"]
    critique = services.critique_create(
        actor=actor, kind=CritiqueKind.CRITIQUE, unit=bode, organiser=Organiser.FRONT,
        held_on=today - dt.timedelta(days=30),
        subject="Dự thảo đề án chỉnh trang vườn hoa, sân chơi khu dân cư",
        findings="Cần bổ sung sân chơi cho trẻ em và chỗ để xe.",
        recommendations=[
            {"content": "Bổ sung sân chơi cho trẻ em", "addressee": "Ủy ban nhân dân phường Bồ Đề"},
            {"content": "Lấy ý kiến các hộ liền kề trước khi thi công",
             "addressee": "Ủy ban nhân dân phường Bồ Đề"},
        ],
    )  # fmt: skip
    first = critique.recommendations.order_by("id").first()
    services.recommendation_respond(
        actor=actor, recommendation=first, response="Đã tiếp thu, bổ sung vào đề án.",
        responded_on=today - dt.timedelta(days=10),
    )  # fmt: skip
    services.critique_create(
        actor=actor, kind=CritiqueKind.SUPERVISION, unit=root, organiser=Organiser.WOMEN,
        held_on=today - dt.timedelta(days=50),
        subject="Giám sát thực hiện chính sách hỗ trợ phụ nữ khởi nghiệp",
        recommendations=[{"content": "Mở rộng nguồn vốn vay ưu đãi",
                          "addressee": "Ủy ban nhân dân quận"}],
    )  # fmt: skip
    services.feedback_create(
        actor=actor, unit=bode, sender=Organiser.VETERANS, received_on=today - dt.timedelta(days=6),
        content="Góp ý tác phong, thái độ cán bộ bộ phận một cửa",
        addressee="Ủy ban nhân dân phường Bồ Đề",
    )  # fmt: skip
    services.feedback_create(
        actor=actor, unit=root, sender=Organiser.FRONT, received_on=today - dt.timedelta(days=40),
        content="Góp ý dự thảo nghị quyết phát triển kinh tế - xã hội năm tới",
        addressee="Quận ủy Long Biên", response="Đã tiếp thu vào dự thảo nghị quyết.",
        responded_on=today - dt.timedelta(days=20),
    )  # fmt: skip
    reception = services.reception_create(
        actor=secretary, unit=bode, held_on=today - dt.timedelta(days=12),
        leader="Đồng chí Bí thư Đảng ủy phường", leader_title="Bí thư Đảng ủy",
        place="Trụ sở Đảng ủy phường Bồ Đề", citizens=7,
    )  # fmt: skip
    services.case_receive(
        actor=actor, source=CaseSource.RECEPTION, received_on=reception.held_on,
        content="Chậm cấp giấy chứng nhận quyền sử dụng đất tại tổ 12", unit=bode,
        category=CaseCategory.LAND, citizen_name="Lê Văn Minh", reception=reception,
    )  # fmt: skip
    for field, recognition in ((ModelField.URBAN, Recognition.WARD),
                               (ModelField.ADMINISTRATION, Recognition.DISTRICT)):  # fmt: skip
        services.model_create(
            actor=actor, unit=bode, year=today.year, name=f"{MODELS[field]} năm {today.year}",
            field=field, recognition=recognition,
        )  # fmt: skip


# --- City scale (seed_demo --scale city) ---------------------------------------------------


def load_city(*, root_code: str = "TU-HN", per_district: int = 1700) -> str:
    """About 50,000 public-opinion cases across the city's districts (not Long Biên), each as
    the services leave it (folded content and words filled, due dates in working days, answer
    after receipt); loaded with COPY."""
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
    if (
        not districts
        or OpinionCase.objects.filter(unit__path__startswith=districts[0].path).exists()
    ):
        return "đã có"
    by_path = {d.path: d for d in districts}
    units: dict[str, list[tuple[int, int]]] = {}  # district → (unit, the ward answering it)
    ward_of: dict[str, int] = {}
    rows_of_units = list(
        OrgUnit.objects.filter(
            path__startswith=root.path, kind__in=(UnitKind.WARD_COMMITTEE, UnitKind.PARTY_CELL)
        )
        .exclude(path__startswith=f"{root.path}QU-LB/")
        .order_by("depth", "path")
        .values_list("pk", "path", "kind")
    )
    for pk, path, kind in rows_of_units:
        if kind == UnitKind.WARD_COMMITTEE:
            ward_of[path] = pk
    for pk, path, _kind in rows_of_units:
        parts = path.split("/")
        district_path = "/".join(parts[:2]) + "/"
        ward_path = "/".join(parts[:3]) + "/"
        if district_path in by_path:
            units.setdefault(district_path, []).append((pk, ward_of.get(ward_path, pk)))
    rng = random.Random(2021)
    today = timezone.localdate()
    now = timezone.now().isoformat()
    texts = []
    for problem in PROBLEMS:
        for place in PLACES:
            content = f"{problem} tại {place}"
            texts.append((content, fold(content), "{" + ",".join(words(content)[:200]) + "}"))
    sources, categories = CaseSource.values, CaseCategory.values
    first_day = dt.date(2015, 8, 1)

    def rows():
        for district in districts:
            targets = units.get(district.path, [])
            if not targets:
                continue
            for _ in range(per_district):
                unit_id, ward_id = rng.choice(targets)
                content, folded, array = texts[rng.randrange(len(texts))]
                urgency = Urgency.URGENT if rng.random() < 0.1 else Urgency.NORMAL
                received = _day(rng, first_day, today - dt.timedelta(days=1))
                due = services.due_date(urgency, received)
                draw = rng.random()
                answered = closed = None
                answer, outcome, transferred = "", "", ""
                status = CaseStatus.ASSIGNED
                if due < today - dt.timedelta(days=20) and draw < 0.97:
                    late = draw > 0.93
                    answered = due + dt.timedelta(days=rng.randint(1, 12)) if late else max(
                        received, due - dt.timedelta(days=rng.randint(0, 10))
                    )  # fmt: skip
                    answered = min(answered, today)
                    answer = "Đơn vị đã kiểm tra, xử lý và trả lời người phản ánh."
                    outcome = Outcome.RESOLVED if draw < 0.7 else Outcome.EXPLAINED
                    status = CaseStatus.ANSWERED
                    if answered + dt.timedelta(days=5) <= today:
                        status, closed = CaseStatus.CLOSED, answered + dt.timedelta(days=5)
                elif draw >= 0.99:
                    status, outcome = CaseStatus.REJECTED, Outcome.REJECTED
                    closed = received
                elif draw >= 0.98:
                    status, outcome = CaseStatus.TRANSFERRED, Outcome.TRANSFERRED
                    transferred, closed = "Công an quận", received
                elif draw < 0.5:
                    status = CaseStatus.IN_PROGRESS
                yield (
                    rng.choice(sources), received.isoformat(), content, array, folded, unit_id,
                    rng.choice(categories), urgency, "", "", "", status, ward_id,
                    due.isoformat(), answer, answered.isoformat() if answered else None, outcome,
                    closed.isoformat() if closed else None, transferred, now,
                )  # fmt: skip

    columns = [
        "source", "received_on", "content", "words", "content_folded", "unit_id", "category",
        "urgency", "citizen_name", "citizen_phone", "citizen_address", "status",
        "assigned_unit_id", "due_on", "answer", "answered_on", "outcome", "closed_on",
        "transferred_to", "created_at",
    ]  # fmt: skip
    count = copy_rows(OpinionCase, columns, rows())
    return f"{count} vụ việc dư luận phản ánh"


def register() -> None:
    from longbien.core import demo

    demo.register(50, "dialogues", load_demo)
    demo.register_city(50, "dialogues", load_city)
