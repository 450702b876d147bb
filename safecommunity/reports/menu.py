from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Monthly reports")
ALL = permissions.view.roles
REVIEW = permissions.review.roles

MENU = [
    MenuItem(_("Report list"), "reports:report_list", "journal-text", roles=ALL, group=GROUP, order=500),
    MenuItem(_("Report status board"), "reports:board", "grid-3x3-gap", roles=REVIEW, group=GROUP, order=510),
    MenuItem(_("Completeness and timeliness"), "reports:completeness", "bar-chart-line", roles=REVIEW, group=GROUP,
             order=520),
    MenuItem(_("City monthly summary"), "reports:city_summary", "clipboard-data", roles=permissions.city_summary.roles,
             group=GROUP, order=530),
    MenuItem(_("Information officers"), "reports:officer_list", "person-badge", roles=ALL, group=GROUP, order=540),
    MenuItem(_("Reporting deadlines"), "reports:deadline_list", "calendar-check", roles=ALL, group=GROUP, order=550),
]
