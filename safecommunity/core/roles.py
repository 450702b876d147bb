"""The roles of SafeCommunity. A user has exactly one role and one org unit (or department)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY = "city", _("City office")  # 市安委办
    DISTRICT = "district", _("District office")  # 区县安委办
    DEPARTMENT = "department", _("Municipal department")  # 市级部门
    UNIT = "unit", _("Creating unit")  # 创建单位
    EXPERT = "expert", _("Expert")  # 专家
    SYSADMIN = "sysadmin", _("System administrator")


CITY_LEVEL_ROLES = frozenset({Role.CITY, Role.EXPERT, Role.SYSADMIN})

# The role sets the apps' permission rules (`<app>/permissions.py`) are built from: one name
# per set, so pages, API, menus and services admit the same roles.
CITY_ONLY = frozenset({Role.CITY})
OFFICES = frozenset({Role.CITY, Role.DISTRICT})  # 市/区县安委办
LOCAL_WRITERS = frozenset({Role.UNIT, Role.DISTRICT})  # who records a unit's own data
OFFICES_AND_UNITS = frozenset({Role.CITY, Role.DISTRICT, Role.UNIT})
WITH_DEPARTMENTS = frozenset({Role.CITY, Role.DISTRICT, Role.UNIT, Role.DEPARTMENT})
ADMINS = frozenset({Role.SYSADMIN})
CITY_AND_ADMINS = frozenset({Role.CITY, Role.SYSADMIN})  # the logs, code lists, the audit chain
