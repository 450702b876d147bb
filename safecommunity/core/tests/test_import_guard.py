"""The spreadsheet guard (core.excel.check_workbook): a two-cell sheet spanning A1:XFD1048576
(which makes the reader abort the process) and a file over the row limit are refused with a
message on every import page, before any reader opens them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.core.excel import check_workbook
from safecommunity.core.testing import sheet_xlsx

BOMB = {"A1": "x", "XFD1048576": "y"}


def test_the_two_cell_sheet_is_refused_by_its_cells_and_by_its_dimension():
    data = sheet_xlsx(BOMB)
    assert len(data) < 2000
    with pytest.raises(ValidationError) as exc:
        check_workbook(data, "bomb.xlsx")
    assert "file" in exc.value.message_dict and "1,048,576" in exc.value.messages[0]
    # Declared small, cells far away: the cells decide.
    with pytest.raises(ValidationError):
        check_workbook(sheet_xlsx(BOMB, dimension="A1:B2"), "bomb.xlsx")
    # Declared huge: refused on the declaration alone.
    with pytest.raises(ValidationError):
        check_workbook(sheet_xlsx({"A1": "x"}, dimension="A1:XFD1048576"), "bomb.xlsx")
    # A file object is checked too, and left at its start for the reader.
    upload = SimpleUploadedFile("ok.xlsx", sheet_xlsx(rows=50, dimension="A1:B50"))
    check_workbook(upload)
    assert upload.tell() == 0


def _respelled(data: bytes, old: bytes, new: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, body.replace(old, new) if info.filename.endswith("sheet1.xml") else body)
    return out.getvalue()


def test_the_far_cell_is_found_however_the_xml_spells_it():
    bomb = sheet_xlsx(BOMB)
    for old, new in ((b'<c r="XFD1048576"', b"<c\n\tr='XFD1048576'"),  # a newline and single quotes
                     (b'<c r="XFD1048576"', b'<x:c  r="xfd1048576"'),  # a prefix, lower case
                     (b'<row r="1048576"><c r="XFD1048576"', b'<row\r\nr="1048576"><c')):  # the row alone
        respelled = _respelled(bomb, old, new)
        assert _respelled(respelled, new, old) != respelled  # the new spelling is in the file
        with pytest.raises(ValidationError):
            check_workbook(respelled, "bomb.xlsx")


def test_row_limit_and_other_zips(settings):
    settings.IMPORT_MAX_ROWS = 20
    with pytest.raises(ValidationError) as exc:
        check_workbook(sheet_xlsx(rows=21), "big.xlsx", field="upload")
    assert "upload" in exc.value.message_dict and "big.xlsx" in exc.value.messages[0]
    check_workbook(sheet_xlsx(rows=20), "ok.xlsx")
    with pytest.raises(ValidationError):
        check_workbook(b"h\n" + b"1\n" * 30, "big.csv")
    check_workbook(b"h\n" + b"1\n" * 15, "ok.csv")
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ValidationError):  # an .ods (or any other zip) under an .xlsx name
        check_workbook(buf.getvalue(), "x.xlsx")


@pytest.mark.django_db
def test_injury_and_population_import_pages_refuse_it(unit_a, district_a, client_for, settings):
    from safecommunity.injuries.models import ImportBatch

    for user, url in ((unit_a, "/injuries/imports/new/"), (district_a, "/injuries/population/import/")):
        response = client_for(user).post(url, {"file": SimpleUploadedFile("bomb.xlsx", sheet_xlsx(BOMB))})
        assert response.status_code == 200
        assert "1,048,576" in " ".join(response.context["form"].errors["file"])
    settings.IMPORT_MAX_ROWS = 10
    response = client_for(unit_a).post("/injuries/imports/new/", {"file": SimpleUploadedFile("b.xlsx", sheet_xlsx(rows=30))})
    assert "10" in " ".join(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_batch_whose_file_passes_the_limits_later_fails_with_the_message(unit_a, django_capture_on_commit_callbacks):
    """The worker checks again before reading: a file stored before the limits were lowered."""
    from safecommunity.archive.services import attachment_create
    from safecommunity.injuries.importer import run_batch
    from safecommunity.injuries.models import ImportBatch

    attachment = attachment_create(uploaded=SimpleUploadedFile("bomb.xlsx", sheet_xlsx(BOMB)), org_unit=unit_a.org_unit,
                                   actor=unit_a, role="injury_import")
    batch = ImportBatch.objects.create(org_unit=unit_a.org_unit, kind="records", attachment=attachment,
                                       file_name="bomb.xlsx", checksum="x", created_by=unit_a)
    batch = run_batch(batch.pk)
    assert batch.status == ImportBatch.Status.FAILED and "1,048,576" in batch.errors[0]["reason"]


@pytest.mark.django_db
def test_risk_register_import_page_refuses_it(unit_a, client_for):
    from safecommunity.hazards.models import RiskEntry

    response = client_for(unit_a).post("/hazards/registers/import/", {"file": SimpleUploadedFile("bomb.xlsx", sheet_xlsx(BOMB))})
    assert response.status_code == 200 and "1,048,576" in response.content.decode()
    # The page's own limit (5000 rows) is checked before the file is read.
    response = client_for(unit_a).post("/hazards/registers/import/",
                                       {"file": SimpleUploadedFile("big.xlsx", sheet_xlsx(rows=5003))})
    assert response.status_code == 200 and "5,001" in response.content.decode()
    assert not RiskEntry.objects.exists()


@pytest.mark.django_db
def test_hospital_file_page_refuses_it(unit_a, client_for, tree):
    from safecommunity.core.models import CodeItem
    from safecommunity.feeds.models import FeedUpload
    from safecommunity.injuries.models import ReportingSource

    kind = CodeItem.objects.get(codelist__key="injury_source_kind", code="hospital")
    source = ReportingSource.objects.create(org_unit=tree["500103003"], name="市第一人民医院", kind=kind)
    response = client_for(unit_a).post("/feeds/new/", {"source": source.pk,
                                                       "file": SimpleUploadedFile("bomb.xlsx", sheet_xlsx(BOMB))})
    assert response.status_code == 200
    assert "1,048,576" in " ".join(response.context["form"].errors["file"])
    assert not FeedUpload.objects.exists()
