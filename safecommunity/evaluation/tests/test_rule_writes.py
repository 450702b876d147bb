"""The rules the city edits — evaluation policy, reward rates, the expert pool — are written by
services with an actor: another role is refused, a bad value names its field and changes
nothing, the pages show the service's message."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.evaluation import services
from safecommunity.evaluation.models import Designation, EvaluationPolicy, ExpertProfile, RewardRate

from .conftest import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate(db):
    rate = RewardRate.objects.get(level=Designation.Level.CITY)  # seeded
    rate.amount = Decimal("50000")
    rate.save()
    return rate


def test_a_negative_reward_is_refused_by_the_service_and_nothing_changes(rate, city_admin):
    rate.amount = Decimal("-1")
    with pytest.raises(ValidationError) as exc:
        services.reward_rate_save(actor=city_admin, rate=rate)
    assert "amount" in exc.value.message_dict
    assert RewardRate.objects.get(pk=rate.pk).amount == Decimal("50000")


def test_the_reward_page_shows_the_services_message(rate, city_admin, client_for):
    response = client_for(city_admin).post(f"/evaluation/rules/rewards/{rate.pk}/",
                                           {"level": rate.level, "amount": "-5"})
    assert response.status_code == 200
    assert "金额不能为负数" in response.content.decode()
    assert RewardRate.objects.get(pk=rate.pk).amount == Decimal("50000")
    response = client_for(city_admin).post(f"/evaluation/rules/rewards/{rate.pk}/",
                                           {"level": rate.level, "amount": "60000"})
    assert response.status_code == 302
    assert RewardRate.objects.get(pk=rate.pk).amount == Decimal("60000")


def test_only_the_city_office_writes_the_rules(rate, district_a, tree):
    policy = EvaluationPolicy.current()
    policy.validity_years = 9
    with pytest.raises(PermissionDenied):
        services.policy_save(actor=district_a, policy=policy)
    assert EvaluationPolicy.current().validity_years != 9
    rate.amount = Decimal("1")
    with pytest.raises(PermissionDenied):
        services.reward_rate_save(actor=district_a, rate=rate)
    profile = ExpertProfile.objects.get(user=make_expert("expert_w", None, tree))
    profile.affiliation = "西南大学"
    with pytest.raises(PermissionDenied):
        services.expert_profile_save(actor=district_a, profile=profile)
    assert ExpertProfile.objects.get(pk=profile.pk).affiliation == "重庆大学"


def test_the_city_saves_the_policy_and_an_expert_through_the_pages(city_admin, client_for, tree):
    client = client_for(city_admin)
    policy = EvaluationPolicy.current()
    response = client.post("/evaluation/rules/", {
        "min_months_since_launch": 18, "validity_years": policy.validity_years, "reminder_days": 60,
        "disagreement_threshold": "1.50", "certificate_prefix": "渝安社"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.min_months_since_launch, policy.reminder_days) == (18, 60)
    expert = make_expert("expert_p", None, tree)
    profile = ExpertProfile.objects.get(user=expert)
    response = client.post(f"/evaluation/experts/{profile.pk}/", {
        "user": expert.pk, "field": "应急管理", "affiliation": "西南大学", "home_district": "", "is_active": "on"})
    assert response.status_code == 302
    assert ExpertProfile.objects.get(pk=profile.pk).affiliation == "西南大学"
