from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.evaluation import services
from safecommunity.evaluation.models import Application, Designation, ExpertScore, Rectification, Reward
from safecommunity.orgunits.models import CreatingUnit

from .conftest import score_all


def test_preconditions_refuse_a_unit_launched_recently(tree, unit_a):
    cu = CreatingUnit.objects.get(org_unit__code="500103003")
    CreatingUnit.objects.filter(pk=cu.pk).update(status="launched", launched_on=date.today() - timedelta(days=100))
    cu.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.application_create(creating_unit=cu, actor=unit_a)
    assert "creating_unit" in exc.value.message_dict
    assert not Application.objects.exists()


def test_policy_months_are_data(tree, unit_a, national_completed):
    from safecommunity.evaluation.models import EvaluationPolicy

    cu = CreatingUnit.objects.get(org_unit__code="500103003")
    CreatingUnit.objects.filter(pk=cu.pk).update(status="launched", launched_on=date.today() - timedelta(days=100))
    cu.refresh_from_db()
    EvaluationPolicy.objects.filter(pk=1).update(min_months_since_launch=3)
    assert services.application_create(creating_unit=cu, actor=unit_a).status == "draft"


def test_submit_requires_every_item_and_the_work_report(launched_a, unit_a):
    app = services.application_create(creating_unit=launched_a, actor=unit_a)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=unit_a)
    assert {"self_scores", "work_report"} <= set(exc.value.message_dict)
    app.refresh_from_db()
    launched_a.refresh_from_db()
    assert app.status == "draft" and launched_a.status == "launched"


def test_submit_moves_the_unit_to_applied(submitted, launched_a):
    launched_a.refresh_from_db()
    assert submitted.status == "submitted" and launched_a.status == "applied"
    assert submitted.self_total == Decimal("150")


def test_other_district_cannot_touch_the_application(submitted, district_b, unit_b):
    with pytest.raises(PermissionDenied):
        services.application_review(application=submitted, actor=district_b, forward=True)


def test_district_return_needs_reasons_and_unit_resubmits(submitted, district_a, unit_a, launched_a):
    with pytest.raises(ValidationError) as exc:
        services.application_review(application=submitted, actor=district_a, forward=False, reason=" ")
    assert "reason" in exc.value.message_dict
    services.application_review(application=submitted, actor=district_a, forward=False, reason="缺少第3要素证据")
    launched_a.refresh_from_db()
    assert launched_a.status == "returned"
    services.application_submit(application=submitted, actor=unit_a)
    launched_a.refresh_from_db()
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and launched_a.status == "applied"


def test_conflict_rule_same_district_expert_not_assignable(submitted, district_a, city_admin, experts):
    services.application_review(application=submitted, actor=district_a, forward=True)
    with pytest.raises(ValidationError) as exc:
        services.panel_assign(application=submitted, actor=city_admin, experts=[experts["e1"], experts["local"]],
                              site_visit_on=date.today())
    assert "conflict" in str(exc.value.message_dict["experts"]).lower() or "渝中区" in str(exc.value)
    submitted.refresh_from_db()
    assert submitted.status == "forwarded" and not submitted.panel.exists()


def test_only_city_assigns_panel(submitted, district_a, experts):
    services.application_review(application=submitted, actor=district_a, forward=True)
    with pytest.raises(PermissionDenied):
        services.panel_assign(application=submitted, actor=district_a, experts=[experts["e1"], experts["e2"]],
                              site_visit_on=date.today())


def test_expert_blindness_until_submitting(evaluating, experts):
    e1, e2 = experts["e1"], experts["e2"]
    score_all(services.expert_score_set, evaluating, actor=e1)
    score_all(services.expert_score_set, evaluating, actor=e2, grades=("b", "b", "b"))
    assert not services.may_see_all_scores(evaluating, e1)
    mine = services.visible_expert_scores(evaluating, e1)
    assert mine.count() == 50 and set(mine.values_list("member__expert", flat=True)) == {e1.pk}
    services.expert_submit(application=evaluating, actor=e1)
    assert services.visible_expert_scores(evaluating, e1).count() == 100
    assert services.visible_expert_scores(evaluating, e2).count() == 50
    with pytest.raises(ValidationError):
        services.expert_score_set(application=evaluating, actor=e1, item=evaluating.scheme.items.first(),
                                  presence="d", evidence="d", effect="d")


def test_expert_not_on_panel_cannot_score(evaluating, experts):
    with pytest.raises(PermissionDenied):
        services.expert_score_set(application=evaluating, actor=experts["local"],
                                  item=evaluating.scheme.items.first(), presence="a", evidence="a", effect="a")
    assert not ExpertScore.objects.exists()


def test_spread_highlights_strong_disagreement(evaluating, experts):
    score_all(services.expert_score_set, evaluating, actor=experts["e1"])
    score_all(services.expert_score_set, evaluating, actor=experts["e2"], overrides={7: ("d", "d", "d")})
    rows = {r["item"].number: r for r in services.score_spread(evaluating)}
    assert rows[7]["disagree"] and rows[7]["spread"] == Decimal("3.00")
    assert not rows[8]["disagree"]


