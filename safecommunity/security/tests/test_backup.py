import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from safecommunity.security import audit
from safecommunity.security.backup import media_checksums, table_counts


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, settings, unit_a, district_a):
    if connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    (media / "archive" / "2026").mkdir(parents=True)
    (media / "archive" / "2026" / "整改照片.jpg").write_bytes(b"\xff\xd8\xff" + b"photo" * 1000)
    (media / "report.pdf").write_bytes(b"%PDF-1.4 report")
    for phone in ("023-1", "023-2"):
        unit_a.phone = phone
        unit_a.save()
    counts, files = table_counts(), media_checksums(media)
    assert counts["accounts_user"] == 2 and counts["auditlog_logentry"] > 0

    call_command("backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "manifest.json").exists()

    # after the backup: more rows, fewer rows, a changed and a deleted file
    district_a.phone = "023-3"
    district_a.save()
    from safecommunity.core.models import Notification

    Notification.objects.create(user=unit_a, title="x", url="/")
    (media / "report.pdf").write_bytes(b"changed")
    (media / "archive" / "2026" / "整改照片.jpg").unlink()
    assert table_counts() != counts

    call_command("restore", str(tmp_path / "backup"), "--yes")
    assert table_counts() == counts  # every table's rows
    assert media_checksums(media) == files  # every file's SHA-256
    assert audit.chain_verify().ok

    # a damaged backup is refused before anything changes
    (tmp_path / "backup" / "media" / "report.pdf").write_bytes(b"tampered")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "backup"), "--yes")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "backup"), "--check")
    assert table_counts() == counts


def test_backup_refuses_a_folder_in_use(tmp_path, db):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "f").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "x"))
