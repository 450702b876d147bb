"""Pages: the upload → preview → import flow, and scoping of every page (other district 404,
wrong role 403, bad input names the field and writes nothing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.feeds import samples as cardfiles
from safecommunity.feeds import services
from safecommunity.feeds.models import FeedCase, FeedToken, FeedUpload, ValueMapping
from safecommunity.injuries.models import InjuryRecord


@pytest.fixture
def imported(district_a, hospitals):
    rows = cardfiles.clean_rows(4) + [cardfiles.row(card="OUT", address="渝中区某某路1号")]
    upload = services.upload_create(actor=district_a, source=hospitals["a"],
                                    uploaded=SimpleUploadedFile("a.xlsx", cardfiles.xlsx_bytes(rows)))
    return services.upload_import(actor=district_a, upload=upload)


@pytest.fixture
def previewed(district_a, hospitals):
    rows = cardfiles.clean_rows(3, prefix="P") + [cardfiles.row(card="BAD", age="不详")]
    return services.upload_create(actor=district_a, source=hospitals["a"],
                                  uploaded=SimpleUploadedFile("p.xlsx", cardfiles.xlsx_bytes(rows)))


def test_upload_preview_import_through_the_pages(unit_a, hospitals, client_for):
    client = client_for(unit_a)
    page = client.get("/feeds/new/")
    assert page.status_code == 200 and hospitals["a"] in page.context["form"].fields["source"].queryset
    assert hospitals["b"] not in page.context["form"].fields["source"].queryset
    data = cardfiles.xlsx_bytes(cardfiles.clean_rows(3, addresses=["解放碑街道"]) + [cardfiles.row(card="Z", cause="??")])
    response = client.post("/feeds/new/", {"source": hospitals["a"].pk, "file": SimpleUploadedFile("h.xlsx", data)})
    upload = FeedUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feeds/{upload.pk}/"
    page = client.get(f"/feeds/{upload.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "解放碑街道" in body and "??" in body and InjuryRecord.objects.count() == 0
    assert client.post(f"/feeds/{upload.pk}/import/").status_code == 302
    assert InjuryRecord.objects.count() == 3
    assert client.get("/feeds/?export=xlsx").status_code == 200


def test_bad_upload_input_names_the_field_and_writes_nothing(unit_a, hospitals, client_for):
    client = client_for(unit_a)
    response = client.post("/feeds/new/", {"source": hospitals["a"].pk})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    response = client.post("/feeds/new/", {"source": hospitals["b"].pk,
                                           "file": SimpleUploadedFile("h.xlsx", cardfiles.xlsx_bytes([]))})
    assert response.status_code == 200 and "source" in response.context["form"].errors
    response = client.post("/feeds/new/", {"source": hospitals["a"].pk, "file": SimpleUploadedFile("h.doc", b"x")})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert FeedUpload.objects.count() == 0


def test_column_mapping_page(unit_a, hospitals, client_for):
    headers = ["编号X", "病人", "岁数", "性别", "住处", "受伤日期", "原因", "地点", "活动", "意图", "严重程度", "结局"]
    rows = [["X1", "王五", "30", "女", "解放碑", "2025-03-04", "跌倒坠落", "家中", "家务", "非故意", "轻", "处理后离院"]]
    client = client_for(unit_a)
    client.post("/feeds/new/", {"source": hospitals["a"].pk,
                                "file": SimpleUploadedFile("h.xlsx", cardfiles.xlsx_bytes(rows, headers=headers))})
    upload = FeedUpload.objects.get()
    assert client.get(f"/feeds/{upload.pk}/").status_code == 302
    page = client.get(f"/feeds/{upload.pk}/columns/")
    assert page.status_code == 200 and "住处" in page.content.decode()
    form = page.context["form"]
    posted = {name: form[name].value() or "" for name in form.fields}  # what the browser sends
    assert posted["mechanism"] == "原因" and posted["address"] == ""
    response = client.post(f"/feeds/{upload.pk}/columns/", {**posted, "address": "住处", "age": "岁数"})
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == FeedUpload.Status.PREVIEW and upload.rows_ready == 1


@pytest.mark.parametrize("url", ["/feeds/{pk}/", "/feeds/{pk}/columns/", "/feeds/{pk}/problems.xlsx"])
def test_upload_pages_are_scoped(url, previewed, district_a, district_b, unit_a, dept_ga, client_for):
    url = url.format(pk=previewed.pk)
    assert client_for(district_a).get(url).status_code in (200, 302)
    assert client_for(district_b).get(url).status_code == 404
    assert client_for(unit_a).get(url).status_code == 404  # uploaded by the district office
    assert client_for(dept_ga).get(url).status_code == 403


@pytest.mark.parametrize("action", ["import", "cancel"])
def test_upload_actions_are_scoped(action, previewed, district_b, city_admin, client_for):
    assert client_for(district_b).post(f"/feeds/{previewed.pk}/{action}/").status_code == 404
    assert client_for(city_admin).post(f"/feeds/{previewed.pk}/{action}/").status_code == 403
    previewed.refresh_from_db()
    assert previewed.status == FeedUpload.Status.PREVIEW and InjuryRecord.objects.count() == 0


def test_undo_page_confirms_then_undoes(imported, district_a, district_b, client_for):
    assert client_for(district_b).post(f"/feeds/{imported.pk}/undo/").status_code == 404
    page = client_for(district_a).get(f"/feeds/{imported.pk}/undo/")
    assert page.status_code == 200 and not page.context["blockers"]
    assert InjuryRecord.objects.count() == 4
    assert client_for(district_a).post(f"/feeds/{imported.pk}/undo/").status_code == 302
    assert InjuryRecord.objects.count() == 0 and FeedCase.objects.count() == 0


def test_lists_are_scoped(imported, district_a, district_b, unit_a, city_admin, dept_ga, expert, client_for):
    for url in ("/feeds/", "/feeds/cases/"):
        assert client_for(city_admin).get(url).context["total_count"] >= 1
        assert client_for(district_a).get(url).context["total_count"] >= 1
        assert client_for(district_b).get(url).context["total_count"] == 0
        assert client_for(dept_ga).get(url).status_code == 403
        assert client_for(expert).get(url).status_code == 403
    # the district's cases placed in 解放碑 are visible to 解放碑, not its upload
    assert client_for(unit_a).get("/feeds/").context["total_count"] == 0
    assert client_for(unit_a).get("/feeds/cases/").context["total_count"] >= 1


def test_place_page_is_scoped(imported, district_a, district_b, unit_b, client_for, tree):
    case = FeedCase.objects.get(status=FeedCase.Status.UNPLACED)
    assert client_for(district_a).get(f"/feeds/cases/{case.pk}/place/").status_code == 200
    assert client_for(district_b).get(f"/feeds/cases/{case.pk}/place/").status_code == 404
    assert client_for(unit_b).post(f"/feeds/cases/{case.pk}/place/", {"org_unit": tree["500106001"].pk}).status_code == 404
    response = client_for(district_a).post(f"/feeds/cases/{case.pk}/place/", {"org_unit": ""})
    assert response.status_code == 200 and "org_unit" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == FeedCase.Status.UNPLACED


def test_value_mapping_pages(city_admin, unit_a, dept_ga, client_for):
    vm = ValueMapping.objects.get(field="mechanism", value="跌倒/坠落")
    assert client_for(unit_a).get("/feeds/values/").status_code == 200
    assert client_for(dept_ga).get("/feeds/values/").status_code == 403
    assert client_for(unit_a).get(f"/feeds/values/{vm.pk}/").status_code == 403
    assert client_for(unit_a).get("/feeds/values/new/").status_code == 403
    client = client_for(city_admin)
    # an item of another code list is refused, naming the field
    wrong = vm.item.__class__.objects.get(codelist__key="injury_place", code="home")
    response = client.post("/feeds/values/new/", {"field": "mechanism", "value": "摔了一跤", "item": wrong.pk})
    assert response.status_code == 200 and "item" in response.context["form"].errors
    response = client.post("/feeds/values/new/", {"field": "mechanism", "value": "摔了一跤", "item": vm.item_id})
    assert response.status_code == 302 and ValueMapping.objects.filter(value="摔了一跤").exists()
    response = client.post("/feeds/values/new/", {"field": "mechanism", "value": "摔了一跤", "item": vm.item_id})
    assert response.status_code == 200  # unique per field and value
    assert client.get("/feeds/values/?export=xlsx").status_code == 200


def test_token_pages(district_a, district_b, city_admin, hospitals, client_for):
    client = client_for(district_a)
    assert client_for(city_admin).get("/feeds/tokens/").status_code == 403
    response = client.post("/feeds/tokens/new/", {"name": "HIS", "source": hospitals["a"].pk})
    assert response.status_code == 200 and response.context["key"].startswith("sc_")
    token = FeedToken.objects.get()
    assert client_for(district_b).post(f"/feeds/tokens/{token.pk}/revoke/").status_code == 404
    response = client_for(district_b).post("/feeds/tokens/new/", {"name": "X", "source": hospitals["a"].pk})
    assert response.status_code == 200 and "source" in response.context["form"].errors
    assert client.get(f"/feeds/tokens/{token.pk}/revoke/").status_code == 200
    assert client.post(f"/feeds/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert not token.is_active and FeedToken.objects.count() == 1


def test_remaining_pages_wrong_role_and_other_district(imported, district_b, city_admin, unit_a, expert, client_for,
                                                       api_client_for):
    vm = ValueMapping.objects.first()
    assert client_for(unit_a).post(f"/feeds/values/{vm.pk}/delete/").status_code == 403
    assert client_for(expert).get("/feeds/values/").status_code == 403
    assert client_for(city_admin).get(f"/feeds/values/{vm.pk}/delete/").status_code == 200
    case = FeedCase.objects.get(status=FeedCase.Status.UNPLACED)
    assert client_for(city_admin).get(f"/feeds/cases/{case.pk}/place/").status_code == 403
    assert client_for(city_admin).get(f"/feeds/{imported.pk}/problems.xlsx").status_code == 403
    assert client_for(city_admin).get(f"/feeds/{imported.pk}/").status_code == 200
    assert client_for(district_b).get(f"/feeds/{imported.pk}/undo/").status_code == 404
    assert api_client_for(district_b).get(f"/api/v1/feeds/cases/{case.pk}/").status_code == 404
    assert api_client_for(city_admin).get(f"/api/v1/feeds/cases/{case.pk}/").status_code == 200
    assert client_for(city_admin).get("/feeds/tokens/new/").status_code == 403


def test_an_uploaded_file_is_read_and_imported_by_jobs_not_in_the_request(
        unit_a, hospitals, client_for, settings, monkeypatch, django_capture_on_commit_callbacks):
    from safecommunity.core.models import Job
    from safecommunity.feeds import card

    settings.JOBS_RUN_AT_ONCE = False  # as in production: a worker takes the job after the request
    opened = []
    real_open = card.open_table
    monkeypatch.setattr(card, "open_table", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    client = client_for(unit_a)
    data = cardfiles.xlsx_bytes(cardfiles.clean_rows(3, addresses=["解放碑街道"]))
    with django_capture_on_commit_callbacks() as analysis:
        response = client.post("/feeds/new/", {"source": hospitals["a"].pk, "file": SimpleUploadedFile("h.xlsx", data)})
    upload = FeedUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feeds/{upload.pk}/"
    assert not opened and upload.status == FeedUpload.Status.ANALYSING and upload.rows_read == 0
    page = client.get(f"/feeds/{upload.pk}/").content.decode()
    assert "分析中" in page and "排队中" in page and f'hx-get="/feeds/{upload.pk}/"' in page
    # the worker
    for callback in analysis:
        callback()
    upload.refresh_from_db()
    assert opened and upload.status == FeedUpload.Status.PREVIEW and upload.rows_ready == 3
    poll = client.get(f"/feeds/{upload.pk}/", headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"  # the page shows the preview again
    assert 'id="feed-import"' in client.get(f"/feeds/{upload.pk}/").content.decode()  # the preview, to import
    # importing: a job too; the request writes no record
    with django_capture_on_commit_callbacks() as importing:
        client.post(f"/feeds/{upload.pk}/import/")
    assert InjuryRecord.objects.count() == 0
    job = Job.objects.get(kind="feeds.import")
    assert job.status == Job.Status.QUEUED
    page = client.get(f"/feeds/{upload.pk}/").content.decode()
    assert job.title in page and 'hx-trigger="every 2s"' in page
    for callback in importing:
        callback()
    assert InjuryRecord.objects.count() == 3
    job.refresh_from_db()
    upload.refresh_from_db()
    assert job.status == Job.Status.DONE and upload.status == FeedUpload.Status.IMPORTED
