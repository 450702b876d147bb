"""Reads of surveys: the results of a round (each indicator as a proportion with its Wilson 95%
interval, by sex and age band), the change from the unit's previous round, the household
injury incidence beside the surveillance rate, and roll-ups per unit, district and city.

An indicator's rate (知晓率, 参与率, 满意度, each 知信行 item) is the share of its answers marked
positive: for one question, of the respondents who answered it; for the indicator as a whole,
of all answers to its questions (correct answers / answers given — the way 知晓率 is reported).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.scoping import within_q
from safecommunity.injuries import choices as injury_choices
from safecommunity.orgunits.models import OrgUnit

from . import stats
from .models import Choice, HouseholdInjury, HouseholdMember, Indicator, Questionnaire, Response, SurveyRound


def rounds_visible(user):
    return SurveyRound.objects.visible_to(user).select_related("org_unit", "questionnaire")


def round_progress(survey_round: SurveyRound) -> dict:
    """Responses so far against the sample plan, by channel."""
    by_channel = dict(survey_round.responses.values_list("channel").annotate(n=Count("pk")).order_by())
    planned = stats.sample_size(survey_round.population, margin=float(survey_round.margin),
                                design_effect=float(survey_round.design_effect))
    done = sum(by_channel.values())
    return {
        "planned": planned,
        "planned_without_fpc": stats.sample_size(None, margin=float(survey_round.margin),
                                                 design_effect=float(survey_round.design_effect)),
        "done": done,
        "percent": min(100, round(100 * done / planned)) if planned else 0,
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in Response.Channel.choices],
    }


@dataclass
class IndicatorRow:
    key: str  # indicator value, or question code
    label: str
    overall: stats.Proportion
    by_sex: list[tuple[str, stats.Proportion]] = field(default_factory=list)
    by_age: list[tuple[str, stats.Proportion]] = field(default_factory=list)
    change: stats.Difference | None = None


def _answers(responses):
    """[(response id, sex, age band, indicator, question code, question text, positive)] — one per
    (response, indicator question); a multiple-choice answer is positive if any option chosen is."""
    positive = set(Choice.objects.filter(is_positive=True, question__indicator__gt="")
                   .values_list("question_id", "value"))
    seen: dict[tuple[int, int], list] = {}
    rows = (responses.filter(answers__question__indicator__gt="")
            .values_list("pk", "sex", "age_band", "answers__question_id", "answers__question__indicator",
                         "answers__question__code", "answers__question__text", "answers__value"))
    for rid, sex, band, qid, indicator, code, text, value in rows.iterator(chunk_size=5000):
        entry = seen.get((rid, qid))
        hit = (qid, value) in positive
        if entry is None:
            seen[(rid, qid)] = [rid, sex, band, indicator, code, text, hit]
        elif hit:
            entry[6] = True
    return list(seen.values())


def _proportion(items) -> stats.Proportion:
    items = list(items)
    return stats.wilson(sum(1 for i in items if i[6]), len(items))


def _breakdowns(items, key, labels):
    out = []
    for value, label in labels:
        sub = [i for i in items if i[key] == value]
        if sub:
            out.append((label, _proportion(sub)))
    return out


SEX_LABELS = list(injury_choices.Sex.choices[:2])


def _age_labels():
    return [(c, injury_choices.age_band_label(c)) for c in injury_choices.AGE_BAND_CODES]


def indicator_rows(responses, *, per_question: bool = True) -> list[IndicatorRow]:
    """One row per indicator (pooled over its questions), then (per_question) one per question."""
    items = _answers(responses)
    rows = []
    ages = _age_labels()
    for value, label in Indicator.choices:
        sub = [i for i in items if i[3] == value]
        if not sub:
            continue
        rows.append(IndicatorRow(value, str(label), _proportion(sub), _breakdowns(sub, 1, SEX_LABELS),
                                 _breakdowns(sub, 2, ages)))
        if per_question:
            codes = sorted({(i[4], i[5]) for i in sub}, key=lambda c: c[0])
            if len(codes) > 1:
                for code, text in codes:
                    q = [i for i in sub if i[4] == code]
                    rows.append(IndicatorRow(code, f"{code} {text}", _proportion(q)))
    return rows


def previous_round(survey_round: SurveyRound, user) -> SurveyRound | None:
    """The unit's last earlier round of the same questionnaire (any version)."""
    return (SurveyRound.objects.visible_to(user)
            .filter(org_unit=survey_round.org_unit, questionnaire__family=survey_round.questionnaire.family,
                    starts_on__lt=survey_round.starts_on).order_by("-starts_on").first())


def round_results(survey_round: SurveyRound, user) -> dict:
    responses = survey_round.responses.all()
    rows = indicator_rows(responses)
    prev = previous_round(survey_round, user)
    if prev is not None:
        before = {r.key: r.overall for r in indicator_rows(prev.responses.all())}
        for r in rows:
            if r.key in before:
                r.change = stats.two_proportion_test(before[r.key], r.overall)
    out = {"rows": rows, "previous": prev, "n": responses.count()}
    if survey_round.questionnaire.is_household:
        out["household"] = household_incidence(responses, survey_round.recall_months)
        out["surveillance"] = surveillance_rate(user, survey_round.org_unit, survey_round.starts_on.year)
    return out


