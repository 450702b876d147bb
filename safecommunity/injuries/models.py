"""Injury surveillance: the surveillance network (reporting sources), injury records with the
WHO minimum data set, nil reports, population denominators, import batches and the summary
table the analysis pages read."""

from auditlog.signals import accessed
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.core import personal
from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import NOTHING, ScopedQuerySet

from . import choices


def _code(key):
    return {"codelist__key": key}


class DepartmentAreaQuerySet(ScopedQuerySet):
    """A municipal department sees the rows of the safety areas it guides, city-wide."""

    area_field = "safety_area"

    def department_q(self, user):
        if not user.department_id:
            return NOTHING
        return Q(**{f"{self.area_field}__in": user.department.safety_areas.all()})


class ReportingSource(TimeStampedModel):
    """A member of a unit's surveillance network: hospital, clinic, insurer, police, school…"""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="injury_sources"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.ForeignKey(
        "core.CodeItem", verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to=_code(choices.SOURCE_KIND),
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit__code", "name"]
        verbose_name = _("reporting source")
        verbose_name_plural = _("reporting sources")
        constraints = [models.UniqueConstraint(fields=["org_unit", "name"], name="injuries_source_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("injuries:source_update", args=[self.pk])


class InjuryRecordQuerySet(DepartmentAreaQuerySet):
    pass


def _code_item(verbose_name, key: str, **kwargs):
    """A code-list column of an injury record. The reference is kept by the application, not by a
    database constraint: a 100,000-row import would otherwise run 900,000 foreign-key checks
    (one trigger per row and column on PostgreSQL: most of the import's time). Every write
    checks the codes against the code list first (form, API, import, feeds), code items are
    retired (is_active), never deleted in the app, and the ORM still refuses to delete an item in
    use (PROTECT)."""
    return models.ForeignKey(
        "core.CodeItem", verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False, limit_choices_to=_code(key), **kwargs,
    )


class InjuryRecord(TimeStampedModel):
    """One injury case (伤害记录). Personal fields are stored encrypted (see personal.py).

    None of its references carries a database constraint (migrations 0004–0006): on PostgreSQL
    each constraint is one trigger query per inserted row, and the unit and source alone were a
    fifth of a 100,000-row import. Every write path checks them first (the unit in the writer's
    scope, the source registered in that unit, codes in their code lists), units and code items
    are never deleted by the application, and the ORM refuses to delete a unit, source or code
    item in use (PROTECT). `core.integrity` checks weekly that every reference resolves."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("creating unit"), on_delete=models.PROTECT, related_name="injury_records",
        db_index=False,  # the composite index (org_unit, occurred_on) serves every lookup by unit
        db_constraint=False,
    )
    place_detail = models.CharField(_("place within the unit"), max_length=100, blank=True)
    occurred_on = models.DateField(_("date of injury"), db_index=True)
    occurred_time = models.TimeField(_("time of injury"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, editable=False, default=choices.AGE_UNKNOWN)
    sex = models.CharField(_("sex"), max_length=1, choices=choices.Sex.choices)
    safety_area = _code_item(_("safety area"), choices.SAFETY_AREA)
    place = _code_item(_("place of occurrence"), choices.PLACE)
    activity = _code_item(_("activity"), choices.ACTIVITY)
    mechanism = _code_item(_("mechanism (cause)"), choices.MECHANISM)
    intent = _code_item(_("intent"), choices.INTENT)
    nature = _code_item(_("nature of injury"), choices.NATURE, null=True, blank=True)
    body_part = _code_item(_("body part"), choices.BODY_PART, null=True, blank=True)
    severity = _code_item(_("severity"), choices.SEVERITY)
    outcome = _code_item(_("outcome"), choices.OUTCOME)
    source = models.ForeignKey(
        ReportingSource, verbose_name=_("reporting source"), on_delete=models.PROTECT, related_name="records",
        db_index=False, db_constraint=False,
    )
    name_cipher = models.TextField(_("name (encrypted)"), blank=True, editable=False)
    id_number_cipher = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    # Provenance pointers, set only by the services from the batch and the signed-in user of the
    # same write; like the code-list columns they carry no database constraint (two fewer
    # checks per imported row); the ORM sets them to NULL when a batch or user is deleted.
    import_batch = models.ForeignKey(
        "ImportBatch", verbose_name=_("import batch"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="records", db_index=False, db_constraint=False,
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False,
    )

    objects = InjuryRecordQuerySet.as_manager()

    # Indexes: each one costs every insert (a city imports 100,000 rows at a time), so the big
    # table keeps three: date; (unit, date) for every scoped query; (area, date) for departments.
    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("injury record")
        verbose_name_plural = _("injury records")
        indexes = [
            models.Index(fields=["org_unit", "occurred_on"], name="injuries_rec_unit_date"),
            models.Index(fields=["safety_area", "occurred_on"], name="injuries_rec_area_date"),
        ]

    def __str__(self):
        return f"{self.org_unit} {self.occurred_on:%Y-%m-%d} #{self.pk or ''}"

    def get_absolute_url(self):
        return reverse("injuries:record_detail", args=[self.pk])

    # Personal data: clear values through these; display through `personal_for(user)`.
    def _get(self, field):
        try:
            return personal.decrypt(getattr(self, f"{field}_cipher"))
        except (personal.Unreadable, ValueError):
            return "[unreadable]"

    def set_personal(self, *, name=None, id_number=None, phone=None):
        self._personal_for = None  # what personal_for kept is out of date
        for field, value in (("name", name), ("id_number", id_number), ("phone", phone)):
            if value is not None:
                setattr(self, f"{field}_cipher", personal.encrypt(value.strip()))

    def personal_clear(self) -> dict:
        return {f: self._get(f) for f in ("name", "id_number", "phone")}

    def personal_for(self, user) -> dict:
        """Clear values for the recording unit, masked ones for everyone else. Kept on the record
        for this user: a list asks once per personal column, but decrypts and audits once."""
        kept = getattr(self, "_personal_for", None)
        if kept is not None and kept[0] == user.pk:
            return kept[1]
        values = self.personal_clear()
        if personal.can_see_personal(user, self.org_unit_id):
            if self.pk and self.has_personal:  # a view of clear personal data is itself audited
                accessed.send(sender=type(self), instance=self)
        else:
            values = {f: personal.MASKERS[f](v) for f, v in values.items()}
        self._personal_for = (user.pk, values)
        return values

    @property
    def has_personal(self) -> bool:
        return bool(self.name_cipher or self.id_number_cipher or self.phone_cipher)


class NilReport(TimeStampedModel):
    """A unit declares: no injuries in safety area X in month M (零报告)."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("creating unit"), on_delete=models.PROTECT, related_name="injury_nil_reports"
    )
    safety_area = models.ForeignKey(
        "core.CodeItem", verbose_name=_("safety area"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to=_code(choices.SAFETY_AREA),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = DepartmentAreaQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "org_unit__code", "safety_area__sort_order"]
        verbose_name = _("nil report")
        verbose_name_plural = _("nil reports")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "safety_area", "month"], name="injuries_nil_unique")
        ]

    def __str__(self):
        return f"{self.org_unit} {self.safety_area} {self.month:%Y-%m}"


