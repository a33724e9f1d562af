"""Route table entries of the inspections app (cases).

Cases are confidential: only the inspection role (which holds the district root) sees them,
on both sides; every other role, the administrator and the account without a role included,
gets the 404 page for every case URL, so that their existence is not disclosed.
"""

from __future__ import annotations

from typing import Any

from tests.routes import Route, Write, _r, everyone

# The inspection role: 200 (or what a step gives it); everyone else 404 (not 403).
NOT_FOUND = everyone(404, no_role=404)


def _only_inspection(status: int) -> dict[str, int]:
    return {**NOT_FOUND, "inspection": status}


CASE_VIEW = _only_inspection(200)
CASE_POST_ONLY = _only_inspection(405)  # a one-click step: POST only, GET not allowed
CASE_WRITE = _only_inspection(302)


def _case(attr: str, url_name: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.insp, attr).pk)


def _case_create(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "kind": "denunciation", "level": "district", "received_on": "02/03/2026",
        "paper_reference": f"HS-MOI-{role}", "subject_type": "organisation",
        "unit": s.cell.pk, "summary": "Nội dung đơn mới", "handling_body": s.ward.pk,
    }  # fmt: skip


def _case_update(b: Any, s: Any, role: str) -> dict[str, Any]:
    case = s.insp.case_received
    return {"paper_reference": case.paper_reference, "summary": "Nội dung đã sửa",
            "handling_body": case.handling_body_id, "reason": "Bổ sung"}  # fmt: skip


def _reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"reason": "Không thuộc thẩm quyền"}


def _empty(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {}


def _conclude(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"conclusion": "Tố cáo sai.", "outcome": "unfounded", "concluded_on": "15/04/2026"}


def _extend(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"new_due_on": "30/12/2026", "reason": "Cần xác minh thêm"}


def _time_limit(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"kind": "complaint", "level": "grassroots", "days": "45", "day_count": "working"}


def _record(attr: str) -> Any:
    return lambda b, s: getattr(s.insp, attr)


def _step(key: str, url: str, attr: str, data: Any, *, audited: bool = True) -> Route:
    return Route(
        key, _case(attr, url), get=CASE_POST_ONLY, scoped=True, out=NOT_FOUND,
        write=Write(CASE_WRITE, data=data, record=_record(attr),
                    audited=_record(attr) if audited else None, out=NOT_FOUND),
    )  # fmt: skip


ROUTES: list[Any] = [
    Route("inspections:case_list", lambda b, s: _r("inspections:case_list"), get=CASE_VIEW,
          listing=True),
    Route("inspections:case_create", lambda b, s: _r("inspections:case_create"), get=CASE_VIEW,
          write=Write(CASE_WRITE, data=_case_create, model="inspections.Case",
                      audited=lambda b, s: "inspections.Case")),
    Route("inspections:case_detail", _case("case_received", "inspections:case_detail"),
          get=CASE_VIEW, scoped=True, out=NOT_FOUND),
    Route("inspections:case_update", _case("case_received", "inspections:case_update"),
          get=CASE_VIEW, scoped=True, out=NOT_FOUND,
          write=Write(CASE_WRITE, data=_case_update, record=_record("case_received"),
                      audited=_record("case_received"), out=NOT_FOUND)),
    _step("inspections:case_accept", "inspections:case_accept", "case_received", _empty),
    _step("inspections:case_reject", "inspections:case_reject", "case_received", _reason),
    # The bundle has no accepted case: the step is refused by the state (a message, 302);
    # tests/inspections/test_cases.py takes it on an accepted one.
    _step("inspections:case_verify", "inspections:case_verify", "case_verifying", _empty,
          audited=False),
    _step("inspections:case_close", "inspections:case_close", "case_concluded", _empty),
    Route("inspections:case_conclude", _case("case_verifying", "inspections:case_conclude"),
          get=CASE_VIEW, scoped=True, out=NOT_FOUND,
          write=Write(CASE_WRITE, data=_conclude, record=_record("case_verifying"),
                      audited=_record("case_verifying"), out=NOT_FOUND)),
    Route("inspections:case_extend", _case("case_received", "inspections:case_extend"),
          get=CASE_VIEW, scoped=True, out=NOT_FOUND,
          write=Write(CASE_WRITE, data=_extend, record=_record("case_received"),
                      audited=_record("case_received"), out=NOT_FOUND)),
    Route("inspections:time_limits", lambda b, s: _r("inspections:time_limits"), get=CASE_VIEW,
          write=Write(CASE_WRITE, data=_time_limit, model="inspections.CaseTimeLimit",
                      audited=lambda b, s: "inspections.CaseTimeLimit")),
    # The bundle's inspection user heads the committee: they read the log; for everyone else
    # it is a 404 (its existence is not disclosed). Nothing is ever written to it (404 too).
    Route("inspections:access_log", lambda b, s: _r("inspections:access_log"), get=CASE_VIEW,
          listing=True, write=Write(NOT_FOUND, data=_empty, model="core.AccessEntry")),
]  # fmt: skip
