"""Every write on cadre work: typed, keyword-only, one transaction each, scoped and audited.

One module per sub-domain; everything is re-exported here, so callers keep writing
``from cadres import services`` and ``services.evaluation_approve(...)``.
"""

from __future__ import annotations

from ._common import (  # noqa: F401
    WORKFLOW,
    S,
    _check_month,
    _check_period,
    _check_roster,
    _check_year,
    _clean_rating,
    _day,
    _duplicate_error,
    _is_self,
    _lock,
    _locked_error,
    _require,
    unknown_person_message,
)
from .assignments import (  # noqa: F401
    assignment_create,
    assignment_record_result,
)
from .decisions import (  # noqa: F401
    _check_decision,
    decision_create,
    decision_update,
)
from .evaluations import (  # noqa: F401
    _IMPORT_STAMPS,
    _RECORDED_BY,
    RATING_FIELDS,
    GridApproval,
    _check_paper_row,
    _import_reach,
    _importable,
    _mark_approved,
    _set_ratings,
    _stamp_approved,
    _stamp_assessed,
    _stamp_self_assessed,
    evaluation_approve,
    evaluation_approve_selected,
    evaluation_assess,
    evaluation_bulk_approve,
    evaluation_create,
    evaluation_rate_unassessed,
    evaluation_record_paper,
    evaluation_record_paper_many,
    evaluation_return,
    evaluation_revise,
    evaluation_self_assess,
)
from .plans import (  # noqa: F401
    plan_create,
    plan_review,
)
from .qualification import (  # noqa: F401
    _lock_test,
    parse_score,
    test_add_participants,
    test_create,
    test_record_scores,
    test_result_record,
)
from .trainings import (  # noqa: F401
    _lock_training,
    training_create,
    training_enrol,
    training_record_completion,
)
