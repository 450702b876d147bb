import pytest

from safecommunity.orgunits.models import CreatingUnit


@pytest.fixture
def launched(tree):
    """The three fixture units launched in 2024; returns {code: CreatingUnit}."""
    codes = ["500103003", "500103001", "500106001"]
    CreatingUnit.objects.filter(org_unit__code__in=codes).update(status=CreatingUnit.Status.LAUNCHED, launch_year=2024)
    return {cu.org_unit.code: cu for cu in CreatingUnit.objects.filter(org_unit__code__in=codes).select_related("org_unit")}


@pytest.fixture(autouse=True)
def _only_this_issues_rules(monkeypatch):
    """The rule-count assertions here are about the projects and activities rules (and the
    year-end meeting rule, which the inspections app holds and which counts activities' year-end
    meetings); other apps (injuries, hazards, reports, …) add theirs, tested in their own apps."""
    from safecommunity.core import registry
    from safecommunity.scorecard import selectors

    def contributions(name):
        found = registry.contributions(name)
        if name != "obligations":
            return found
        return [m for m in found if m.__name__.split(".")[1] in ("projects", "activities", "inspections")]

    monkeypatch.setattr(selectors, "contributions", contributions)
