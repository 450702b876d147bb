"""Writes of surveys: questionnaires (design, publish, new version), rounds, invitation codes and
responses from the three channels (public phone page, interviewer, paper import)."""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices as injury_choices

from . import permissions
from .models import (
    Answer,
    Choice,
    HouseholdInjury,
    HouseholdMember,
    Invitation,
    Question,
    Questionnaire,
    Response,
    Section,
    SurveyRound,
)

__all__ = ["in_scope"]

DESIGN_ROLES = tuple(permissions.design.roles)
FIELD_ROLES = tuple(permissions.field.roles)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper without doubt


def _require_designer(actor, questionnaire: Questionnaire) -> None:
    require_role(actor, *DESIGN_ROLES)
    require_scope(actor, questionnaire.org_unit)


def _require_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.is_frozen:
        raise ValidationError(_("A published questionnaire cannot change; make a new version to edit it."))


# --- questionnaires -------------------------------------------------------------------------

@transaction.atomic
def questionnaire_save(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    _require_designer(actor, questionnaire)
    if questionnaire.pk:
        stored = Questionnaire.objects.get(pk=questionnaire.pk)
        _require_draft(stored)
    else:
        questionnaire.created_by = actor
        if not questionnaire.family:
            questionnaire.family = secrets.token_hex(4)
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


@transaction.atomic
def section_save(*, section: Section, actor) -> Section:
    _require_designer(actor, section.questionnaire)
    _require_draft(section.questionnaire)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def question_save(*, question: Question, choices: list[tuple[str, str, bool]] | None = None, actor) -> Question:
    """Save a question; `choices` [(value, label, is_positive)] replace its options (choice and Likert
    questions; a Likert question without options gets 1–5, with 4 and 5 positive)."""
    _require_designer(actor, question.questionnaire)
    _require_draft(question.questionnaire)
    question.full_clean()
    question.save()
    if question.kind == Question.Kind.LIKERT and not choices:
        choices = [(str(i), label, i >= 4) for i, label in enumerate(
            [_("Very dissatisfied"), _("Dissatisfied"), _("Neutral"), _("Satisfied"), _("Very satisfied")], start=1)]
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT):
        if choices is not None:
            if len(choices) < 2:
                raise ValidationError({"choices": _("A choice question needs at least two options.")})
            question.choices.all().delete()
            for i, (value, label, positive) in enumerate(choices):
                Choice.objects.create(question=question, order=i, value=value[:40], label=label[:200],
                                      is_positive=positive)
    else:
        question.choices.all().delete()
    return question


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    _require_designer(actor, question.questionnaire)
    _require_draft(question.questionnaire)
    question.delete()


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    """Freeze this version: from now on its questions never change. Earlier published versions of
    the same questionnaire retire (rounds already using them keep them)."""
    _require_designer(actor, questionnaire)
    _require_draft(questionnaire)
    if not questionnaire.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    Questionnaire.objects.filter(org_unit=questionnaire.org_unit, family=questionnaire.family,
                                 status=Questionnaire.Status.PUBLISHED).update(status=Questionnaire.Status.RETIRED)
    questionnaire.status = Questionnaire.Status.PUBLISHED
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["status", "published_at", "updated_at"])
    return questionnaire


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    """A draft copy of a published version, numbered next, to edit."""
    _require_designer(actor, questionnaire)
    draft = Questionnaire.objects.filter(org_unit=questionnaire.org_unit, family=questionnaire.family,
                                         status=Questionnaire.Status.DRAFT).first()
    if draft:
        return draft
    last = Questionnaire.objects.filter(org_unit=questionnaire.org_unit, family=questionnaire.family) \
        .order_by("-version").values_list("version", flat=True).first()
    return questionnaire_copy(source=questionnaire, org_unit=questionnaire.org_unit, family=questionnaire.family,
                              version=last + 1, actor=actor)


def questionnaire_copy(*, source: Questionnaire, org_unit, family: str, version: int, actor) -> Questionnaire:
    new = Questionnaire(org_unit=org_unit, family=family, version=version, title=source.title, kind=source.kind,
                        introduction=source.introduction, asks_sex_and_age=source.asks_sex_and_age, created_by=actor)
    new.full_clean()
    new.save()
    sections = {}
    for s in source.sections.all():
        sections[s.pk] = Section.objects.create(questionnaire=new, order=s.order, title=s.title)
    questions = {}
    for q in source.questions.prefetch_related("choices"):
        questions[q.pk] = Question.objects.create(
            questionnaire=new, section=sections.get(q.section_id), order=q.order, code=q.code, text=q.text,
            kind=q.kind, required=q.required, indicator=q.indicator, show_if_value=q.show_if_value)
        Choice.objects.bulk_create([Choice(question=questions[q.pk], order=c.order, value=c.value, label=c.label,
                                           is_positive=c.is_positive) for c in q.choices.all()])
    for q in source.questions.exclude(show_if_question=None):
        Question.objects.filter(pk=questions[q.pk].pk).update(show_if_question=questions[q.show_if_question_id])
    return new


