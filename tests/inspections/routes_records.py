"""Route table entries of the inspections app (records: inspections, follow-ups, discipline).

The inspections area: the inspection role, the admin and (on their ward) the ward's secretary
read and write; district staff and leadership read; the other roles have no access (403).
A one-click workflow step (POST only) answers every refusal of the workflow table with a
message on the record's page (302); a record outside the scope is a 404.
"""

from __future__ import annotations

from typing import Any

from tests.routes import Route, Write, _r, everyone, only, statuses

INSP_VIEW = only(200, "admin", "staff", "leadership", "inspection", "ward_secretary")
INSP_CHANGE = only(200, "admin", "inspection", "ward_secretary")
# Ward B's record: the ward's secretary does not find it; ward staff have no area at all.
INSP_VIEW_OUT = {**INSP_VIEW, "ward_secretary": 404}
INSP_CHANGE_OUT = {**INSP_CHANGE, "ward_secretary": 404}
# A workflow step's page: the table's rule (403 for readers), the record first (404 without
# the area, as for an unknown record).
STEP_GET = {**INSP_CHANGE, "staff": 403, "leadership": 403, "mass_mobilisation": 404,
            "ward_staff": 404, "no_role": 404}  # fmt: skip
STEP_OUT = {**STEP_GET, "ward_secretary": 404}
# A one-click step: POST only.
POST_ONLY = everyone(405, no_role=405)
ACTION_WRITE = {**statuses(INSP_VIEW, 302), "mass_mobilisation": 404, "ward_staff": 404,
                "no_role": 404}  # fmt: skip
ACTION_OUT = {**ACTION_WRITE, "ward_secretary": 404}


def _on(url_name: str, attr: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.insp, attr).pk)


def _insp(attr: str) -> Any:
    return lambda b, s: getattr(s.insp, attr)


def _inspection(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "activity": "inspection", "subject_type": "organisation", "kind": "thematic",
        "topic": f"Kiểm tra chuyên đề ({role})", "unit": s.cell.pk, "conducting_body": s.ward.pk,
        "starts_on": "02/03/2026",
    }  # fmt: skip


def _update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"topic": f"Nội dung sửa bởi {role}", "kind": "regular", "starts_on": "02/03/2026",
            "reason": "Đính chính"}  # fmt: skip


def _conclude(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"conclusion": f"Kết luận của {role}", "concluded_on": "01/04/2026",
            "rec1_content": "Bổ sung hồ sơ", "rec1_owner_unit": s.cell.pk,
            "rec1_deadline": "04/05/2026"}  # fmt: skip


def _follow_up(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"content": f"Kiến nghị của {role}", "owner_unit": s.cell.pk, "deadline": "04/05/2026"}


def _complete(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"completed_on": "10/04/2026", "evidence": f"Đã bổ sung ({role})"}


def _discipline(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "subject_type": "organisation", "form": "warning", "unit": s.cell.pk,
        "symbol": f"{len(role)}{role[:2].upper()}-QĐ/UBKT", "decided_on": "20/04/2026",
        "deciding_body": s.ward.pk,
    }  # fmt: skip


ROUTES: list[Any] = [
    Route("inspections:inspection_list", lambda b, s: _r("inspections:inspection_list"), get=INSP_VIEW,
          listing=True),
    Route("inspections:inspection_create", lambda b, s: _r("inspections:inspection_create"), get=INSP_CHANGE,
          write=Write(statuses(INSP_CHANGE, 302), data=_inspection, model="inspections.Inspection",
                      audited=lambda b, s: "inspections.Inspection")),
    Route("inspections:inspection_detail", _on("inspections:inspection_detail", "inspection_concluded"),
          get=INSP_VIEW, scoped=True, out=INSP_VIEW_OUT),
    Route("inspections:inspection_update", _on("inspections:inspection_update", "inspection_in_progress"),
          get=INSP_CHANGE, scoped=True, out=INSP_CHANGE_OUT,
          write=Write(statuses(INSP_CHANGE, 302), data=_update, out=statuses(INSP_CHANGE_OUT, 302, ward_secretary=404),
                      record=_insp("inspection_in_progress"), audited=_insp("inspection_in_progress")),
          defects=dict.fromkeys(("admin", "inspection", "ward_secretary"),
                                "500: services.inspection_update calls given(value); longbien.service.given "
                                "takes keyword arguments only")),
    Route("inspections:inspection_start", _on("inspections:inspection_start", "inspection_planned"),
          get=POST_ONLY, anonymous=302, scoped=True, out=POST_ONLY,
          write=Write(ACTION_WRITE, out=ACTION_OUT, data=lambda b, s, r: {})),
    Route("inspections:inspection_conclude", _on("inspections:inspection_conclude", "inspection_in_progress"),
          get=STEP_GET, scoped=True, out=STEP_OUT,
          write=Write({**STEP_GET, **statuses(INSP_CHANGE, 302)}, data=_conclude,
                      out={**STEP_OUT, **statuses(INSP_CHANGE, 302, ward_secretary=404)},
                      model="inspections.FollowUp", record=_insp("inspection_in_progress"),
                      audited=_insp("inspection_in_progress"))),
    Route("inspections:inspection_close", _on("inspections:inspection_close", "inspection_concluded"),
          get=POST_ONLY, anonymous=302, scoped=True, out=POST_ONLY,
          write=Write(ACTION_WRITE, out=ACTION_OUT, data=lambda b, s, r: {})),
    Route("inspections:follow_up_create", _on("inspections:follow_up_create", "inspection_concluded"),
          get=INSP_CHANGE, scoped=True, out=INSP_CHANGE_OUT,
          write=Write(statuses(INSP_CHANGE, 302), data=_follow_up,
                      out=statuses(INSP_CHANGE_OUT, 302, ward_secretary=404), model="inspections.FollowUp",
                      audited=lambda b, s: "inspections.FollowUp")),
    Route("inspections:follow_up_list", lambda b, s: _r("inspections:follow_up_list"), get=INSP_VIEW,
          listing=True),
    Route("inspections:follow_up_board", lambda b, s: _r("inspections:follow_up_board"), get=INSP_VIEW,
          listing=True),
    Route("inspections:follow_up_complete", _on("inspections:follow_up_complete", "follow_up"),
          get=INSP_CHANGE, scoped=True, out=INSP_CHANGE_OUT,
          write=Write(statuses(INSP_CHANGE, 302), data=_complete,
                      out=statuses(INSP_CHANGE_OUT, 302, ward_secretary=404), record=_insp("follow_up"),
                      audited=_insp("follow_up"))),
    Route("inspections:discipline_list", lambda b, s: _r("inspections:discipline_list"), get=INSP_VIEW,
          listing=True),
    Route("inspections:discipline_create", lambda b, s: _r("inspections:discipline_create"), get=INSP_CHANGE,
          write=Write(statuses(INSP_CHANGE, 302), data=_discipline, model="inspections.Discipline",
                      audited=lambda b, s: "inspections.Discipline")),
    Route("inspections:discipline_detail", _on("inspections:discipline_detail", "discipline"),
          get=INSP_VIEW, scoped=True, out=INSP_VIEW_OUT),
]  # fmt: skip
