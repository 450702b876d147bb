from datetime import date

import factory

from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit
from safecommunity.projects.models import Indicator, PhaseEvaluation, Project


class ProjectFactory(factory.django.DjangoModelFactory):
    """ProjectFactory(code="500103003", area="traffic", start_on=..., end_on=...)."""

    class Meta:
        model = Project
        exclude = ("code", "area")

    code = "500103003"
    area = "traffic"
    org_unit = factory.LazyAttribute(lambda o: OrgUnit.objects.get(code=o.code))
    safety_area = factory.LazyAttribute(lambda o: CodeItem.objects.of("safety_area").get(code=o.area))
    name = factory.Sequence(lambda n: f"老年人防跌倒促进项目{n}")
    target_group = "60岁以上老年人"
    problem = "2025年辖区老年人跌倒伤害42例"
    objective = "老年人跌倒发生率下降20%"
    measures = "居家环境改造\n防跌倒知识讲座"
    start_on = date(2025, 1, 1)
    end_on = date(2025, 12, 31)
    status = Project.Status.IN_PROGRESS


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"跌倒发生率{n}")
    unit = "‰"
    baseline = 12
    target = 9


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhaseEvaluation

    project = factory.SubFactory(ProjectFactory)
    year = 2025
    half = 1
    evaluated_on = factory.LazyAttribute(lambda o: date(o.year, 6 if o.half == 1 else 12, 20))
    progress = "居家环境改造：完成120户"
