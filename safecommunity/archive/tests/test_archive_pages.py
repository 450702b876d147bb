import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from safecommunity.archive.models import Attachment
from safecommunity.archive.services import attachment_create
from safecommunity.core.models import CodeItem
from safecommunity.core.testing import fetch_file

PDF = b"%PDF-1.4\n" + b"1" * 300
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def e07(db):
    return CodeItem.objects.of("aqt_element").get(code="E07")


@pytest.fixture
def files(tree, unit_a, unit_b, e07):
    a1 = attachment_create(uploaded=SimpleUploadedFile("预案.pdf", PDF), org_unit=tree["500103003"], actor=unit_a,
                           element=e07, title="解放碑预案")
    a2 = attachment_create(uploaded=SimpleUploadedFile("照片.png", PNG), org_unit=tree["500103003"], actor=unit_a,
                           title="演练照片")
    b1 = attachment_create(uploaded=SimpleUploadedFile("b.pdf", PDF + b"b"), org_unit=tree["500106001"], actor=unit_b,
                           element=e07, title="沙坪坝文件")
    return a1, a2, b1


def test_list_is_scoped_and_filters_by_element(files, client_for, unit_a, district_b, city_admin):
    a1, a2, b1 = files
    page = client_for(unit_a).get("/archive/").content.decode()
    assert "解放碑预案" in page and "演练照片" in page and "沙坪坝文件" not in page
    page = client_for(unit_a).get("/archive/?element=E07").content.decode()
    assert "解放碑预案" in page and "演练照片" not in page
    assert "沙坪坝文件" in client_for(district_b).get("/archive/").content.decode()
    assert "解放碑预案" not in client_for(district_b).get("/archive/").content.decode()
    xlsx = client_for(city_admin).get("/archive/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_wrong_role_gets_403(files, client_for, dept_ga, sysadmin):
    assert client_for(dept_ga).get("/archive/").status_code == 403
    assert client_for(sysadmin).get("/archive/file/").status_code == 403


def test_verify_shows_intact_then_changed(files, client_for, unit_a, unit_b):
    a1 = files[0]
    r = client_for(unit_a).post(f"/archive/files/{a1.pk}/verify/", follow=True)
    assert "完好" in r.content.decode() or "intact" in r.content.decode()
    a1.refresh_from_db()
    assert a1.verified_ok is True
    a1.file.storage.delete(a1.file.name)
    a1.file.storage.save(a1.file.name, SimpleUploadedFile("x", b"%PDF tampered"))
    client_for(unit_a).post(f"/archive/files/{a1.pk}/verify/")
    a1.refresh_from_db()
    assert a1.verified_ok is False
    assert client_for(unit_b).post(f"/archive/files/{a1.pk}/verify/").status_code == 404


def test_unit_files_a_document_and_bad_input_names_the_field(tree, client_for, unit_a, e07):
    c = client_for(unit_a)
    unit_pk = tree["500103003"].creating_unit.pk
    r = c.post("/archive/file/", {"creating_unit": unit_pk, "element": e07.pk, "title": "",
                                  "file": SimpleUploadedFile("a.pdf", PDF)})
    assert r.status_code == 200 and "title" in r.context["form"].errors
    r = c.post("/archive/file/", {"creating_unit": unit_pk, "element": e07.pk, "title": "假文件",
                                  "file": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert r.status_code == 200 and "file" in r.context["form"].errors
    assert not Attachment.objects.exists()
    r = c.post("/archive/file/", {"creating_unit": unit_pk, "element": e07.pk, "title": "演练方案",
                                  "document_date": "2026-05-01", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert r.status_code == 302
    att = Attachment.objects.get()
    assert att.element == e07 and att.title == "演练方案" and att.uploaded_by == unit_a


def test_unit_cannot_file_for_another_unit(tree, client_for, unit_a, e07):
    r = client_for(unit_a).post("/archive/file/", {
        "creating_unit": tree["500106001"].creating_unit.pk, "element": e07.pk, "title": "x",
        "file": SimpleUploadedFile("a.pdf", PDF)})
    assert r.status_code == 200 and "creating_unit" in r.context["form"].errors
    assert not Attachment.objects.exists()


def test_set_element_on_a_file_of_another_record(files, client_for, unit_a, e07):
    a2 = files[1]
    r = client_for(unit_a).post(f"/archive/files/{a2.pk}/edit/", {"element": e07.pk, "title": "演练照片"})
    assert r.status_code == 302
    a2.refresh_from_db()
    assert a2.element == e07


def test_completeness_counts_files_per_element(files, client_for, unit_a, district_b):
    r = client_for(unit_a).get("/archive/completeness/500103003/")
    rows = {row["element"].code: row for row in r.context["rows"]}
    assert rows["E07"]["present"] == 1 and rows["E07"]["expected"] == 5 and rows["E07"]["status"] == "partial"
    assert rows["E01"]["status"] == "missing"
    assert client_for(district_b).get("/archive/completeness/500103003/").status_code == 404


def test_binder_zip_has_table_of_contents(files, client_for, unit_a, district_b):
    r = fetch_file(client_for(unit_a), "/archive/binder/500103003/")
    assert r.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    names = zf.namelist()
    assert "contents.xlsx" in names and len(names) == 3
    ws = load_workbook(io.BytesIO(zf.read("contents.xlsx"))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 3  # header + 2 files of 解放碑 (not 沙坪坝's)
    paths = {row[3] for row in rows[1:]}
    assert paths <= set(names)
    sha = {row[9] for row in rows[1:]}
    assert files[0].sha256 in sha and files[2].sha256 not in sha
    assert any(p.startswith("E07 ") for p in paths)
    assert fetch_file(client_for(district_b), "/archive/binder/500103003/").status_code == 404


def test_default_element_by_record_type(tree, unit_a):
    from safecommunity.archive.elements import element_for

    assert element_for("promotion", "drill") == "E07"
    assert element_for("injuries", "injuryrecord") == "E09"
    assert element_for("nonexistent", "thing") == ""


def test_api_is_scoped_and_verifies(files, api_client_for, unit_a, unit_b, dept_ga):
    a1 = files[0]
    data = api_client_for(unit_a).get("/api/v1/archive/files/").json()
    results = data["results"] if isinstance(data, dict) else data
    assert {r["title"] for r in results} == {"解放碑预案", "演练照片"}
    assert api_client_for(unit_b).get(f"/api/v1/archive/files/{a1.pk}/").status_code == 404
    assert api_client_for(dept_ga).get("/api/v1/archive/files/").status_code == 403
    r = api_client_for(unit_a).post(f"/api/v1/archive/files/{a1.pk}/verify/")
    assert r.json()["status"] == "intact"
