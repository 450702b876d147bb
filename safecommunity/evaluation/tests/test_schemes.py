"""Schemes loaded from Excel (checked as one unit, versioned, exported back), schemes that
cannot be chosen, scoring against evidence, consolidation, the dossier and the crosswalk."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from safecommunity.core.excel import workbook_bytes
from safecommunity.core.testing import fetch_file
from safecommunity.evaluation import scheme_excel, services
from safecommunity.evaluation.models import Application, Scheme

from .conftest import score_all

# items per element: 50 in all
SPLIT = {"E01": 5, "E02": 4, "E03": 5, "E04": 3, "E05": 6, "E06": 4, "E07": 5, "E08": 4, "E09": 3, "E10": 3,
         "E11": 4, "E12": 4}
NO_EVIDENCE_PART = 20  # this item has no 痕迹 part: presence 1.2 + effect 1.8


def item_rows():
    rows, n = [], 0
    for code, count in SPLIT.items():
        for _k in range(count):
            n += 1
            if n == NO_EVIDENCE_PART:
                rows.append([code, n, "", f"第{n}项 条目内容", "相关记录", 1.2, None, 1.8, "有无/效果"])
            else:
                rows.append([code, n, "", f"第{n}项 条目内容", "相关记录", 0.8, 1.0, 1.2, "有无/痕迹/效果"])
    return rows


def settings_rows(code="cq-official", total=150, pass_total=100, rectify=75, name="重庆市安全社区评定标准（正式）"):
    values = [code, name, "city", total, pass_total, rectify, "是", 100, 70, 30, 0, "由市安委办发布"]
    return [[label, v] for (_k, label), v in zip(scheme_excel.setting_rows(), values, strict=True)]


def workbook(items=None, **settings):
    return workbook_bytes([("方案", ["项目", "值"], settings_rows(**settings)),
                           ("条目", scheme_excel.item_headers(), item_rows() if items is None else items)])


@pytest.fixture
def loaded(city_admin):
    return services.scheme_import(actor=city_admin, data=workbook())


def test_a_50_item_scheme_loads_from_excel(loaded):
    items = list(loaded.items.select_related("element"))
    assert len(items) == 50 and loaded.total_points == Decimal("150") == loaded.declared_total
    assert {i.element.code for i in items} == set(SPLIT)
    odd = loaded.items.get(number=NO_EVIDENCE_PART)
    assert odd.parts == ("presence", "effect") and odd.max_points == Decimal("3")
    assert loaded.usable and loaded.problems() == []
    assert (loaded.pass_total, loaded.rectify_total, loaded.version) == (Decimal("100"), Decimal("75"), 1)
    # an item without its evidence part takes no grade there
    assert services.item_points(loaded, odd, "a", "", "b") == Decimal("2.46")  # 1.2 + 1.8 × 70 %


def messages_of(exc):
    return " ".join(exc.value.messages)


@pytest.mark.parametrize("case", ["sum", "element", "duplicate"])
def test_broken_tables_are_refused_naming_the_problem(city_admin, case):
    rows = item_rows()
    if case == "sum":
        rows[9][5] = 0.3  # item 10 now 2.5 points: 149.5 in all
        expected = ["149.5", "150"]
    elif case == "element":
        rows = [r if r[0] != "E12" else ["E11", *r[1:]] for r in rows]
        expected = ["E12", "要素"]
    else:
        rows[7][1] = 7  # row 9 repeats number 7 (row 8)
        expected = ["7", "8", "9"]
    before = Scheme.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.scheme_import(actor=city_admin, data=workbook(items=rows))
    text = messages_of(exc)
    for fragment in expected:
        assert fragment in text, text
    assert Scheme.objects.count() == before  # nothing saved


def test_thresholds_must_lie_within_the_total(city_admin):
    with pytest.raises(ValidationError) as exc:
        services.scheme_import(actor=city_admin, data=workbook(pass_total=160))
    assert "160" in messages_of(exc) and "150" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.scheme_import(actor=city_admin, data=workbook(rectify=120))
    assert "120" in messages_of(exc)


def test_not_a_workbook_is_refused(city_admin):
    with pytest.raises(ValidationError) as exc:
        services.scheme_import(actor=city_admin, data=b"not excel")
    assert ".xlsx" in messages_of(exc)


def test_only_the_city_loads_schemes(unit_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.scheme_import(actor=unit_a, data=workbook())


def test_export_gives_back_the_same_table(loaded):
    parsed = scheme_excel.parse(scheme_excel.workbook(loaded))
    assert parsed.errors == []
    assert len(parsed.items) == 50 and parsed.settings["declared_total"] == Decimal("150")
    odd = next(i for i in parsed.items if i["number"] == NO_EVIDENCE_PART)
    assert (odd["presence_points"], odd["evidence_points"], odd["effect_points"]) == (
        Decimal("1.2"), Decimal("0"), Decimal("1.8"))


def test_a_scheme_in_use_is_never_changed_a_new_version_is_made(loaded, launched_a, unit_a, city_admin, client_for):
    app = services.application_create(creating_unit=launched_a, actor=unit_a, scheme=loaded)
    rows = item_rows()
    rows[2][3] = "第3项 修订后的条目内容"
    v2 = services.scheme_import(actor=city_admin, data=workbook(items=rows, pass_total=105))
    loaded.refresh_from_db()
    assert v2.pk != loaded.pk and v2.version == 2 and v2.previous == loaded and v2.family == loaded.family
    assert loaded.items.get(number=3).text == "第3项 条目内容" and loaded.pass_total == Decimal("100")
    assert not loaded.is_active and Application.objects.get(pk=app.pk).scheme == loaded
    diff = services.scheme_diff(loaded, v2)
    assert [c["number"] for c in diff["changed"]] == [3]
    assert [str(r["field"]) for r in diff["rules"]] and not diff["added"] and not diff["removed"]
    page = client_for(city_admin).get(f"/evaluation/schemes/{v2.pk}/diff/").content.decode()
    assert "第3项 修订后的条目内容" in page and "diff-changed" in page
    # editing an item of the scheme in use is refused
    item = loaded.items.get(number=1)
    item.text = "改"
    with pytest.raises(ValidationError):
        services.scheme_item_save(actor=city_admin, item=item)


def test_an_unused_scheme_is_replaced_in_place(loaded, city_admin):
    again = services.scheme_import(actor=city_admin, data=workbook(name="改名"))
    assert again.pk == loaded.pk and again.name == "改名" and again.items.count() == 50


def test_scheme_pages(loaded, client_for, city_admin, unit_a, launched_a, city_admin_client=None):
    c = client_for(city_admin)
    r = c.get("/evaluation/schemes/template.xlsx")
    assert r.status_code == 200 and CalamineWorkbook.from_filelike(io.BytesIO(r.content)).sheet_names[:2]
    r = c.get(f"/evaluation/schemes/{loaded.pk}/export.xlsx")
    assert r.status_code == 200 and scheme_excel.parse(r.content).errors == []
    # a broken upload shows every problem and keeps nothing
    rows = item_rows()
    rows[7][1] = 7
    r = c.post("/evaluation/schemes/import/", {"file": SimpleUploadedFile("t.xlsx", workbook(items=rows, code="x2"))})
    assert r.status_code == 200 and "import-errors" in r.content.decode() and not Scheme.objects.filter(code="x2")
    r = c.post("/evaluation/schemes/import/", {"file": SimpleUploadedFile("t.xlsx", workbook(code="x3"))})
    assert r.status_code == 302 and Scheme.objects.filter(code="x3").exists()
    assert client_for(unit_a).get("/evaluation/schemes/import/").status_code == 403
    # the national scheme's page says why it cannot be chosen
    national = Scheme.objects.get(code="national-onsite")
    national.items.filter(number=9).update(text="【待补充】x", is_placeholder=True)
    body = c.get(national.get_absolute_url()).content.decode()
    assert "scheme-problems" in body and "【待补充】" in body
    assert "scheme-usable" in c.get(loaded.get_absolute_url()).content.decode()


def test_a_broken_scheme_cannot_be_chosen(launched_a, unit_a, city_admin, client_for):
    broken = Scheme.objects.create(code="broken", family="broken", name="示例", purpose="city",
                                   pass_total=Decimal("90"), declared_total=Decimal("100"))
    from safecommunity.evaluation.models import SchemeItem

    for n in range(1, 21):  # 20 × 2.5 = 50, not 100
        SchemeItem.objects.create(scheme=broken, number=n, text=f"条目{n}", presence_points=Decimal("1"),
                                  evidence_points=Decimal("1"), effect_points=Decimal("0.5"))
    assert any("50" in p and "100" in p for p in broken.problems())
    assert any("90" in p for p in broken.problems()) and not broken.usable
    with pytest.raises(ValidationError) as exc:
        services.application_create(creating_unit=launched_a, actor=unit_a, scheme=broken)
    assert "50" in messages_of(exc)
    page = client_for(unit_a).get("/evaluation/apply/").content.decode()
    options = page.split('name="scheme"')[1].split("</select>")[0]
    assert "示例" not in options and "unusable-schemes" in page  # not offered, and the page says why


def test_demo_city_scheme_is_correct(city_admin):
    from safecommunity.evaluation.demo import city_example_scheme

    scheme = city_example_scheme(city_admin)
    assert scheme.usable and scheme.total_points == Decimal("100") == scheme.declared_total
    assert scheme.items.count() == 20 and scheme.pass_total == Decimal("90") and scheme.is_default
    assert city_example_scheme(city_admin).pk == scheme.pk  # idempotent


# ---------------------------------------------------------------- scoring

def test_scoring_opens_on_the_site_visit_date(submitted, district_a, city_admin, experts, client_for):
    services.application_review(application=submitted, actor=district_a, forward=True)
    app = services.panel_assign(application=submitted, actor=city_admin, experts=[experts["e1"], experts["e2"]],
                                site_visit_on=date.today() + timedelta(days=5))
    item = app.scheme.items.first()
    with pytest.raises(ValidationError) as exc:
        services.expert_score_set(application=app, actor=experts["e1"], item=item, presence="a", evidence="a",
                                  effect="a")
    assert str(date.today() + timedelta(days=5)) in messages_of(exc)
    assert "score" not in services.allowed_actions(app, experts["e1"])
    assert "open_scoring" in services.allowed_actions(app, city_admin)
    page = client_for(experts["e1"]).get(f"/evaluation/{app.pk}/my-scores/").content.decode()
    assert "scoring-closed" in page
    # the city opens it earlier, with a reason (refused without)
    c = client_for(city_admin)
    r = c.post(f"/evaluation/{app.pk}/open-scoring/", {"reason": ""})
    assert r.status_code == 200 and not Application.objects.get(pk=app.pk).scoring_opened_at
    r = c.post(f"/evaluation/{app.pk}/open-scoring/", {"reason": "专家组行程调整，提前书面审查"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.scoring_opened_at and app.steps.filter(note__contains="专家组行程调整").exists()
    services.expert_score_set(application=app, actor=experts["e1"], item=item, presence="a", evidence="a", effect="a")
    assert "score" in services.allowed_actions(app, experts["e1"])


def test_allowed_actions_follow_the_transition_table(submitted, unit_a, district_a, city_admin, experts):
    assert services.allowed_actions(submitted, unit_a) == set()
    assert "review" in services.allowed_actions(submitted, district_a)
    assert "review" not in services.allowed_actions(submitted, experts["e1"])


def test_expert_page_shows_legend_evidence_and_running_total(evaluating, experts, client_for, unit_a):
    from safecommunity.archive.services import attachment_create
    from safecommunity.core.models import CodeItem

    e01 = CodeItem.objects.of("aqt_element").get(code="E01")
    f = attachment_create(uploaded=SimpleUploadedFile("领导小组文件.pdf", b"%PDF-1.4\n" + b"0" * 200),
                          org_unit=evaluating.org_unit, actor=unit_a, role="archive", element=e01,
                          title="领导小组成立文件")
    body = client_for(experts["e1"]).get(f"/evaluation/{evaluating.pk}/my-scores/").content.decode()
    assert "grade-legend" in body and "100%" in body and "70%" in body and "30%" in body
    assert f"/archive/files/{f.pk}/?inline=1" in body and "领导小组成立文件" in body
    assert "running-total" in body and "running-outcome" in body and "score-rule" in body
    # the evidence page of an element opens for the panel's expert, not for another district
    assert client_for(experts["e1"]).get(f"/evaluation/{evaluating.pk}/evidence/E01/").status_code == 200


def test_consolidation_needs_a_reason_where_it_departs_from_the_mean(evaluating, experts):
    score_all(services.expert_score_set, evaluating, actor=experts["e1"])
    score_all(services.expert_score_set, evaluating, actor=experts["e2"], overrides={1: ("d", "d", "d")})
    for e in ("e1", "e2"):
        services.expert_submit(application=evaluating, actor=experts[e])
    row = next(r for r in services.score_spread(evaluating) if r["item"].number == 1)
    assert row["disagree"] and row["grade_spread"] == 3 and row["mean"] == Decimal("1.50")
    item = row["item"]
    with pytest.raises(ValidationError) as exc:
        services.final_score_set(application=evaluating, actor=experts["e1"], item=item, presence="a",
                                 evidence="a", effect="a")
    assert "1.50" in messages_of(exc)
    final = services.final_score_set(application=evaluating, actor=experts["e1"], item=item, presence="a",
                                     evidence="a", effect="a", departure_reason="现场核实文件齐全")
    assert final.departure_reason == "现场核实文件齐全"


# ---------------------------------------------------------------- dossier and crosswalk

def test_dossier_is_one_zip_with_a_checksummed_table_of_contents(submitted, client_for, unit_a, district_b):
    import hashlib

    from safecommunity.archive.services import attachment_create
    from safecommunity.core.models import CodeItem

    attachment_create(uploaded=SimpleUploadedFile("领导小组文件.pdf", b"%PDF-1.4\n" + b"1" * 200),
                      org_unit=submitted.org_unit, actor=unit_a, role="archive", title="领导小组成立文件",
                      element=CodeItem.objects.of("aqt_element").get(code="E01"))
    r = fetch_file(client_for(unit_a), f"/evaluation/{submitted.pk}/dossier.zip")
    assert r.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    names = set(zf.namelist())
    toc = CalamineWorkbook.from_filelike(io.BytesIO(zf.read("contents.xlsx"))).get_sheet_by_index(0).to_python()
    listed = {row[2]: row for row in toc[1:]}
    assert names - {"contents.xlsx", "SHA256SUMS.txt"} == set(listed)
    for path, row in listed.items():
        assert row[4] == hashlib.sha256(zf.read(path)).hexdigest() and row[1]  # checksum and element
    assert any("工作报告" in n for n in names) and any(n.startswith("02 ") for n in names)
    e01 = [row for path, row in listed.items() if path.startswith("04 ") and "/E01 " in path]
    assert len(e01) == 1 and e01[0][1].startswith("E01") and "领导小组成立文件" in e01[0][2]
    sums = zf.read("SHA256SUMS.txt").decode()
    assert len(sums.splitlines()) == len(listed)
    assert fetch_file(client_for(district_b), f"/evaluation/{submitted.pk}/dossier.zip").status_code == 404


def test_crosswalk_shows_indicators_without_evidence(launched_a, client_for, unit_a, unit_b, experts):
    r = client_for(unit_a).get("/evaluation/crosswalk/500103003/")
    body = r.content.decode()
    assert r.status_code == 200 and body.count('data-no-evidence="1"') >= 1 and "E01" in body
    assert client_for(unit_b).get("/evaluation/crosswalk/500103003/").status_code == 404
    assert client_for(experts["e1"]).get("/evaluation/crosswalk/").status_code == 403


def test_evidence_collector_gathers_every_app(launched_a, unit_a):
    from safecommunity.activities.models import Drill
    from safecommunity.core.registry import evidence_for

    Drill.objects.create(org_unit=launched_a.org_unit, title="消防演练", event_type="accident", scenario="火灾",
                         held_on=date.today(), participants=40)
    rows = evidence_for(creating_unit=launched_a, element="E07")
    drills = next(r for r in rows if r["app"] == "activities")
    assert "40" in drills["value"] and str(date.today().year) in drills["value"]
    assert {r["app"] for r in evidence_for(creating_unit=launched_a, element="E09")} >= {"injuries"}
    assert {r["app"] for r in evidence_for(creating_unit=launched_a, element="E03")} >= {"hazards", "injuries"}
    assert {r["app"] for r in evidence_for(creating_unit=launched_a, element="E05")} >= {"projects"}


def test_the_dossier_of_a_demo_unit_lists_every_file_with_element_and_checksum(tree, client_for):
    import hashlib

    from safecommunity.accounts.management.commands.demo import DEMO_PASSWORD, DEMO_USERS
    from safecommunity.accounts.models import User
    from safecommunity.accounts.services import user_upsert
    from safecommunity.evaluation import demo

    for username, role, code, name in DEMO_USERS:
        if role in ("city", "district", "unit", "expert"):
            user_upsert(username=username, role=role, code=code, password=DEMO_PASSWORD, full_name=name)
    demo.build(stdout=io.StringIO())
    app = Application.objects.get(org_unit__code="500103003")
    assert app.status == "designated" and app.scheme.code == demo.CITY_SCHEME_CODE and app.scheme.usable
    r = fetch_file(client_for(User.objects.get(username="jiefangbei_worker")), f"/evaluation/{app.pk}/dossier.zip")
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    toc = CalamineWorkbook.from_filelike(io.BytesIO(zf.read("contents.xlsx"))).get_sheet_by_index(0).to_python()
    listed = {row[2]: row for row in toc[1:]}
    assert set(zf.namelist()) - {"contents.xlsx", "SHA256SUMS.txt"} == set(listed)
    for path, row in listed.items():
        assert row[1] and row[4] == hashlib.sha256(zf.read(path)).hexdigest()
    assert len([p for p in listed if p.startswith("04 ")]) >= 12  # the archive binder, by element
    assert any(p.endswith(".docx") for p in listed)  # the evaluation report the product writes
    # the experts read the same dossier while they sit on an open evaluation
    open_app = Application.objects.get(org_unit__code="500103001")
    expert = User.objects.get(username="expert_li")
    assert fetch_file(client_for(expert), f"/evaluation/{open_app.pk}/dossier.zip").status_code == 200
    assert fetch_file(client_for(expert), f"/evaluation/{app.pk}/dossier.zip").status_code == 404  # closed