@dataclass
class HouseholdResult:
    households: int
    persons: int
    total: stats.Incidence
    by_cause: list[tuple[str, stats.Incidence]]
    by_age: list[tuple[str, int, stats.Incidence]]
    by_severity: list[tuple[str, int]]


def household_incidence(responses, recall_months: int = 12) -> HouseholdResult:
    members = HouseholdMember.objects.filter(response__in=responses)
    persons = members.count()
    injuries = HouseholdInjury.objects.filter(member__response__in=responses)
    total = stats.incidence_per_1000(injuries.count(), persons, recall_months)
    by_cause = [(name, stats.incidence_per_1000(n, persons, recall_months)) for name, n in
                injuries.values_list("mechanism__name").annotate(n=Count("pk")).order_by("-n", "mechanism__name")]
    ages = defaultdict(int)
    for age in members.values_list("age", flat=True):
        ages[injury_choices.age_band(age)] += 1
    cases = defaultdict(int)
    for age in injuries.values_list("member__age", flat=True):
        cases[injury_choices.age_band(age)] += 1
    by_age = [(label, ages[code], stats.incidence_per_1000(cases[code], ages[code], recall_months))
              for code, label in _age_labels() if ages[code]]
    by_severity = list(injuries.values_list("severity__name").annotate(n=Count("pk")).order_by("-n"))
    return HouseholdResult(members.values("response").distinct().count(), persons, total, by_cause, by_age,
                           by_severity)


def surveillance_rate(user, org_unit: OrgUnit, year: int):
    """The surveillance (hospital-reported) injury rate of the unit in the year, per 1,000."""
    from safecommunity.injuries.selectors import analysis

    try:
        result = analysis(user, org_unit, year)
    except Exception:  # noqa: BLE001 - no population or no records: the page says so
        return None
    return {"rate": result.rate, "total": result.total, "population": result.population}


SOURCE_NOTES = {
    "household": _("The household survey counts injuries that never reach a hospital (treated at home, at a "
                   "pharmacy or a clinic), but relies on memory: minor injuries are forgotten over a long recall "
                   "period and deaths are missed (the injured person cannot answer)."),
    "surveillance": _("Hospital surveillance records each first visit with its date and diagnosis, but misses "
                      "injuries not taken to a reporting hospital and counts residents treated outside the unit "
                      "only if the hospital reports them."),
}


def rollup(user, *, year: int, kind: str | None = None) -> dict:
    """Indicators per unit, per district and for the city, over the rounds started in `year`."""
    rounds = rounds_visible(user).filter(starts_on__year=year)
    if kind:
        rounds = rounds.filter(questionnaire__kind=kind)
    responses = Response.objects.visible_to(user).filter(round__in=rounds)
    units = []
    districts: dict[int, dict] = {}
    by_unit = defaultdict(list)
    for r in rounds:
        by_unit[r.org_unit_id].append(r)
    for unit_id, unit_rounds in by_unit.items():
        unit = unit_rounds[0].org_unit
        rows = indicator_rows(responses.filter(round__org_unit_id=unit_id), per_question=False)
        units.append({"unit": unit, "rows": {r.key: r.overall for r in rows}, "rounds": unit_rounds})
    district_codes = {u["unit"].ancestor_codes[1] for u in units if len(u["unit"].ancestor_codes) > 1}
    for d in OrgUnit.objects.filter(code__in=district_codes):
        rows = indicator_rows(responses.filter(within_q("round__org_unit", d)), per_question=False)
        districts[d.pk] = {"unit": d, "rows": {r.key: r.overall for r in rows}}
    area_rows = indicator_rows(responses, per_question=False)  # with the breakdowns by sex and age band
    city = {r.key: r.overall for r in area_rows}
    present = [(v, lbl) for v, lbl in Indicator.choices
               if v in city]
    return {"units": sorted(units, key=lambda u: u["unit"].code), "districts": list(districts.values()),
            "city": city, "indicators": present, "area_rows": area_rows}


def questionnaires_visible(user):
    return Questionnaire.objects.visible_to(user).select_related("org_unit")


def question_list(questionnaire: Questionnaire):
    return questionnaire.questions.select_related("section", "show_if_question").prefetch_related("choices")


def unit_rounds_in_year(*, creating_unit_ids, year: int) -> dict[int, int]:
    """{creating unit id: rounds started in the year with at least one answer}."""
    rows = (SurveyRound.objects.filter(org_unit__creating_unit__in=creating_unit_ids, starts_on__year=year)
            .filter(Q(responses__isnull=False)).values("org_unit__creating_unit")
            .annotate(n=Count("pk", distinct=True)).order_by())
    return {r["org_unit__creating_unit"]: r["n"] for r in rows}