# --- rounds ---------------------------------------------------------------------------------

def population_of(org_unit, year: int) -> int | None:
    """The unit's resident population of `year` (or the latest year before) from the injury
    surveillance population table."""
    from safecommunity.injuries.models import Population

    pop = Population.objects.filter(org_unit=org_unit, year__lte=year).order_by("-year").first()
    return pop.denominator if pop and pop.denominator else None


@transaction.atomic
def round_save(*, survey_round: SurveyRound, actor) -> SurveyRound:
    require_role(actor, *FIELD_ROLES)
    require_scope(actor, survey_round.org_unit)
    if not survey_round.token:
        survey_round.token = secrets.token_urlsafe(9)[:12]
        survey_round.created_by = actor
    if survey_round.pk:
        stored = SurveyRound.objects.get(pk=survey_round.pk)
        if stored.responses.exists() and (stored.questionnaire_id != survey_round.questionnaire_id
                                          or stored.org_unit_id != survey_round.org_unit_id):
            raise ValidationError({"questionnaire": _("The round has answers: its questionnaire and unit cannot "
                                                      "change.")})
    if survey_round.population is None and survey_round.org_unit_id and survey_round.starts_on:
        survey_round.population = population_of(survey_round.org_unit, survey_round.starts_on.year)
    survey_round.full_clean()
    survey_round.save()
    return survey_round


@transaction.atomic
def round_close(*, survey_round: SurveyRound, actor, reopen: bool = False) -> SurveyRound:
    require_role(actor, *FIELD_ROLES)
    require_scope(actor, survey_round.org_unit)
    survey_round.status = SurveyRound.Status.OPEN if reopen else SurveyRound.Status.CLOSED
    survey_round.save(update_fields=["status", "updated_at"])
    return survey_round


@transaction.atomic
def invitations_create(*, survey_round: SurveyRound, count: int, actor) -> list[Invitation]:
    require_role(actor, *FIELD_ROLES)
    require_scope(actor, survey_round.org_unit)
    if not 1 <= count <= 5000:
        raise ValidationError({"count": _("Make between 1 and 5000 codes at a time.")})
    taken = set(survey_round.invitations.values_list("code", flat=True))
    made = []
    while len(made) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
        if code not in taken:
            taken.add(code)
            made.append(Invitation(round=survey_round, code=code))
    return Invitation.objects.bulk_create(made)


# --- responses ------------------------------------------------------------------------------

@dataclass
class Household:
    """Members [(sex, age)] and injuries [(member number 1-based, mechanism, place, severity codes)]."""

    members: list[tuple[str, int]] = field(default_factory=list)
    injuries: list[tuple[int, str, str, str]] = field(default_factory=list)


def clean_answers(questionnaire: Questionnaire, raw: dict[str, list[str]]) -> dict[Question, list[str]]:
    """Check answers against the questions: skip logic, required, options, numbers.
    Raises ValidationError naming each question code ({code: message})."""
    questions = list(questionnaire.questions.select_related("show_if_question").prefetch_related("choices"))
    errors: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    out: dict[Question, list[str]] = {}
    for q in questions:
        given = [str(v).strip() for v in raw.get(q.code, []) if str(v).strip() != ""]
        if not q.applies(values):
            continue
        if not given:
            if q.required:
                errors[q.code] = _("%(code)s: this question needs an answer.") % {"code": q.code}
            continue
        options = {c.value for c in q.choices.all()}
        if q.kind in (Question.Kind.SINGLE, Question.Kind.LIKERT) and (len(given) > 1 or given[0] not in options):
            errors[q.code] = _("%(code)s: choose one of the options.") % {"code": q.code}
            continue
        if q.kind == Question.Kind.MULTIPLE and any(v not in options for v in given):
            errors[q.code] = _("%(code)s: an answer is not one of the options.") % {"code": q.code}
            continue
        if q.kind == Question.Kind.NUMBER:
            try:
                Decimal(given[0])
            except InvalidOperation:
                errors[q.code] = _("%(code)s: enter a number.") % {"code": q.code}
                continue
            given = given[:1]
        if q.kind == Question.Kind.TEXT:
            given = [given[0][:1000]]
        values[q.code] = given
        out[q] = given
    if errors:
        raise ValidationError(errors)
    return out


