"""Route table entries of the quarterly reports (api part): ``/api/v1/reporting/``.

Everything is in ``Area.REPORTS``: read by administrator, staff, leadership and the ward roles;
changed by all of them but leadership (403). The inspection role, mass mobilisation and the
account without a role get a 403. Ward B's reports are "not found" for the ward roles. Only
the ward's secretary submits; only the committee's office (administrator, staff) returns or
accepts: the others get the workflow's 403. A GET on a POST-only action is a 405 for whoever
passes the area check (the record is never looked up).
"""

from __future__ import annotations

from typing import Any

from tests.routes import WARD, Route, Write, _r, everyone, only, statuses

VIEW = only(200, "admin", "staff", "leadership", *WARD)
CHANGE = only(200, "admin", "staff", *WARD)
SECRETARY = only(200, "ward_secretary")
COMMITTEE = only(200, "admin", "staff")
MODEL = "reporting.QuarterlyReport"


def _on(name: str, attr: str):
    return lambda b, s: _r(f"api:reporting-quarterly-report-{name}", pk=getattr(s.rep, attr).pk)


def _rec(attr: str):
    return lambda b, s: getattr(s.rep, attr)


def _version(s: Any, attr: str) -> int:
    report = getattr(s.rep, attr)
    return type(report).objects.get(pk=report.pk).version


def _open(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.ward.code, "year": 2025, "quarter": 4}


def _save(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"version": _version(s, "draft"), "results": f"Kết quả viết bởi {role}"}


def _submit(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"version": _version(s, "draft")}


def _return(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"version": _version(s, "submitted"), "comments": {"results": f"Bổ sung ({role})"}}


def _accept(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"version": _version(s, "submitted")}


def _action(name: str, attr: str, expected: dict[str, int], data: Any) -> Route:
    """A POST-only step on one report: GET is a 405 for whoever passes the area check."""
    record = _rec(attr)
    return Route(
        f"api:reporting-quarterly-report-{name}", _on(name, attr), get=statuses(VIEW, 405),
        anonymous=401, scoped=True, out=statuses(VIEW, 405),
        write=Write(statuses(CHANGE, 403, **expected), data=data, anonymous=401, json=True,
                    record=record, audited=record),
    )  # fmt: skip


ROUTES: list[Route] = [
    Route("api:api-root api/v1/reporting/", lambda b, s: "/api/v1/reporting/",
          get=everyone(200, no_role=200), anonymous=401),
    Route("api:reporting-quarterly-report-list",
          lambda b, s: _r("api:reporting-quarterly-report-list"), get=VIEW, anonymous=401,
          listing=True,
          write=Write(statuses(CHANGE, 201), data=_open, anonymous=401, json=True, model=MODEL,
                      audited=lambda b, s: MODEL)),
    Route("api:reporting-quarterly-report-detail", _on("detail", "draft"), get=VIEW,
          anonymous=401, scoped=True,
          write=Write(CHANGE, method="patch", data=_save, anonymous=401, json=True,
                      record=_rec("draft"), audited=_rec("draft"))),
    _action("submit", "draft", SECRETARY, _submit),
    _action("return", "submitted", COMMITTEE, _return),
    _action("accept", "submitted", COMMITTEE, _accept),
]  # fmt: skip
