"""Hospital injury feeds: files exported by sentinel hospitals in the layout of the national
injury surveillance report card (全国伤害监测报告卡), imported as they come.

- FeedUpload: one uploaded file (or one API push) — preview first, then import or cancel.
- FeedCase: provenance of every case that came through a feed (source, file, card number,
  batch) and the person key used to find probable duplicates across sources.
- ColumnMapping: a source's remembered column layout, for files whose headers differ.
- ValueMapping: card value → injuries code list item (原因 → mechanism, …), editable.
- FeedToken: a hospital system's push token, bound to one reporting source.
"""

import hashlib
import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ALL_ROLES, ScopedQuerySet
from safecommunity.injuries import choices as injury_choices


class Field(models.TextChoices):
    """The coded card fields and the injuries code list each maps to."""

    MECHANISM = "mechanism", _("Cause (mechanism)")
    PLACE = "place", _("Place")
    ACTIVITY = "activity", _("Activity")
    INTENT = "intent", _("Intent")
    NATURE = "nature", _("Nature of injury")
    BODY_PART = "body_part", _("Body part")
    SEVERITY = "severity", _("Severity")
    OUTCOME = "outcome", _("Outcome")


CODELIST_OF_FIELD = {
    Field.MECHANISM: injury_choices.MECHANISM,
    Field.PLACE: injury_choices.PLACE,
    Field.ACTIVITY: injury_choices.ACTIVITY,
    Field.INTENT: injury_choices.INTENT,
    Field.NATURE: injury_choices.NATURE,
    Field.BODY_PART: injury_choices.BODY_PART,
    Field.SEVERITY: injury_choices.SEVERITY,
    Field.OUTCOME: injury_choices.OUTCOME,
}


class ReferenceQuerySet(ScopedQuerySet):
    """City-wide settings every signed-in role may read (writes are limited by role)."""

    read_all_roles = ALL_ROLES


class ValueMapping(TimeStampedModel):
    """A value written on hospital cards and the code list item it means."""

    field = models.CharField(_("card field"), max_length=16, choices=Field.choices, db_index=True)
    value = models.CharField(_("value on the card"), max_length=100)
    item = models.ForeignKey("core.CodeItem", verbose_name=_("code list item"), on_delete=models.PROTECT,
                             related_name="+")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["field", "value"]
        verbose_name = _("value mapping")
        verbose_name_plural = _("value mappings")
        constraints = [models.UniqueConstraint(fields=["field", "value"], name="feeds_valuemap_unique")]

    def __str__(self):
        return f"{self.get_field_display()}: {self.value} → {self.item}"

    def get_absolute_url(self):
        return reverse("feeds:valuemap_update", args=[self.pk])


class SourceScopedQuerySet(ScopedQuerySet):
    scope_field = "source__org_unit"


class ColumnMapping(TimeStampedModel):
    """The column layout of one source's files: {card field key: header text in the file}."""

    source = models.OneToOneField("injuries.ReportingSource", verbose_name=_("reporting source"),
                                  on_delete=models.CASCADE, related_name="feed_column_mapping")
    columns = models.JSONField(_("columns"), default=dict)

    objects = SourceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self):
        return str(self.source)


