"""The quarterly reports for the route table: per ward side, one report in each state of
2026 (Q1 draft, Q2 submitted, Q3 accepted, Q4 returned), made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from longbien.org.choices import Role
from longbien.reporting import services

TEXTS = {"results": "Hoàn thành các chỉ tiêu quý.", "limitations": "Một số việc còn chậm.",
         "next_tasks": "Tiếp tục triển khai nghị quyết.", "proposals": ""}  # fmt: skip


@dataclass
class ReportRecords:
    draft: Any
    submitted: Any
    accepted: Any
    returned: Any
    term_job: Any = None  # a term report of 2026, done (issue 14)


def build(letter: str, ward: Any, staff: Any, secretary: Any | None) -> ReportRecords:
    if secretary is None:  # ward B's secretary: not one of the matrix's users
        from tests.conftest import make_user

        secretary = make_user(f"secretary_{letter}_reports", Role.WARD_SECRETARY, ward)

    def report(quarter: int, *steps: str) -> Any:
        made = services.report_open(actor=staff, unit=ward, year=2026, quarter=quarter)
        if not steps:
            return made
        services.report_save(actor=secretary, report=made, version=made.version, **TEXTS)
        services.report_submit(actor=secretary, report=made, version=made.version)
        if "accept" in steps:
            services.report_accept(actor=staff, report=made, version=made.version)
        if "return" in steps:
            services.report_return(actor=staff, report=made, version=made.version,
                                   comments={"results": "Bổ sung số liệu"})  # fmt: skip
        return made

    draft = report(1)
    term_job = _term_job(ward)
    services.report_save(actor=secretary, report=draft, version=draft.version, **TEXTS)
    return ReportRecords(
        draft=draft, submitted=report(2, "submit"), accepted=report(3, "accept"),
        returned=report(4, "return"), term_job=term_job,
    )  # fmt: skip


def _term_job(ward: Any) -> Any:
    """The ward's term report of 2026, done, with its file (the key routes_term.py uses)."""
    from django.core.files.base import ContentFile

    from longbien.reporting.models import TermReportJob

    job = TermReportJob(
        key=f"term-report:{ward.code}:year:2026", unit=ward, period_kind="year", year=2026,
        state="done", stage="done", percent=100,
    )  # fmt: skip
    job.file.save(f"route-data-{ward.code}.pdf", ContentFile(b"%PDF-1.7 route data"), save=False)
    job.save()
    return job