class PopulationQuerySet(ScopedQuerySet):
    """Populations are denominators, not personal data: a department reads them city-wide."""

    def department_q(self, user):
        return Q(pk__isnull=False)


class Population(TimeStampedModel):
    """A unit's population in one year; the counts by sex and age band are PopulationCount rows."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="injury_populations"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    total = models.PositiveIntegerField(_("resident population"), default=0, editable=False)
    workforce = models.PositiveIntegerField(
        _("workforce"), null=True, blank=True, help_text=_("Enterprise and park units: rates use the workforce.")
    )

    objects = PopulationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "org_unit__code"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="injuries_population_unique")]

    def __str__(self):
        return f"{self.org_unit} {self.year}"

    def get_absolute_url(self):
        return reverse("injuries:population_update", args=[self.pk])

    @property
    def denominator(self) -> int:
        """Rates use the workforce for enterprise and park units when it is given."""
        if self.org_unit.level in ("enterprise", "park") and self.workforce:
            return self.workforce
        return self.total


class PopulationCountQuerySet(ScopedQuerySet):
    scope_field = "population__org_unit"
    parent_field = "population"


class PopulationCount(models.Model):
    population = models.ForeignKey(Population, on_delete=models.CASCADE, related_name="counts")
    sex = models.CharField(_("sex"), max_length=1, choices=choices.Sex.choices[:2])
    age_band = models.CharField(_("age band"), max_length=8)
    count = models.PositiveIntegerField(_("count"), default=0)

    objects = PopulationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        constraints = [
            models.UniqueConstraint(fields=["population", "sex", "age_band"], name="injuries_popcount_unique")
        ]

    def __str__(self):
        return f"{self.sex} {self.age_band}: {self.count}"


class ImportBatch(TimeStampedModel):
    """One uploaded file of records or population: all rows or none."""

    class Kind(models.TextChoices):
        RECORDS = "records", _("Injury records")
        POPULATION = "population", _("Population")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking and importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Rejected")

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("uploaded by unit"), on_delete=models.PROTECT, related_name="injury_imports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RECORDS)
    attachment = models.ForeignKey(
        "archive.Attachment", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("injuries:import_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class InjuryStat(models.Model):
    """Summary table kept up to date on every write: records per unit, year and one dimension
    value (dimension "total", "area", "age", "sex", "mechanism", "severity", "month"). The city
    and district analysis pages read it instead of scanning every record."""

    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["year", "dimension"], name="injuries_stat_year_dim")]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "dimension", "key"], name="injuries_stat_unique")
        ]

    def __str__(self):
        return f"{self.org_unit_id} {self.year} {self.dimension}={self.key}: {self.count}"

