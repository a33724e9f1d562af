"""The records around the cases, at the services, selectors and indicators: critique
conferences and thematic supervisions with their recommendations, feedback (Decision 218),
citizen reception sessions and the cases they open, "skilful mass mobilisation" models.

Each rule the issue names is refused with a Vietnamese message and leaves nothing behind;
the indicators are hand-counted here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from dialogues import selectors, services
from dialogues.choices import (
    CaseCategory,
    CaseSource,
    CritiqueKind,
    ModelField,
    Organiser,
    Recognition,
)
from dialogues.models import Critique, Feedback, MobilisationModel, OpinionCase, Reception
from longbien import indicators

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def critique(actor, unit, *, kind=CritiqueKind.CRITIQUE, held_on=dt.date(2025, 4, 8), **extra):
    return services.critique_create(
        actor=actor, kind=kind, unit=unit, organiser=extra.pop("organiser", Organiser.FRONT),
        held_on=held_on, subject=extra.pop("subject", "Dự thảo quy hoạch chung"), **extra,
    )  # fmt: skip


def feedback(actor, unit, *, received_on=dt.date(2025, 3, 5), **extra):
    return services.feedback_create(
        actor=actor, unit=unit, sender=extra.pop("sender", Organiser.VETERANS),
        received_on=received_on, content=extra.pop("content", "Góp ý tác phong cán bộ"),
        addressee="UBND phường", **extra,
    )  # fmt: skip


def reception(actor, unit, *, held_on=dt.date(2025, 3, 15), **extra):
    return services.reception_create(
        actor=actor, unit=unit, held_on=held_on, leader="Nguyễn Văn A",
        leader_title="Bí thư Quận ủy", place="Trụ sở tiếp công dân quận", **extra,
    )  # fmt: skip


def errors_of(raised) -> dict:
    return raised.value.message_dict


# --- critiques and recommendations ----------------------------------------------------------


def test_a_critique_with_its_recommendations_is_one_audited_write(users, tree):
    staff = users["staff"]
    made = critique(staff, tree.ward_a, recommendations=[
        {"content": "Bổ sung bãi đỗ xe", "addressee": "UBND phường"},
        {"content": "Công khai bản đồ", "addressee": "Phòng Quản lý đô thị"},
    ])  # fmt: skip
    assert made.subject_folded == "du thao quy hoach chung"
    assert [r.addressee for r in made.recommendations.order_by("id")] == [
        "UBND phường", "Phòng Quản lý đô thị",
    ]  # fmt: skip
    assert LogEntry.objects.get_for_object(made).get().actor == staff


def test_a_recommendation_without_an_addressee_saves_nothing(users, tree):
    with pytest.raises(ValidationError) as raised:
        critique(users["staff"], tree.ward_a, recommendations=[
            {"content": "Bổ sung bãi đỗ xe", "addressee": ""},
        ])  # fmt: skip
    assert "cơ quan tiếp nhận" in errors_of(raised)["addressee"][0]
    assert not Critique.objects.exists()


def test_bad_critiques_are_refused_in_vietnamese(users, tree):
    staff = users["staff"]
    with pytest.raises(ValidationError) as raised:
        critique(staff, tree.ward_a, held_on=dt.date(2999, 1, 1))
    assert "sau hôm nay" in errors_of(raised)["held_on"][0]
    with pytest.raises(ValidationError) as raised:
        critique(staff, tree.ward_a, kind="meeting")
    assert "phản biện xã hội" in errors_of(raised)["kind"][0]
    with pytest.raises(ValidationError):
        critique(staff, tree.ward_a, subject="")
    assert not Critique.objects.exists()


def test_a_response_dated_before_the_conference_is_refused(users, tree):
    staff = users["staff"]
    made = critique(staff, tree.ward_a, recommendations=[
        {"content": "Bổ sung bãi đỗ xe", "addressee": "UBND phường"},
    ])  # fmt: skip
    item = made.recommendations.get()
    with pytest.raises(ValidationError) as raised:
        services.recommendation_respond(actor=staff, recommendation=item, response="Tiếp thu",
                                        responded_on=dt.date(2025, 4, 1))  # fmt: skip
    assert "08/04/2025" in errors_of(raised)["responded_on"][0]
    with pytest.raises(ValidationError) as raised:
        services.recommendation_respond(actor=staff, recommendation=item, response=" ",
                                        responded_on=dt.date(2025, 4, 20))  # fmt: skip
    assert "response" in errors_of(raised)
    item.refresh_from_db()
    assert item.responded_on is None and item.response == ""
    services.recommendation_respond(actor=staff, recommendation=item, response="Đã tiếp thu",
                                    responded_on=dt.date(2025, 4, 20))  # fmt: skip
    row = selectors.critique_list(staff).get(pk=made.pk)
    assert (row.recommendation_count, row.responded_count) == (1, 1)
    # The conference cannot then be moved after its response.
    with pytest.raises(ValidationError) as raised:
        services.critique_update(actor=staff, critique=made, held_on=dt.date(2025, 5, 1))
    assert "held_on" in errors_of(raised)


def test_a_ward_writes_only_its_own_critiques_and_reads_only_them(users, tree):
    secretary = users["ward_secretary"]  # ward A
    with pytest.raises(PermissionDenied):
        critique(secretary, tree.ward_b)
    own = critique(secretary, tree.ward_a)
    other = critique(users["staff"], tree.ward_b)
    seen = set(selectors.critique_list(secretary).values_list("pk", flat=True))
    assert own.pk in seen and other.pk not in seen
    with pytest.raises(PermissionDenied):
        services.recommendation_add(actor=secretary, critique=other, content="x", addressee="y")


# --- feedback ----------------------------------------------------------------------------------


def test_feedback_with_and_without_its_answer(users, tree):
    staff = users["staff"]
    waiting = feedback(staff, tree.ward_a)
    done = feedback(staff, tree.ward_a, response="Đã tiếp thu", responded_on=dt.date(2025, 3, 20))
    assert waiting.responded_on is None and done.responded_on == dt.date(2025, 3, 20)
    figures = selectors.feedback_figures(selectors.feedback_list(staff))
    assert (figures.received, figures.answered, figures.waiting) == (2, 1, 1)
    assert figures.share == Decimal("50.0")
    services.feedback_respond(actor=staff, feedback=waiting, response="Trả lời bằng văn bản",
                              responded_on=dt.date(2025, 3, 6))  # fmt: skip
    assert selectors.feedback_figures(selectors.feedback_list(staff)).answered == 2


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"response": "Đã tiếp thu"}, "responded_on", "ngày trả lời"),
        ({"response": "Đã tiếp thu", "responded_on": dt.date(2025, 3, 1)}, "responded_on", "05/03/2025"),
        ({"responded_on": dt.date(2025, 3, 20)}, "response", "nội dung trả lời"),
        ({"received_on": dt.date(2999, 1, 1)}, "received_on", "sau hôm nay"),
        ({"sender": "club"}, "sender", "tổ chức góp ý"),
        ({"content": "  "}, "content", "nội dung góp ý"),
    ],
)  # fmt: skip
def test_bad_feedback_saves_nothing(users, tree, extra, field, words):
    with pytest.raises(ValidationError) as raised:
        feedback(users["staff"], tree.ward_a, **extra)
    assert words in errors_of(raised)[field][0].lower()
    assert not Feedback.objects.exists()


def test_no_feedback_gives_no_share(users, tree):
    figures = selectors.feedback_figures(selectors.feedback_list(users["staff"]))
    assert (figures.received, figures.answered, figures.share) == (0, 0, None)


# --- receptions and the cases they open --------------------------------------------------------


def test_a_reception_opens_cases_linked_both_ways(users, tree):
    staff = users["staff"]
    session = reception(staff, tree.ward_a, citizens=4)
    case = services.case_receive(
        actor=staff, source=CaseSource.HOTLINE, received_on=dt.date(2025, 3, 15),
        content="Cấp sổ đỏ chậm", unit=tree.ward_a, category=CaseCategory.LAND,
        reception=session,
    )  # fmt: skip
    assert case.source == CaseSource.RECEPTION  # the reception decides the source
    assert list(selectors.reception_cases(staff, session)) == [case]
    assert selectors.reception_list(staff).get(pk=session.pk).case_count == 1


def test_a_case_received_before_its_reception_is_refused(users, tree):
    staff = users["staff"]
    session = reception(staff, tree.ward_a)
    with pytest.raises(ValidationError) as raised:
        services.case_receive(
            actor=staff, source=CaseSource.RECEPTION, received_on=dt.date(2025, 3, 1),
            content="Cấp sổ đỏ chậm", unit=tree.ward_a, category=CaseCategory.LAND,
            reception=session,
        )  # fmt: skip
    assert "15/03/2025" in errors_of(raised)["received_on"][0]
    assert not OpinionCase.objects.exists()


def test_a_reception_out_of_sight_cannot_open_a_case(users, tree):
    other = reception(users["staff"], tree.ward_b)
    with pytest.raises(PermissionDenied):
        services.case_receive(
            actor=users["ward_secretary"], source=CaseSource.RECEPTION,
            received_on=dt.date(2025, 3, 15), content="Cấp sổ đỏ chậm", unit=tree.ward_a,
            category=CaseCategory.LAND, reception=other,
        )  # fmt: skip


def test_bad_receptions_are_refused(users, tree):
    staff = users["staff"]
    with pytest.raises(ValidationError) as raised:
        reception(staff, tree.ward_a, citizens=50000)
    assert "1.000" in errors_of(raised)["citizens"][0]
    with pytest.raises(ValidationError):
        reception(staff, tree.ward_a, held_on=dt.date(2999, 1, 1))
    assert not Reception.objects.exists()
    session = reception(staff, tree.ward_a)
    services.case_receive(
        actor=staff, source=CaseSource.RECEPTION, received_on=dt.date(2025, 3, 15),
        content="Cấp sổ đỏ chậm", unit=tree.ward_a, category=CaseCategory.LAND, reception=session,
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        services.reception_update(actor=staff, reception=session, held_on=dt.date(2025, 3, 20))
    assert "held_on" in errors_of(raised)
    session.refresh_from_db()
    assert session.held_on == dt.date(2025, 3, 15)


# --- models ------------------------------------------------------------------------------------


def test_a_model_is_registered_once_per_unit_and_year(users, tree):
    staff = users["staff"]

    def model(name="Tuyến phố văn minh", **extra):
        return services.model_create(
            actor=staff, unit=extra.pop("unit", tree.ward_a), year=extra.pop("year", 2025),
            name=name, field=ModelField.URBAN, recognition=Recognition.DISTRICT, **extra,
        )  # fmt: skip

    model()
    with pytest.raises(ValidationError) as raised:
        model("TUYẾN PHỐ VĂN MINH")  # the same name, diacritics and case aside
    assert "đã có mô hình này" in str(raised.value.messages[0]).lower()
    model(year=2024)
    model(unit=tree.ward_b)
    with pytest.raises(ValidationError) as raised:
        model("Chợ văn minh", year=1990)
    assert "year" in errors_of(raised)
    assert MobilisationModel.objects.count() == 3


# --- indicators ------------------------------------------------------------------------------


def test_indicators_count_what_the_records_hold(users, tree):
    staff = users["staff"]
    made = critique(staff, tree.ward_a, recommendations=[
        {"content": "Bổ sung bãi đỗ xe", "addressee": "UBND phường"},
        {"content": "Công khai bản đồ", "addressee": "UBND phường"},
    ])  # fmt: skip
    services.recommendation_respond(
        actor=staff, recommendation=made.recommendations.order_by("id").first(),
        response="Tiếp thu", responded_on=dt.date(2025, 5, 1),
    )  # fmt: skip
    critique(staff, tree.ward_b, kind=CritiqueKind.SUPERVISION)
    critique(staff, tree.ward_a, held_on=dt.date(2024, 6, 1))  # last year: not counted
    feedback(staff, tree.ward_a, response="Đã tiếp thu", responded_on=dt.date(2025, 3, 20))
    feedback(staff, tree.ward_b)
    # Received in December, answered in January: not answered within the year.
    feedback(staff, tree.ward_a, received_on=dt.date(2025, 12, 20), response="Tiếp thu",
             responded_on=dt.date(2026, 1, 5))  # fmt: skip
    session = reception(staff, tree.ward_a, citizens=5)
    reception(staff, tree.ward_b, citizens=3)
    services.case_receive(
        actor=staff, source=CaseSource.RECEPTION, received_on=dt.date(2025, 3, 15),
        content="Cấp sổ đỏ chậm", unit=tree.ward_a, category=CaseCategory.LAND, reception=session,
    )  # fmt: skip
    for unit, year, field, level in [
        (tree.ward_a, 2025, ModelField.URBAN, Recognition.DISTRICT),
        (tree.ward_b, 2025, ModelField.ECONOMY, Recognition.CITY),
        (tree.ward_a, 2024, ModelField.URBAN, Recognition.WARD),
    ]:
        services.model_create(actor=staff, unit=unit, year=year, name=f"Mô hình {year} {field}",
                              field=field, recognition=level)  # fmt: skip

    def values(unit, start=START, end=END):
        found = indicators.collect(viewer=indicators.SYSTEM, unit=unit, start=start, end=end,
                                   areas={"dialogues"})  # fmt: skip
        return {code: (v.count if v.share is None else v.share) for code, v in found.items()}

    district = values(tree.root)
    assert district["critiques.critique"] == 1 and district["critiques.supervision"] == 1
    assert (district["critiques.recommendations"], district["critiques.responded"]) == (2, 1)
    assert district["critiques.responded_share"] == Decimal("50.0")
    assert (district["feedback.received"], district["feedback.answered"]) == (3, 1)
    assert district["receptions.sessions"] == 2 and district["receptions.citizens"] == 8
    assert district["receptions.cases"] == 1
    assert district["models.total"] == 2
    assert district["models.field.urban"] == 1 and district["models.field.economy"] == 1
    assert district["models.recognition.city"] == 1

    ward_a = values(tree.ward_a)
    assert ward_a["critiques.critique"] == 1 and ward_a["critiques.supervision"] == 0
    assert (ward_a["feedback.received"], ward_a["feedback.answered"]) == (2, 1)
    assert ward_a["models.total"] == 1

    # A quarter that does not end a year counts no models; the fourth quarter does.
    assert values(tree.root, dt.date(2025, 1, 1), dt.date(2025, 3, 31))["models.total"] == 0
    assert values(tree.root, dt.date(2025, 10, 1), dt.date(2025, 12, 31))["models.total"] == 2
    # Over two years, both years' models.
    assert values(tree.root, dt.date(2024, 1, 1), END)["models.total"] == 3