class FeedUpload(TimeStampedModel):
    """One hospital file (or API push). Preview → import (or cancel); an import can be undone."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("Analysing")
        MAPPING = "mapping", _("Columns to map")
        PREVIEW = "preview", _("Preview")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")
        UNDONE = "undone", _("Undone")

    class Channel(models.TextChoices):
        FILE = "file", _("File upload")
        API = "api", _("API push")

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("uploaded by unit"), on_delete=models.PROTECT,
                                 related_name="feed_uploads")
    source = models.ForeignKey("injuries.ReportingSource", verbose_name=_("reporting source"),
                               on_delete=models.PROTECT, related_name="feed_uploads")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.FILE)
    attachment = models.ForeignKey("archive.Attachment", verbose_name=_("file"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEW,
                              db_index=True)
    columns = models.JSONField(_("columns used"), default=dict, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_ready = models.PositiveIntegerField(_("rows ready"), default=0)
    rows_problem = models.PositiveIntegerField(_("rows with problems"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("probable duplicates"), default=0)
    rows_known = models.PositiveIntegerField(_("already imported"), default=0)
    rows_unplaced = models.PositiveIntegerField(_("to place by hand"), default=0)
    rows_imported = models.PositiveIntegerField(_("cases imported"), default=0)
    summary = models.JSONField(_("preview"), default=dict, blank=True)
    import_batch = models.ForeignKey("injuries.ImportBatch", verbose_name=_("import batch"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feed upload")
        verbose_name_plural = _("feed uploads")

    def __str__(self):
        return self.file_name or f"{self.get_channel_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("feeds:upload_detail", args=[self.pk])


class FeedCase(models.Model):
    """Provenance of one case that came through a feed, and its person key for duplicates.

    status imported: `record` is the InjuryRecord created; duplicate: no record of its own, it is
    counted once through `duplicate_of`; unplaced: the address matched no unit in scope — the
    case waits (its values encrypted in `payload`) until someone assigns it a unit."""

    class Status(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        DUPLICATE = "duplicate", _("Probable duplicate")
        UNPLACED = "unplaced", _("To place by hand")

    # An import writes up to 100,000 cases at once; on PostgreSQL every foreign key constraint is
    # a deferred trigger check per row at commit (≈ 0.5 s per key per 100,000 rows). org_unit,
    # upload, source, mechanism and record have none in the database (db_constraint=False)
    # because the only writer of cases (writing.Writer, under the import's transaction) takes
    # them from rows that exist and cannot go away meanwhile: the upload is locked
    # (select_for_update) and the source is its own (constrained on FeedUpload); the record was
    # inserted by the same transaction; the unit is the record's (constrained on InjuryRecord),
    # the upload's, or a township of the scope read at the start — org units are never deleted
    # (no code path deletes one; PROTECT everywhere); the mechanism is an active code item (code
    # items in use are protected, as for InjuryRecord's code columns, injuries migration 0004).
    # on_delete still applies in the ORM. duplicate_of keeps its constraint: it names a record of
    # another import that only an earlier query vouched for, and another transaction may delete it.
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="feed_cases", db_constraint=False)
    upload = models.ForeignKey(FeedUpload, verbose_name=_("upload"), on_delete=models.CASCADE, related_name="cases",
                               db_constraint=False)
    source = models.ForeignKey("injuries.ReportingSource", verbose_name=_("reporting source"),
                               on_delete=models.PROTECT, related_name="feed_cases", db_index=False, db_constraint=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    row = models.PositiveIntegerField(_("row"))
    card_number = models.CharField(_("card number"), max_length=64, blank=True)
    person_key = models.CharField(_("person key"), max_length=64)
    occurred_on = models.DateField(_("date of injury"))
    mechanism = models.ForeignKey("core.CodeItem", verbose_name=_("mechanism (cause)"), on_delete=models.PROTECT,
                                  related_name="+", db_index=False, db_constraint=False)
    record = models.OneToOneField("injuries.InjuryRecord", verbose_name=_("injury record"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="feed_case", db_constraint=False)
    # Deleting the record it points at promotes the duplicate to a record of its own first
    # (`writing.promote_duplicates`, a pre_delete receiver — see apps.py), so nothing is lost and
    # the deferred foreign key constraint still holds at commit.
    duplicate_of = models.ForeignKey("injuries.InjuryRecord", verbose_name=_("duplicate of"), null=True,
                                     blank=True, on_delete=models.DO_NOTHING, related_name="feed_duplicates",
                                     db_index=False)  # a partial index below: most cases are no duplicates
    address = models.CharField(pgettext_lazy("person", "address"), max_length=200, blank=True)
    payload = models.TextField(_("case values (encrypted)"), blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["upload_id", "row"]
        verbose_name = _("feed case")
        verbose_name_plural = _("feed cases")
        # few indexes: an import inserts up to 100,000 rows at once. The keys and card numbers are
        # only ever compared for equality: on PostgreSQL the pattern operator classes compare them
        # byte by byte instead of by the database's collation (strcoll), several times cheaper for
        # every row inserted and every key looked up (other databases ignore opclasses).
        indexes = [models.Index(fields=["person_key", "occurred_on"], name="feeds_case_person_day",
                                opclasses=["varchar_pattern_ops", "date_ops"]),
                   models.Index(fields=["source", "card_number"], name="feeds_case_source_card",
                                opclasses=["int8_ops", "varchar_pattern_ops"]),
                   models.Index(fields=["duplicate_of"], name="feeds_case_duplicate_of",
                                condition=models.Q(duplicate_of__isnull=False))]

    def __str__(self):
        return f"{self.upload} #{self.row}"


class FeedTokenQuerySet(ScopedQuerySet):
    scope_field = "source__org_unit"


class FeedToken(TimeStampedModel):
    """A hospital system's key for pushing cases: it may only submit cases of its own source,
    placed inside the scope of the unit that issued it, and it can read nothing."""

    name = models.CharField(_("name"), max_length=100)
    source = models.ForeignKey("injuries.ReportingSource", verbose_name=_("reporting source"),
                               on_delete=models.CASCADE, related_name="feed_tokens")
    scope_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("places cases within"),
                                   on_delete=models.PROTECT, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("push token")
        verbose_name_plural = _("push tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, **fields) -> tuple["FeedToken", str]:
        key = "sc_" + secrets.token_urlsafe(30)
        token = cls(key_hash=cls.hash_key(key), prefix=key[:8], **fields)
        return token, key
