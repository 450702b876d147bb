"""The bulk-write helpers the imports rely on (core.bulk) and the weekly check of the references
the record table keeps without database constraints (core.integrity), on the record table itself."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from safecommunity.core import bulk
from safecommunity.core.integrity import dangling_references
from safecommunity.injuries import choices
from safecommunity.injuries.models import InjuryRecord, ReportingSource

FIELDS = ["org_unit_id", "occurred_on", "age", "age_band", "sex", "safety_area_id", "place_id", "activity_id",
          "mechanism_id", "intent_id", "severity_id", "outcome_id", "source_id", "place_detail", "name_cipher",
          "id_number_cipher", "phone_cipher", "created_at", "updated_at"]


def _rows(record_kwargs, n, *, adapt=True):
    kw = record_kwargs()
    ad = bulk.Adapter()
    day = ad.date(date(2025, 3, 1)) if adapt or connection.vendor != "postgresql" else date(2025, 3, 1)
    stamp = ad.now if adapt or connection.vendor != "postgresql" else timezone.now()
    one = (kw["org_unit"].pk, day, 40, choices.age_band(40), "M", *(kw[k].pk for k in (
        "safety_area", "place", "activity", "mechanism", "intent", "severity", "outcome", "source")))
    return [(*one, f"第{i}行", "", "", "", stamp, stamp) for i in range(n)]


@pytest.mark.django_db
def test_insert_writes_every_row_across_statement_boundaries(record_kwargs):
    """SQLite writes many rows per statement (as many as its parameter limit allows): a number of
    rows that is no multiple of that still arrives whole and in order."""
    per_statement = max(1, bulk._max_params(connection) // len(FIELDS)) if connection.vendor == "sqlite" else 1000
    n = per_statement * 2 + 7
    bulk.insert(InjuryRecord, FIELDS, _rows(record_kwargs, n))
    details = list(InjuryRecord.objects.order_by("pk").values_list("place_detail", flat=True))
    assert details == [f"第{i}行" for i in range(n)]


@pytest.mark.django_db
def test_reserved_ids_are_not_handed_out_again(record_kwargs, make_record):
    """Ids reserved for rows written later are never given to a record saved meanwhile or after."""
    make_record()
    with transaction.atomic():
        blocks = bulk.IdBlocks(InjuryRecord, block=50)
        first = blocks.take(30)
        second = blocks.take(30)  # 20 left in the first block, then a new block
        assert first == sorted(first) and second == sorted(second)
        assert len(set(first) | set(second)) == 60
        assert min(first) > InjuryRecord.objects.get().pk
        rows = _rows(record_kwargs, 60)
        bulk.insert(InjuryRecord, ["id", *FIELDS], [(pk, *r) for pk, r in zip(first + second, rows, strict=True)])
        later = make_record()
    assert later.pk > max(second) and later.pk not in first + second
    assert InjuryRecord.objects.count() == 62


@pytest.mark.django_db(transaction=True)
def test_ids_on_sqlite_are_reserved_only_inside_a_transaction():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL takes ids from the sequence, in or out of a transaction")
    with pytest.raises(RuntimeError):
        bulk.new_ids(InjuryRecord, 3)


@pytest.mark.django_db
def test_a_failing_background_job_is_raised_and_later_jobs_are_skipped(record_kwargs):
    ran = []
    with pytest.raises(ZeroDivisionError), transaction.atomic(), bulk.BackgroundWriter() as writer:
        writer.submit(lambda cursor: ran.append(1))
        writer.submit(lambda cursor: 1 / 0)
        writer.submit(lambda cursor: ran.append(3))
        writer.close()
    assert ran == [1]


@pytest.mark.django_db
def test_background_jobs_run_in_order_in_the_callers_transaction(record_kwargs):
    rows = _rows(record_kwargs, 10, adapt=False)
    with transaction.atomic():
        with bulk.BackgroundWriter() as writer:
            for i in range(0, 10, 3):
                part = rows[i:i + 3]
                writer.submit(lambda cursor, part=part: bulk.insert(InjuryRecord, FIELDS, part, binary=True,
                                                                    cursor=cursor))
            writer.close()
        assert InjuryRecord.objects.count() == 10
        transaction.set_rollback(True)
    assert InjuryRecord.objects.count() == 0


@pytest.mark.django_db
def test_a_dangling_reference_is_found_and_the_command_fails(make_record, sources):
    """Unit and source are kept by the application (no database constraint): a source removed
    behind the application's back is reported by the weekly check."""
    record = make_record()
    assert dangling_references() == {}
    call_command("check_references")  # passes
    table = connection.ops.quote_name(ReportingSource._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")  # other tables still point at sources with constraints
        else:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"UPDATE {table} SET id = id + 100000 WHERE id = %s", [record.source_id])
    try:
        assert dangling_references() == {"injuries.InjuryRecord.source": 1}
        with pytest.raises(CommandError, match="1 dangling"):
            call_command("check_references")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id - 100000 WHERE id = %s", [record.source_id + 100000])
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
