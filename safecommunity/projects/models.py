"""Safety promotion projects (安全促进项目) and their half-yearly phase evaluations (阶段评估)."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.choices import SurveyIndicator
from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import NOTHING, ScopedQuerySet


def halves_between(start: date, end: date | None, year: int) -> list[int]:
    """The halves (1, 2) of `year` that the period [start, end] overlaps (end None: open)."""
    result = []
    for half, (h_start, h_end) in ((1, (date(year, 1, 1), date(year, 6, 30))), (2, (date(year, 7, 1), date(year, 12, 31)))):
        if start <= h_end and (end is None or end >= h_start):
            result.append(half)
    return result


class ProjectQuerySet(ScopedQuerySet):
    scope_field = "org_unit"

    def department_q(self, user) -> Q:
        """A municipal department sees, city-wide, projects it leads or supports or in its safety areas."""
        dept_id = getattr(user, "department_id", None)
        if not dept_id:
            return NOTHING
        supported = Project.objects.filter(supporting_departments=dept_id).values("pk")
        areas = user.department.safety_areas.values("pk")
        return Q(responsible_department_id=dept_id) | Q(pk__in=supported) | Q(safety_area__in=areas)


class Project(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUSPENDED = "suspended", _("Suspended")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", pgettext_lazy("project", "Cancelled")

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="projects", db_index=True
    )
    name = models.CharField(_("project name"), max_length=200)
    safety_area = models.ForeignKey(
        "core.CodeItem", verbose_name=_("safety area"), on_delete=models.PROTECT,
        limit_choices_to={"codelist__key": "safety_area"}, related_name="+",
    )
    target_group = models.CharField(_("target group"), max_length=200)
    target_age_min = models.PositiveSmallIntegerField(
        _("target group from age"), null=True, blank=True,
        help_text=_("With the upper age, the project page shows the injury trend of this age group too."),
    )
    target_age_max = models.PositiveSmallIntegerField(_("target group to age"), null=True, blank=True)
    problem = models.TextField(
        _("problem addressed"), help_text=_("The injury or hazard data behind the project: figures, sources, period.")
    )
    objective = models.TextField(_("objective"))
    measures = models.TextField(_("measures"), help_text=_("One measure per line; evaluations report progress per line."))
    responsible_department = models.ForeignKey(
        "orgunits.Department", verbose_name=_("responsible department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="led_projects",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    supporting_departments = models.ManyToManyField(
        "orgunits.Department", verbose_name=_("supporting departments"), blank=True, related_name="supported_projects"
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    evidence = GenericRelation("archive.Attachment", related_query_name="+")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = _("safety promotion project")
        verbose_name_plural = _("safety promotion projects")
        indexes = [models.Index(fields=["org_unit", "start_on"], name="project_unit_start")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end date is before the start date.")
        if self.budget is not None and self.budget < 0:
            errors["budget"] = _("The budget cannot be negative.")
        if errors:
            raise ValidationError(errors)

    @property
    def measure_lines(self) -> list[str]:
        return [line.strip() for line in (self.measures or "").splitlines() if line.strip()]

    def halves_in(self, year: int) -> list[int]:
        if self.status == self.Status.CANCELLED or self.start_on is None:
            return []
        return halves_between(self.start_on, self.end_on, year)


class ProjectStepQuerySet(ScopedQuerySet):
    scope_field = "project__org_unit"
    parent_field = "project"


class ProjectStep(models.Model):
    """One status change of a project: who, when, from, to, why."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("from"), max_length=16, choices=Project.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Project.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    objects = ProjectStepQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("project status change")
        verbose_name_plural = _("project status changes")

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"


class IndicatorQuerySet(ScopedQuerySet):
    scope_field = "project__org_unit"
    parent_field = "project"


class Indicator(models.Model):
    """A measurable objective of a project, with its baseline and target."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=30, blank=True)
    baseline = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    survey_measure = models.CharField(
        _("measured by the resident survey"), max_length=16, blank=True, choices=SurveyIndicator.choices,
        help_text=_("For an awareness, participation or satisfaction objective: the project page then shows this "
                    "figure from every resident survey round of the unit, before and since the project started."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="projects_indicator_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def org_unit(self):
        return self.project.org_unit


class EvaluationQuerySet(ScopedQuerySet):
    scope_field = "project__org_unit"
    parent_field = "project"


class PhaseEvaluation(TimeStampedModel):
    """The half-yearly phase evaluation (阶段评估) of a project."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("First half")
        SECOND = 2, _("Second half")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half year"), choices=Half.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    progress = models.TextField(_("progress per measure"))
    problems = models.TextField(_("problems found"), blank=True)
    corrective_actions = models.TextField(_("corrective actions"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    evidence = GenericRelation("archive.Attachment", related_query_name="+")

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-half", "-pk"]
        verbose_name = _("phase evaluation")
        verbose_name_plural = _("phase evaluations")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "half"], name="projects_evaluation_one_per_half")
        ]
        indexes = [models.Index(fields=["year", "half"], name="evaluation_year_half")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year} {self.get_half_display()}"

    def get_absolute_url(self) -> str:
        return reverse("projects:evaluation_detail", args=[self.pk])

    @property
    def org_unit(self):
        return self.project.org_unit

    @property
    def period_label(self) -> str:
        return f"{self.year} {self.get_half_display()}"


class IndicatorValueQuerySet(ScopedQuerySet):
    scope_field = "evaluation__project__org_unit"
    parent_field = "evaluation"


class IndicatorValue(models.Model):
    """The value of one indicator measured at one evaluation."""

    evaluation = models.ForeignKey(PhaseEvaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE,
                                   related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="projects_value_one_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
