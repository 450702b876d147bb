"""Resident surveys (居民调查): questionnaires designed by the city or a district office, survey
rounds run by a creating unit over a period, and the responses gathered on a public phone page,
by an interviewer or from paper forms.

A questionnaire is versioned: publishing freezes a version (its questions never change while a
round uses it); editing a published questionnaire makes the next version as a draft copy.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.choices import SurveyIndicator
from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ScopedQuerySet, path_codes, user_path
from safecommunity.injuries import choices as injury_choices


def assigned_expert_q(user, field: str = "org_unit") -> Q:
    """Rows of the units whose open evaluation the expert is assigned to (the archive's rule)."""
    from django.apps import apps

    Application = apps.get_model("evaluation", "Application")
    return Q(**{f"{field}_id__in": Application.objects.visible_to(user).values("org_unit_id")})


Indicator = SurveyIndicator  # what a question measures (shared with projects)


class QuestionnaireQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Offices see their own questionnaires and the published ones of the offices above them
        (a district runs the city's templates)."""
        qs = super().visible_to(user)
        if getattr(user, "role", None) in ("district", "unit") and user.is_authenticated and user_path(user):
            above = path_codes(user_path(user))[:-1]
            qs = qs | self.filter(status=Questionnaire.Status.PUBLISHED, org_unit__code__in=above)
        return qs


class Questionnaire(TimeStampedModel):
    class Kind(models.TextChoices):
        KAP = "kap", _("Knowledge, attitude and practice (KAP)")
        SATISFACTION = "satisfaction", _("Satisfaction")
        AWARENESS = "awareness", _("Awareness and participation")
        HOUSEHOLD = "household", _("Household injury survey")
        OTHER = "other", pgettext_lazy("questionnaire", "Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("owner office"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    family = models.CharField(_("questionnaire key"), max_length=40, db_index=True,
                              help_text=_("The same key across the versions of one questionnaire."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    introduction = models.TextField(_("introduction"), blank=True,
                                    help_text=_("Shown to respondents above the questions."))
    asks_sex_and_age = models.BooleanField(
        _("asks sex and age"), default=True,
        help_text=_("Sex and age band of the respondent, for results by sex and age. No other personal data."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["family", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [models.UniqueConstraint(fields=["org_unit", "family", "version"],
                                               name="surveys_questionnaire_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_household(self) -> bool:
        return self.kind == self.Kind.HOUSEHOLD


class QuestionnairePartQuerySet(ScopedQuerySet):
    scope_field = "questionnaire__org_unit"


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("section title"), max_length=200)

    objects = QuestionnairePartQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Likert scale (1–5)")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("question code"), max_length=20,
                            help_text=_("Short code, e.g. Q3; the column heading of the Excel import."))
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("answer type"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices, blank=True,
                                 help_text=_("The rate this question measures: the share of answers marked "
                                             "as positive."))
    show_if_question = models.ForeignKey("self", verbose_name=_("show only if question"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    show_if_value = models.CharField(_("has the answer"), max_length=40, blank=True)

    objects = QuestionnairePartQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="surveys_question_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def clean(self):
        if self.show_if_question_id and self.show_if_question.questionnaire_id != self.questionnaire_id:
            raise ValidationError({"show_if_question": _("The condition must name a question of this questionnaire.")})
        if self.show_if_question_id and not self.show_if_value:
            raise ValidationError({"show_if_value": _("Give the answer that shows this question.")})
        if self.indicator and self.kind in (self.Kind.NUMBER, self.Kind.TEXT):
            raise ValidationError({"indicator": _("Only choice and Likert questions can measure a rate.")})

    def applies(self, answers: dict[str, list[str]]) -> bool:
        """Skip logic: whether the question is asked given the answers so far ({code: [values]})."""
        if not self.show_if_question_id:
            return True
        return self.show_if_value in answers.get(self.show_if_question.code, [])


class ChoiceQuerySet(ScopedQuerySet):
    scope_field = "question__questionnaire__org_unit"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    value = models.CharField(_("value"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    is_positive = models.BooleanField(_("counts towards the indicator"), default=False)

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="surveys_choice_unique_value")]

    def __str__(self) -> str:
        return self.label


class RoundQuerySet(ScopedQuerySet):
    def expert_q(self, user):
        return assigned_expert_q(user)


class SurveyRound(TimeStampedModel):
    """One survey of a unit over a period (调查轮次), with its sample plan and public link."""

    class Status(models.TextChoices):
        OPEN = "open", _("Collecting")
        CLOSED = "closed", pgettext_lazy("survey round", "Closed")

    class Sampling(models.TextChoices):
        SIMPLE = "simple", _("Simple random sample")
        CLUSTER = "cluster", _("Cluster sample")

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT,
                                      related_name="rounds", limit_choices_to={"status": "published"})
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    population = models.PositiveIntegerField(
        _("population (N)"), null=True, blank=True,
        help_text=_("Leave empty to take the unit's resident population of the year from the population table."))
    margin = models.DecimalField(_("margin of error"), max_digits=4, decimal_places=3, default=Decimal("0.050"))
    sampling = models.CharField(_("sampling"), max_length=10, choices=Sampling.choices, default=Sampling.SIMPLE)
    design_effect = models.DecimalField(_("design effect"), max_digits=4, decimal_places=2, default=Decimal("1.00"),
                                        help_text=_("For cluster samples, usually 1.5–2."))
    requires_code = models.BooleanField(_("invitation code required"), default=False,
                                        help_text=_("Each respondent needs a one-time invitation code."))
    recall_months = models.PositiveSmallIntegerField(_("recall period (months)"), default=12,
                                                     help_text=_("Household survey: injuries of the last N months."))
    token = models.CharField(_("link token"), max_length=16, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:round_detail", args=[self.pk])

    def public_path(self) -> str:
        return reverse("surveys:public_answer", args=[self.token])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
        if self.design_effect is not None and self.design_effect < 1:
            raise ValidationError({"design_effect": _("The design effect is at least 1.")})
        if self.margin is not None and not (0 < self.margin < 1):
            raise ValidationError({"margin": _("The margin of error lies between 0 and 1, e.g. 0.05.")})
        if self.questionnaire_id and self.questionnaire.status != Questionnaire.Status.PUBLISHED:
            raise ValidationError({"questionnaire": _("Only a published questionnaire can be used in a round.")})


class ResponseQuerySet(ScopedQuerySet):
    scope_field = "round__org_unit"

    def expert_q(self, user):
        return assigned_expert_q(user, "round__org_unit")


class Invitation(models.Model):
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(_("invitation code"), max_length=12)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["round", "code"]
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="surveys_invitation_unique")]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    class Channel(models.TextChoices):
        PUBLIC = "public", _("Phone (public link)")
        INTERVIEW = "interview", _("Interviewer")
        PAPER = "paper", _("Paper form (import)")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, db_index=True)
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="response")
    device = models.CharField(_("device"), max_length=64, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=injury_choices.Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    household_label = models.CharField(_("household"), max_length=100, blank=True,
                                       help_text=_("A household number of the sample list, not a name or address."))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["round", "device"], condition=~Q(device=""),
                                               name="surveys_response_one_per_device")]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"


class AnswerQuerySet(ScopedQuerySet):
    scope_field = "response__round__org_unit"


class Answer(models.Model):
    """One answer value; a multiple-choice question has one row per option chosen."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(_("answer"), max_length=1000)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "value"], name="surveys_answer_q_value")]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value}"


class HouseholdMember(models.Model):
    """A member of a surveyed household: sex and age only."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="members")
    number = models.PositiveSmallIntegerField(_("member no."))
    sex = models.CharField(_("sex"), max_length=1, choices=injury_choices.Sex.choices[:2])
    age = models.PositiveSmallIntegerField(_("age"))

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["response", "number"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [models.UniqueConstraint(fields=["response", "number"], name="surveys_member_unique")]

    def __str__(self) -> str:
        return f"{self.number}: {self.sex} {self.age}"

    def clean(self):
        if self.age is not None and self.age > injury_choices.MAX_AGE:
            raise ValidationError({"age": _("Age must be between 0 and 120.")})

    @property
    def age_band(self) -> str:
        return injury_choices.age_band(self.age)


def _code_item(verbose_name, key):
    return models.ForeignKey("core.CodeItem", verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"codelist__key": key})


class InjuryQuerySet(ScopedQuerySet):
    scope_field = "member__response__round__org_unit"


class HouseholdInjury(models.Model):
    """An injury of a household member in the recall period, coded with the surveillance code lists."""

    member = models.ForeignKey(HouseholdMember, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="injuries")
    mechanism = _code_item(_("cause"), injury_choices.MECHANISM)
    place = _code_item(_("place"), injury_choices.PLACE)
    severity = _code_item(_("severity"), injury_choices.SEVERITY)

    objects = InjuryQuerySet.as_manager()

    class Meta:
        ordering = ["member", "pk"]
        verbose_name = _("household injury")
        verbose_name_plural = _("household injuries")

    def __str__(self) -> str:
        return f"{self.member}: {self.mechanism}"
