"""Route table entries of the quarterly reports (see tests/routes.py), one list per part.

The reports area: the admin and district staff read and write everywhere, the ward's
secretary and staff on their ward, leadership reads; the inspection and mass-mobilisation
roles and the account without a role get 403 on the pages (404 on a record's step, which
finds the record first). The ward's staff write the report but only its secretary submits;
district staff (and the admin) return or accept it: anyone else who reads the report gets
the 403 with the workflow's reason. A record of ward B is a 404 for the ward roles.
"""

from __future__ import annotations

from typing import Any

from tests.reporting.route_data import TEXTS
from tests.routes import WARD, Route, Write, _r, everyone, only, statuses

REP_VIEW = only(200, "admin", "staff", "leadership", *WARD)
REP_CHANGE = only(200, "admin", "staff", *WARD)
NOT_FOUND = {"inspection": 404, "mass_mobilisation": 404, "no_role": 404}
POST_ONLY = everyone(405, no_role=405)
# A step (POST only) finds the report first (404 without the area), then the workflow's rule.
SUBMIT = {**statuses(REP_VIEW, 403), "ward_secretary": 302, **NOT_FOUND}
COMMITTEE = {**statuses(REP_VIEW, 403), "admin": 302, "staff": 302, **NOT_FOUND}
RETURN_GET = {**statuses(REP_VIEW, 403), "admin": 200, "staff": 200, **NOT_FOUND}


def _on(url_name: str, attr: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.rep, attr).pk)


def _rep(attr: str) -> Any:
    return lambda b, s: getattr(s.rep, attr)


def _ward_out(expected: dict[str, int]) -> dict[str, int]:
    return {**expected, **dict.fromkeys(WARD, 404)}


def _open_url(b: Any, s: Any) -> str:
    # A quarter without a report on either side: the page offers to start it.
    return _r("reporting:report_open", code=s.ward.code, year=2025, quarter=4)


def _start(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"start": "1"}


def _edit(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {**TEXTS, "version": s.rep.draft.version, "results": f"Kết quả quý ({role})"}


def _version(attr: str) -> Any:
    return lambda b, s, role: {"version": getattr(s.rep, attr).version}


def _return(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"version": s.rep.submitted.version, "results": f"Bổ sung số liệu ({role})"}


def _step(key: str, attr: str, expected: dict[str, int]) -> Route:
    """A one-click step (POST only) from the report's buttons, with the version shown."""
    return Route(
        key, _on(key, attr), get=POST_ONLY, scoped=True, out=POST_ONLY,
        write=Write(expected, data=_version(attr), out=_ward_out(expected), record=_rep(attr),
                    audited=_rep(attr)),
    )  # fmt: skip


ROUTES: list[Any] = [
    Route("reporting:report_list", lambda b, s: _r("reporting:report_list"), get=REP_VIEW,
          listing=True),
    Route("reporting:report_open", _open_url, get=REP_VIEW, scoped=True,
          write=Write(statuses(REP_CHANGE, 302, leadership=403), data=_start,
                      model="reporting.QuarterlyReport",
                      out=_ward_out(statuses(REP_CHANGE, 302, leadership=403)),
                      audited=lambda b, s: "reporting.QuarterlyReport")),
    Route("reporting:report_detail", _on("reporting:report_detail", "draft"), get=REP_VIEW,
          scoped=True),
    Route("reporting:report_edit", _on("reporting:report_edit", "draft"), get=REP_CHANGE,
          scoped=True,
          write=Write(statuses(REP_CHANGE, 302), data=_edit, record=_rep("draft"),
                      out=_ward_out(statuses(REP_CHANGE, 302)), audited=_rep("draft"))),
    _step("reporting:report_submit", "draft", SUBMIT),
    _step("reporting:report_accept", "submitted", COMMITTEE),
    Route("reporting:report_return", _on("reporting:report_return", "submitted"), get=RETURN_GET,
          scoped=True, out=_ward_out(RETURN_GET),
          write=Write(COMMITTEE, data=_return, record=_rep("submitted"),
                      out=_ward_out(COMMITTEE), audited=_rep("submitted"))),
]  # fmt: skip
