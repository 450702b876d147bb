"""Choice lists that more than one app stores.

`SurveyIndicator`: what a resident-survey question measures (surveys) and what a safety promotion
project's objective is measured by (projects), so a project page can show the survey's figure.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyIndicator(models.TextChoices):
    """What a question measures; each becomes a proportion with its confidence interval."""

    AWARENESS = "awareness", _("Awareness rate")  # 知晓率
    PARTICIPATION = "participation", _("Participation rate")  # 参与率
    SATISFACTION = "satisfaction", _("Satisfaction rate")  # 满意度
    KNOWLEDGE = "knowledge", _("Knowledge (KAP)")  # 知
    ATTITUDE = "attitude", _("Attitude (KAP)")  # 信
    PRACTICE = "practice", _("Practice (KAP)")  # 行