def _panel_done(app, experts):
    for key in ("e1", "e2"):
        score_all(services.expert_score_set, app, actor=experts[key])
        services.expert_submit(application=app, actor=experts[key])


def test_final_scores_wait_for_every_expert(evaluating, experts, city_admin):
    score_all(services.expert_score_set, evaluating, actor=experts["e1"])
    services.expert_submit(application=evaluating, actor=experts["e1"])
    with pytest.raises(ValidationError):
        services.final_score_set(application=evaluating, actor=experts["e1"], item=evaluating.scheme.items.first(),
                                 presence="a", evidence="a", effect="a")


def test_deductions_become_rectifications_and_pass_designates(evaluating, experts, city_admin, launched_a):
    _panel_done(evaluating, experts)
    lead = evaluating.panel.get(is_lead=True).expert
    score_all(services.final_score_set, evaluating, actor=lead, overrides={3: ("b", "b", "b"), 9: ("a", "c", "a")},
              departure_reason="现场核实后调整")
    app = services.application_decide(application=evaluating, actor=lead)
    assert app.result == "pass" and app.final_total == Decimal("148.40")
    rect = list(app.rectifications.order_by("item__number"))
    assert [r.item.number for r in rect] == [3, 9] and rect[0].deduction == Decimal("0.90")
    services.application_confirm(application=app, actor=city_admin)
    launched_a.refresh_from_db()
    d = Designation.objects.get(application=app)
    assert launched_a.status == "city" and d.certificate_no.endswith("001号")
    assert d.valid_until.year == d.designated_on.year + 3
    assert Reward.objects.get(designation=d).amount == Decimal("50000")


def test_rectify_band_requires_rectifications_done(evaluating, experts, city_admin, unit_a):
    _panel_done(evaluating, experts)
    # 40 items at b/b/b (2.10 each) + 10 at a = 84 + 30 = 114 ... make it 90: all items b/c/b
    score_all(services.final_score_set, evaluating, actor=city_admin, grades=("b", "c", "b"),
              departure_reason="现场核实后调整")
    app = services.application_decide(application=evaluating, actor=city_admin)
    assert app.result == "rectify"  # 50 × (0.56 + 0.30 + 0.84) = 85
    with pytest.raises(ValidationError):
        services.application_confirm(application=app, actor=city_admin)
    for r in Rectification.objects.filter(application=app):
        services.rectification_done(rectification=r, actor=unit_a, note="已整改")
    assert services.application_confirm(application=app, actor=city_admin).status == "designated"


def test_a_zero_item_fails_and_unit_is_returned(evaluating, experts, city_admin, launched_a):
    _panel_done(evaluating, experts)
    score_all(services.final_score_set, evaluating, actor=city_admin, overrides={12: ("d", "d", "d")},
              departure_reason="现场核实后调整")
    app = services.application_decide(application=evaluating, actor=city_admin)
    assert app.result == "fail" and app.final_total == Decimal("147")
    app = services.application_confirm(application=app, actor=city_admin, note="第12项为0分")
    launched_a.refresh_from_db()
    assert app.status == "rejected" and launched_a.status == "returned"


def test_expert_scoping_ends_when_evaluation_closes(evaluating, experts, city_admin):
    e1 = experts["e1"]
    assert list(Application.objects.visible_to(e1)) == [evaluating]
    assert not Application.objects.visible_to(experts["local"]).exists()
    _panel_done(evaluating, experts)
    score_all(services.final_score_set, evaluating, actor=city_admin)
    services.application_confirm(application=services.application_decide(application=evaluating, actor=city_admin),
                                 actor=city_admin)
    assert not Application.objects.visible_to(e1).exists()


def test_reminder_before_expiry_once(evaluating, experts, city_admin, unit_a):
    from safecommunity.core.models import Notification

    _panel_done(evaluating, experts)
    score_all(services.final_score_set, evaluating, actor=city_admin)
    services.application_confirm(application=services.application_decide(application=evaluating, actor=city_admin),
                                 actor=city_admin)
    d = Designation.objects.get()
    assert services.reminders_send(today=d.valid_until - timedelta(days=200)) == 0
    assert services.reminders_send(today=d.valid_until - timedelta(days=30)) >= 2
    assert services.reminders_send(today=d.valid_until - timedelta(days=29)) == 0
    assert Notification.objects.filter(user=unit_a, key__startswith="evaluation-reevaluate").count() == 1


def test_national_record_needs_outcome_document(tree, city_admin):
    cu = CreatingUnit.objects.get(org_unit__code="500103003")
    CreatingUnit.objects.filter(pk=cu.pk).update(status="city")
    with pytest.raises(ValidationError) as exc:
        services.designation_record(creating_unit=cu, level="national", actor=city_admin, outcome="passed",
                                    designated_on=date.today())
    assert "document" in exc.value.message_dict
    assert not Designation.objects.exists()


def test_the_reminders_run_daily_on_the_beat_schedule():
    from celery.schedules import crontab

    from safecommunity.celery import app
    from safecommunity.evaluation import tasks

    entry = app.conf.beat_schedule["evaluation-reminders-daily"]
    assert entry["task"] == tasks.evaluation_reminders.name
    assert entry["schedule"] == crontab(hour=7, minute=40)
