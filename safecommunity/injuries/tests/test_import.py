"""Bulk import: the template, all-or-nothing with a bad row at the end of a large file, the
error list as Excel, duplicate files, CSV, population."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from safecommunity.injuries import importer, services
from safecommunity.injuries.models import ImportBatch, InjuryRecord, InjuryStat, Population

DAY = (date.today() - timedelta(days=10)).strftime("%Y-%m-%d")


def row(unit="500103003", **over):
    values = {"unit": unit, "occurred_on": DAY, "occurred_time": "08:30", "place_detail": "", "age": 35, "sex": "男",
              "safety_area": "居家安全", "place": "家中", "activity": "家务", "mechanism": "跌倒/坠落", "intent": "非故意",
              "nature": "骨折", "body_part": "下肢", "severity": "轻度", "outcome": "处理后离院", "source": "医院500103003",
              "name": "", "id_number": "", "phone": ""}
    values.update(over)
    return [values[c[0]] for c in importer.RECORD_COLUMNS]


def xlsx(rows, name="records.xlsx"):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([str(c[1]) for c in importer.RECORD_COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def run(user, upload, capture, kind="records"):
    with capture(execute=True):
        batch = services.import_start(actor=user, uploaded=upload, kind=kind)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_template_has_drop_downs(unit_a, tree):
    wb = load_workbook(io.BytesIO(importer.template_bytes()))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][1] == "伤害发生日期 *"
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert len(formulas) == 10  # sex + 9 code lists
    lists = wb["代码表"]
    assert lists.sheet_state == "hidden"
    assert "跌倒/坠落" in [c.value for c in next(col for col in lists.iter_cols() if col[0].value == "伤害原因")]


@pytest.mark.django_db
def test_clean_file_imports_every_row(unit_a, sources, capture):
    odd = "3号楼\t楼梯\\间\n北侧"  # a tab, a backslash, a newline: escaped in PostgreSQL's COPY
    batch = run(unit_a, xlsx([row(), row(age=70, name="张三", phone="13800001111", place_detail=odd)]), capture)
    assert batch.status == ImportBatch.Status.DONE and batch.imported_rows == 2
    assert InjuryRecord.objects.count() == 2
    r = InjuryRecord.objects.get(age=70)
    assert r.age_band == "60-74" and r.personal_clear()["name"] == "张三" and "张三" not in r.name_cipher
    assert r.place_detail == odd and r.occurred_time.strftime("%H:%M") == "08:30"
    assert InjuryStat.objects.get(dimension="total").count == 2


@pytest.mark.django_db
def test_bad_row_at_the_end_of_a_large_file_imports_nothing(unit_a, sources, capture, client_for):
    rows = [row() for _ in range(12000)]
    rows.append(row(age=130, severity="死亡", outcome="痊愈"))
    batch = run(unit_a, xlsx(rows), capture)
    assert batch.status == ImportBatch.Status.FAILED
    assert InjuryRecord.objects.count() == 0 and InjuryStat.objects.count() == 0
    assert batch.imported_rows == 0 and batch.total_rows == 12001
    by_col = {e["column"]: e for e in batch.errors}
    assert by_col["年龄"]["row"] == 12002 and "120" in by_col["年龄"]["reason"]
    assert "outcome" in by_col or "结局" in by_col
    # The error list downloads as Excel.
    resp = client_for(unit_a).get(f"/injuries/imports/{batch.pk}/errors.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    assert [c.value for c in ws[1]] == ["行号", "列", "原因"]
    assert ws.max_row == len(batch.errors) + 1
    # The page shows the rejection.
    page = client_for(unit_a).get(f"/injuries/imports/{batch.pk}/").content.decode()
    assert "未导入任何数据" in page and "12002" in page


@pytest.mark.django_db
def test_every_kind_of_row_error_is_named(unit_a, sources, capture):
    rows = [
        row(occurred_on="2026-13-45"),
        row(unit="500106001"),  # another district
        row(sex="X"),
        row(mechanism="被外星人绑架"),
        row(source="不存在的医院"),
        row(occurred_on=(date.today() + timedelta(days=5)).strftime("%Y-%m-%d")),
        row(id_number="123"),
        row(mechanism=""),
    ]
    batch = run(unit_a, xlsx(rows), capture)
    got = {(e["row"], e["column"]) for e in batch.errors}
    assert {(2, "伤害发生日期"), (3, "单位代码"), (4, "性别"), (5, "伤害原因"), (6, "信息来源"), (7, "伤害发生日期"),
            (8, "身份证号"), (9, "伤害原因")} <= got
    assert InjuryRecord.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_file_is_refused(unit_a, sources, capture):
    from django.core.exceptions import ValidationError

    data = xlsx([row()]).read()
    assert run(unit_a, SimpleUploadedFile("a.xlsx", data), capture).status == ImportBatch.Status.DONE
    with pytest.raises(ValidationError) as exc:
        run(unit_a, SimpleUploadedFile("copy.xlsx", data), capture)
    assert "已于" in exc.value.message_dict["file"][0]
    assert InjuryRecord.objects.count() == 1


@pytest.mark.django_db
def test_rejected_file_may_be_uploaded_again_after_fixing(unit_a, sources, capture):
    bad = run(unit_a, xlsx([row(age=200)]), capture)
    assert bad.status == ImportBatch.Status.FAILED
    assert run(unit_a, xlsx([row(age=20)]), capture).status == ImportBatch.Status.DONE


@pytest.mark.django_db
def test_csv(unit_a, sources, capture):
    header = ",".join(str(c[1]) for c in importer.RECORD_COLUMNS)
    body = "\n".join(",".join(str(v) for v in row(unit="")) for _ in range(3))
    upload = SimpleUploadedFile("r.csv", ("\ufeff" + header + "\n" + body + "\n").encode())
    batch = run(unit_a, upload, capture)
    assert batch.status == ImportBatch.Status.DONE and InjuryRecord.objects.count() == 3


@pytest.mark.django_db
def test_wrong_extension_and_role(unit_a, dept_ga, capture):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        run(unit_a, SimpleUploadedFile("r.txt", b"x"), capture)
    with pytest.raises(PermissionDenied):
        run(dept_ga, xlsx([row()]), capture)


@pytest.mark.django_db
def test_population_import(district_a, capture, tree):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([str(c[1]) for c in importer.POPULATION_COLUMNS])
    n = len(importer.POPULATION_COLUMNS) - 3
    ws.append(["500103003", 2024] + [100] * n + [None])
    ws.append(["500103001", 2024] + [50] * n + [None])
    buf = io.BytesIO()
    wb.save(buf)
    batch = run(district_a, SimpleUploadedFile("p.xlsx", buf.getvalue()), capture, kind="population")
    assert batch.status == ImportBatch.Status.DONE
    assert Population.objects.get(org_unit=tree["500103003"], year=2024).total == 100 * n
    # A bad row (another district) rolls back every row.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([str(c[1]) for c in importer.POPULATION_COLUMNS])
    ws.append(["500103003", 2025] + [1] * n + [None])
    ws.append(["500106001", 2025] + [1] * n + [None])
    buf = io.BytesIO()
    wb.save(buf)
    batch = run(district_a, SimpleUploadedFile("p2.xlsx", buf.getvalue()), capture, kind="population")
    assert batch.status == ImportBatch.Status.FAILED and batch.errors[0]["row"] == 3
    assert not Population.objects.filter(year=2025).exists()


def _summary():
    return sorted(InjuryStat.objects.values_list("org_unit_id", "year", "dimension", "key", "count"))


@pytest.mark.django_db
def test_import_adds_to_the_summary_exactly_what_a_rebuild_counts(unit_a, sources, capture, make_record, code):
    """The import adds its rows' counts to the summary table instead of recomputing it; the
    result must be the table a full rebuild from the records gives — existing rows of the same
    unit-year included, months at the turn of the year, both units of the district."""
    from safecommunity.injuries import choices

    year = date.today().year - 2  # year + 1 ends before today, so its 1 January 08:30 is never in the future
    make_record(occurred_on=date(year, 12, 31), age=8)  # existing rows the import adds to
    make_record(occurred_on=date(year, 1, 1), mechanism=code(choices.MECHANISM, "motor_vehicle"), sex="F")
    services.stats_rebuild()
    rows = [
        row(occurred_on=f"{year}-12-31", age=8),
        row(occurred_on=f"{year + 1}-01-01", age=80, sex="女", mechanism="机动车车祸"),
        row(occurred_on=f"{year}-06-15", age=None, severity="重度", outcome="住院"),
        row(occurred_on=f"{year}-01-01", sex="不详", safety_area="工作场所安全", place="工业和建筑场所", activity="工作"),
    ]
    batch = run(unit_a, xlsx(rows), capture)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    added = _summary()
    assert dict(((u, y, d, k), n) for u, y, d, k, n in added)[(unit_a.org_unit_id, year, "total", "")] == 5
    services.stats_rebuild()
    assert added == _summary()


@pytest.mark.django_db(transaction=True)
def test_a_database_error_while_writing_surfaces_and_leaves_nothing(unit_a, sources, capture, monkeypatch, settings):
    """The rows are written by a second thread: a failure there must reach the import, roll
    everything back and be reported on the batch, not vanish with the thread."""
    original = importer.bulk.insert
    calls = []

    def broken(model, fields, rows, **kw):  # the first chunk goes in, the second meets a database error
        calls.append(1)
        if len(calls) == 1:
            return original(model, fields, rows, **kw)
        kw["cursor"].execute("INSERT INTO injuries_no_such_table VALUES (1)")

    monkeypatch.setattr(importer.bulk, "insert", broken)
    settings.IMPORT_CHUNK_ROWS = 2
    batch = run(unit_a, xlsx([row() for _ in range(5)]), capture)
    assert batch.status == ImportBatch.Status.FAILED and batch.imported_rows == 0
    assert "数据库拒绝" in batch.errors[0]["reason"] and "injuries_no_such_table" in batch.errors[0]["reason"]
    assert InjuryRecord.objects.count() == 0 and InjuryStat.objects.count() == 0


@pytest.mark.django_db
def test_errors_are_listed_in_row_order_and_each_rows_in_column_order(unit_a, sources, capture, settings):
    """Rows are checked column by column in chunks; the error list still reads like the file."""
    settings.IMPORT_CHUNK_ROWS = 3
    header = {c[0]: str(c[1]) for c in importer.RECORD_COLUMNS}
    rows = [
        row(),                                            # 2
        row(occurred_time="25:99", age="abc"),            # 3
        [None] * len(importer.RECORD_COLUMNS),            # 4: blank, skipped
        row(sex="X", mechanism="被外星人绑架"),             # 5
        row(),                                            # 6
        row(severity="死亡", outcome="处理后离院"),          # 7
        row(age=-3),                                      # 8
    ]
    batch = run(unit_a, xlsx(rows), capture)
    assert batch.status == ImportBatch.Status.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (3, header["occurred_time"]), (3, header["age"]), (5, header["sex"]), (5, header["mechanism"]),
        (7, header["outcome"]), (8, header["age"]),
    ]
    assert "25:99" in batch.errors[0]["reason"] and "abc" in batch.errors[1]["reason"]
    assert InjuryRecord.objects.count() == 0
