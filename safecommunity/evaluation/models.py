"""Scoring schemes (data), applications with self-assessment, expert panels and their scores,
final scores, rectification items, certificates, national/international applications,
special funds and rewards.

Writes go through `services.py` only.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ALL_ROLES, ScopedQuerySet

D0 = Decimal("0")
PLACEHOLDER = "【待补充】"
PARTS = ("presence", "evidence", "effect")


def _num(value: Decimal) -> str:
    """A number of points as written in the table: 150, 2.5, 0.8."""
    return format(Decimal(value).normalize(), "f")


class Grade(models.TextChoices):
    A = "a", _("a — good")
    B = "b", _("b — some defects")
    C = "c", _("c — major defects")
    D = "d", _("d — blank or falsified")


class EvaluationPolicy(models.Model):
    """Rule parameters the city office edits (one row)."""

    min_months_since_launch = models.PositiveSmallIntegerField(
        _("months since launch before applying"), default=12
    )
    validity_years = models.PositiveSmallIntegerField(_("validity of the title (years)"), default=3)
    reminder_days = models.PositiveSmallIntegerField(_("re-evaluation reminder (days before expiry)"), default=90)
    disagreement_threshold = models.DecimalField(
        _("strong disagreement (spread of an item's scores, points)"), max_digits=5, decimal_places=2,
        default=Decimal("1.00"),
    )
    certificate_prefix = models.CharField(_("certificate number prefix"), max_length=20, default="渝安社")

    class Meta:
        verbose_name = _("evaluation policy")
        verbose_name_plural = _("evaluation policy")

    def __str__(self) -> str:
        return str(_("Evaluation policy"))

    @classmethod
    def current(cls) -> "EvaluationPolicy":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class SchemeQuerySet(ScopedQuerySet):
    """Reference registers (schemes, expert pool, reward rates): every signed-in role reads them."""

    scope_field = None
    read_all_roles = ALL_ROLES


class Scheme(models.Model):
    """A scoring scheme: items with part points, grade percentages and a pass rule (all data)."""

    class Purpose(models.TextChoices):
        NATIONAL = "national", _("National on-site evaluation")
        CITY = "city", _("City evaluation")
        SELF_CHECK = "self_check", _("Self-check")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.CITY)
    description = models.TextField(_("description"), blank=True)
    grade_a_pct = models.PositiveSmallIntegerField(_("grade a (%)"), default=100)
    grade_b_pct = models.PositiveSmallIntegerField(_("grade b (%)"), default=70)
    grade_c_pct = models.PositiveSmallIntegerField(_("grade c (%)"), default=30)
    grade_d_pct = models.PositiveSmallIntegerField(_("grade d (%)"), default=0)
    pass_total = models.DecimalField(_("pass at total ≥"), max_digits=6, decimal_places=2)
    rectify_total = models.DecimalField(
        _("pass after rectification at total ≥"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Empty: no rectification band; below the pass mark fails."),
    )
    zero_item_fails = models.BooleanField(_("an item scored 0 fails"), default=True)
    is_default = models.BooleanField(_("default for applications"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    declared_total = models.DecimalField(
        _("declared total"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("The total of the official table; the items' points must add up to it."),
    )
    family = models.SlugField(_("scheme family"), max_length=40, blank=True,
                              help_text=_("The code of the first version; every version shares it."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey("self", verbose_name=_("previous version"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "code"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:scheme_detail", args=[self.pk])

    def grade_pct(self, grade: str) -> int:
        return {"a": self.grade_a_pct, "b": self.grade_b_pct, "c": self.grade_c_pct, "d": self.grade_d_pct}[grade]

    @property
    def total_points(self) -> Decimal:
        return sum((i.max_points for i in self.items.all()), D0)

    def in_use(self) -> bool:
        """Used by an application: its items and rule are then never changed (a new version is made)."""
        return Application.objects.filter(scheme=self).exists()

    def problems(self) -> list[str]:
        """Why this scheme cannot be chosen for an application ([] = it can)."""
        out = []
        items = list(self.items.all())
        if not self.is_active:
            out.append(str(_("The scheme is not active.")))
        if self.purpose == self.Purpose.SELF_CHECK:
            out.append(str(_("A self-check scheme is not used for applications.")))
        if not items:
            out.append(str(_("The scheme has no items.")))
        placeholders = [i.number for i in items if i.is_placeholder or PLACEHOLDER in i.text]
        if placeholders:
            out.append(str(_("%(n)s items still hold placeholder text (【待补充】): items %(items)s.") % {
                "n": len(placeholders), "items": "、".join(map(str, placeholders[:12]))
                + ("…" if len(placeholders) > 12 else "")}))
        total = sum((i.max_points for i in items), D0)
        if self.declared_total is None:
            out.append(str(_("The scheme declares no total, so its points cannot be checked.")))
        elif total != self.declared_total:
            out.append(str(_("The items' points add up to %(sum)s, not the declared total %(total)s.") % {
                "sum": _num(total), "total": _num(self.declared_total)}))
        if items and self.pass_total > total:
            out.append(str(_("The pass mark %(p)s is above the items' total %(t)s.") % {
                "p": _num(self.pass_total), "t": _num(total)}))
        if self.rectify_total is not None and self.rectify_total > self.pass_total:
            out.append(str(_("The rectification mark must not exceed the pass mark.")))
        return out

    @property
    def usable(self) -> bool:
        return not self.problems()


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    element = models.ForeignKey(
        "core.CodeItem", verbose_name=_("AQ/T 9001 element"), null=True, blank=True, on_delete=models.PROTECT,
        limit_choices_to={"codelist__key": "aqt_element"}, related_name="+",
    )
    heading = models.CharField(_("first-level item"), max_length=100, blank=True)
    text = models.TextField(_("item"))
    expected_evidence = models.CharField(_("evidence expected"), max_length=300, blank=True)
    is_placeholder = models.BooleanField(_("placeholder (text to be completed)"), default=False)
    presence_points = models.DecimalField(_("presence points"), max_digits=5, decimal_places=2)
    evidence_points = models.DecimalField(_("evidence points"), max_digits=5, decimal_places=2)
    effect_points = models.DecimalField(_("effect points"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["scheme", "number"]
        verbose_name = _("scheme item")
        verbose_name_plural = _("scheme items")
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="evaluation_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    @property
    def max_points(self) -> Decimal:
        return self.presence_points + self.evidence_points + self.effect_points

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts that apply (points > 0); some items of the national table have no evidence part."""
        return tuple(p for p in PARTS if getattr(self, f"{p}_points"))


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="expert_profile",
        limit_choices_to={"role": "expert"},
    )
    field = models.CharField(pgettext_lazy("expert", "field"), max_length=100)
    affiliation = models.CharField(_("affiliation"), max_length=100)
    home_district = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("home district"), null=True, blank=True, on_delete=models.PROTECT,
        limit_choices_to={"level": "district"}, related_name="+",
    )
    is_active = models.BooleanField(_("active in the pool"), default=True)

    objects = SchemeQuerySet.as_manager()  # the pool is reference data for signed-in users

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert pool")

    def __str__(self) -> str:
        return str(self.user)


