"""The demo's quarterly reports: every Long Biên ward has its reports of the demo quarters in a
realistic mix, made through the services for Bồ Đề (with its audit trail) and with real frozen
figures for every sent one; a second run changes nothing; the city loader fills every city
ward's quarters."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.utils import timezone

from longbien.org.demo import load_city as load_city_tree
from longbien.org.demo import load_long_bien
from longbien.reporting import figures
from longbien.reporting.choices import ReportStatus
from longbien.reporting.demo import demo_quarters, load_city, load_demo
from longbien.reporting.models import QuarterlyReport, ReturnComment


def test_the_demo_quarters():
    assert demo_quarters(dt.date(2026, 11, 30)) == [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]
    assert demo_quarters(dt.date(2026, 2, 10)) == [(2025, 4)]


def test_the_demo_reports_are_a_realistic_mix_with_real_figures(db):
    built = load_long_bien(people_per_cell=1)
    assert "báo cáo quý" in load_demo(built=built)
    today = timezone.localdate()
    quarters = demo_quarters(today)
    wards = [u for code, u in built.units.items() if code.startswith("P-")]
    reports = QuarterlyReport.objects.filter(unit__in=wards)
    # Every ward has every demo quarter (and Bồ Đề its current one, being written).
    assert reports.count() == len(wards) * len(quarters) + 1
    states = {status: reports.filter(status=status).count() for status in ReportStatus.values}
    assert states[ReportStatus.ACCEPTED] > len(reports) // 2
    assert states[ReportStatus.SUBMITTED] >= 2
    assert states[ReportStatus.RETURNED] == 1 and states[ReportStatus.NOT_STARTED] >= 1
    assert states[ReportStatus.DRAFT] >= 1
    sent = reports.filter(status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED))
    on_time = [r.on_time for r in sent]
    assert on_time.count(True) > on_time.count(False) > 0
    # The frozen figures are the indicators of the ward and quarter.
    for report in sent.order_by("?")[:3]:
        assert report.frozen == figures.live_counts(report), report
    assert not sent.filter(frozen={}).exists()
    # Bồ Đề's: through the services, returned with comments in the last ended quarter.
    bode = reports.filter(unit__code="P-BODE")
    returned = bode.get(status=ReportStatus.RETURNED)
    assert (returned.year, returned.quarter) == quarters[-1]
    assert ReturnComment.objects.filter(report=returned).count() == 2
    assert LogEntry.objects.get_for_object(returned).count() >= 3
    current = (today.year, (today.month - 1) // 3 + 1)
    draft = bode.get(year=current[0], quarter=current[1])
    assert draft.status == ReportStatus.DRAFT and draft.results
    # The other wards' reports carry their "created" audit rows.
    other = reports.exclude(unit__code="P-BODE").first()
    assert LogEntry.objects.get_for_object(other).exists()
    entries, count = LogEntry.objects.count(), reports.count()
    assert load_demo(built=built) == "đã có, bỏ qua"
    assert (LogEntry.objects.count(), reports.count()) == (entries, count)


def test_the_city_loader_reports_every_city_ward_and_quarter(db):
    load_long_bien(people_per_cell=1)
    load_city_tree(districts=2, people_per_district=10)
    result = load_city()
    city = QuarterlyReport.objects.filter(unit__path__startswith="TU-HN/Q0")
    wards = 2 * 14
    quarters = city.values("year", "quarter").distinct().count()
    assert city.count() == wards * quarters and quarters >= 20
    assert result.startswith(f"{city.count()} báo cáo quý")
    assert not city.filter(status=ReportStatus.ACCEPTED, frozen={}).exists()
    assert not city.filter(status=ReportStatus.ACCEPTED, accepted_at__isnull=True).exists()
    assert city.filter(status=ReportStatus.SUBMITTED).exists()
    assert not QuarterlyReport.objects.filter(unit__path__startswith="TU-HN/QU-LB/").exists()
    assert load_city() == "đã có"
