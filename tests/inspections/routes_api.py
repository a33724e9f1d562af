"""Route table entries of the inspections app (api): ``/api/v1/inspections/``.

Plans and plan items are in ``Area.INSPECTION_PLANS`` (read by every role, changed by staff,
inspection, mass mobilisation, the ward secretary and the administrator); records, follow-ups
and discipline in ``Area.INSPECTIONS`` (read by administrator, staff, leadership, inspection and
the ward secretary; changed by administrator, inspection and the ward secretary). Cases are
confidential: only the inspection role gets a record; the others with the inspections area get
an empty list, the rest a 403; every route naming a case is a 404 for all but the inspection
role. A GET on a POST-only action is a 405 for whoever passes the area check (the record is
never looked up).
"""

from __future__ import annotations

from typing import Any

from tests.routes import WARD, Route, Write, _r, everyone, only, statuses

PLANS_VIEW = everyone(200)
PLANS_CHANGE = only(200, "admin", "staff", "inspection", "mass_mobilisation", "ward_secretary")
INSP_VIEW = only(200, "admin", "staff", "leadership", "inspection", "ward_secretary")
INSP_CHANGE = only(200, "admin", "inspection", "ward_secretary")
# Cases: the list is empty for those with the inspections area but not the confidential one
# (a 403 for the others); every route naming a case is a 404 for all but the inspection role.
CASE_LIST = INSP_VIEW
NOT_FOUND = everyone(404, no_role=404)
CASE_VIEW = {**NOT_FOUND, "inspection": 200}
CASE_CHANGE = CASE_VIEW


def _on(name: str, attr: str):
    return lambda b, s: _r(f"api:inspections-{name}", pk=getattr(s.insp, attr).pk)


def _list(name: str):
    return lambda b, s: _r(f"api:inspections-{name}")


def _rec(attr: str):
    return lambda b, s: getattr(s.insp, attr)


def _item(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "activity": "supervision", "subject_type": "organisation",
        "topic": f"Giám sát chi bộ ({role})", "target_unit": s.cell.code,
        "start_month": 6, "end_month": 7,
    }  # fmt: skip


def _check(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"plan": s.insp.plan.pk, "target_unit": s.cell.code, "start_month": 3,
            "end_month": 4, "topic": "Kiểm tra chi bộ"}  # fmt: skip


def _topic(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"topic": f"Nội dung sửa bởi {role}"}


def _team(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"team": f"Đoàn của {role}"}


def _empty(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {}


def _reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"reason": f"Lý do của {role}"}


def _conclude(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"conclusion": f"Kết luận của {role}", "concluded_on": "2026-04-01"}


def _complete(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"completed_on": "2026-05-01", "evidence": f"Đã bổ sung ({role})"}


def _summary(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"summary": f"Tóm tắt sửa bởi {role}"}


def _case_conclude(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"conclusion": "Tố cáo sai.", "outcome": "unfounded", "concluded_on": "2026-04-20"}


def _extend(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"new_due_on": "2026-12-31", "reason": f"Cần xác minh thêm ({role})"}


def _action(
    name: str, attr: str, view: dict[str, int], change: dict[str, int], data: Any,
    accepted: int = 200, *, out: dict[str, int] | None = None, audited: bool = True,
    get: dict[str, int] | None = None,
) -> Route:  # fmt: skip
    """A POST-only action on one record: GET is a 405 for whoever passes the area check."""
    record = _rec(attr)
    expected = {role: (accepted if status == 200 else status) for role, status in change.items()}
    if out is None:
        # Ward B's record: not found for the ward roles that may change, refused for the rest.
        out = {**{k: v for k, v in expected.items() if k not in WARD}, "ward_secretary": 404}
    return Route(
        f"api:inspections-{name}", _on(name, attr), get=get or statuses(view, 405), anonymous=401,
        scoped=True, out=get or statuses(view, 405),
        write=Write(expected, data=data, anonymous=401, json=True, out=out, record=record,
                    audited=record if audited and accepted == 200 else None),
    )  # fmt: skip


def _detail_out(view: dict[str, int]) -> dict[str, int]:
    """Ward B's record: 404 for the ward roles holding the area, the others as in ward A."""
    return {**view, **{role: 404 for role in WARD if role in view}}


