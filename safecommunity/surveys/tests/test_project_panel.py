"""A project that measures awareness by the resident survey shows the unit's survey figure before
and since its start, and the change with its test."""

from datetime import date

from safecommunity.projects.models import Indicator
from safecommunity.projects.tests.factories import IndicatorFactory, ProjectFactory
from safecommunity.surveys import services


def _answer(survey_round, actor, yes):
    for i in range(10):
        answers = {"W1": ["1" if i < yes else "2"], "W2": ["1" if i < yes else "2"], "J1": ["2"]}
        if i < yes:
            answers["W3"] = ["2"]  # asked of those who know (W2 = 1)
        services.interview_response_submit(survey_round=survey_round, actor=actor, sex="F", age_band="25-44",
                                           answers=answers)


def test_project_page_shows_the_awareness_rate_before_and_since_the_start(make_round, unit_a, client_for, district_a):
    project = ProjectFactory(start_on=date(2025, 6, 1), end_on=date(2026, 12, 31))
    before = make_round(starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 31), title="2025年春季知晓率调查")
    after = make_round(starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), title="2026年春季知晓率调查")
    _answer(before, unit_a, 6)
    _answer(after, unit_a, 9)

    # The unit adds the indicator through the page, saying the survey measures it.
    c = client_for(unit_a)
    r = c.post(f"/projects/{project.pk}/indicators/new/",
               {"name": "居民防跌倒知晓率", "unit": "%", "baseline": "60", "target": "85", "survey_measure": "awareness"})
    assert r.status_code == 302
    assert Indicator.objects.get(project=project, name="居民防跌倒知晓率").survey_measure == "awareness"
    IndicatorFactory(project=project, name="跌倒发生率")  # not a survey figure: no block of its own

    for user in (unit_a, district_a):
        page = client_for(user).get(f"/projects/{project.pk}/").content.decode()
        panel = page[page.index('id="project-survey-figures"'):]
        panel = panel[:panel.index("</div></div>")]
        assert "居民防跌倒知晓率" in panel and "跌倒发生率" not in panel
        # 知晓率 pools W1 and W2: 12 of 20 answers before, 18 of 20 since
        assert "60.0%（38.7–78.1%）n=20" in panel and "90.0%（69.9–97.2%）n=20" in panel
        assert panel.index("2025年春季知晓率调查") < panel.index("2026年春季知晓率调查")
        assert "+30.0" in panel and "p=0.028" in panel and "差异有统计学意义" in panel
        assert f"/surveys/rounds/{after.pk}/results/" in panel


def test_no_panel_without_a_survey_measured_indicator_and_an_empty_state_without_rounds(shipped, unit_a, client_for):
    project = ProjectFactory()
    IndicatorFactory(project=project, name="跌倒发生率")
    page = client_for(unit_a).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-survey-figures"' not in page
    IndicatorFactory(project=project, name="知晓率", survey_measure="awareness")
    page = client_for(unit_a).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-survey-figures"' in page and "尚无本单位的居民调查轮次测量此项" in page


def test_p_values_read_as_in_a_report():
    from safecommunity.surveys.templatetags.surveys import p_text

    assert p_text(0.0284) == "p=0.028" and p_text(0.00002) == "p<0.001" and p_text(None) == ""
