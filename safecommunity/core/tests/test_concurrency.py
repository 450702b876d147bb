"""Concurrent requests: report PDFs built by 8 threads at once all succeed (reportlab's shared
font state is used by one build at a time, core.pdf), the embedded SQLite database runs with a
write-ahead log, a busy timeout and immediate transactions, and failed logins arriving together
are all answered (no 500)."""

import threading

import pytest
from django.db import connection, connections

from safecommunity.reports.tests.conftest import draft, launched, officers, records, submitted  # noqa: F401


def in_threads(n, work):
    errors = []

    def run(i):
        try:
            work(i)
        except Exception as exc:  # noqa: BLE001 - collected, the test names them
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db
def test_eight_threads_build_report_pdfs(submitted):  # noqa: F811
    from safecommunity.reports import output
    from safecommunity.reports.selectors import recent_steps

    steps = list(recent_steps(submitted))
    output.report_pdf(submitted, steps)  # the report's related rows loaded once, in this thread
    sizes = []

    def work(i):
        for _ in range(4):
            response = output.report_pdf(submitted, steps)
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
            sizes.append(len(response.content))

    assert in_threads(8, work) == []
    assert len(sizes) == 32


def test_the_embedded_database_waits_for_locks_instead_of_failing(tmp_path, settings, django_db_blocker):
    """On a database file of its own, outside the test database."""
    with django_db_blocker.unblock():
        _eight_writers(tmp_path, settings)


def _eight_writers(tmp_path, settings):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("the SQLite options of the embedded default")
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 20
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}, alias="probe")
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
    finally:
        wrapper.close()
    # Eight writers at once on one file: each waits its turn, none fails with "database is locked".
    setup = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}, alias="probe")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    setup.close()

    def work(i):
        db = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}, alias=f"w{i}")
        try:
            for n in range(25):  # as transaction.atomic() runs a transaction on this backend
                db.ensure_connection()
                db._start_transaction_under_autocommit()  # BEGIN IMMEDIATE (transaction_mode)
                with db.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM t")  # read, then write: no failed lock upgrade
                    cursor.execute("INSERT INTO t VALUES (%s)", [n])
                    cursor.execute("COMMIT")
        finally:
            db.close()

    assert in_threads(8, work) == []
    check = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}, alias="probe")
    with check.cursor() as cursor:
        assert cursor.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 200
    check.close()


@pytest.mark.django_db(transaction=True)
def test_failed_logins_arriving_together_are_all_answered(unit_a):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database (shared cache) has table locks no busy timeout waits for; "
                    "the embedded file database is tested above")
    from django.test import Client

    statuses = []

    def work(i):
        response = Client().post("/accounts/login/", {"username": "unit_a", "password": f"wrong-{i}"})
        statuses.append(response.status_code)

    assert in_threads(8, work) == []
    assert len(statuses) == 8 and all(s in (200, 429) for s in statuses)