ROUTES: list[Route] = [
    Route("api:api-root api/v1/inspections/", lambda b, s: "/api/v1/inspections/",
          get=everyone(200, no_role=200), anonymous=401),
    # Plans.
    Route("api:inspections-plan-list", _list("plan-list"), get=PLANS_VIEW, anonymous=401, listing=True,
          write=Write(statuses(PLANS_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="inspections.Plan")),
    Route("api:inspections-plan-detail", _on("plan-detail", "plan"), get=PLANS_VIEW, anonymous=401,
          scoped=True),
    Route("api:inspections-plan-items", _on("plan-items", "plan"), get=statuses(PLANS_VIEW, 405),
          anonymous=401, scoped=True, out=statuses(PLANS_VIEW, 405),
          write=Write(statuses(PLANS_CHANGE, 201), data=_item, anonymous=401, json=True,
                      model="inspections.PlanItem", audited=lambda b, s: "inspections.PlanItem",
                      out={"staff": 201, "ward_secretary": 404})),
    Route("api:inspections-plan-overlaps", _on("plan-overlaps", "plan"), get=PLANS_VIEW, anonymous=401,
          scoped=True, listing=True),
    Route("api:inspections-plan-overlap-check", _list("plan-overlap-check"), get=statuses(PLANS_VIEW, 405),
          anonymous=401,
          write=Write(PLANS_CHANGE, data=_check, anonymous=401, json=True, model="inspections.PlanItem")),
    # Plan items and their steps.
    Route("api:inspections-plan-item-list", _list("plan-item-list"), get=PLANS_VIEW, anonymous=401,
          listing=True),
    Route("api:inspections-plan-item-detail", _on("plan-item-detail", "item_draft"), get=PLANS_VIEW,
          anonymous=401, scoped=True,
          write=Write(PLANS_CHANGE, method="patch", data=_topic, anonymous=401, json=True,
                      record=_rec("item_draft"), audited=_rec("item_draft"),
                      out={"staff": 200, "ward_secretary": 404})),
    _action("plan-item-approve", "item_draft", PLANS_VIEW, PLANS_CHANGE, _empty,
            out={"staff": 200, "ward_secretary": 404}),
    _action("plan-item-cancel", "item_draft", PLANS_VIEW, PLANS_CHANGE, _reason,
            out={"staff": 200, "ward_secretary": 404}),
    _action("plan-item-reopen", "item_approved", PLANS_VIEW, PLANS_CHANGE, _reason,
            out={"staff": 200, "ward_secretary": 404}),
    # Inspections and supervisions.
    Route("api:inspections-record-list", _list("record-list"), get=INSP_VIEW, anonymous=401, listing=True,
          write=Write(statuses(INSP_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="inspections.Inspection")),
    Route("api:inspections-record-detail", _on("record-detail", "inspection_planned"), get=INSP_VIEW,
          anonymous=401, scoped=True, out=_detail_out(INSP_VIEW),
          write=Write(INSP_CHANGE, method="patch", data=_team, anonymous=401, json=True,
                      record=_rec("inspection_planned"), audited=_rec("inspection_planned"),
                      out={"ward_secretary": 404})),
    _action("record-start", "inspection_planned", INSP_VIEW, INSP_CHANGE, _empty),
    _action("record-conclude", "inspection_in_progress", INSP_VIEW, INSP_CHANGE, _conclude),
    _action("record-close", "inspection_concluded", INSP_VIEW, INSP_CHANGE, _empty),
    # Follow-ups.
    Route("api:inspections-follow-up-list", _list("follow-up-list"), get=INSP_VIEW, anonymous=401,
          listing=True),
    Route("api:inspections-follow-up-detail", _on("follow-up-detail", "follow_up"), get=INSP_VIEW,
          anonymous=401, scoped=True, out=_detail_out(INSP_VIEW)),
    _action("follow-up-complete", "follow_up", INSP_VIEW, INSP_CHANGE, _complete),
    # Discipline.
    Route("api:inspections-discipline-list", _list("discipline-list"), get=INSP_VIEW, anonymous=401,
          listing=True,
          write=Write(statuses(INSP_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="inspections.Discipline")),
    Route("api:inspections-discipline-detail", _on("discipline-detail", "discipline"), get=INSP_VIEW,
          anonymous=401, scoped=True, out=_detail_out(INSP_VIEW)),
    # Cases (confidential): the inspection role only; the others holding the inspections area
    # get an empty list and "not found", superusers and administrators included.
    Route("api:inspections-case-list", _list("case-list"), get=CASE_LIST, anonymous=401, listing=True,
          viewer="inspection",
          write=Write(statuses(INSP_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="inspections.Case")),
    Route("api:inspections-case-detail", _on("case-detail", "case_received"), get=CASE_VIEW,
          anonymous=401, scoped=True, out=NOT_FOUND,
          write=Write(CASE_CHANGE, method="patch", data=_summary, anonymous=401, json=True,
                      record=_rec("case_received"), audited=_rec("case_received"), out=NOT_FOUND)),
    *(
        _action(f"case-{step}", attr, {}, CASE_CHANGE, data, accepted, out=NOT_FOUND,
                get={**NOT_FOUND, "inspection": 405})
        for step, attr, data, accepted in (
            ("accept", "case_received", _empty, 200),
            ("reject", "case_received", _reason, 200),
            # No case of the route data is "accepted": verifying one just received is a 400.
            ("verify", "case_received", _empty, 400),
            ("conclude", "case_verifying", _case_conclude, 200),
            ("close", "case_concluded", _empty, 200),
            ("extend", "case_received", _extend, 200),
        )
    ),
]  # fmt: skip
