"""Choice lists and code sets that more than one app uses.

`CREATING_LEVELS`: the org-unit levels that run creation and record a unit's work — a township or
street, an enterprise-led community, an industrial park (values of `orgunits.OrgUnit.Level`; a
unit asks `OrgUnit.is_creating_level`).

`SurveyIndicator`: what a resident-survey question measures (surveys) and what a safety promotion
project's objective is measured by (projects), so a project page can show the survey's figure.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

CREATING_LEVELS = ("township", "enterprise", "park")


class SurveyIndicator(models.TextChoices):
    """What a question measures; each becomes a proportion with its confidence interval."""

    AWARENESS = "awareness", _("Awareness rate")  # 知晓率
    PARTICIPATION = "participation", _("Participation rate")  # 参与率
    SATISFACTION = "satisfaction", _("Satisfaction rate")  # 满意度
    KNOWLEDGE = "knowledge", _("Knowledge (KAP)")  # 知
    ATTITUDE = "attitude", _("Attitude (KAP)")  # 信
    PRACTICE = "practice", _("Practice (KAP)")  # 行
