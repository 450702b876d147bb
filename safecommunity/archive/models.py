"""Every file attached anywhere in the product is an Attachment: stored through the storage
API, checksummed, owned by an org unit, indexed by AQ/T 9001 element, kind and date. The
creation archive (创建档案) is the set of a unit's attachments."""

import io

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.scoping import ScopedQuerySet


def settings_model(setting: str):
    """The model named by `settings.<setting>` ("app_label.Model"), or None when the setting is
    empty or that app is not installed."""
    from django.apps import apps

    name = getattr(settings, setting, "")
    if not name:
        return None
    try:
        return apps.get_model(name)
    except LookupError:
        return None


def personal_roles() -> list[str]:
    """The purposes (`Attachment.role`) of files that hold personal data — the originals of injury
    imports and hospital files (setting ATTACHMENT_PERSONAL_ROLES)."""
    return list(settings.ATTACHMENT_PERSONAL_ROLES)


class SealedFieldFile(FieldFile):
    """A stored file that opens as its clear content: a file holding personal data is stored
    encrypted (archive.services.seal) and decrypted here, in memory a chunk at a time, when it is opened; every
    other file opens as stored."""

    def open(self, mode="rb"):
        current = getattr(self, "_file", None)
        if getattr(self.instance, "is_personal", False) and (current is None or current.closed):
            from .services import unseal_into

            self._require_file()
            clear = io.BytesIO()
            with self.storage.open(self.name, "rb") as fh:
                unseal_into(fh, clear)
            clear.seek(0)
            self.file = File(clear, name=self.name)
            return self
        return super().open(mode)


class SealedFileField(models.FileField):
    attr_class = SealedFieldFile


class AttachmentQuerySet(ScopedQuerySet):
    def for_object(self, obj) -> "AttachmentQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def expert_q(self, user) -> Q:
        """An expert reads the archive of the units whose open evaluation they are assigned to."""
        Application = settings_model("ARCHIVE_EXPERT_GRANT_MODEL")
        if Application is None:
            return Q(pk__in=[])
        units = Application.objects.visible_to(user).values("org_unit_id")
        return Q(org_unit_id__in=units)

    def with_element(self, element) -> "AttachmentQuerySet":
        """Files filed under `element`, or without one whose record type defaults to it."""
        from .elements import default_q

        return self.filter(Q(element=element) | (Q(element__isnull=True) & default_q(element.code)))


class ArchiveManager(models.Manager.from_queryset(AttachmentQuerySet)):
    def get_queryset(self):
        return super().get_queryset().exclude(role__in=personal_roles())


class Attachment(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", pgettext_lazy("file type", "Document")
        PHOTO = "photo", _("Photo")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")
        OTHER = "other", _("Other")

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="attachments"
    )
    # The record the file belongs to (a drill, a hazard, ...); empty for documents filed directly.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    role = models.CharField(
        _("purpose"), max_length=40, blank=True, help_text=_("e.g. sign-in sheet, photo before, photo after")
    )

    file = SealedFileField(_("file"), upload_to="attachments/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT, db_index=True)
    element = models.ForeignKey(
        "core.CodeItem", verbose_name=_("AQ/T 9001 element"), null=True, blank=True, on_delete=models.PROTECT,
        limit_choices_to={"codelist__key": "aqt_element"}, related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    verified_ok = models.BooleanField(_("intact at last verification"), null=True, blank=True)

    # Every file, personal ones included: the default manager (related objects, the sweeps).
    all_files = AttachmentQuerySet.as_manager()
    # The archive: every read of files — lists, API, binder, evidence pickers — leaves out the
    # files holding personal data; only their own import and the download check reach those.
    objects = ArchiveManager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_object")]

    def __str__(self) -> str:
        return self.title or self.original_name

    def get_absolute_url(self) -> str:
        return reverse("archive:attachment_download", args=[self.pk])

    @property
    def effective_element_code(self) -> str:
        """The element set on the file, or the default of its record type ('' if none)."""
        from .elements import default_element_code

        if self.element_id:
            return self.element.code
        return default_element_code(self.content_type) if self.content_type_id else ""

    @property
    def is_personal(self) -> bool:
        """Holds personal data (an import's original): stored encrypted, never in the archive."""
        return self.role in personal_roles()

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.PHOTO
