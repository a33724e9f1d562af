"""Route table entries of the term reports (issue 14): the pages under
/bao-cao-quy/nhiem-ky/ and the API ``/api/v1/reporting/term-reports/``.

The reports area's view right is enough to ask for a report and to read or download one: the
admin, district staff and leadership everywhere, the ward's secretary and staff on their ward;
the inspection and mass-mobilisation roles and the account without a role get a 403. Ward B's
job is a 404 for the ward roles. Asking (the page's POST, the API's POST) names ward A and a
year: 302 to the job's page, 202 with the job (the task starts once committed, which the
matrix's rolled-back writes never do).

The job of each ward (done, with its file) is the route data's (``s.rep.term_job``), or is
made here when a URL first needs it.

The web version (``reporting:term_web``, ``?unit=<ward>&year=2026``) follows the same rights:
built on the request for the ward named; ward B named by the ward roles is a 404.
"""

from __future__ import annotations

from typing import Any

from tests.routes import WARD, Route, Write, _r, only, statuses

TERM_VIEW = only(200, "admin", "staff", "leadership", *WARD)
MODEL = "reporting.TermReportJob"


def _job(s: Any) -> Any:
    """Ward ``s``'s term report of 2026, done, its file stored: the route data's when it has
    one (``s.rep.term_job``), else made here once."""
    if getattr(s.rep, "term_job", None) is not None:
        return s.rep.term_job
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from longbien.reporting.models import TermReportJob

    name = f"private/term-reports/route-matrix-{s.ward.code}.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.7 route matrix"))
    job, _ = TermReportJob.objects.get_or_create(
        key=f"term-report:{s.ward.code}:year:2026",
        defaults={"unit": s.ward, "period_kind": "year", "year": 2026, "state": "done",
                  "stage": "done", "percent": 100, "file": name},
    )  # fmt: skip
    return job


def _on(name: str) -> Any:
    return lambda b, s: _r(name, pk=_job(s).pk)


def _web(b: Any, s: Any) -> str:
    return _r("reporting:term_web") + f"?unit={s.ward.code}&year=2026"


def _ask(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.ward.code, "year": 2025}


ROUTES: list[Any] = [
    Route("reporting:term_list", lambda b, s: _r("reporting:term_list"), get=TERM_VIEW,
          write=Write(statuses(TERM_VIEW, 302), data=_ask, model=MODEL)),
    Route("reporting:term_job", _on("reporting:term_job"), get=TERM_VIEW, scoped=True),
    Route("reporting:term_web", _web, get=TERM_VIEW, scoped=True),
    Route("reporting:term_progress", _on("reporting:term_progress"), get=TERM_VIEW, scoped=True),
    Route("reporting:term_download", _on("reporting:term_download"), get=TERM_VIEW, scoped=True),
    Route("api:reporting-term-report-list", lambda b, s: _r("api:reporting-term-report-list"),
          get=TERM_VIEW, anonymous=401,
          write=Write(statuses(TERM_VIEW, 202), data=_ask, anonymous=401, json=True, model=MODEL)),
    Route("api:reporting-term-report-detail", _on("api:reporting-term-report-detail"),
          get=TERM_VIEW, anonymous=401, scoped=True),
]  # fmt: skip
