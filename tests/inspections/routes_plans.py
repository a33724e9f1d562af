"""Route table entries of the inspections app (plans and coordination).

Area.INSPECTION_PLANS: staff, inspection, mass mobilisation and the ward secretary plan (view
and change); leadership and the ward's staff read. Side a's plan is ward A's own (the ward
roles' scope), side b's is ward B's. A form page checks the area's change right before it
looks the record up, so the ward's staff gets 403 on ward B's records too; a workflow step
looks the record up first (404 out of scope), then the step's rule (403).
"""

from __future__ import annotations

from typing import Any

from tests.routes import Route, Write, _r, everyone, only, statuses

PLAN_VIEW = everyone(200)
PLAN_CHANGE = only(200, "admin", "staff", "inspection", "mass_mobilisation", "ward_secretary")
# A form page: the area's change right first, then the record (ward staff: 403 on both sides).
FORM_OUT = {**PLAN_CHANGE, "ward_secretary": 404}
# A workflow step's page: the record first (404 outside, and for the account without a role).
STEP = {**PLAN_CHANGE, "no_role": 404}
STEP_OUT = {**STEP, "ward_secretary": 404, "ward_staff": 404}
# A one-click step: POST only; every refusal is a message on the record's page (302).
POST_ONLY = everyone(405, no_role=405)
ONE_CLICK = everyone(302, no_role=404)


def _item(attr: str, url_name: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.insp, attr).pk)


def _plan_create(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"body": s.ward.pk, "year": 2027, "title": f"Kế hoạch 2027 ({role})"}


def _item_fields(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "activity": "supervision", "subject_type": "organisation",
        "topic": f"Giám sát việc thực hiện Quy định 08 ({role})", "target_unit": s.cell.pk,
        "start_month": 5, "end_month": 6, "reason": "Điều chỉnh thời gian",
    }  # fmt: skip


def _justification(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"justification": ""}


def _reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"reason": f"Lùi thời gian ({role})"}


ROUTES: list[Route] = [
    Route("inspections:plan_list", lambda b, s: _r("inspections:plan_list"), get=PLAN_VIEW,
          listing=True),
    Route("inspections:plan_create", lambda b, s: _r("inspections:plan_create"), get=PLAN_CHANGE,
          write=Write(statuses(PLAN_CHANGE, 302), data=_plan_create, model="inspections.Plan",
                      audited=lambda b, s: "inspections.Plan")),
    Route("inspections:plan_detail", lambda b, s: _r("inspections:plan_detail", pk=s.insp.plan.pk),
          get=PLAN_VIEW, scoped=True, listing=True),
    Route("inspections:plan_item_create",
          lambda b, s: _r("inspections:plan_item_create", pk=s.insp.plan.pk),
          get=PLAN_CHANGE, scoped=True, out=FORM_OUT,
          write=Write(statuses(PLAN_CHANGE, 302), data=_item_fields, model="inspections.PlanItem",
                      out=statuses(FORM_OUT, 302, ward_secretary=404),
                      audited=lambda b, s: "inspections.PlanItem")),
    Route("inspections:plan_item_list", lambda b, s: _r("inspections:plan_item_list"),
          get=PLAN_VIEW, listing=True),
    Route("inspections:plan_item_update", _item("item_draft", "inspections:plan_item_update"),
          get=PLAN_CHANGE, scoped=True, out=FORM_OUT,
          write=Write(statuses(PLAN_CHANGE, 302), data=_item_fields,
                      out=statuses(FORM_OUT, 302, ward_secretary=404),
                      record=lambda b, s: s.insp.item_draft,
                      audited=lambda b, s: s.insp.item_draft)),
    Route("inspections:plan_item_approve", _item("item_draft", "inspections:plan_item_approve"),
          get=STEP, scoped=True, out=STEP_OUT,
          write=Write(statuses(STEP, 302, no_role=404), data=_justification,
                      out=statuses(STEP_OUT, 302, ward_secretary=404, ward_staff=404),
                      record=lambda b, s: s.insp.item_draft,
                      audited=lambda b, s: s.insp.item_draft)),
    # One-click steps: an accepted step and a refused one both go back to the plan's page (the
    # refusal as a message); tests/inspections/test_plan_views.py checks what each changes.
    Route("inspections:plan_item_cancel", _item("item_draft", "inspections:plan_item_cancel"),
          get=POST_ONLY, scoped=True, out=POST_ONLY,
          write=Write(ONE_CLICK, data=_reason, out={**ONE_CLICK, "ward_secretary": 404, "ward_staff": 404})),
    Route("inspections:plan_item_reopen", _item("item_approved", "inspections:plan_item_reopen"),
          get=POST_ONLY, scoped=True, out=POST_ONLY,
          write=Write(ONE_CLICK, data=_reason, out={**ONE_CLICK, "ward_secretary": 404, "ward_staff": 404})),
    Route("inspections:coordination",
          lambda b, s: _r("inspections:coordination") + f"?don-vi={s.ward.code}&nam=2026",
          get=PLAN_VIEW, scoped=True, listing=True),
]  # fmt: skip
