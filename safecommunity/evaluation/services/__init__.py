"""Every write of the evaluation app. Keyword-only, `actor` first-class, atomic; bad input raises
ValidationError naming the field and changes nothing; a role or scope that may not act raises
PermissionDenied.

By concern: `workflow` (the one transition table TRANSITIONS, STEP_ROLES and `allowed_actions`),
`scoring` (points, the scheme's rule, which scores a user sees; no writes), `schemes` (the city
office's settings), `applications` (a unit's application and the district review), `panel` (the
experts, their scores, the decision), `designations` (rectification, confirmation, titles),
`funds`. Callers import every name from here.
"""

from .applications import (  # noqa: F401 - re-exported
    APPLYING_FROM,
    application_create,
    application_review,
    application_submit,
    application_update,
    preconditions,
    self_score_set,
)
from .designations import (  # noqa: F401 - re-exported
    application_confirm,
    designation_record,
    next_certificate_no,
    rectification_done,
    reminders_send,
)
from .funds import fund_save, reward_mark_paid, spending_create  # noqa: F401 - re-exported
from .panel import (  # noqa: F401 - re-exported
    _require_panel_lead_or_city,
    application_decide,
    assignable,
    expert_score_set,
    expert_submit,
    final_score_set,
    panel_assign,
    scoring_open_early,
)
from .schemes import (  # noqa: F401 - re-exported
    RULE_FIELDS,
    expert_profile_save,
    policy_save,
    reward_rate_save,
    scheme_diff,
    scheme_import,
    scheme_item_save,
    scheme_save,
)
from .scoring import (  # noqa: F401 - re-exported
    CENT,
    GRADE_STEP,
    R,
    departs_from_mean,
    grade_spread,
    item_points,
    may_see_all_scores,
    scheme_result,
    score_spread,
    visible_expert_scores,
)
from .workflow import STEP_ROLES, TRANSITIONS, S, allowed_actions  # noqa: F401 - re-exported
