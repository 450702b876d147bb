import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n% test document\n" + b"0" * 64


def pdf(name="实施方案.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def unit(code):
    from safecommunity.orgunits.models import CreatingUnit

    return CreatingUnit.objects.select_related("org_unit").get(org_unit__code=code)


@pytest.fixture
def plan(city_admin):
    """The 2026 plan, opened by the city office on the small tree (渝中区, 沙坪坝区)."""
    from safecommunity.creation.services import plan_year_open

    return plan_year_open(year=2026, actor=city_admin)


@pytest.fixture
def make_pdf():
    return pdf