class ApplicationQuerySet(ScopedQuerySet):
    def expert_q(self, user) -> Q:
        return Q(panel__expert=user) & ~Q(status__in=Application.CLOSED_STATUSES)


class Application(TimeStampedModel):
    """A creating unit's application for Chongqing Safe Community, through to the decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Self-assessment in progress")
        SUBMITTED = "submitted", _("Submitted to the district")
        RETURNED = "returned", _("Returned by the district")
        FORWARDED = "forwarded", _("Forwarded to the city")
        EVALUATING = "evaluating", _("Expert evaluation")
        DECIDED = "decided", _("Scored, awaiting confirmation")
        DESIGNATED = "designated", _("Designated")
        REJECTED = "rejected", _("Not passed")

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        RECTIFY = "rectify", _("Pass after rectification")
        FAIL = "fail", _("Fail")

    CLOSED_STATUSES = ("designated", "rejected")

    creating_unit = models.ForeignKey(
        "orgunits.CreatingUnit", verbose_name=_("creating unit"), on_delete=models.PROTECT, related_name="applications"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+", db_index=True
    )
    scheme = models.ForeignKey(Scheme, verbose_name=_("scoring scheme"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    work_report = models.ForeignKey(
        "archive.Attachment", verbose_name=_("work report"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary of the creation work"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    site_visit_on = models.DateField(_("site visit"), null=True, blank=True)
    self_total = models.DecimalField(_("self-assessment total"), max_digits=6, decimal_places=2, null=True, blank=True)
    final_total = models.DecimalField(_("final total"), max_digits=6, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    decided_at = models.DateTimeField(pgettext_lazy("evaluation", "decided at"), null=True, blank=True)
    scoring_opened_at = models.DateTimeField(_("scoring opened early at"), null=True, blank=True)
    scoring_open_reason = models.TextField(_("why scoring opened before the site visit"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return _("%(unit)s application of %(date)s") % {
            "unit": self.org_unit.name, "date": timezone.localtime(self.created_at).date() if self.created_at else "",
        }

    def get_absolute_url(self) -> str:
        return reverse("evaluation:application_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    def scoring_open(self, today=None) -> bool:
        """Experts score from the site-visit date on, or earlier once the city opened scoring (with a reason)."""
        today = today or timezone.localdate()
        if self.scoring_opened_at is not None:
            return True
        return self.site_visit_on is not None and today >= self.site_visit_on


class ApplicationChildQuerySet(ScopedQuerySet):
    """An application's steps, scores and panel: seen with their application."""

    scope_field = "application__org_unit"
    parent_field = "application"


class ExpertScoreQuerySet(ScopedQuerySet):
    scope_field = "member__application__org_unit"
    parent_field = "member"


