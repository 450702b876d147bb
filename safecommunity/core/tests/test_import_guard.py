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


def test_the_one_search_finds_exactly_the_references_past_the_limits():
    """The fast search agrees with reading the numbers: every row past the limit and every column
    past the one at which rows × columns could pass the cell limit, and nothing within them."""
    import random
    import re

    from safecommunity.core.excel import _MANY, _beyond, _column_letters, _column_number, _past_limits

    rng = random.Random(7)
    for rows_limit, cols_limit, cells in ((200_000, 200, 8_000_000), (20, 200, 8_000_000), (5000, 30, 10**9),
                                          (1_048_576, 16_384, 10**12), (99, 26, 10**9)):
        limits = {"rows": rows_limit, "columns": cols_limit, "cells": cells}
        pattern, candidates = _beyond(limits)
        col_limit = min(cols_limit, cells // rows_limit)
        for _ in range(3000):
            row = rng.choice([rng.randint(1, 2 * rows_limit), rows_limit, rows_limit + 1, rng.randint(1, 10**9)])
            col = rng.choice([rng.randint(1, 2 * col_limit), col_limit, col_limit + 1, rng.randint(1, 16_384)])
            letters = _column_letters(col)
            assert _column_number(letters.encode()) == col
            zeros = "0" * rng.choice([0, 0, 2])
            expected = row > rows_limit or col > col_limit
            for cell, past in ((f'<c r="{letters}{zeros}{row}">', expected), (f'<row r="{zeros}{row}">', row > rows_limit)):
                assert _past_limits(cell.encode(), pattern, candidates) == past, cell
                assert _past_limits(cell.encode() * (_MANY + 1), pattern, candidates) == past, cell  # searched whole
            assert re.fullmatch(r"[A-Z]+", letters)


@pytest.mark.parametrize("columns", [40, 41, 60])
def test_a_wide_sheet_within_the_limits_passes_and_one_past_the_cells_is_refused(settings, columns):
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_CELLS = 4000  # 100 rows × 40 columns
    from safecommunity.core.excel import _column_letters

    cells = {f"{_column_letters(c)}{r}": "x" for r in (1, 99) for c in range(1, columns + 1)}
    data = sheet_xlsx(cells)
    if columns <= 40:
        check_workbook(data, "wide.xlsx")
    else:
        check_workbook(sheet_xlsx({k: v for k, v in cells.items() if k.endswith("1") and not k.endswith("99")}),
                       "wide.xlsx")  # one row of 60 columns is 60 cells: within
        with pytest.raises(ValidationError) as exc:
            check_workbook(data, "wide.xlsx")
        assert f"{columns}" in exc.value.messages[0]


def _xls_with_cell_at(row: int, col: int) -> bytes:
    """The project's real .xls sample (written by xlwt) with its first number cell moved to (row,
    col): the compound file is rewritten in place by olefile (same stream size)."""
    import io
    import struct
    from pathlib import Path

    import olefile

    data = bytearray((Path(__file__).parents[2] / "feeds" / "tests" / "data" / "card-export.xls").read_bytes())
    buf = io.BytesIO(bytes(data))
    with olefile.OleFileIO(buf, write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while pos + 4 <= len(stream):
            kind, length = struct.unpack_from("<HH", stream, pos)
            if kind == 0x0203:  # NUMBER
                struct.pack_into("<HH", stream, pos + 4, row, col)
                break
            pos += 4 + length
        ole.write_stream("Workbook", bytes(stream))
    return buf.getvalue()


def test_an_xls_is_checked_by_its_records():
    from pathlib import Path

    real = (Path(__file__).parents[2] / "feeds" / "tests" / "data" / "card-export.xls").read_bytes()
    check_workbook(real, "export.xls")
    check_workbook(_xls_with_cell_at(100, 30), "export.xls")  # within the limits: passes
    for row, col in ((65535, 65535), (1000, 5000)):  # a column the format never has; past the columns
        with pytest.raises(ValidationError) as exc:
            check_workbook(_xls_with_cell_at(row, col), "bomb.xls")
        assert "bomb.xls" in exc.value.messages[0] and f"{col + 1:,}" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:  # a compound file without a workbook (a .doc)
        check_workbook(real.replace(b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k", b"D\x00o\x00c\x00u\x00m\x00e\x00n\x00t"),
                       "x.xls")
    assert "x.xls" in exc.value.messages[0]


@pytest.mark.django_db
def test_hospital_file_page_refuses_an_xls_bomb(unit_a, client_for, tree):
    from safecommunity.core.models import CodeItem
    from safecommunity.feeds.models import FeedUpload
    from safecommunity.injuries.models import ReportingSource

    kind = CodeItem.objects.get(codelist__key="injury_source_kind", code="hospital")
    source = ReportingSource.objects.create(org_unit=tree["500103003"], name="市第一人民医院", kind=kind)
    bomb = SimpleUploadedFile("bomb.xls", _xls_with_cell_at(65535, 65535))
    response = client_for(unit_a).post("/feeds/new/", {"source": source.pk, "file": bomb})
    assert response.status_code == 200
    assert "65,536" in " ".join(response.context["form"].errors["file"])
    assert not FeedUpload.objects.exists()


def test_every_module_that_opens_a_spreadsheet_reader_calls_the_guard():
    """A new import that reads with calamine without check_workbook would let the two-cell sheet
    kill the server again (the surveys' paper-form import did, until this test)."""
    from pathlib import Path

    root = Path(__file__).parents[2]
    readers = [p for p in root.rglob("*.py") if "tests" not in p.parts and "python_calamine" in p.read_text("utf-8")]
    assert len(readers) >= 5
    unguarded = [str(p.relative_to(root)) for p in readers
                 if p.relative_to(root).parts[:2] != ("core", "excel") and "check_workbook(" not in p.read_text("utf-8")]
    assert not unguarded
