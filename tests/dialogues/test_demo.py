"""The demo reproduces the article's 2015–2020 figures from its records (7 district and 143
ward dialogues, 493 of 502 due cases settled: 98,2 %), and this year's open work is there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditlog.models import LogEntry
from django.db.models import F
from django.utils import timezone

from dialogues import selectors
from dialogues.demo import load_city, load_demo
from dialogues.models import (
    Commitment,
    Critique,
    Feedback,
    MobilisationModel,
    OpinionCase,
    Reception,
    Recommendation,
)
from longbien import indicators
from longbien.org.demo import load_city as load_city_tree
from longbien.org.demo import load_long_bien
from longbien.org.models import OrgUnit, Term, User


def test_the_demo_term_gives_the_articles_figures(db):
    built = load_long_bien(people_per_cell=1)
    assert load_demo(built=built).startswith("150 cuộc đối thoại")
    entries = LogEntry.objects.count()
    assert load_demo(built=built) == "đã có, bỏ qua"
    assert LogEntry.objects.count() == entries
    term = Term.objects.get(code="2015-2020")
    values = indicators.collect(
        viewer=indicators.SYSTEM, unit=built.units["QU-LB"], start=term.start_date,
        end=term.end_date, areas={"dialogues"},
    )  # fmt: skip
    assert values["dialogues.district"].count == 7
    assert values["dialogues.ward"].count == 143
    assert values["opinion_cases.due"].count == 502
    assert values["opinion_cases.settled"].count == 493
    rate = values["opinion_cases.rate"]
    assert (rate.numerator, rate.denominator, rate.share) == (493, 502, Decimal("98.2"))
    assert values["opinion_cases.rejected"].count > 0
    assert values["opinion_cases.transferred"].count > 0
    assert 0 < values["opinion_cases.late"].count < values["opinion_cases.on_time"].count
    made = values["dialogues.commitments.made"].count
    assert (
        0
        < values["dialogues.commitments.late"].count
        < values["dialogues.commitments.on_time"].count
    )
    assert 0 < values["dialogues.commitments.overdue"].count < made // 10
    # The same figure as the selector's, for a user who reads the whole district.
    staff = User.objects.get(username="vanphong")
    by_selector = selectors.resolution_rate(
        staff, built.units["QU-LB"], term.start_date, term.end_date
    )
    assert (by_selector.settled, by_selector.due, by_selector.rate) == (493, 502, Decimal("98.2"))
    # The term's records carry their "created" audit rows.
    assert LogEntry.objects.get_for_object(OpinionCase.objects.order_by("id").first()).exists()
    # Around the cases: 5 thematic supervisions, 59 critique conferences, 709 feedback items
    # answered in the term (of more received), sessions at which the cases were received.
    assert values["critiques.supervision"].count == 5
    assert values["critiques.critique"].count == 59
    made = values["critiques.recommendations"].count
    assert made > 59 and 0 < values["critiques.responded"].count < made
    assert values["feedback.answered"].count == 709
    assert values["feedback.received"].count > 709
    sessions = values["receptions.sessions"].count
    assert 0 < sessions <= values["receptions.cases"].count
    assert values["receptions.citizens"].count >= values["receptions.cases"].count
    assert values["models.total"].count > 0 and values["models.recognition.district"].count > 0
    in_term = OpinionCase.objects.filter(received_on__range=(term.start_date, term.end_date))
    from_sessions = in_term.filter(reception__isnull=False)
    assert from_sessions.count() == values["receptions.cases"].count
    assert not from_sessions.exclude(source="reception").exists()
    assert not in_term.filter(source="reception", reception__isnull=True).exists()
    for record in (Critique, Recommendation, Feedback, Reception, MobilisationModel):
        first = record.objects.order_by("id").first()
        assert LogEntry.objects.get_for_object(first).exists(), record
    assert not Feedback.objects.filter(responded_on__lt=F("received_on")).exists()
    assert not OpinionCase.objects.filter(received_on__lt=F("reception__held_on")).exists()
    assert not Critique.objects.filter(subject_folded="").exists()


def test_the_demo_has_open_overdue_and_similar_cases_this_year(db):
    built = load_long_bien(people_per_cell=1)
    load_demo(built=built)
    today = timezone.localdate()
    recent = today - dt.timedelta(days=90)
    current = OpinionCase.objects.filter(received_on__gte=recent)
    assert current.overdue(today).exists()
    assert current.filter(status="received").exists()
    assert current.filter(answered_on__isnull=False).exists()
    bode = OrgUnit.objects.get(code="P-BODE")
    mass = User.objects.get(username="danvan")
    hits = selectors.similar_cases(
        mass, content="Ngập nước kéo dài trên đường Nguyễn Văn Cừ", unit=bode
    )
    assert len(hits) >= 1
    commitments = Commitment.objects.filter(issue__dialogue__held_on__gte=recent)
    assert commitments.overdue(today).exists()
    assert commitments.filter(status="done").exists()
    assert commitments.open().exclude(pk__in=commitments.overdue(today)).exists()
    # Around the cases, this year: for the pages.
    assert Critique.objects.filter(held_on__gte=recent, kind="critique").exists()
    assert Critique.objects.filter(held_on__gte=recent, kind="supervision").exists()
    assert Recommendation.objects.filter(critique__held_on__gte=recent, responded_on=None).exists()
    assert Feedback.objects.filter(received_on__gte=recent, responded_on=None).exists()
    assert Feedback.objects.filter(received_on__gte=recent, responded_on__isnull=False).exists()
    session = Reception.objects.get(held_on__gte=recent)
    assert session.cases.get().source == "reception"
    assert MobilisationModel.objects.filter(year=today.year).count() == 2


def test_the_city_loader_fills_words_and_stays_consistent(db):
    load_long_bien(people_per_cell=1)
    load_city_tree(districts=2, people_per_district=50)
    assert load_city(per_district=300).startswith("600 ")
    assert load_city(per_district=300) == "đã có"
    rows = OpinionCase.objects.filter(unit__path__startswith="TU-HN/Q0")
    assert rows.count() == 600
    assert not rows.filter(words=[]).exists() and not rows.filter(content_folded="").exists()
    assert not rows.filter(assigned_unit__isnull=True).exists()
