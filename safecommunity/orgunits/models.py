"""The administrative hierarchy (city > district/county > township/street), the creating units
that run safe community creation, and the municipal departments that guide them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.scoping import ALL_ROLES, ScopedQuerySet, child_path, is_within, path_codes


class OrgUnitQuerySet(ScopedQuerySet):
    scope_field = ""  # OrgUnit carries the path itself
    reference_data = True

    def districts(self):
        return self.filter(level=OrgUnit.Level.DISTRICT)

    def townships(self):
        return self.filter(level=OrgUnit.Level.TOWNSHIP)


class OrgUnit(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District/county")
        TOWNSHIP = "township", _("Township/street")
        ENTERPRISE = "enterprise", _("Enterprise-led community")
        PARK = "park", _("Industrial park/development zone")

    class DivisionType(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")  # 直辖市
        DISTRICT = "district", _("District")  # 区
        COUNTY = "county", _("County")  # 县
        AUTONOMOUS_COUNTY = "autonomous_county", _("Autonomous county")  # 自治县
        SUBDISTRICT = "subdistrict", _("Street")  # 街道
        TOWN = "town", _("Town")  # 镇
        TOWNSHIP = "township", _("Township")  # 乡
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    division_type = models.CharField(_("division type"), max_length=20, choices=DivisionType.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        indexes = [models.Index(fields=["path"], name="orgunit_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.build_path(self.parent, self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("orgunits:orgunit_detail", args=[self.code])

    @staticmethod
    def build_path(parent: "OrgUnit | None", code: str) -> str:
        return child_path(parent, code)

    def is_under(self, other: "OrgUnit") -> bool:
        return is_within(self, other)

    @property
    def ancestor_codes(self) -> list[str]:
        return path_codes(self)[:-1]

    def ancestors(self) -> list["OrgUnit"]:
        """City first; one query."""
        codes = self.ancestor_codes
        by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    @property
    def district(self) -> "OrgUnit | None":
        if self.level == self.Level.DISTRICT:
            return self
        if self.level == self.Level.CITY:
            return None
        codes = self.ancestor_codes
        return OrgUnit.objects.filter(code=codes[1]).first() if len(codes) > 1 else None

    @property
    def is_creating_level(self) -> bool:
        """A township/street, an enterprise-led community or a park: a level that runs creation."""
        return self.level in CREATING_LEVELS


class CreatingUnit(models.Model):
    """A unit that runs creation: a township/street, an enterprise-led community or a park.

    Its org unit is the township itself, or (enterprise, park) an org unit registered under
    the district with a generated code. Status changes go through `creation.services` only.
    """

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("Township/street")
        ENTERPRISE = "enterprise", _("Enterprise-led community")
        PARK = "park", _("Industrial park/development zone")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        LAUNCHED = "launched", _("Launched")
        APPLIED = "applied", _("Applied for evaluation")
        RETURNED = "returned", _("Returned for rectification")
        CITY = "city", _("Chongqing Safe Community")
        NATIONAL = "national", _("National Safe Community")
        INTERNATIONAL = "international", _("International Safe Community")
        EXPIRED = "expired", _("Title expired")

    org_unit = models.OneToOneField(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="creating_unit"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TOWNSHIP, db_index=True)
    status = models.CharField(
        _("creation status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    launch_year = models.PositiveSmallIntegerField(_("launch year"), null=True, blank=True, db_index=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    workforce = models.PositiveIntegerField(_("workforce"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit__code"]
        verbose_name = _("creating unit")
        verbose_name_plural = _("creating units")

    def __str__(self) -> str:
        return self.org_unit.name

    def get_absolute_url(self) -> str:
        return self.org_unit.get_absolute_url()

    @property
    def name(self) -> str:
        return self.org_unit.name

    @property
    def denominator(self) -> int | None:
        """The population rates are computed against: residents, or workforce for enterprises/parks."""
        return self.population if self.kind == self.Kind.TOWNSHIP else (self.workforce or self.population)


class DepartmentQuerySet(ScopedQuerySet):
    """The municipal departments: every signed-in role reads them."""

    scope_field = None
    read_all_roles = ALL_ROLES


class Department(models.Model):
    """A municipal department (市级部门) with its duties and the safety areas it guides."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    safety_areas = models.ManyToManyField(
        "core.CodeItem",
        verbose_name=_("safety areas guided"),
        blank=True,
        limit_choices_to={"codelist__key": "safety_area"},
        related_name="departments",
    )
    is_joint_meeting_member = models.BooleanField(_("joint-meeting member"), default=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgunits:department_detail", args=[self.code])
