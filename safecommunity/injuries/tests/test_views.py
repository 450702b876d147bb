"""Pages and API: scoping (other district 404, wrong role 403), bad input names the field and
saves nothing, and personal data masked for everyone but the recording unit."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from safecommunity.injuries import services
from safecommunity.injuries.models import ImportBatch, InjuryRecord, NilReport, ReportingSource

NAME, ID, PHONE = "王小明", "11010519491231002X", "13812345678"


@pytest.fixture
def rec(unit_a, record_kwargs):
    day = date.today() - timedelta(days=3)
    from safecommunity.injuries import rules

    age = rules.age_on(date(1949, 12, 31), day)
    return services.record_save(actor=unit_a, record=InjuryRecord(**record_kwargs(occurred_on=day, age=age)),
                                name=NAME, id_number=ID, phone=PHONE)


@pytest.fixture
def pop(unit_a, tree):
    return services.population_save(actor=unit_a, org_unit=tree["500103003"], year=2024, counts={("M", "0-4"): 10})


@pytest.fixture
def nil(unit_a, tree, code):
    from safecommunity.injuries import choices

    return services.nil_report_create(actor=unit_a, org_unit=tree["500103003"],
                                      safety_area=code(choices.SAFETY_AREA, "water"), month=date(2024, 1, 1))


@pytest.fixture
def batch(unit_a, tree):
    from safecommunity.archive.models import Attachment

    att = Attachment.objects.create(org_unit=tree["500103003"], original_name="x.xlsx", size=1, sha256="0" * 64)
    return ImportBatch.objects.create(org_unit=tree["500103003"], attachment=att, file_name="x.xlsx",
                                      checksum="0" * 64, status="failed", errors=[{"row": 2, "column": "年龄", "reason": "x"}])


def status(client, url, method="get"):
    return getattr(client, method)(url).status_code


@pytest.mark.django_db
def test_list_pages_by_role(client_for, unit_a, district_a, city_admin, dept_ga, expert, sysadmin):
    pages = ["/injuries/", "/injuries/nil/", "/injuries/population/", "/injuries/analysis/", "/injuries/effect/"]
    for url in pages:
        for user in (unit_a, district_a, city_admin, dept_ga):
            assert status(client_for(user), url) == 200, (url, user)
        for user in (expert, sysadmin):
            assert status(client_for(user), url) == 403, (url, user)
    for url in ("/injuries/sources/", "/injuries/imports/"):
        assert status(client_for(unit_a), url) == 200
        assert status(client_for(dept_ga), url) == 403
    for url in ("/injuries/records/new/", "/injuries/nil/new/", "/injuries/imports/new/"):
        assert status(client_for(unit_a), url) == 200
        assert status(client_for(district_a), url) == 200
        assert status(client_for(city_admin), url) == 403
        assert status(client_for(dept_ga), url) == 403
    assert status(client_for(city_admin), "/injuries/population/new/") == 200
    assert status(client_for(dept_ga), "/injuries/population/new/") == 403


@pytest.mark.django_db
def test_object_pages_other_district_404(client_for, rec, pop, nil, batch, sources, district_b, unit_a2, unit_a, expert):
    urls = [f"/injuries/records/{rec.pk}/", f"/injuries/records/{rec.pk}/edit/", f"/injuries/records/{rec.pk}/delete/",
            f"/injuries/sources/{sources['500103003'].pk}/", f"/injuries/nil/{nil.pk}/delete/",
            f"/injuries/population/{pop.pk}/", f"/injuries/imports/{batch.pk}/", f"/injuries/imports/{batch.pk}/errors.xlsx",
            "/injuries/analysis/?unit=500103003"]
    for url in urls:
        assert status(client_for(district_b), url) == 404, url
        assert status(client_for(unit_a), url) == 200, url
        assert status(client_for(expert), url) == 403, url
    assert status(client_for(unit_a2), f"/injuries/records/{rec.pk}/") == 404
    assert status(client_for(unit_a2), "/injuries/analysis/?unit=500103003") == 404
    assert status(client_for(unit_a), "/injuries/analysis/?unit=500103") == 404  # a unit cannot open its district
    assert status(client_for(district_b), "/injuries/analysis/?unit=500103") == 404
    assert status(client_for(district_b), "/injuries/analysis/?unit=999999") == 404
    # Deleting out of scope changes nothing.
    assert client_for(district_b).post(f"/injuries/records/{rec.pk}/delete/").status_code == 404
    assert client_for(district_b).post(f"/injuries/nil/{nil.pk}/delete/").status_code == 404
    assert InjuryRecord.objects.filter(pk=rec.pk).exists() and NilReport.objects.filter(pk=nil.pk).exists()


@pytest.mark.django_db
def test_department_sees_records_of_its_areas_only(client_for, rec, dept_ga, record_kwargs, unit_a, code):
    from safecommunity.injuries import choices

    assert status(client_for(dept_ga), f"/injuries/records/{rec.pk}/") == 404  # home: not 公安's area
    traffic = services.record_save(actor=unit_a, record=InjuryRecord(**record_kwargs(
        safety_area=code(choices.SAFETY_AREA, "traffic"))))
    assert status(client_for(dept_ga), f"/injuries/records/{traffic.pk}/") == 200
    page = client_for(dept_ga).get("/injuries/").content.decode()
    assert f"/injuries/records/{traffic.pk}/" in page and f"/injuries/records/{rec.pk}/" not in page


@pytest.mark.django_db
def test_create_form_bad_input_names_field_and_saves_nothing(client_for, unit_a, record_kwargs):
    kw = record_kwargs()
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in kw.items()}
    data["occurred_on"] = (date.today() + timedelta(days=2)).isoformat()
    data["age"] = 150
    resp = client_for(unit_a).post("/injuries/records/new/", data)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "将来的日期" in body and "年龄应在 0 至 120 岁之间" in body
    assert not InjuryRecord.objects.exists()
    data["occurred_on"], data["age"] = kw["occurred_on"].isoformat(), 30
    resp = client_for(unit_a).post("/injuries/records/new/", data)
    assert resp.status_code == 302 and InjuryRecord.objects.count() == 1


@pytest.mark.django_db
def test_unit_user_cannot_post_into_another_unit(client_for, unit_a2, record_kwargs):
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in record_kwargs().items()}
    resp = client_for(unit_a2).post("/injuries/records/new/", data)
    assert resp.status_code == 200 and not InjuryRecord.objects.exists()  # 解放碑 is not a choice for 七星岗


@pytest.mark.django_db
def test_personal_data_masked_for_all_but_the_recording_unit(client_for, rec, unit_a, district_a, city_admin):
    page = client_for(unit_a).get(f"/injuries/records/{rec.pk}/").content.decode()
    assert NAME in page and ID in page and PHONE in page
    for user in (district_a, city_admin):
        page = client_for(user).get(f"/injuries/records/{rec.pk}/").content.decode()
        assert NAME not in page and ID not in page and PHONE not in page
        assert "王**" in page and "110***********002X" in page and "138****5678" in page
        listing = client_for(user).get("/injuries/").content.decode()
        assert NAME not in listing and "王**" in listing
        # Nobody else may open the edit form (it would show the values), nor is it offered.
        assert status(client_for(user), f"/injuries/records/{rec.pk}/edit/") == 403
        assert f"/injuries/records/{rec.pk}/edit/" not in page
    # The database holds ciphertext only.
    raw = InjuryRecord.objects.values("name_cipher", "id_number_cipher", "phone_cipher").get(pk=rec.pk)
    assert all(v.startswith("g2:") for v in raw.values()) and NAME not in str(raw) and ID not in str(raw)  # AES-GCM tokens


def _export(client):
    resp = client.get("/injuries/?export=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    return [[c.value for c in r] for r in ws.iter_rows()]


@pytest.mark.django_db
def test_export_masks_personal_data(client_for, rec, unit_a, district_a):
    own = _export(client_for(unit_a))
    assert NAME in own[1] and ID in own[1] and PHONE in own[1]
    other = _export(client_for(district_a))
    assert len(other) == 2 and NAME not in other[1] and "王**" in other[1] and "138****5678" in other[1]


@pytest.mark.django_db
def test_api_masks_and_scopes(api_client_for, rec, unit_a, district_a, district_b, city_admin, expert):
    own = api_client_for(unit_a).get(f"/api/v1/injuries/records/{rec.pk}/").json()
    assert own["personal"] == {"name": NAME, "id_number": ID, "phone": PHONE}
    for user in (district_a, city_admin):
        data = api_client_for(user).get(f"/api/v1/injuries/records/{rec.pk}/").json()
        assert data["personal"]["name"] == "王**" and data["personal"]["phone"] == "138****5678"
        assert ID not in str(data)
    assert api_client_for(district_b).get(f"/api/v1/injuries/records/{rec.pk}/").status_code == 404
    assert api_client_for(district_b).get("/api/v1/injuries/records/").json()["count"] == 0
    assert api_client_for(district_a).get("/api/v1/injuries/records/").json()["count"] == 1
    assert api_client_for(expert).get("/api/v1/injuries/records/").status_code == 403
    assert api_client_for(district_b).delete(f"/api/v1/injuries/records/{rec.pk}/").status_code == 404
    assert InjuryRecord.objects.filter(pk=rec.pk).exists()


@pytest.mark.django_db
def test_api_create_uses_the_rules(api_client_for, unit_a, dept_ga, sources):
    payload = {"org_unit": "500103003", "occurred_on": (date.today() - timedelta(days=1)).isoformat(), "age": 130,
               "sex": "F", "safety_area": "home", "place": "home", "activity": "housework", "mechanism": "fall",
               "intent": "unintentional", "severity": "death", "outcome": "recovered",
               "source": sources["500103003"].pk, "name": "李四"}
    resp = api_client_for(unit_a).post("/api/v1/injuries/records/", payload, format="json")
    assert resp.status_code == 400
    assert "120" in resp.json()["age"][0] and "痊愈" in resp.json()["outcome"][0]
    assert not InjuryRecord.objects.exists()
    payload.update(age=80, severity="severe", outcome="hospitalised")
    resp = api_client_for(unit_a).post("/api/v1/injuries/records/", payload, format="json")
    assert resp.status_code == 201, resp.json()
    assert resp.json()["personal"]["name"] == "李四" and resp.json()["age_band"] == "75+"
    assert api_client_for(dept_ga).post("/api/v1/injuries/records/", payload, format="json").status_code == 403
    payload["source"] = sources["500106001"].pk
    assert api_client_for(unit_a).post("/api/v1/injuries/records/", payload, format="json").status_code == 400


@pytest.mark.django_db
def test_api_population_sources_statistics(api_client_for, rec, pop, unit_a, district_b, dept_ga, expert):
    assert len(api_client_for(unit_a).get("/api/v1/injuries/population/").json()["results"]) == 1
    assert len(api_client_for(district_b).get("/api/v1/injuries/population/").json()["results"]) == 0
    assert len(api_client_for(district_b).get("/api/v1/injuries/sources/").json()["results"]) == 1
    assert api_client_for(dept_ga).get("/api/v1/injuries/sources/").status_code == 403
    stats = api_client_for(unit_a).get(f"/api/v1/injuries/statistics/?year={rec.occurred_on.year}").json()
    assert stats["unit"] == "500103003" and stats["total"] == 1
    assert api_client_for(district_b).get("/api/v1/injuries/statistics/?unit=500103").status_code == 404
    assert api_client_for(expert).get("/api/v1/injuries/statistics/").status_code == 403
    assert api_client_for(unit_a).get("/api/v1/injuries/statistics/?area=nonsense").status_code == 400


@pytest.mark.django_db
def test_analysis_page_and_export(client_for, rec, unit_a, city_admin):
    year = rec.occurred_on.year
    page = client_for(unit_a).get(f"/injuries/analysis/?year={year}").content.decode()
    assert 'id="kpi-total">1<' in page and "本年度没有人口数据" in page
    resp = client_for(city_admin).get(f"/injuries/analysis/?year={year}&export=xlsx")
    wb = load_workbook(io.BytesIO(resp.content))
    assert "安全领域" in wb.sheetnames and "区县" not in wb.sheetnames[:1]
    page = client_for(city_admin).get(f"/injuries/analysis/?year={year}").content.decode()
    assert 'id="rate-map"' in page and "解放碑街道 (1)" in page  # population missing named


@pytest.mark.django_db
def test_effect_page(client_for, unit_a, district_b, tree):
    q = ("/injuries/effect/?units={u}&before_start=2022-01-01&before_end=2022-12-31"
         "&after_start=2023-01-01&after_end=2023-12-31")
    page = client_for(unit_a).get(q.format(u=tree["500103003"].pk)).content.decode()
    assert "缺少人口数据" in page
    # A unit of another district is not a valid choice.
    page = client_for(district_b).get(q.format(u=tree["500103003"].pk)).content.decode()
    assert 'id="effect-result"' not in page and "有效的选项" in page
    page = client_for(unit_a).get(q.format(u=tree["500103003"].pk).replace("after_start=2023-01-01", "after_start=2022-06-01")).content.decode()
    assert "相互重叠" in page


@pytest.mark.django_db
def test_sources_this_month(client_for, rec, sources, unit_a):
    ReportingSource.objects.create(org_unit=sources["500103003"].org_unit, name="学校", kind=sources["500103003"].kind)
    page = client_for(unit_a).get("/injuries/sources/").content.decode()
    assert "未报告" in page
    if rec.occurred_on.month == date.today().month:
        assert "已报告" in page and "2 个在用信息来源中已有 1 个报告" in page


@pytest.mark.django_db
def test_population_form(client_for, unit_a, unit_b, tree):
    data = {"org_unit": tree["500103003"].pk, "year": 2024, "c_M_0_4": 100, "c_F_75plus": 50}
    assert client_for(unit_a).post("/injuries/population/new/", data).status_code == 302
    from safecommunity.injuries.models import Population

    assert Population.objects.get().total == 150
    resp = client_for(unit_a).post("/injuries/population/new/", {**data, "year": 1980})
    assert resp.status_code == 200 and Population.objects.count() == 1
    resp = client_for(unit_b).post("/injuries/population/new/", data)
    assert resp.status_code == 200 and Population.objects.get().total == 150


@pytest.mark.django_db
def test_unit_panel(client_for, rec, unit_a):
    page = client_for(unit_a).get("/orgunits/500103003/").content.decode()
    assert "伤害监测" in page and "本年例数" in page


@pytest.mark.django_db
def test_save_and_enter_another(client_for, unit_a, record_kwargs):
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in record_kwargs().items()}
    resp = client_for(unit_a).post("/injuries/records/new/", {**data, "save_add": "1"})
    assert resp.status_code == 302 and resp["Location"] == "/injuries/records/new/"
    assert InjuryRecord.objects.count() == 1


@pytest.mark.django_db
def test_sources_page_counts_this_months_records_only(client_for, district_a, make_record, sources):
    """The monitoring network page: records of this month per source, and how many active sources
    have reported, whatever older records there are."""
    import re

    today = date.today()
    make_record(occurred_on=today)
    make_record(occurred_on=today)
    make_record(occurred_on=today.replace(day=1) - timedelta(days=1))  # last month
    make_record("500103001", occurred_on=today.replace(day=1) - timedelta(days=40))
    html = client_for(district_a).get("/injuries/sources/").content.decode()
    assert "2 个在用信息来源中已有 1 个报告" in html
    rows = {name: cells for name, cells in re.findall(r"<tr>.*?(医院\d+).*?</td>(.*?)</tr>", html, re.S)}
    assert set(rows) == {"医院500103003", "医院500103001"}
    assert re.search(r">\s*2\s*<", rows["医院500103003"]) and "已报告" in rows["医院500103003"]
    assert re.search(r">\s*0\s*<", rows["医院500103001"]) and "未报告" in rows["医院500103001"]
