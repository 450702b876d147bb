"""Evidence for the expert's scoring page: the unit's archive files filed under an element
(or, without one, under their record type's default element)."""

from django.utils.translation import gettext as _

from safecommunity.core.models import CodeItem

from .models import Attachment

LIMIT = 30


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    code_item = CodeItem.objects.of("aqt_element").filter(code=element).first()
    if code_item is None:
        return []
    files = Attachment.objects.filter(org_unit=creating_unit.org_unit).with_element(code_item)
    if year is not None:
        files = files.filter(uploaded_at__year=year)
    files = list(files.order_by("-document_date", "-pk")[:LIMIT])
    return [{"label": str(f), "url": f.get_absolute_url() + "?inline=1",
             "value": _("File of %(date)s") % {"date": f.document_date or f.uploaded_at.date()}} for f in files]
