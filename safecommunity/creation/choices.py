from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DistrictCategory(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration district")  # 安全保障型示范区县
    MAIN_URBAN = "main_urban", _("Main urban district")  # 主城各区
    OTHER = "other", _("Other district/county")


# 渝办发〔2010〕93号 二: demonstration and main urban districts start 30% of their townships a year,
# every other district 20%.
DEFAULT_PERCENTAGE = {
    DistrictCategory.DEMONSTRATION: Decimal("30"),
    DistrictCategory.MAIN_URBAN: Decimal("30"),
    DistrictCategory.OTHER: Decimal("20"),
}

# The nine main urban districts named by the notice: 渝中 大渡口 江北 沙坪坝 九龙坡 南岸 北碚 渝北 巴南.
MAIN_URBAN_CODES = frozenset({"500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112",
                              "500113"})

# The notice's figures: 2010 new launches/designations; 2012 totals by the end of the year.
NOTICE_TARGETS = {
    2010: {"targets_cumulative": False, "target_launched": 250, "target_city": 50, "target_national": 0,
           "target_international": 0, "target_international_max": None},
    2012: {"targets_cumulative": True, "target_launched": 800, "target_city": 500, "target_national": 50,
           "target_international": 3, "target_international_max": 5},
}

# 一年打基础、二年上台阶、三年见成效: phases counted from a district's first launch year.
PHASES = {1: _("Year 1: lay the foundation"), 2: _("Year 2: step up"), 3: _("Year 3: show results")}
LATER_PHASE = _("Consolidate and improve")

# How long a title is valid (years) when no date is given.
TITLE_VALIDITY_YEARS = {"city": 3, "national": 5, "international": 5}


class LetterLevel(models.TextChoices):
    CITY_DISTRICT = "city_district", _("City ↔ district")
    DISTRICT_UNIT = "district_unit", _("District ↔ creating unit")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up", "In progress")
    DONE = "done", pgettext_lazy("follow-up", "Done")
