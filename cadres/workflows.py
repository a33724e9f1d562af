"""The monthly evaluation's life cycle, declared once (Quy định 124-QĐ/TW steps).

The cadre self-assesses, the direct superior assesses and proposes a rating, the committee
approves (the month is then locked: a rating changes only through a reasoned revision). A
self-assessed or assessed month may be returned to the cadre with a reason. The approval
grid approves the months the approver selects through the ``approve`` step (so only months
the superior assessed); an import may record a self-assessed month as approved
(``bulk_approve``). The one exception: the committee rates a
month the cadre never self-assessed (long leave, refusal), one record at a time, with a
reason that is kept and audited.

The services check every move against this table; the evaluation page's buttons, the API's
workflow actions and the import's reachable states are derived from it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.org import scope
from longbien.workflow import Transition, Who, Workflow

from .choices import GRID_APPROVABLE, EvaluationStatus

S = EvaluationStatus

_DENIED = gettext_lazy("Bạn không có quyền thao tác trên cán bộ, đơn vị này.")
# Staff of the cadres area on the record's unit (its subtree).
STAFF = Who(area=scope.Area.CADRES, denied=_DENIED)
# The cadre themself, or staff in scope entering the cadre's paper self-assessment.
THE_CADRE = Who(area=scope.Area.CADRES, denied=_DENIED, the_person=True)
# The direct superior: staff in scope, never on their own month.
SUPERIOR = Who(
    area=scope.Area.CADRES, denied=_DENIED,
    not_the_person=gettext_lazy("Không được tự nhận xét phiếu đánh giá của chính mình."),
)  # fmt: skip
# The committee approving: staff in scope, never on their own month.
APPROVER = Who(
    area=scope.Area.CADRES, denied=_DENIED,
    not_the_person=gettext_lazy("Không được tự phê duyệt phiếu đánh giá của chính mình."),
)  # fmt: skip


def locked_error(evaluation: Any) -> ValidationError:
    return ValidationError(
        _(
            "Tháng %(period)s của %(person)s đã được phê duyệt và khóa; chỉ điều chỉnh được "
            "bằng phiếu điều chỉnh có lý do."
        )
        % {"period": evaluation.period_label, "person": evaluation.person},
        code="locked",
    )


EVALUATION_WORKFLOW = Workflow(
    "cadres.Evaluation",
    [
        Transition(
            "self_assess",
            S.DRAFT,
            S.SELF_ASSESSED,
            who=THE_CADRE,
            label=gettext_lazy("Nhập bản tự đánh giá của cán bộ"),
            own_label=gettext_lazy("Tự đánh giá"),
            service="cadres.services.evaluation_self_assess",
            url_name="cadres:evaluation_self_assess",
            style="primary",
            imports=True,
        ),
        Transition(
            "assess",
            S.SELF_ASSESSED,
            S.ASSESSED,
            who=SUPERIOR,
            label=gettext_lazy("Nhận xét, đề xuất"),
            service="cadres.services.evaluation_assess",
            url_name="cadres:evaluation_assess",
            style="primary",
            imports=True,
        ),
        Transition(
            "approve",
            S.ASSESSED,
            S.APPROVED,
            who=APPROVER,
            label=gettext_lazy("Phê duyệt"),
            service="cadres.services.evaluation_approve",
            url_name="cadres:evaluation_approve",
            style="primary",
            imports=True,
        ),
        Transition(
            "return",
            (S.SELF_ASSESSED, S.ASSESSED),
            S.DRAFT,
            who=STAFF,
            label=gettext_lazy("Trả lại"),
            reason_required=True,
            service="cadres.services.evaluation_return",
            url_name="cadres:evaluation_return",
        ),
        Transition(
            "rate_unassessed",
            S.DRAFT,
            S.APPROVED,
            who=APPROVER,
            label=gettext_lazy("Xếp loại khi cán bộ không tự đánh giá"),
            reason_required=True,
            service="cadres.services.evaluation_rate_unassessed",
            url_name="cadres:evaluation_rate_unassessed",
        ),
        Transition(
            "revise",
            S.APPROVED,
            S.APPROVED,
            who=APPROVER,
            label=gettext_lazy("Điều chỉnh xếp loại"),
            reason_required=True,
            service="cadres.services.evaluation_revise",
            url_name="cadres:evaluation_revise",
            invalid_message=gettext_lazy(
                "Chỉ điều chỉnh phiếu đã phê duyệt; phiếu chưa duyệt thì sửa theo quy trình."
            ),
        ),
        # An import (or evaluation_bulk_approve) approves months that went through the cadre's
        # self-assessment; a missing or draft month is never approved in bulk. The grid uses
        # "approve" above. Not a button on the record's page.
        Transition(
            "bulk_approve",
            GRID_APPROVABLE,
            S.APPROVED,
            who=APPROVER,
            label=gettext_lazy("Phê duyệt trên bảng duyệt"),
            service="cadres.services.evaluation_bulk_approve",
            button=False,
            imports=True,
        ),
    ],
    # An approved month is locked: any move but a revision says so.
    state_errors={S.APPROVED: locked_error},
)

# The steps a cadre without a role may take through the API on their own record.
OWN_ACTIONS = tuple(t.name for t in EVALUATION_WORKFLOW if t.who.the_person)
