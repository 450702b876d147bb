"""Demo data: populations for every unit of 渝中区 and 沙坪坝区, a surveillance network per unit
and a few thousand realistic injury records over three years (bulk inserts, then the summary
table). Idempotent: records are only generated when the districts have none."""

import random

from django.db import transaction
from django.utils import timezone

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit

from . import choices
from .generate import Codes, population_objects, record_factory
from .models import InjuryRecord, NilReport, Population, PopulationCount, ReportingSource
from .services import stats_refresh

ORDER = 40
DISTRICTS = ("500103", "500106")
SOURCES = [("hospital", "{d}人民医院"), ("clinic", "{u}社区卫生服务中心"), ("school", "{u}辖区学校"),
           ("police", "{u}派出所"), ("household_survey", "{u}入户调查")]


@transaction.atomic
def build(*, stdout):
    rng = random.Random(2026)
    today = timezone.localdate()
    years = [today.year - 2, today.year - 1, today.year]
    kinds = dict(CodeItem.objects.of(choices.SOURCE_KIND).values_list("code", "pk"))
    made_records = 0
    for dcode in DISTRICTS:
        district = OrgUnit.objects.filter(code=dcode).first()
        if district is None:
            continue
        units = list(OrgUnit.objects.under(district.path).filter(level__in=CREATING_LEVELS))
        # Populations (update in place: idempotent).
        for unit in units:
            base = rng.randint(30000, 90000)
            for year in years:
                pop, counts = population_objects(unit, year, int(base * (1 + 0.01 * (year - years[0]))))
                existing = Population.objects.filter(org_unit=unit, year=year).first()
                if existing is None:
                    pop.save()
                    for c in counts:
                        c.population = pop
                    PopulationCount.objects.bulk_create(counts)
        # Sources.
        for unit in units:
            for kind, pattern in SOURCES:
                ReportingSource.objects.get_or_create(
                    org_unit=unit, name=pattern.format(d=district.name, u=unit.name), defaults={"kind_id": kinds[kind]})
        if InjuryRecord.objects.under(district.path).exists():
            continue
        sources = {}
        for sid, uid in ReportingSource.objects.filter(org_unit__in=units).values_list("id", "org_unit_id"):
            sources.setdefault(uid, []).append(sid)
        make = record_factory(Codes(), rng)
        records = []
        for unit in units:
            per_year = rng.randint(60, 140) if unit.code not in ("500103003", "500103001", "500106001") else 220
            for i, year in enumerate(years):
                # A gentle decline after the intervention years.
                n = int(per_year * (1 - 0.12 * i)) if year < today.year else int(per_year * 0.7 * today.month / 12)
                for _ in range(n):
                    records.append(make(unit.pk, rng.choice(sources[unit.pk]), year, today, personal=rng.random() < 0.3))
        InjuryRecord.objects.bulk_create(records, batch_size=2000)
        made_records += len(records)
        stats_refresh({(u.pk, y) for u in units for y in years})
    # A few nil reports of last month for the demo units in areas without records.
    last = (today.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    for code in ("500103003", "500103001", "500106001"):
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            continue
        used = set(InjuryRecord.objects.filter(org_unit=unit, occurred_on__year=last.year, occurred_on__month=last.month)
                   .values_list("safety_area_id", flat=True))
        for area in CodeItem.objects.of(choices.SAFETY_AREA).exclude(pk__in=used):
            NilReport.objects.get_or_create(org_unit=unit, safety_area=area, month=last)
    stdout.write(f"injuries: {made_records} records generated, populations and sources for {', '.join(DISTRICTS)}")
