import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices
from safecommunity.injuries.models import ReportingSource


@pytest.fixture
def hospitals(tree):
    """Two sentinel hospitals of 渝中区 (in 解放碑 and 七星岗) and one of 沙坪坝区 (小龙坎)."""
    kind = CodeItem.objects.get(codelist__key=choices.SOURCE_KIND, code="hospital")
    return {
        "a": ReportingSource.objects.create(org_unit=tree["500103003"], name="市第一人民医院", kind=kind),
        "a2": ReportingSource.objects.create(org_unit=tree["500103001"], name="七星岗社区医院", kind=kind),
        "b": ReportingSource.objects.create(org_unit=tree["500106001"], name="沙坪坝区人民医院", kind=kind),
    }


@pytest.fixture
def upload_file():
    def make(data: bytes, name="export.xlsx"):
        return SimpleUploadedFile(name, data)

    return make
