"""The quarterly report's life cycle, declared once (``longbien.workflow``).

draft → submitted → accepted, or submitted → returned (with comments per section) →
submitted again → accepted. The ward's secretary submits; committee staff return or accept.
Writing the narrative and correcting figures is not a move: it is allowed in the editable
states (``choices.EDITABLE``) to the ward's secretary and staff (``services.report_save``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from longbien.org.choices import Role
from longbien.org.scope import Area
from longbien.workflow import Transition, Who, Workflow

from .choices import ReportStatus as S

SECRETARY = Who(
    area=Area.REPORTS, roles=frozenset({Role.WARD_SECRETARY}),
    denied=gettext_lazy("Chỉ bí thư của đơn vị được gửi báo cáo."),
)  # fmt: skip
COMMITTEE = Who(
    area=Area.REPORTS, roles=frozenset({Role.STAFF, Role.ADMIN}),
    denied=gettext_lazy("Chỉ cán bộ Văn phòng Quận ủy được tiếp nhận hoặc trả lại báo cáo."),
)  # fmt: skip

REPORT_WORKFLOW = Workflow(
    "reporting.QuarterlyReport",
    [
        Transition("submit", (S.NOT_STARTED, S.DRAFT, S.RETURNED), S.SUBMITTED, who=SECRETARY,
                   label=gettext_lazy("Gửi báo cáo"), service="longbien.reporting.services.report_submit",
                   url_name="reporting:report_submit", method="post", style="primary"),
        Transition("return", S.SUBMITTED, S.RETURNED, who=COMMITTEE,
                   label=gettext_lazy("Trả lại để bổ sung"),
                   service="longbien.reporting.services.report_return",
                   url_name="reporting:report_return"),
        Transition("accept", S.SUBMITTED, S.ACCEPTED, who=COMMITTEE,
                   label=gettext_lazy("Tiếp nhận"), service="longbien.reporting.services.report_accept",
                   url_name="reporting:report_accept", method="post", style="primary"),
    ],
)  # fmt: skip
