"""The life cycles of the inspections app, declared once (``longbien.workflow``).

Plan items: draft → approved (an overlapping item only with a justification) or cancelled.
Inspections and supervisions: planned → in progress → concluded → closed.
Denunciations and complaints (confidential): received → accepted or not accepted → verifying →
concluded → closed; a case not accepted is closed with its reason.
The services check every move here; the record pages' buttons and the API's actions derive
from these tables.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from longbien.org import scope
from longbien.workflow import Transition, Who, Workflow

from .choices import CaseStatus, InspectionStatus, PlanItemStatus

Area = scope.Area

PLANNER = Who(
    area=Area.INSPECTION_PLANS, unit="plan__body",
    denied=gettext_lazy("Bạn không có quyền duyệt kế hoạch của cơ quan này."),
)  # fmt: skip
PLAN_ITEM_WORKFLOW = Workflow(
    "inspections.PlanItem",
    [
        Transition(
            "approve", PlanItemStatus.DRAFT, PlanItemStatus.APPROVED, who=PLANNER,
            label=gettext_lazy("Duyệt"), service="inspections.services.plan_item_approve",
            url_name="inspections:plan_item_approve", style="primary", imports=True,
        ),
        Transition(
            "cancel", (PlanItemStatus.DRAFT, PlanItemStatus.APPROVED), PlanItemStatus.CANCELLED,
            who=PLANNER, label=gettext_lazy("Hủy"), service="inspections.services.plan_item_cancel",
            url_name="inspections:plan_item_cancel", method="post", reason_required=True,
        ),
        Transition(
            "reopen", PlanItemStatus.APPROVED, PlanItemStatus.DRAFT, who=PLANNER,
            label=gettext_lazy("Mở lại để sửa"), service="inspections.services.plan_item_reopen",
            url_name="inspections:plan_item_reopen", method="post", reason_required=True,
        ),
    ],
)  # fmt: skip

INSPECTOR = Who(
    area=Area.INSPECTIONS,
    denied=gettext_lazy("Bạn không có quyền thao tác trên cuộc kiểm tra, giám sát này."),
)
IS = InspectionStatus
INSPECTION_WORKFLOW = Workflow(
    "inspections.Inspection",
    [
        Transition(
            "start", IS.PLANNED, IS.IN_PROGRESS, who=INSPECTOR, label=gettext_lazy("Bắt đầu"),
            service="inspections.services.inspection_start",
            url_name="inspections:inspection_start", method="post", style="primary",
            imports=True,
        ),
        Transition(
            "conclude", IS.IN_PROGRESS, IS.CONCLUDED, who=INSPECTOR,
            label=gettext_lazy("Kết luận"), service="inspections.services.inspection_conclude",
            url_name="inspections:inspection_conclude", style="primary", imports=True,
        ),
        Transition(
            "close", IS.CONCLUDED, IS.CLOSED, who=INSPECTOR, label=gettext_lazy("Kết thúc"),
            service="inspections.services.inspection_close",
            url_name="inspections:inspection_close", method="post", imports=True,
        ),
    ],
)  # fmt: skip

CASE_HANDLER = Who(
    area=Area.CONFIDENTIAL,
    denied=gettext_lazy("Bạn không có quyền giải quyết đơn này."),
)
C = CaseStatus
CASE_WORKFLOW = Workflow(
    "inspections.Case",
    [
        Transition(
            "accept", C.RECEIVED, C.ACCEPTED, who=CASE_HANDLER, label=gettext_lazy("Thụ lý"),
            service="inspections.services.case_accept", url_name="inspections:case_accept",
            method="post", style="primary",
        ),
        Transition(
            "reject", C.RECEIVED, C.NOT_ACCEPTED, who=CASE_HANDLER,
            label=gettext_lazy("Không thụ lý"), service="inspections.services.case_reject",
            url_name="inspections:case_reject", method="post", reason_required=True,
        ),
        Transition(
            "verify", C.ACCEPTED, C.VERIFYING, who=CASE_HANDLER,
            label=gettext_lazy("Tiến hành xác minh"), service="inspections.services.case_verify",
            url_name="inspections:case_verify", method="post", style="primary",
        ),
        Transition(
            "conclude", C.VERIFYING, C.CONCLUDED, who=CASE_HANDLER,
            label=gettext_lazy("Kết luận"), service="inspections.services.case_conclude",
            url_name="inspections:case_conclude", style="primary",
        ),
        Transition(
            "close", (C.CONCLUDED, C.NOT_ACCEPTED), C.CLOSED, who=CASE_HANDLER,
            label=gettext_lazy("Kết thúc hồ sơ"), service="inspections.services.case_close",
            url_name="inspections:case_close", method="post",
            invalid_message=gettext_lazy(
                "Chỉ kết thúc được đơn đã có kết luận hoặc đã quyết định không thụ lý."
            ),
        ),
    ],
)  # fmt: skip
