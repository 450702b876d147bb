"""Importing hospital files: preview, import, problems, placement, duplicates, undo."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from openpyxl import load_workbook

from safecommunity.core import bulk
from safecommunity.core.models import CodeItem, Job
from safecommunity.core.scoping import area_path
from safecommunity.feeds import analysis, services
from safecommunity.feeds import samples as cardfiles
from safecommunity.feeds.models import ColumnMapping, FeedCase, FeedUpload, ValueMapping
from safecommunity.injuries.models import ImportBatch, InjuryRecord, InjuryStat
from safecommunity.injuries.services import stats_rebuild


def _upload(actor, source, data, name="export.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.upload_create(actor=actor, source=source, uploaded=SimpleUploadedFile(name, data))


def test_clean_file_previews_without_writing_then_imports(district_a, hospitals, tree):
    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(cardfiles.clean_rows(30)))
    assert upload.status == FeedUpload.Status.PREVIEW
    assert (upload.rows_read, upload.rows_ready, upload.rows_problem) == (30, 30, 0)
    per_unit = dict(upload.summary["per_unit"])
    assert set(per_unit) == {"解放碑街道", "七星岗街道"} and sum(per_unit.values()) == 30
    assert InjuryRecord.objects.count() == 0 and FeedCase.objects.count() == 0

    services.upload_import(actor=district_a, upload=upload)
    upload.refresh_from_db()
    assert upload.status == FeedUpload.Status.IMPORTED and upload.rows_imported == 30
    assert InjuryRecord.objects.count() == 30
    assert InjuryRecord.objects.filter(org_unit=tree["500103003"]).count() == per_unit["解放碑街道"]
    case = FeedCase.objects.select_related("record").get(upload=upload, card_number="C0000001")
    assert case.source == hospitals["a"] and case.row == 2 and case.record.import_batch == upload.import_batch
    assert case.record.personal_clear()["name"] == "患者0"
    # the record's source is the same hospital, registered in the unit the case was placed in
    assert {r.source.name for r in InjuryRecord.objects.select_related("source")} == {"市第一人民医院"}
    assert all(r.source.org_unit_id == r.org_unit_id for r in InjuryRecord.objects.select_related("source"))
    total = InjuryStat.objects.filter(dimension="total", year=2025).values_list("count", flat=True)
    assert sum(total) == 30
    # the import added its counts to the summary: the same table a rebuild from the records gives
    added = sorted(InjuryStat.objects.values_list("org_unit_id", "year", "dimension", "key", "count"))
    stats_rebuild()
    assert added == sorted(InjuryStat.objects.values_list("org_unit_id", "year", "dimension", "key", "count"))


def test_dirty_rows_are_listed_with_row_column_and_reason(district_a, hospitals, client_for):
    rows = [
        cardfiles.row(card="D1", age="3月", occurred="2025年3月4日", visit="2025/3/4"),   # infant: fine
        cardfiles.row(card="D2", age="10天", occurred=45720.0, visit=""),                 # serial date, no visit
        cardfiles.row(card="D3", age="不详"),                                             # no age, no birth date
        cardfiles.row(card="D4", cause="被外星人绑架"),                                    # unknown code
        cardfiles.row(card="D5", occurred="2025-03-05 10:00", visit="2025-03-04"),       # visit before injury
        cardfiles.row(card="D6", age="不详", id_number="11010519491231002X", nature="", part=""),  # age from ID
    ]
    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    assert (upload.rows_read, upload.rows_ready, upload.rows_problem) == (6, 3, 3)
    problems = {(r, c): m for r, c, m in upload.summary["problems"]}
    assert "no birth date" in problems[(4, "年龄")] or "出生日期" in problems[(4, "年龄")]
    assert "被外星人绑架" in problems[(5, "原因")]
    assert (6, "就诊日期") in problems

    response = client_for(district_a).get(f"/feeds/{upload.pk}/problems.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    got = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in got[1:]] == [4, 5, 6]
    assert got[0][2:5] == ("医院编号", "卡片编号", "身份证") and got[2][3] == "D4"

    services.upload_import(actor=district_a, upload=upload)
    assert sorted(FeedCase.objects.values_list("card_number", flat=True)) == ["D1", "D2", "D6"]
    assert InjuryRecord.objects.get(feed_case__card_number="D6").age == 75
    assert set(InjuryRecord.objects.filter(feed_case__card_number__in=["D1", "D2"]).values_list("age", flat=True)) == {0}


def test_a_unit_imports_its_own_townships_cases_only(unit_a, hospitals):
    rows = [cardfiles.row(card="U1"), cardfiles.row(card="U2", address="重庆市渝中区七星岗街道中山一路1号")]
    upload = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    assert (upload.rows_ready, upload.summary["elsewhere"]) == (1, [["七星岗街道", 1]])


def test_gbk_csv_imports_like_the_xlsx(unit_a, hospitals):
    data = cardfiles.csv_bytes(cardfiles.clean_rows(5, addresses=["重庆市渝中区解放碑街道"]), encoding="gbk")
    upload = _upload(unit_a, hospitals["a"], data, "导出.csv")
    assert (upload.rows_read, upload.rows_ready) == (5, 5)
    services.upload_import(actor=unit_a, upload=upload)
    assert InjuryRecord.objects.filter(org_unit=unit_a.org_unit).count() == 5


def test_address_outside_scope_is_listed_then_placed_by_hand(district_a, hospitals, tree, client_for):
    rows = [cardfiles.row(card="X1", address="重庆市沙坪坝区小龙坎街道天星桥1号"),
            cardfiles.row(card="X2", address="不详"),
            cardfiles.row(card="X3"),
            cardfiles.row(card="X4", address="重庆市渝中区中山三路1号")]  # 中山: a 江津区 town's short name
    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    assert (upload.rows_ready, upload.rows_unplaced, upload.rows_problem) == (3, 2, 0)
    assert [r for r, _a in upload.summary["unplaced"]] == [3, 5]
    assert upload.summary["elsewhere"] == [["沙坪坝区", 1]]  # 沙坪坝区's case: not 渝中区's to import
    page = client_for(district_a).get(f"/feeds/{upload.pk}/").content.decode()
    assert 'id="elsewhere"' in page and "其他辖区的病例" in page and "<td>沙坪坝区</td>" in page
    services.upload_import(actor=district_a, upload=upload)
    assert InjuryRecord.objects.count() == 1
    assert not InjuryRecord.objects.filter(org_unit=tree["500106001"]).exists()
    assert not FeedCase.objects.filter(card_number="X1").exists()
    waiting = FeedCase.objects.get(card_number="X4")
    assert waiting.status == FeedCase.Status.UNPLACED and waiting.org_unit == tree["500103"]

    # a unit outside the scope is refused; inside it the case becomes a record
    response = client_for(district_a).post(f"/feeds/cases/{waiting.pk}/place/", {"org_unit": tree["500106001"].pk})
    assert response.status_code == 200 and "org_unit" in response.context["form"].errors
    with pytest.raises(PermissionDenied):
        services.case_place(actor=district_a, case=waiting, org_unit=tree["500106001"])
    response = client_for(district_a).post(f"/feeds/cases/{waiting.pk}/place/", {"org_unit": tree["500103001"].pk})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == FeedCase.Status.IMPORTED and waiting.record.org_unit == tree["500103001"]
    assert waiting.record.personal_clear()["name"] == "张三" and waiting.record.age == 45


def test_duplicates_across_two_sources_are_counted_once(district_a, hospitals):
    rows = cardfiles.clean_rows(10, prefix="A")
    first = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    services.upload_import(actor=district_a, upload=first)
    # the other hospital saw four of the same patients (its own card numbers), and one new one
    again = [list(r) for r in rows[:4]]
    for r in again:
        r[1] = "B" + r[1]
        r[0] = "H2"
    again.append(cardfiles.row(card="B-new", name="李四"))
    second = _upload(district_a, hospitals["a2"], cardfiles.xlsx_bytes(again))
    assert (second.rows_ready, second.rows_duplicate) == (5, 4)
    services.upload_import(actor=district_a, upload=second)
    assert InjuryRecord.objects.count() == 11
    dup = FeedCase.objects.get(card_number="B" + rows[0][1])
    assert dup.status == FeedCase.Status.DUPLICATE and dup.record is None
    assert dup.duplicate_of == FeedCase.objects.get(card_number=rows[0][1]).record
    # the same person with another mechanism the same day is a different injury
    other = [list(rows[5])]
    other[0][1], other[0][10] = "B-other", "溺水"
    third = _upload(district_a, hospitals["a2"], cardfiles.xlsx_bytes(other))
    assert third.rows_duplicate == 0


def test_reuploading_the_same_file_changes_nothing(unit_a, hospitals):
    data = cardfiles.xlsx_bytes(cardfiles.clean_rows(5, addresses=["解放碑街道"]))
    services.upload_import(actor=unit_a, upload=_upload(unit_a, hospitals["a"], data))
    with pytest.raises(ValidationError) as exc:
        _upload(unit_a, hospitals["a"], data)
    assert "already imported" in str(exc.value) or "已" in str(exc.value)
    # the same cases in another file (another export of the same month): all already known
    again = _upload(unit_a, hospitals["a"], cardfiles.csv_bytes(cardfiles.clean_rows(5, addresses=["解放碑街道"])), "again.csv")
    assert (again.rows_known, again.rows_ready) == (5, 0)
    services.upload_import(actor=unit_a, upload=again)
    assert InjuryRecord.objects.count() == 5 and FeedCase.objects.count() == 5


def test_cancel_writes_nothing_and_cannot_be_imported_after(unit_a, hospitals):
    upload = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes(cardfiles.clean_rows(3)))
    services.upload_cancel(actor=unit_a, upload=upload)
    with pytest.raises(ValidationError):
        services.upload_import(actor=unit_a, upload=upload)
    assert InjuryRecord.objects.count() == 0 and FeedCase.objects.count() == 0


def test_a_failure_during_import_leaves_nothing_half_written(district_a, hospitals, monkeypatch):
    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(cardfiles.clean_rows(20)))

    def boom(counts):
        raise RuntimeError("disk full")

    monkeypatch.setattr("safecommunity.feeds.writing.stats_add", boom)
    with pytest.raises(RuntimeError):
        services.upload_import(actor=district_a, upload=upload)
    upload.refresh_from_db()
    assert upload.status == FeedUpload.Status.PREVIEW
    assert InjuryRecord.objects.count() == 0 and FeedCase.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_the_writer_thread_rolls_back_every_chunk(district_a, hospitals, monkeypatch):
    """The rows of a file are stored by a second thread, chunk after chunk: a database error on
    the third chunk reaches the user and takes the first two with it."""
    monkeypatch.setattr(analysis, "CHUNK", 4)
    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(cardfiles.clean_rows(20)))
    original, calls = bulk.insert, []

    def failing(model, fields, rows, **kw):
        calls.append(model)
        if len(calls) == 5:  # records and cases of two chunks went in; the third chunk's records fail
            kw["cursor"].execute("INSERT INTO feeds_no_such_table VALUES (1)")
        return original(model, fields, rows, **kw)

    monkeypatch.setattr(bulk, "insert", failing)
    with pytest.raises(DatabaseError, match="feeds_no_such_table"):
        services.upload_import(actor=district_a, upload=upload)
    upload.refresh_from_db()
    assert len(calls) >= 5 and upload.status == FeedUpload.Status.PREVIEW
    assert InjuryRecord.objects.count() == 0 and FeedCase.objects.count() == 0 and InjuryStat.objects.count() == 0
    monkeypatch.setattr(bulk, "insert", original)
    services.upload_import(actor=district_a, upload=upload)  # the same preview imports once the database is well
    assert InjuryRecord.objects.count() == 20


def test_other_columns_are_mapped_once_per_source(unit_a, hospitals):
    headers = ["流水号", "病人", "岁数", "性别", "家庭所在地", "看病日期", "出事日期", "伤因", "伤害发生地点", "活动",
               "意图", "性质", "部位", "严重程度", "结局"]
    rows = [["K1", "王五", "30", "女", "解放碑街道", "2025-03-04", "2025-03-04", "跌倒坠落", "家中", "家务", "非故意", "骨折",
             "下肢", "轻", "处理后离院"]]
    upload = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes(rows, headers=headers))
    assert upload.status == FeedUpload.Status.MAPPING
    assert set(upload.summary["missing"]) >= {"address", "occurred", "mechanism", "age"}
    with pytest.raises(ValidationError) as exc:
        services.columns_map(actor=unit_a, upload=upload, columns={"address": "家庭所在地", "occurred": "家庭所在地"})
    assert "occurred" in exc.value.message_dict and "mechanism" in exc.value.message_dict
    upload = services.columns_map(actor=unit_a, upload=upload, columns={
        "card_number": "流水号", "name": "病人", "age": "岁数", "address": "家庭所在地", "visit_date": "看病日期",
        "occurred": "出事日期", "mechanism": "伤因"})
    assert upload.status == FeedUpload.Status.PREVIEW and upload.rows_ready == 1
    assert ColumnMapping.objects.get(source=hospitals["a"]).columns["mechanism"] == "伤因"
    rows[0][0] = "K2"
    second = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes(rows, headers=headers))
    assert second.status == FeedUpload.Status.PREVIEW and second.rows_ready == 1


def test_value_mapping_table_maps_a_hospitals_own_words(unit_a, hospitals, city_admin):
    rows = [cardfiles.row(card="V1", cause="摔了一跤")]
    upload = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    assert upload.rows_problem == 1
    assert ValueMapping.objects.filter(field="mechanism", value="跌倒/坠落").exists()  # out of the box
    ValueMapping.objects.create(field="mechanism", value="摔了一跤",
                                item=CodeItem.objects.get(codelist__key="injury_mechanism", code="fall"))
    upload = services.preview(actor=unit_a, upload=upload)
    assert (upload.rows_problem, upload.rows_ready) == (0, 1)


def test_undo_by_whoever_imported_while_nothing_depends_on_it(district_a, unit_a, hospitals):
    rows = cardfiles.clean_rows(6)
    first = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    services.upload_import(actor=district_a, upload=first)
    with pytest.raises(PermissionDenied):
        services.upload_undo(actor=unit_a, upload=first)
    # another source reports one of the same cases: the first import can no longer be undone
    dup = [list(rows[0])]
    dup[0][1] = "OTHER-1"
    second = _upload(district_a, hospitals["a2"], cardfiles.xlsx_bytes(dup))
    services.upload_import(actor=district_a, upload=second)
    assert services.undo_blockers(first)
    with pytest.raises(ValidationError):
        services.upload_undo(actor=district_a, upload=first)
    assert InjuryRecord.objects.count() == 6
    # undo the second, then the first: everything is gone, statistics too
    services.upload_undo(actor=district_a, upload=second)
    services.upload_undo(actor=district_a, upload=first)
    assert InjuryRecord.objects.count() == 0 and FeedCase.objects.count() == 0
    assert not InjuryStat.objects.filter(count__gt=0).exists()
    first.refresh_from_db()
    assert first.status == FeedUpload.Status.UNDONE and first.import_batch is None
    # undone: the same file may be imported again
    again = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    assert again.rows_ready == 6


def test_undo_refused_after_a_record_was_edited(unit_a, hospitals):
    from datetime import timedelta

    upload = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes(cardfiles.clean_rows(2, addresses=["解放碑"])))
    services.upload_import(actor=unit_a, upload=upload)
    record = InjuryRecord.objects.first()
    InjuryRecord.objects.filter(pk=record.pk).update(updated_at=record.created_at + timedelta(minutes=5))
    with pytest.raises(ValidationError):
        services.upload_undo(actor=unit_a, upload=upload)


def test_wrong_file_types_and_unreadable_files_are_refused(unit_a, hospitals):
    with pytest.raises(ValidationError) as exc:
        _upload(unit_a, hospitals["a"], b"hello", "notes.txt")
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _upload(unit_a, hospitals["a"], b"PK\x03\x04broken", "broken.xlsx")
    assert "file" in exc.value.message_dict
    assert FeedUpload.objects.count() == 0
    # a readable file without a column of the report card: its analysis (a job) cancels it with the reason
    upload = _upload(unit_a, hospitals["a"], cardfiles.csv_bytes([["1", "2"]], headers=["甲", "乙"]), "x.csv")
    assert upload.status == FeedUpload.Status.CANCELLED and "x.csv" in upload.summary["error"]
    job = Job.objects.get(subject=f"feeds.FeedUpload:{upload.pk}")
    assert job.status == Job.Status.FAILED and job.error == upload.summary["error"]
    assert not FeedCase.objects.exists() and not InjuryRecord.objects.exists()


def test_upload_for_a_source_outside_scope_is_refused(unit_a, hospitals):
    with pytest.raises(PermissionDenied):
        _upload(unit_a, hospitals["b"], cardfiles.xlsx_bytes(cardfiles.clean_rows(1)))


def test_an_old_excel_xls_export_is_read(district_a, hospitals, tree):
    """tests/data/card-export.xls was written once with xlwt (Excel 97-2003; no .xls writer is a
    dependency of the project): a title line, an Excel date and a bare serial date."""
    from pathlib import Path

    data = (Path(__file__).parent / "data" / "card-export.xls").read_bytes()
    upload = _upload(district_a, hospitals["a"], data, "export.xls")
    assert (upload.header_row, upload.rows_read, upload.rows_ready, upload.rows_problem) == (2, 3, 2, 1)
    services.upload_import(actor=district_a, upload=upload)
    baby = InjuryRecord.objects.get(feed_case__card_number="XLS2")
    assert baby.age == 0 and baby.org_unit == tree["500103001"] and str(baby.occurred_on) == "2025-03-04"
    assert baby.occurred_time.strftime("%H:%M") == "14:20"


def test_deleting_the_original_keeps_the_duplicate_as_a_record(district_a, hospitals, client_for):
    rows = cardfiles.clean_rows(2)
    services.upload_import(actor=district_a, upload=_upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows)))
    dup = [list(rows[0])]
    dup[0][1] = "OTHER-1"
    services.upload_import(actor=district_a, upload=_upload(district_a, hospitals["a2"], cardfiles.xlsx_bytes(dup)))
    original = FeedCase.objects.get(card_number=rows[0][1]).record
    dup = FeedCase.objects.get(card_number="OTHER-1")
    assert dup.duplicate_of == original and InjuryRecord.objects.count() == 2
    response = client_for(district_a).post(f"/injuries/records/{original.pk}/delete/")
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.status == FeedCase.Status.IMPORTED and dup.duplicate_of is None
    assert InjuryRecord.objects.count() == 2  # still counted once
    promoted = dup.record
    assert promoted.org_unit_id == original.org_unit_id and promoted.occurred_on == original.occurred_on
    assert promoted.personal_clear()["name"] == rows[0][3] and promoted.source.name == "七星岗社区医院"


RECORD_VALUES = ("org_unit_id", "occurred_on", "occurred_time", "age", "age_band", "sex", "safety_area_id", "place_id",
                 "activity_id", "mechanism_id", "intent_id", "nature_id", "body_part_id", "severity_id",
                 "outcome_id", "source_id", "place_detail")


def _imported():
    """What an import left, keyed by card number: case fields, record fields, clear personal values
    (and the clear payload of the cases that wait)."""
    from safecommunity.core import personal

    out = {}
    for c in FeedCase.objects.select_related("record"):
        r = c.record
        out[c.card_number] = (
            c.status, c.org_unit_id, c.source_id, c.row, c.person_key, c.occurred_on, c.mechanism_id, c.address,
            c.payload and personal.decrypt(c.payload),
            r and tuple(getattr(r, f) for f in RECORD_VALUES), r and r.personal_clear())
    return out


def test_import_without_the_kept_preview_gives_the_same_result(district_a, hospitals):
    from safecommunity.feeds import staging

    rows = cardfiles.clean_rows(12) + [cardfiles.row(card="BAD", age="不详"),
                                       cardfiles.row(card="FAR", address="渝中区某某路1号", phone="13800001111"),
                                       cardfiles.row(card="ID", name=" 李四 ", id_number="11010519491231002x",
                                                     age="", phone="138-0000-2222")]
    kept = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    assert staging._path(kept).exists()
    services.upload_import(actor=district_a, upload=kept)
    assert not staging._path(kept).exists()
    result_kept = _imported()
    assert result_kept["ID"][10] == {"name": "李四", "id_number": "11010519491231002X", "phone": "138-0000-2222"}
    assert '"phone": "13800001111"' in result_kept["FAR"][8]
    services.upload_undo(actor=district_a, upload=kept)

    again = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    staging.discard(again)  # e.g. the import request lands on another server
    services.upload_import(actor=district_a, upload=again)
    again.refresh_from_db()
    assert (again.rows_imported, again.rows_problem, again.rows_unplaced) == (13, 1, 1)
    result_again = _imported()
    assert {k: v[1:] for k, v in result_again.items()} == {k: v[1:] for k, v in result_kept.items()}
    assert {k: v[0] for k, v in result_again.items()} == {k: v[0] for k, v in result_kept.items()}


def test_the_kept_preview_holds_no_clear_personal_data_and_needs_the_same_key(district_a, hospitals, settings):
    import base64

    from safecommunity.core import personal
    from safecommunity.feeds import staging

    old_key, new_key = (f"{kid}:" + base64.urlsafe_b64encode(bytes([n]) * 32).decode() for kid, n in (("a", 1), ("b", 2)))
    settings.PERSONAL_DATA_KEYS = [old_key]
    rows = [cardfiles.row(card="P1", name="王小明", phone="13912345678"),
            cardfiles.row(card="P2", name="赵六", address="渝中区某某路1号")]
    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(rows))
    kept = staging._path(upload).read_bytes()
    for clear in ("王小明", "赵六", "13912345678"):
        assert clear.encode() not in kept

    # The key was rotated after the preview (the new key encrypts, the old one still decrypts): the
    # kept preview, written under the old key, is not used; the (sealed) original is read again.
    settings.PERSONAL_DATA_KEYS = [new_key, old_key]
    assert personal.key_id() == "b"
    services.upload_import(actor=district_a, upload=upload)
    record = FeedCase.objects.get(card_number="P1").record
    assert record.personal_clear() == {"name": "王小明", "id_number": "", "phone": "13912345678"}
    assert record.name_cipher.startswith("g2:b:")  # stored under the key in force at import

    assert '"name": "赵六"' in personal.decrypt(FeedCase.objects.get(card_number="P2").payload)


def test_a_mapping_added_after_the_preview_counts_at_import(unit_a, hospitals):
    upload = _upload(unit_a, hospitals["a"], cardfiles.xlsx_bytes([cardfiles.row(card="M1", cause="摔了一跤")]))
    assert upload.rows_problem == 1
    ValueMapping.objects.create(field="mechanism", value="摔了一跤",
                                item=CodeItem.objects.get(codelist__key="injury_mechanism", code="fall"))
    services.upload_import(actor=unit_a, upload=upload)
    upload.refresh_from_db()
    assert (upload.rows_imported, upload.rows_problem) == (1, 0)


def test_a_damaged_kept_preview_is_not_used(district_a, hospitals):
    """A kept preview whose blocks were altered or reordered fails authentication: the import
    reads the spreadsheet again and gives the same result."""
    from safecommunity.feeds import staging

    upload = _upload(district_a, hospitals["a"], cardfiles.xlsx_bytes(cardfiles.clean_rows(5)))
    analyser = analysis.Analyser(source=upload.source, area=area_path(district_a),
                                 columns={k: upload.summary["headers"].index(h) for k, h in upload.columns.items()},
                                 headers=upload.summary["headers"])
    assert staging.read(upload, analyser.fingerprint) is not None  # usable as it was written
    path = staging._path(upload)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01  # one bit of the last block
    path.write_bytes(bytes(data))
    assert staging.read(upload, analyser.fingerprint) is None
    services.upload_import(actor=district_a, upload=upload)
    upload.refresh_from_db()
    assert upload.rows_imported == 5 and InjuryRecord.objects.count() == 5
