import pytest

from safecommunity.orgunits.models import CreatingUnit


@pytest.fixture
def launched(tree):
    """The three fixture units launched in 2024; returns {code: CreatingUnit}."""
    codes = ["500103003", "500103001", "500106001"]
    CreatingUnit.objects.filter(org_unit__code__in=codes).update(status=CreatingUnit.Status.LAUNCHED, launch_year=2024)
    return {cu.org_unit.code: cu for cu in CreatingUnit.objects.filter(org_unit__code__in=codes).select_related("org_unit")}
