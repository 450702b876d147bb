"""Writes of the record framework, shared by projects, activities, inspections and surveys.

Every write goes through `record_save` / `record_delete` / `evidence_add`: role and scope
checked, full_clean, one transaction; on bad input a ValidationError naming the field and
nothing written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.archive.models import Attachment
from safecommunity.archive.services import attachment_create
from safecommunity.core import services as core_services
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import LOCAL_WRITERS, OFFICES_AND_UNITS

WRITE_ROLES = LOCAL_WRITERS  # the apps built on records (projects, activities…) name the same set
READ_ROLES = OFFICES_AND_UNITS


def record_save(*, obj, actor, form=None, m2m=None, roles=WRITE_ROLES):
    """Create or update a unit record (and its many-to-many fields: from the form, or `m2m`):
    `core.services.record_save` with the record framework's writers."""
    return core_services.record_save(obj=obj, actor=actor, roles=roles, form=form, m2m=m2m)


@transaction.atomic
def record_delete(*, obj, actor, roles=WRITE_ROLES) -> None:
    require_role(actor, *roles)
    require_scope(actor, obj.org_unit)
    Attachment.objects.for_object(obj).delete()
    obj.delete()


EVIDENCE_ROLES = [
    ("sign_in_sheet", gettext_lazy("Sign-in sheet")),
    ("photo", gettext_lazy("Photo")),
    ("minutes", gettext_lazy("Minutes")),
    ("document", gettext_lazy("Document")),
    ("evaluation_form", gettext_lazy("Evaluation form")),
    ("other", gettext_lazy("Other")),
]
EVIDENCE_ROLE_CODES = {code for code, _label in EVIDENCE_ROLES}


@transaction.atomic
def evidence_add(*, obj, files, role: str, actor, element_code: str = "", title: str = "") -> list[Attachment]:
    """Attach uploaded files to `obj` through the archive (checksum, size and type limits).

    All or nothing: one refused file and none is stored.
    """
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, obj.org_unit)
    if role not in EVIDENCE_ROLE_CODES:
        raise ValidationError({"role": _("Choose what the file is.")})
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    element = CodeItem.objects.of("aqt_element").filter(code=element_code).first() if element_code else None
    return [
        attachment_create(uploaded=f, org_unit=obj.org_unit, actor=actor, obj=obj, role=role, element=element,
                          title=title)
        for f in files
    ]


def evidence_of(obj):
    return Attachment.objects.for_object(obj).select_related("uploaded_by")
