"""Route table entries of the dialogues app (public-opinion cases and a unit's page).

The dialogues area: staff, the mass-mobilisation role, the admin and (on their ward) the
ward's secretary and staff read and write; leadership reads; the inspection role and the
account without a role have no access (403). A workflow step's page finds the record first
(404 without the area, as for an unknown record), then applies the step's rule (403 for a
reader). A one-click step (POST only) answers every refusal of the workflow table with a
message on the record's page (302).
"""

from __future__ import annotations

from typing import Any

from tests.routes import WARD, Route, Write, _r, everyone, only, statuses

DLG_VIEW = everyone(200, inspection=403)
DLG_CHANGE = only(200, "admin", "staff", "mass_mobilisation", *WARD)
STEP_GET = {**DLG_CHANGE, "leadership": 403, "inspection": 404, "no_role": 404}
STEP_OUT = {**STEP_GET, **dict.fromkeys(WARD, 404)}
STEP_WRITE = {**STEP_GET, **statuses(DLG_CHANGE, 302)}
STEP_WRITE_OUT = {**STEP_WRITE, **dict.fromkeys(WARD, 404)}
POST_ONLY = everyone(405, no_role=405)
ACTION_WRITE = {**statuses(DLG_VIEW, 302), "inspection": 404, "no_role": 404}
ACTION_OUT = {**ACTION_WRITE, **dict.fromkeys(WARD, 404)}


def _on(url_name: str, attr: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.dlg, attr).pk)


def _dlg(attr: str) -> Any:
    return lambda b, s: getattr(s.dlg, attr)


def _create(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "source": "hotline", "received_on": "02/03/2026", "content": f"Phản ánh mới ({role})",
        "unit": s.ward.pk, "category": "urban", "urgency": "normal", "decision": "new",
    }  # fmt: skip


def _assign(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.cell.pk, "due_on": ""}


def _reassign(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.ward.pk, "due_on": "", "reason": "Chi bộ không đủ điều kiện xử lý"}


def _answer(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"answer": "Đã khơi thông cống", "answered_on": "20/03/2026", "outcome": "resolved"}


def _transfer(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"transferred_to": "Công an quận", "reason": "Thuộc thẩm quyền công an"}


def _merge(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"into_id": s.dlg.case_assigned.pk, "reason": "Trùng nội dung"}


def _reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"reason": "Người dân phản ánh lại"}


def _empty(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {}


def _page(key: str, attr: str, data: Any) -> Route:
    """A step with a page of its own: its form for the coordinating or handling units."""
    return Route(
        key, _on(key, attr), get=STEP_GET, scoped=True, out=STEP_OUT,
        write=Write(STEP_WRITE, data=data, out=STEP_WRITE_OUT, record=_dlg(attr),
                    audited=_dlg(attr)),
    )  # fmt: skip


def _action(key: str, attr: str, data: Any) -> Route:
    """A one-click step (POST only) from the record's buttons."""
    return Route(
        key, _on(key, attr), get=POST_ONLY, scoped=True, out=POST_ONLY,
        write=Write(ACTION_WRITE, out=ACTION_OUT, data=data),
    )  # fmt: skip


ROUTES: list[Any] = [
    Route("dialogues:case_list", lambda b, s: _r("dialogues:case_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:case_create", lambda b, s: _r("dialogues:case_create"), get=DLG_CHANGE,
          write=Write(statuses(DLG_CHANGE, 302), data=_create, model="dialogues.OpinionCase",
                      audited=lambda b, s: "dialogues.OpinionCase")),
    Route("dialogues:case_detail", _on("dialogues:case_detail", "case_assigned"), get=DLG_VIEW,
          scoped=True),
    _page("dialogues:case_assign", "case_received", _assign),
    _page("dialogues:case_reassign", "case_assigned", _reassign),
    _page("dialogues:case_answer", "case_in_progress", _answer),
    _page("dialogues:case_transfer", "case_received", _transfer),
    _page("dialogues:case_merge", "case_received", _merge),
    _action("dialogues:case_start", "case_assigned", _empty),
    _action("dialogues:case_close", "case_answered", _empty),
    _action("dialogues:case_reject", "case_received", _reason),
    _action("dialogues:case_reopen", "case_closed", _reason),
    Route("dialogues:unit_board", lambda b, s: _r("dialogues:unit_board", code=s.ward.code),
          get=DLG_VIEW, scoped=True, listing=True),
]  # fmt: skip
