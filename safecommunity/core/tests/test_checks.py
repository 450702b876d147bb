"""The system check sc.E001: every model with a path to an org unit is scoped by ScopedQuerySet."""

from django.db import models
from django.test.utils import isolate_apps

from safecommunity.core.checks import REFERENCE_MODELS, check_models, check_scoped_managers, org_unit_path
from safecommunity.core.scoping import ScopedQuerySet


def test_the_product_passes_the_check():
    assert check_scoped_managers() == []


def test_paths_are_found_through_parents_not_through_users():
    from safecommunity.hazards.models import Hazard, HazardStep
    from safecommunity.reports.models import ReportComment

    assert org_unit_path(Hazard) == "org_unit"
    assert org_unit_path(HazardStep) == "hazard__org_unit"
    assert org_unit_path(ReportComment) == "report__org_unit"  # its author (a user) is not followed


@isolate_apps("safecommunity.core")
def test_an_unscoped_child_table_fails_the_check():
    from safecommunity.orgunits.models import OrgUnit

    class Diary(models.Model):  # noqa: DJ008
        org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    class DiaryLine(models.Model):  # noqa: DJ008
        diary = models.ForeignKey(Diary, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    class ScopedDiary(models.Model):  # noqa: DJ008
        org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
        objects = ScopedQuerySet.as_manager()

        class Meta:
            app_label = "core"

    errors = check_models([Diary, DiaryLine, ScopedDiary])
    flagged = {e.obj for e in errors}
    assert Diary in flagged and DiaryLine in flagged and ScopedDiary not in flagged
    assert all(e.id == "sc.E001" for e in errors)
    assert "diary__org_unit" in next(e.msg for e in errors if e.obj is DiaryLine)


def test_the_allow_list_says_why():
    assert all(isinstance(reason, str) and reason for reason in REFERENCE_MODELS.values())