class ApplicationStep(models.Model):
    """The step table: who moved an application, when, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("from status"), max_length=16, choices=Application.Status.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=Application.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class GradedScore(models.Model):
    # blank: the part does not apply to the item (its points are 0)
    presence = models.CharField(_("presence"), max_length=1, choices=Grade.choices, blank=True)
    evidence = models.CharField(_("evidence"), max_length=1, choices=Grade.choices, blank=True)
    effect = models.CharField(_("effect"), max_length=1, choices=Grade.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=D0)
    comment = models.TextField(pgettext_lazy("score", "comment"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.presence}/{self.evidence}/{self.effect} = {self.points}"


class SelfScore(GradedScore):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="self_scores")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")
    evidence_files = models.ManyToManyField("archive.Attachment", blank=True, related_name="+",
                                            verbose_name=_("evidence files"))

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        ordering = ["item__number"]
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="evaluation_selfscore_unique")]


class PanelMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="panels")
    is_lead = models.BooleanField(_("panel lead"), default=False)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        ordering = ["-is_lead", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="evaluation_panel_unique")]

    def __str__(self) -> str:
        return str(self.expert)


class ExpertScore(GradedScore):
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")

    objects = ExpertScoreQuerySet.as_manager()

    class Meta:
        ordering = ["item__number"]
        constraints = [models.UniqueConstraint(fields=["member", "item"], name="evaluation_expertscore_unique")]


class FinalScore(GradedScore):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="final_scores")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")
    departure_reason = models.TextField(_("why the consolidated score departs from the experts' mean"), blank=True)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        ordering = ["item__number"]
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="evaluation_finalscore_unique")]


class RectificationQuerySet(ScopedQuerySet):
    """Seen with their application (the panel's experts while it is open)."""

    scope_field = "application__org_unit"
    parent_field = "application"


class Rectification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rectifications")
    item = models.ForeignKey(SchemeItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    deduction = models.DecimalField(_("deduction"), max_digits=6, decimal_places=2)
    description = models.TextField(_("what to rectify"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    done_note = models.TextField(_("what was done"), blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["item__number"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self) -> str:
        return f"{self.item.number}. {self.description[:40]}"


class DesignationQuerySet(ScopedQuerySet):
    scope_field = "creating_unit__org_unit"


class Designation(models.Model):
    """A title held by a unit: Chongqing (with certificate), national or international."""

    class Level(models.TextChoices):
        CITY = "city", _("Chongqing Safe Community")
        NATIONAL = "national", _("National Safe Community")
        INTERNATIONAL = "international", _("International Safe Community")

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("designation", "Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")

    creating_unit = models.ForeignKey("orgunits.CreatingUnit", verbose_name=_("creating unit"),
                                      on_delete=models.PROTECT, related_name="designations")
    level = models.CharField(_("title level"), max_length=16, choices=Level.choices, db_index=True)
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="designation")
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    outcome = models.CharField(pgettext_lazy("designation", "outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    document = models.ForeignKey("archive.Attachment", verbose_name=_("outcome document"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["-designated_on", "-pk"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [models.UniqueConstraint(fields=["certificate_no"], condition=~Q(certificate_no=""),
                                               name="evaluation_certificate_no_unique")]

    def __str__(self) -> str:
        return f"{self.creating_unit} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:designation_detail", args=[self.pk])


class RewardRate(models.Model):
    """Reward amount per designation level (data the city edits)."""

    level = models.CharField(_("title level"), max_length=16, choices=Designation.Level.choices, unique=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["level"]
        verbose_name = _("reward rate")
        verbose_name_plural = _("reward rates")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.amount}"


class RewardQuerySet(ScopedQuerySet):
    scope_field = "designation__creating_unit__org_unit"


class Reward(models.Model):
    """A reward for a designation, paid from the district's safety fund."""

    designation = models.OneToOneField(Designation, on_delete=models.PROTECT, related_name="reward")
    district = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("paid by district"), on_delete=models.PROTECT,
                                 related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self) -> str:
        return f"{self.designation} · {self.amount}"


class FundQuerySet(ScopedQuerySet):
    scope_field = "creating_unit__org_unit"


class SpecialFund(models.Model):
    """A unit's special fund for safe community creation in one year."""

    creating_unit = models.ForeignKey("orgunits.CreatingUnit", verbose_name=_("creating unit"),
                                      on_delete=models.PROTECT, related_name="special_funds")
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), blank=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "creating_unit__org_unit__code"]
        verbose_name = _("special fund")
        verbose_name_plural = _("special funds")
        constraints = [models.UniqueConstraint(fields=["creating_unit", "year"], name="evaluation_fund_unique_year")]

    def __str__(self) -> str:
        return f"{self.creating_unit} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:fund_detail", args=[self.pk])


class SpendingQuerySet(ScopedQuerySet):
    scope_field = "fund__creating_unit__org_unit"


class FundSpending(models.Model):
    fund = models.ForeignKey(SpecialFund, on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("date"))
    item = models.CharField(_("spending item"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = SpendingQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"

