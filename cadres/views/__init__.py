"""Pages of cadre work. Thin: selectors read, services write, the scope module decides.

One module per sub-domain; everything is re-exported here for ``cadres/urls.py``.
"""

from __future__ import annotations

from ._common import (  # noqa: F401
    PAGE_SIZE,
    _CadresForm,
    _CadresList,
    _can_change,
    _default_unit,
    _EnrolView,
    _get_or_404,
    _int,
    _need,
    _need_evaluations,
    _OwnRecordDetail,
    _OwnRecordForm,
    _Row,
    _row_errors,
    _score_text,
    _unit_from_query,
    scope_units,
)
from .assignments import (  # noqa: F401
    AssignmentCreateView,
    AssignmentResultView,
    assignment_create,
    assignment_list,
    assignment_result,
)
from .decisions import (  # noqa: F401
    DecisionCreateView,
    DecisionListView,
    decision_create,
    decision_list,
)
from .evaluations import (  # noqa: F401
    EvaluationCreateView,
    EvaluationDetailView,
    EvaluationStepView,
    _grid_period,
    _step,
    distribution,
    evaluation_approve,
    evaluation_assess,
    evaluation_create,
    evaluation_detail,
    evaluation_grid,
    evaluation_list,
    evaluation_rate_unassessed,
    evaluation_return,
    evaluation_revise,
    evaluation_self_assess,
    person_history,
)
from .plans import (  # noqa: F401
    PlanCreateView,
    PlanDetailView,
    PlanReviewView,
    plan_create,
    plan_detail,
    plan_list,
    plan_review,
    public_plans,
)
from .qualification import (  # noqa: F401
    ParticipantAddView,
    QualificationTestCreateView,
    QualificationTestListView,
    test_add_participants,
    test_create,
    test_detail,
    test_list,
)
from .trainings import (  # noqa: F401
    TrainingCreateView,
    TrainingEnrolView,
    TrainingListView,
    training_create,
    training_detail,
    training_enrol,
    training_list,
)
