"""Every write of the creation app, by concern: `lifecycle` (a creating unit's status: the one
transition table TRANSITIONS with ROLES_FOR, launches, registration of enterprise-led communities
and parks, title expiry), `plans` (the yearly plan and quotas), `letters` (responsibility letters and
the year-end assessment), `meetings` (the joint-meeting system and its follow-up items). Callers
import every name from here.
"""

from .letters import LETTER_FIELDS, assessment_save, district_actuals, letter_save  # noqa: F401 - re-exported
from .lifecycle import (  # noqa: F401 - re-exported
    DESIGNATIONS,
    ROLES_FOR,
    TRANSITIONS,
    S,
    add_years,
    allowed_targets,
    creating_unit_transition,
    creating_unit_transition_with_file,
    creating_units_launch,
    date_order_check,
    enterprise_unit_register,
    title_expiry_reminders,
    transition_check,
)
from .meetings import (  # noqa: F401 - re-exported
    follow_up_can_close,
    follow_up_complete,
    follow_up_create,
    follow_up_reopen,
    meeting_save,
    member_save,
    members_from_departments,
)
from .plans import (  # noqa: F401 - re-exported
    TARGET_FIELDS,
    default_category,
    default_targets,
    district_plan_update,
    plan_year_open,
    plan_year_update,
)
