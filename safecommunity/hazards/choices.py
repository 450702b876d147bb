from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegisterKind(models.TextChoices):
    """The four risk diagnosis registers of the notice (四(二), 五(三))."""

    GROUP = "group", _("High-risk groups")
    PLACE = "place", _("High-risk places")
    SOURCE = "source", _("Major hazard sources")
    VULNERABLE = "vulnerable", _("Vulnerable groups")


class RiskLevel(models.TextChoices):
    """四色: red (major) > orange (high) > yellow (moderate) > blue (low)."""

    RED = "red", _("Red (major risk)")
    ORANGE = "orange", _("Orange (high risk)")
    YELLOW = "yellow", _("Yellow (moderate risk)")
    BLUE = "blue", _("Blue (low risk)")


class Grade(models.TextChoices):
    GENERAL = "general", _("General")  # 一般事故隐患
    MAJOR = "major", _("Major")  # 重大事故隐患


class Status(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("hazard", "Reported")
    ASSIGNED = "assigned", _("Assigned")
    RECTIFYING = "rectifying", _("Rectifying")
    AWAITING = "awaiting", _("Awaiting acceptance")
    CLOSED = "closed", _("Closed")


class Action(models.TextChoices):
    """What a step of the hazard's record did."""

    REPORT = "report", _("Report")
    ASSIGN = "assign", _("Assign")
    START = "start", _("Start rectification")
    SUBMIT = "submit", _("Submit for acceptance")
    ACCEPT = "accept", _("Accept and close")
    RETURN = "return", _("Return for rectification")
    SUPERVISE = "supervise", _("Put under supervision")
    DEADLINE = "deadline", _("Change deadline")
    COMMENT = "comment", _("Comment")
    OVERDUE = "overdue", _("Became overdue")


PHOTO_BEFORE = "photo_before"
PHOTO_AFTER = "photo_after"
