"""The replica router: only the figures' reads inside ``replica.reads()`` leave the primary."""

from __future__ import annotations

import contextlib

from django.conf import settings

from longbien import replica
from longbien.core.models import FigureCache
from longbien.org.models import OrgUnit


def test_without_a_replica_everything_stays_on_the_primary():
    router = replica.Router()
    assert "replica" not in settings.DATABASES
    with replica.reads():
        assert router.db_for_read(OrgUnit) is None


def test_with_a_replica_only_the_block_reads_from_it(monkeypatch):
    monkeypatch.setattr(settings, "DATABASES", {**settings.DATABASES, "replica": {}})
    router = replica.Router()
    assert router.db_for_read(OrgUnit) is None
    with replica.reads():
        assert router.db_for_read(OrgUnit) == "replica"
        assert router.db_for_read(FigureCache) == "replica"
        # Writes (kept counts, a job's progress) always go to the primary.
        assert router.db_for_write(FigureCache) is None
    assert router.db_for_read(OrgUnit) is None
    assert router.allow_migrate("replica", "org") is False
    assert router.allow_migrate("default", "org") is None


def test_the_dashboard_and_the_term_report_read_inside_the_block(monkeypatch):
    from longbien.reporting import term_report
    from longbien.reporting.views import dashboard as views

    seen = []

    def fake_build(**kwargs):
        seen.append(replica._reading.get())
        raise RuntimeError("stop")

    monkeypatch.setattr(views.board, "build", fake_build)
    monkeypatch.setattr(term_report, "build_context", fake_build)
    for call in (
        lambda: views._build(type("R", (), {"user": None})(), type("Q", (), {
            "unit": None, "period": None, "terms": []})()),
        lambda: term_report.render(unit=None, period=None),
    ):  # fmt: skip
        with contextlib.suppress(RuntimeError):
            call()
    assert seen == [True, True]
    assert replica._reading.get() is False
