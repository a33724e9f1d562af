import datetime as dt

from cadres import selectors
from cadres.choices import DecisionKind, EvaluationStatus
from cadres.demo import load_demo
from cadres.indicators import provide
from cadres.models import Evaluation, PersonnelDecision
from longbien.org.demo import load_long_bien
from longbien.org.models import User


def test_the_demo_reproduces_the_articles_figures_and_is_idempotent(db):
    built = load_long_bien()
    load_demo(built=built)
    load_demo(built=built)
    root = built.units["QU-LB"]
    admin = User.objects.get(username="admin")
    term = selectors.distribution(
        user=admin, unit=root, start=dt.date(2015, 8, 1), end=dt.date(2020, 7, 31)
    )
    assert {row.abbreviation: row.count for row in term.rows} == {
        "HTXSNV": 281, "HTTNV": 705, "HTNV": 12, "KHTNV": 6,
    }  # fmt: skip
    assert term.total == 1004
    assert [str(row.share) for row in term.rows] == ["28.0", "70.2", "1.2", "0.6"]
    counts = provide(unit=root, start=dt.date(2015, 8, 1), end=dt.date(2020, 7, 31))
    assert counts["cadres.people_tested"] == 256
    assert {k: counts[f"cadres.decisions.{k}"] for k in DecisionKind.values} == {
        "appointment": 63, "reappointment": 73, "concurrence": 59, "transfer": 18, "nomination": 179,
    }  # fmt: skip
    assert PersonnelDecision.objects.count() == 392
    open_2026 = Evaluation.objects.filter(unit__code__startswith="CB-BODE", year=2026).exclude(
        status=EvaluationStatus.APPROVED
    )
    assert open_2026.exists()
