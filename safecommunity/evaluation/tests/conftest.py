from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.accounts.tests.factories import UserFactory
from safecommunity.evaluation import services
from safecommunity.evaluation.models import ExpertProfile, Scheme
from safecommunity.orgunits.models import CreatingUnit

PDF = b"%PDF-1.4\n" + b"0" * 200


@pytest.fixture
def launched_a(tree, national_completed):
    cu = CreatingUnit.objects.get(org_unit__code="500103003")
    CreatingUnit.objects.filter(pk=cu.pk).update(status="launched", launched_on=date(2024, 3, 1), launch_year=2024)
    cu.refresh_from_db()
    return cu


def complete_national_scheme():
    """The city office has replaced the placeholder texts of the national scheme with the official
    wording (a scheme with placeholders cannot be chosen for an application)."""
    from django.db.models import Value
    from django.db.models.functions import Replace

    from safecommunity.evaluation.models import PLACEHOLDER, SchemeItem

    SchemeItem.objects.filter(scheme__code="national-onsite").update(
        is_placeholder=False, text=Replace("text", Value(PLACEHOLDER), Value("")))


@pytest.fixture
def national_completed(db):
    complete_national_scheme()


@pytest.fixture
def national(db):
    return Scheme.objects.get(code="national-onsite")


def make_expert(username, district_code=None, tree=None):
    user = UserFactory(username=username, role="expert", code="500000")
    ExpertProfile.objects.create(user=user, field="安全管理", affiliation="重庆大学",
                                 home_district=tree[district_code] if district_code else None)
    return user


@pytest.fixture
def experts(tree):
    """Two experts from 沙坪坝区 and one without district; one from 渝中区 (conflicts for unit_a)."""
    return {
        "e1": make_expert("expert_e1", "500106", tree),
        "e2": make_expert("expert_e2", None, tree),
        "local": make_expert("expert_local", "500103", tree),
    }


def upload(name="报告.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def score_all(setter, application, grades=("a", "a", "a"), overrides=None, **kwargs):
    overrides = overrides or {}
    for item in application.scheme.items.all():
        g = overrides.get(item.number, grades)
        setter(application=application, item=item, presence=g[0], evidence=g[1], effect=g[2],
               comment="" if g == ("a", "a", "a") else "扣分说明", **kwargs)


@pytest.fixture
def submitted(launched_a, unit_a):
    from safecommunity.archive.services import attachment_create

    app = services.application_create(creating_unit=launched_a, actor=unit_a)
    score_all(services.self_score_set, app, actor=unit_a)
    report = attachment_create(uploaded=upload(), org_unit=launched_a.org_unit, actor=unit_a, title="工作报告")
    services.application_update(application=app, actor=unit_a, work_report=report)
    return services.application_submit(application=app, actor=unit_a)


@pytest.fixture
def evaluating(submitted, district_a, city_admin, experts):
    services.application_review(application=submitted, actor=district_a, forward=True)
    return services.panel_assign(application=submitted, actor=city_admin, experts=[experts["e1"], experts["e2"]],
                                 site_visit_on=date.today())
