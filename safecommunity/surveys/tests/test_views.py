"""Survey pages: scoping (in scope 200, other district 404, wrong role 403), the designer
(publishing freezes a version), interviewer entry of the household questionnaire with its
incidence, Excel import of paper forms, results, and what surveys feed elsewhere."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.surveys import evidence, monthly_figures, obligations, services
from safecommunity.surveys.models import Question, Questionnaire, Response


def test_round_pages_are_scoped(make_round, client_for, unit_a, unit_a2, district_a, district_b, dept_ga, city_admin):
    r = make_round()
    pages = [f"/surveys/rounds/{r.pk}/", f"/surveys/rounds/{r.pk}/edit/", f"/surveys/rounds/{r.pk}/results/",
             f"/surveys/rounds/{r.pk}/interview/", f"/surveys/rounds/{r.pk}/import/", f"/surveys/rounds/{r.pk}/qr.svg",
             f"/surveys/rounds/{r.pk}/progress/", f"/surveys/rounds/{r.pk}/invitations/"]
    for url in pages + ["/surveys/rounds/", "/surveys/rounds/new/", "/surveys/results/"]:
        assert client_for(unit_a).get(url).status_code == 200, url
        assert client_for(district_a).get(url).status_code == 200, url
        assert client_for(dept_ga).get(url).status_code == 403, url
    for url in pages:
        assert client_for(district_b).get(url).status_code == 404, url
        assert client_for(unit_a2).get(url).status_code == 404, url
    assert r.title not in client_for(district_b).get("/surveys/rounds/").content.decode()
    assert client_for(city_admin).get(f"/surveys/rounds/{r.pk}/").status_code == 200
    assert client_for(unit_a).get(f"/surveys/rounds/{r.pk}/qr.svg")["Content-Type"] == "image/svg+xml"


def test_designer_pages_are_for_offices(shipped, client_for, unit_a, district_a, district_b, city_admin):
    q = shipped["kap"]
    for url in ("/surveys/questionnaires/", f"/surveys/questionnaires/{q.pk}/", "/surveys/questionnaires/new/"):
        assert client_for(city_admin).get(url).status_code == 200, url
        assert client_for(district_a).get(url).status_code == 200, url  # a district runs the city's templates
        assert client_for(unit_a).get(url).status_code == 403, url
    own = services.questionnaire_save(questionnaire=Questionnaire(org_unit=district_a.org_unit, title="区问卷",
                                                                  kind="other"), actor=district_a)
    assert client_for(district_b).get(f"/surveys/questionnaires/{own.pk}/").status_code == 404
    assert client_for(district_a).get(f"/surveys/questionnaires/{own.pk}/").status_code == 200


def test_a_district_designs_publishes_and_versions_a_questionnaire(tree, client_for, district_a):
    c = client_for(district_a)
    r = c.post("/surveys/questionnaires/new/", {"title": "防溺水知晓调查", "kind": "awareness", "introduction": "",
                                                "asks_sex_and_age": "on"})
    q = Questionnaire.objects.get(title="防溺水知晓调查")
    assert r.status_code == 302 and q.org_unit == district_a.org_unit and q.status == "draft"
    # bad input: a choice question with one option names the field and saves nothing
    bad = c.post(f"/surveys/questionnaires/{q.pk}/questions/new/", {"order": 1, "code": "Q1", "text": "知道吗？",
                                                                     "kind": "single", "required": "on",
                                                                     "indicator": "awareness", "options": "1|是*"})
    assert "选择题至少需要两个选项" in bad.content.decode()
    assert not Question.objects.filter(questionnaire=q).exists()
    c.post(f"/surveys/questionnaires/{q.pk}/questions/new/", {"order": 1, "code": "Q1", "text": "知道吗？",
                                                               "kind": "single", "required": "on",
                                                               "indicator": "awareness", "options": "1|是*\n2|否"})
    q1 = Question.objects.get(questionnaire=q, code="Q1")
    c.post(f"/surveys/questionnaires/{q.pk}/questions/new/", {"order": 2, "code": "Q2", "text": "从哪里知道？",
                                                               "kind": "text", "show_if_question": q1.pk,
                                                               "show_if_value": "1"})
    assert [c.is_positive for c in q1.choices.all()] == [True, False]
    assert Question.objects.get(questionnaire=q, code="Q2").show_if_question == q1
    c.post(f"/surveys/questionnaires/{q.pk}/publish/")
    q.refresh_from_db()
    assert q.status == "published"
    # frozen: no edit of questions, through the page or the service
    c.post(f"/surveys/questions/{q1.pk}/edit/", {"order": 1, "code": "Q1", "text": "改了", "kind": "single",
                                                 "options": "1|是*\n2|否"})
    q1.refresh_from_db()
    assert q1.text == "知道吗？"
    with pytest.raises(ValidationError):
        services.question_delete(question=q1, actor=district_a)
    # a new version copies the questions (and the skip rule) as a draft
    c.post(f"/surveys/questionnaires/{q.pk}/new-version/")
    v2 = Questionnaire.objects.get(family=q.family, version=2)
    assert v2.status == "draft"
    assert v2.questions.get(code="Q2").show_if_question == v2.questions.get(code="Q1")
    c.post(f"/surveys/questionnaires/{v2.pk}/publish/")
    q.refresh_from_db()
    assert q.status == "retired"


def test_a_round_needs_a_published_questionnaire_and_computes_its_sample(shipped, unit_a, client_for):
    from safecommunity.injuries.models import Population, PopulationCount

    pop = Population.objects.create(org_unit=unit_a.org_unit, year=2026)
    PopulationCount.objects.create(population=pop, sex="M", age_band="25-44", count=20_000)
    Population.objects.filter(pk=pop.pk).update(total=20_000)
    c = client_for(unit_a)
    c.post("/surveys/rounds/new/", {"questionnaire": shipped["awareness"].pk, "title": "2026年知晓率调查",
                                    "starts_on": "2026-03-01", "ends_on": "2026-03-31", "margin": "0.05",
                                    "sampling": "simple", "design_effect": "1", "recall_months": 12})
    r = unit_a.org_unit and shipped["awareness"].rounds.get()
    assert r.population == 20_000
    page = c.get(r.get_absolute_url()).content.decode()
    assert "n = 377" in page and "384" in page
    draft = Questionnaire.objects.create(org_unit=shipped["kap"].org_unit, family="x", title="草稿", kind="kap")
    bad = c.post("/surveys/rounds/new/", {"questionnaire": draft.pk, "title": "x", "starts_on": "2026-03-01",
                                          "ends_on": "2026-02-01", "margin": "0.05", "sampling": "simple",
                                          "design_effect": "1", "recall_months": 12})
    assert bad.status_code == 200
    assert "结束日期不能早于开始日期" in bad.content.decode() or "questionnaire" in bad.content.decode()
    assert shipped["awareness"].rounds.count() == 1


def test_an_interviewer_enters_a_household_and_gets_the_incidence(make_round, client_for, unit_a):
    r = make_round("household")
    c = client_for(unit_a)
    form = {"q_H1": "1", "q_H2": "1", "q_H3": "1", "household_label": "A-001", "sex": "F", "age_band": "45-59",
            "m-TOTAL_FORMS": "8", "m-INITIAL_FORMS": "0", "i-TOTAL_FORMS": "4", "i-INITIAL_FORMS": "0",
            "m-0-sex": "M", "m-0-age": "70", "m-1-sex": "F", "m-1-age": "68", "m-2-sex": "F", "m-2-age": "8",
            "i-0-member": "1", "i-0-mechanism": "fall", "i-0-place": "home", "i-0-severity": "mild",
            "i-1-member": "3", "i-1-mechanism": "burn", "i-1-place": "home", "i-1-severity": "first_aid"}
    # bad input: an injury of a member who does not exist — named, nothing saved
    bad = c.post(f"/surveys/rounds/{r.pk}/interview/", {**form, "i-1-member": "5"})
    assert "第 5 名成员的伤害：没有这名成员" in bad.content.decode()
    assert not Response.objects.exists()
    assert c.post(f"/surveys/rounds/{r.pk}/interview/", form).status_code == 302
    # a second household of 4 without injuries
    second = {**form, "q_H2": "2", "q_H3": "", "m-2-sex": "M", "m-2-age": "40", "m-3-sex": "F", "m-3-age": "12",
              "i-0-member": "", "i-1-member": ""}
    assert c.post(f"/surveys/rounds/{r.pk}/interview/", second).status_code == 302
    response = Response.objects.filter(round=r).first()
    assert response.channel == Response.Channel.INTERVIEW and response.interviewer == unit_a
    page = c.get(f"/surveys/rounds/{r.pk}/results/")
    text = page.content.decode()
    # 2 injuries among 7 persons in 12 months: 285.7 per 1,000; Byar's limits of 2 are 0.225 and 7.22
    assert "285.7‰（95%CI 32.1–1031.6）" in text
    assert "跌倒/坠落" in text and "入户调查" in text and "医院监测" in text
    pdf = c.get(f"/surveys/rounds/{r.pk}/results/?export=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = c.get(f"/surveys/rounds/{r.pk}/results/?export=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.worksheets[1].cell(2, 3).value == 2


def test_results_count_indicators_with_intervals_and_the_change(make_round, unit_a, client_for, district_a):
    before = make_round(starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 31), title="2025")
    after = make_round(title="2026")
    for r, yes in ((before, 6), (after, 9)):
        for i in range(10):
            services.interview_response_submit(
                survey_round=r, actor=unit_a, sex="F" if i % 2 else "M", age_band="25-44",
                answers={"W1": ["1" if i < yes else "2"], "W2": ["2"], "J1": ["1" if i < 3 else "2"]})
    page = client_for(unit_a).get(f"/surveys/rounds/{after.pk}/results/").content.decode()
    # 知晓率 pools W1 and W2: 9 of 20 answers; W1 alone 9/10
    assert "知晓率" in page and "45.0%" in page and "90.0%" in page
    assert "参与率" in page and "30.0%" in page
    assert "与上一轮" in page and "p=" in page
    rollup = client_for(district_a).get("/surveys/results/?year=2026").content.decode()
    assert "45.0%（25.8–65.8%）n=20" in rollup  # unit, district and city rows
    assert rollup.count("45.0%（25.8–65.8%）n=20") == 5  # unit, district, city; all and 25-44 in the breakdown
    assert "女 40.0%" in rollup  # by sex: 4 of the 10 answers of women are positive
    xlsx = client_for(district_a).get("/surveys/results/?year=2026&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:5] == ["市", None, 20, 9, 45.0]


def test_paper_forms_import_all_or_nothing(make_round, unit_a, client_for):
    r = make_round()
    c = client_for(unit_a)
    template = c.get(f"/surveys/rounds/{r.pk}/import/?template=1")
    wb = openpyxl.load_workbook(io.BytesIO(template.content))
    ws = wb.active
    headers = [cell.value for cell in ws[1]]
    assert headers[:2] == ["性别", "年龄组"] and "W1" in headers
    ws.delete_rows(2)
    col = {h: i for i, h in enumerate(headers)}

    def row(**values):
        out = [""] * len(headers)
        for k, v in values.items():
            out[col[k]] = v
        return out

    ws.append(row(**{"性别": "男", "年龄组": "25-44", "W1": "1", "W2": "1", "W3": "1,3", "J1": "2"}))
    ws.append(row(**{"性别": "女", "年龄组": "60-74", "W1": "7", "W2": "2", "J1": "2"}))
    buf = io.BytesIO()
    wb.save(buf)
    bad = c.post(f"/surveys/rounds/{r.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", buf.getvalue())})
    text = bad.content.decode()
    assert "第 3 行" in text and "W1：请选择一个选项" in text
    assert not Response.objects.exists()
    ws.delete_rows(3)
    buf = io.BytesIO()
    wb.save(buf)
    ok = c.post(f"/surveys/rounds/{r.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", buf.getvalue())})
    assert ok.status_code == 302
    response = Response.objects.get()
    assert response.channel == Response.Channel.PAPER and response.sex == "M"
    assert sorted(response.answers.filter(question__code="W3").values_list("value", flat=True)) == ["1", "3"]


def test_surveys_feed_the_scorecard_evidence_and_monthly_report(make_round, unit_a):
    r = make_round()
    cu = unit_a.org_unit.creating_unit if hasattr(unit_a.org_unit, "creating_unit") else None
    services.interview_response_submit(survey_round=r, actor=unit_a, answers={"W1": ["1"], "W2": ["1"],
                                                                              "W3": ["2"], "J1": ["2"]})
    from safecommunity.orgunits.models import CreatingUnit

    cu = cu or CreatingUnit.objects.create(org_unit=unit_a.org_unit)
    assert obligations.count_rounds(creating_unit_ids=[cu.pk], year=2026) == {cu.pk: 1}
    assert obligations.count_rounds(creating_unit_ids=[cu.pk], year=2025) == {}
    figures = monthly_figures.monthly_figures(creating_unit_ids=[cu.pk], period=date.today().replace(day=1))
    assert figures == {cu.pk: {"survey_responses": 1}}
    items = evidence.evidence(creating_unit=cu, element="E03", year=2026)
    assert len(items) == 1 and "知晓率 100.0%" in items[0]["value"] and items[0]["url"].endswith("/results/")
    assert evidence.evidence(creating_unit=cu, element="E05") == []


def test_api_is_scoped(make_round, api_client_for, unit_a, district_b, dept_ga):
    r = make_round()
    assert api_client_for(unit_a).get(f"/api/v1/survey-rounds/{r.pk}/results/").status_code == 200
    assert api_client_for(district_b).get(f"/api/v1/survey-rounds/{r.pk}/").status_code == 404
    assert api_client_for(dept_ga).get("/api/v1/survey-rounds/").status_code == 403


def test_household_paper_forms_import_with_members_and_injuries(make_round, unit_a, client_for):
    from safecommunity.core.excel import workbook_bytes
    from safecommunity.surveys import imports
    from safecommunity.surveys.models import HouseholdInjury, HouseholdMember

    r = make_round("household")
    headers = imports.headers(r.questionnaire)
    assert headers[:5] == ["性别", "年龄组", "住户编号", "家庭成员", "伤害"]
    good = ["女", "45-59", "B-01", "男70,女68", "1:跌倒/坠落:家中:轻度", "1", "1", "1"]
    bad = ["女", "45-59", "B-02", "男70", "1:摔倒:家中:轻度", "1", "1", "1"]
    data = workbook_bytes([("x", headers, [good, bad])])
    result = imports.import_responses(survey_round=r, data=data, actor=unit_a)
    assert result.created == 0 and len(result.errors) == 1
    assert "第 3 行" in result.errors[0] and "“摔倒”不在伤害编码字典中" in result.errors[0]
    assert not HouseholdMember.objects.exists()
    result = imports.import_responses(survey_round=r, data=workbook_bytes([("x", headers, [good])]), actor=unit_a)
    assert result.created == 1 and not result.errors
    assert HouseholdMember.objects.count() == 2
    injury = HouseholdInjury.objects.get()
    assert injury.member.age == 70 and injury.mechanism.code == "fall" and injury.severity.code == "mild"


def test_a_round_with_answers_keeps_its_questionnaire(make_round, shipped, unit_a, client_for):
    r = make_round()
    services.interview_response_submit(survey_round=r, actor=unit_a, answers={"W1": ["1"], "W2": ["2"], "J1": ["2"]})
    page = client_for(unit_a).get(f"/orgunits/{unit_a.org_unit.code}/")  # the unit's page lists the round
    assert page.status_code == 200 and r.title in page.content.decode()
    r.questionnaire = shipped["kap"]
    with pytest.raises(ValidationError):
        services.round_save(survey_round=r, actor=unit_a)


def test_the_import_page_refuses_a_spreadsheet_bomb_before_reading_it(make_round, unit_a, client_for):
    """The two-cell sheet spanning A1:XFD1048576 (which makes the reader abort the process) gets
    the guard's message on the page; nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safecommunity.core.testing import sheet_xlsx
    from safecommunity.surveys.models import Response

    r = make_round()
    bomb = SimpleUploadedFile("bomb.xlsx", sheet_xlsx({"A1": "x", "XFD1048576": "y"}))
    response = client_for(unit_a).post(f"/surveys/rounds/{r.pk}/import/", {"file": bomb})
    assert response.status_code == 200
    assert "bomb.xlsx" in response.content.decode() and "1,048,576" in response.content.decode()
    assert not Response.objects.filter(round=r).exists()
