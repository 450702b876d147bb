import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit

# A real 1x1 PNG: the archive checks the content signature.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def photo(name="after.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def area(code="fire"):
    return CodeItem.objects.get(codelist__key="safety_area", code=code)


def unit(code):
    return OrgUnit.objects.get(code=code)


def report(actor, *, code="500103003", grade="general", area_code="fire", photos=None, found_on=None, **kw):
    from safecommunity.hazards.services import hazard_report

    return hazard_report(actor=actor, org_unit=unit(code), address=kw.pop("address", "解放碑步行街 12 号"),
                         safety_area=area(area_code), description=kw.pop("description", "消防通道堆放杂物"),
                         grade=grade, finder=kw.pop("finder", "网格员 张三"), found_on=found_on, photos=photos, **kw)


def csv_file():
    return SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")


__all__ = ["PNG", "photo", "area", "unit", "report", "csv_file", "date", "io"]