def _clean_household(household: Household) -> list[tuple[int, CodeItem, CodeItem, CodeItem]]:
    if not household.members:
        raise ValidationError({"members": _("Enter at least one household member (sex and age).")})
    codes = {key: {c.code: c for c in CodeItem.objects.of(key)} for key in
             (injury_choices.MECHANISM, injury_choices.PLACE, injury_choices.SEVERITY)}
    for i, (sex, age) in enumerate(household.members, start=1):
        if sex not in (injury_choices.Sex.MALE, injury_choices.Sex.FEMALE):
            raise ValidationError({"members": _("Member %(n)s: give the sex.") % {"n": i}})
        if age is None or not 0 <= int(age) <= injury_choices.MAX_AGE:
            raise ValidationError({"members": _("Member %(n)s: age must be between 0 and 120.") % {"n": i}})
    injuries = []
    for number, mechanism, place, severity in household.injuries:
        if not 1 <= int(number) <= len(household.members):
            raise ValidationError({"injuries": _("Injury of member %(n)s: there is no such member.") % {"n": number}})
        items = []
        for key, code, label in ((injury_choices.MECHANISM, mechanism, _("cause")),
                                 (injury_choices.PLACE, place, _("place")),
                                 (injury_choices.SEVERITY, severity, _("severity"))):
            if code not in codes[key]:
                raise ValidationError({"injuries": _("Injury of member %(n)s: choose the %(what)s.")
                                       % {"n": number, "what": label}})
            items.append(codes[key][code])
        injuries.append((int(number), *items))
    return injuries


def _store(*, survey_round, channel, answers, sex="", age_band="", household=None, invitation=None, device="",
           interviewer=None, household_label="") -> Response:
    cleaned = clean_answers(survey_round.questionnaire, answers)
    injuries = _clean_household(household) if survey_round.questionnaire.is_household else []
    if sex and sex not in injury_choices.Sex.values:
        raise ValidationError({"sex": _("Choose the sex from the list.")})
    if age_band and age_band not in injury_choices.AGE_BAND_CODES:
        raise ValidationError({"age_band": _("Choose the age band from the list.")})
    response = Response(round=survey_round, channel=channel, invitation=invitation, device=device, sex=sex,
                        age_band=age_band, interviewer=interviewer, household_label=household_label)
    response.full_clean(exclude=["round", "invitation"])
    response.save()
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v)
                                for q, vals in cleaned.items() for v in vals])
    if household is not None and survey_round.questionnaire.is_household:
        members = HouseholdMember.objects.bulk_create([
            HouseholdMember(response=response, number=i, sex=sex_, age=int(age))
            for i, (sex_, age) in enumerate(household.members, start=1)])
        HouseholdInjury.objects.bulk_create([
            HouseholdInjury(member=members[n - 1], mechanism=m, place=p, severity=s) for n, m, p, s in injuries])
    return response


def _require_open(survey_round: SurveyRound) -> None:
    if survey_round.status != SurveyRound.Status.OPEN:
        raise ValidationError(_("This survey is closed and takes no more answers. Thank you."))


@transaction.atomic
def public_response_submit(*, survey_round: SurveyRound, answers, device: str, code: str = "", sex="",
                           age_band="") -> Response:
    """An answer from the public phone page: no sign-in; one per invitation code (where codes are
    required) and one per device."""
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    _require_open(survey_round)
    invitation = None
    if survey_round.requires_code:
        invitation = Invitation.objects.select_for_update().filter(round=survey_round,
                                                                   code=code.strip().upper()).first()
        if invitation is None:
            raise ValidationError({"code": _("This invitation code is not valid for this survey. "
                                             "Check the code on your invitation.")})
        if invitation.used_at:
            raise ValidationError({"code": _("This invitation code has already been used.")})
    if device and Response.objects.filter(round=survey_round, device=device).exists():
        raise ValidationError(_("This phone has already answered this survey. Each device answers once."))
    try:
        with transaction.atomic():
            response = _store(survey_round=survey_round, channel=Response.Channel.PUBLIC, answers=answers, sex=sex,
                              age_band=age_band, invitation=invitation, device=device)
    except IntegrityError:
        raise ValidationError(_("This phone has already answered this survey. Each device answers once.")) from None
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return response


@transaction.atomic
def interview_response_submit(*, survey_round: SurveyRound, answers, actor, sex="", age_band="",
                              household: Household | None = None, household_label: str = "",
                              channel: str = Response.Channel.INTERVIEW) -> Response:
    """An answer entered by a unit worker (interview, or a paper form typed in)."""
    require_role(actor, *FIELD_ROLES)
    require_scope(actor, survey_round.org_unit)
    _require_open(survey_round)
    return _store(survey_round=survey_round, channel=channel, answers=answers, sex=sex, age_band=age_band,
                  household=household, interviewer=actor, household_label=household_label)


@transaction.atomic
def response_delete(*, response: Response, actor) -> None:
    require_role(actor, *FIELD_ROLES)
    require_scope(actor, response.round.org_unit)
    if response.invitation_id:
        Invitation.objects.filter(pk=response.invitation_id).update(used_at=None)
    HouseholdInjury.objects.filter(member__response=response).delete()
    response.delete()

