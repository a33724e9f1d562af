"""The public-opinion case's life cycle, declared once (``longbien.workflow``).

received → assigned → in progress → answered → closed; or rejected (not within competence)
or transferred to another body; an answered, closed, rejected or transferred case may be
reopened with a reason: it goes back to intake with its outcome cleared, and the assignment
that follows starts a new due date from that day (the rule of its urgency). The intake side (the unit the case concerns)
assigns, rejects, transfers, closes and reopens; the assigned unit starts and answers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from longbien.org.scope import Area
from longbien.workflow import Transition, Who, Workflow

from .choices import CaseStatus as S

INTAKE = Who(area=Area.DIALOGUES, unit="unit",
             denied=gettext_lazy("Bạn không có quyền điều phối vụ việc của đơn vị này."))  # fmt: skip
HANDLER = Who(area=Area.DIALOGUES, unit="assigned_unit",
              denied=gettext_lazy("Vụ việc không được giao cho đơn vị của bạn."))  # fmt: skip
OPEN = (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS)

CASE_WORKFLOW = Workflow(
    "dialogues.OpinionCase",
    [
        Transition("assign", S.RECEIVED, S.ASSIGNED, who=INTAKE, label=gettext_lazy("Giao xử lý"),
                   service="dialogues.services.case_assign", url_name="dialogues:case_assign",
                   style="primary", imports=True),
        Transition("start", S.ASSIGNED, S.IN_PROGRESS, who=HANDLER,
                   label=gettext_lazy("Nhận xử lý"), service="dialogues.services.case_start",
                   url_name="dialogues:case_start", method="post", style="primary"),
        Transition("answer", (S.ASSIGNED, S.IN_PROGRESS), S.ANSWERED, who=HANDLER,
                   label=gettext_lazy("Trả lời"), service="dialogues.services.case_answer",
                   url_name="dialogues:case_answer", style="primary", imports=True),
        Transition("close", S.ANSWERED, S.CLOSED, who=INTAKE, label=gettext_lazy("Kết thúc"),
                   service="dialogues.services.case_close", url_name="dialogues:case_close",
                   method="post", imports=True),
        Transition("reject", OPEN, S.REJECTED, who=INTAKE,
                   label=gettext_lazy("Không thuộc thẩm quyền"),
                   service="dialogues.services.case_reject", url_name="dialogues:case_reject",
                   method="post", reason_required=True),
        Transition("transfer", OPEN, S.TRANSFERRED, who=INTAKE,
                   label=gettext_lazy("Chuyển cơ quan khác"),
                   service="dialogues.services.case_transfer", url_name="dialogues:case_transfer"),
        Transition("reopen", (S.ANSWERED, S.CLOSED, S.REJECTED, S.TRANSFERRED), S.RECEIVED,
                   who=INTAKE, label=gettext_lazy("Mở lại"),
                   service="dialogues.services.case_reopen", url_name="dialogues:case_reopen",
                   method="post", reason_required=True),
    ],
)  # fmt: skip
