"""The injury template import finds its columns by header name (any order, known aliases), names
a missing or unknown column once before reading any row, and lists duplicates (same person, date
of injury and cause, within the file or against stored records): skipped by default, kept on
request."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from safecommunity.injuries import importer, services
from safecommunity.injuries.models import ImportBatch, InjuryRecord, InjuryStat

from .test_import import row, run

HEADERS = [str(c[1]) for c in importer.RECORD_COLUMNS]


def book(headers, rows, name="records.xlsx"):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.mark.django_db
def test_columns_in_another_order_and_by_other_names_are_read_by_name(unit_a, sources, capture):
    order = list(reversed(range(len(HEADERS))))
    headers = [HEADERS[i] for i in order]
    headers[headers.index("伤害原因")] = "致伤原因"  # a known other name of the column
    headers[headers.index("性别")] = "性别 *"
    rows = [[r[i] for i in order] for r in (row(age=7, mechanism="烧烫伤"), row(age=70, sex="女"))]
    batch = run(unit_a, book(headers, rows), capture)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert sorted(InjuryRecord.objects.values_list("age", "sex", "mechanism__code")) == [
        (7, "M", "burn"), (70, "F", "fall")]


@pytest.mark.django_db
def test_optional_columns_may_be_left_out(unit_a, sources, capture):
    keep = [i for i, c in enumerate(importer.RECORD_COLUMNS) if c[3] or c[0] in ("unit", "age")]
    batch = run(unit_a, book([HEADERS[i] for i in keep], [[row(age=40)[i] for i in keep]]), capture)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert InjuryRecord.objects.get().age == 40


@pytest.mark.django_db
def test_a_missing_or_unknown_column_is_one_message_naming_it_and_no_row_is_read(unit_a, sources, capture):
    headers = list(HEADERS)
    headers[headers.index("伤害原因")] = "致伤因素"  # renamed to something the template does not know
    headers.remove("结局")
    rows = [row()[:-1] for _ in range(130)]
    batch = run(unit_a, book(headers, rows), capture)
    assert batch.status == ImportBatch.Status.FAILED and InjuryRecord.objects.count() == 0
    reasons = [e["reason"] for e in batch.errors]
    assert len(reasons) == 3, reasons  # not 130 row errors
    assert any("致伤因素" in r for r in reasons)
    assert any("伤害原因" in r and "缺少必填列" in r for r in reasons)
    assert any("结局" in r for r in reasons)
    assert {e["row"] for e in batch.errors} == {1} and batch.processed_rows == 0


@pytest.mark.django_db
def test_a_column_given_twice_is_named(unit_a, sources, capture):
    headers = [*HEADERS, "致伤原因"]
    batch = run(unit_a, book(headers, [[*row(), "跌倒/坠落"]]), capture)
    assert batch.status == ImportBatch.Status.FAILED and len(batch.errors) == 1
    assert "伤害原因" in batch.errors[0]["reason"]


@pytest.mark.django_db
def test_duplicates_in_the_file_and_against_stored_records_are_skipped_by_default(unit_a, sources, capture, client_for):
    ten = [row(name=f"病人{i}", age=30 + i, sex="男") for i in range(10)]
    first = run(unit_a, book(HEADERS, ten), capture)
    assert first.status == ImportBatch.Status.DONE and first.imported_rows == 10
    # the same 10 cases again (another file), one of them twice, and one new case
    again = [*ten, ten[0], row(name="新病人", age=50)]
    second = run(unit_a, book(HEADERS, again, name="again.xlsx"), capture)
    assert second.status == ImportBatch.Status.DONE and second.imported_rows == 1
    assert InjuryRecord.objects.count() == 11 and InjuryStat.objects.get(dimension="total").count == 11
    dups = [e for e in second.errors if e.get("duplicate")]
    assert [e["row"] for e in dups] == list(range(2, 13))
    assert all("已有伤害记录" in e["reason"] for e in dups)
    page = client_for(unit_a).get(f"/injuries/imports/{second.pk}/")
    assert page.status_code == 200 and 'id="import-duplicates"' in page.content.decode()
    assert page.context["errors_shown"] == [] and len(page.context["duplicates_shown"]) == 11


@pytest.mark.django_db
def test_duplicates_are_kept_when_the_user_says_so(unit_a, sources, capture):
    rows = [row(name="王五", id_number="11010519491231002X", age=None), row(name="王五", id_number="11010519491231002x",
                                                                              age=None)]
    with capture(execute=True):
        batch = services.import_start(actor=unit_a, uploaded=book(HEADERS, rows), keep_duplicates=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.imported_rows == 2
    dups = [e for e in batch.errors if e.get("duplicate")]
    assert [e["row"] for e in dups] == [3] and "本文件第2行" in dups[0]["reason"]


@pytest.mark.django_db
def test_rows_without_a_name_are_never_called_duplicates(unit_a, sources, capture):
    batch = run(unit_a, book(HEADERS, [row(), row()]), capture)
    assert batch.status == ImportBatch.Status.DONE and batch.imported_rows == 2 and batch.errors == []


@pytest.mark.django_db
def test_the_form_offers_the_choice_and_passes_it(unit_a, sources, client_for, capture):
    client = client_for(unit_a)
    page = client.get("/injuries/imports/new/")
    assert page.status_code == 200 and "duplicates" in page.context["form"].fields
    rows = [row(name="赵六"), row(name="赵六")]
    with capture(execute=True):
        response = client.post("/injuries/imports/new/", {"file": book(HEADERS, rows), "duplicates": "keep"})
    assert response.status_code == 302
    assert InjuryRecord.objects.count() == 2


@pytest.mark.django_db
def test_after_seeing_the_list_the_user_imports_the_skipped_duplicates_too(unit_a, unit_b, sources, capture,
                                                                           client_for):
    rows = [row(name="孙七", age=30), row(name="孙七", age=30), row(name="周八", age=40)]
    batch = run(unit_a, book(HEADERS, rows), capture)
    assert batch.imported_rows == 2 and importer.skipped_duplicates(batch) == [3]
    page = client_for(unit_a).get(f"/injuries/imports/{batch.pk}/")
    assert page.context["can_keep_duplicates"] and 'id="import-keep-duplicates"' in page.content.decode()
    url = f"/injuries/imports/{batch.pk}/keep-duplicates/"
    assert client_for(unit_b).post(url).status_code == 404  # another district's batch
    response = client_for(unit_a).post(url)
    again = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/injuries/imports/{again.pk}/"
    assert again.status == ImportBatch.Status.DONE and again.imported_rows == 1
    assert InjuryRecord.objects.count() == 3 and InjuryStat.objects.get(dimension="total").count == 3
    # only once
    assert importer.skipped_duplicates(batch) == []
    response = client_for(unit_a).post(url)
    assert response.status_code == 302 and InjuryRecord.objects.count() == 3
