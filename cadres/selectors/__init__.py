"""Every read on cadre work, narrowed to what the user may see.

A user with a cadres role sees the records of their units’ subtrees; a cadre whose account is
linked to a person also sees their own records, and nobody else’s. One module per
sub-domain; everything is re-exported here (``from cadres import selectors``).
"""

from __future__ import annotations

from ._common import (  # noqa: F401
    _in_period,
    _ym,
    may_use_evaluations,
    people_in_scope,
    person_for_history,
    sees_area,
    tests_in_scope,
    units_in_scope,
)
from .assignments import (  # noqa: F401
    assignment_get,
    assignment_list,
    members_without_assignment,
)
from .decisions import (  # noqa: F401
    decision_list,
)
from .evaluations import (  # noqa: F401
    Distribution,
    GridRow,
    GridSelection,
    RatingShare,
    _require_unit,
    distribution,
    evaluation_get,
    evaluation_list,
    evaluation_timeline,
    flagged_cadres,
    grid_refusal,
    grid_row_label,
    grid_rows,
    grid_selection,
    rating_counts,
    rating_counts_each,
    yearly_counts,
)
from .plans import (  # noqa: F401
    plan_get,
    plan_list,
    plan_reviews,
    public_head_plans,
)
from .qualification import (  # noqa: F401
    TestSummary,
    participant_list,
    test_get,
    test_list,
    test_summary,
)
from .trainings import (  # noqa: F401
    training_get,
    training_history,
    training_list,
    training_participants,
)
