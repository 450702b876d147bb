import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.archive.models import Attachment
from safecommunity.archive.services import attachment_create, attachment_verify

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def test_it_stores_checksums_and_verifies(tree, unit_a):
    att = attachment_create(uploaded=SimpleUploadedFile("签到表.png", PNG), org_unit=tree["500103003"], actor=unit_a)
    assert att.kind == "photo" and len(att.sha256) == 64 and att.original_name == "签到表.png"
    assert attachment_verify(att)
    att.file.storage.delete(att.file.name)
    att.file.storage.save(att.file.name, SimpleUploadedFile("x", b"tampered"))
    assert not attachment_verify(att)


@pytest.mark.parametrize("name, content, code", [
    ("virus.exe", b"MZ....", "type"),
    ("fake.pdf", b"not a pdf", "content"),
    ("empty.txt", b"", "empty"),
])
def test_it_refuses_bad_files_and_stores_nothing(tree, unit_a, name, content, code):
    with pytest.raises(ValidationError) as exc:
        attachment_create(uploaded=SimpleUploadedFile(name, content), org_unit=tree["500103003"], actor=unit_a)
    assert exc.value.code == code
    assert not Attachment.objects.exists()


def test_size_limit(tree, unit_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(ValidationError) as exc:
        attachment_create(uploaded=SimpleUploadedFile("a.png", PNG), org_unit=tree["500103003"], actor=unit_a)
    assert exc.value.code == "size"


def test_download_is_scoped(tree, unit_a, unit_b, client_for):
    att = attachment_create(uploaded=SimpleUploadedFile("a.png", PNG), org_unit=tree["500103003"], actor=unit_a)
    assert client_for(unit_a).get(f"/archive/files/{att.pk}/").status_code == 200
    assert client_for(unit_b).get(f"/archive/files/{att.pk}/").status_code == 404


def test_the_sweep_removes_files_left_by_rolled_back_uploads_only(tree, unit_a):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import transaction

    from safecommunity.archive.services import orphan_files_sweep

    kept = attachment_create(uploaded=SimpleUploadedFile("kept.png", PNG), org_unit=tree["500103003"], actor=unit_a)
    with pytest.raises(RuntimeError), transaction.atomic():  # a later check refuses the upload
        left = attachment_create(uploaded=SimpleUploadedFile("left.png", PNG + b"1"), org_unit=tree["500103003"],
                                 actor=unit_a)
        raise RuntimeError("refused after the file was stored")
    assert not Attachment.objects.filter(pk=left.pk).exists() and default_storage.exists(left.file.name)

    assert left.file.name not in orphan_files_sweep()  # too young: its transaction may still run
    call_command("archive_sweep", "--hours", "0", "--dry-run")
    assert default_storage.exists(left.file.name)
    removed = orphan_files_sweep(older_than=timedelta(0))
    assert left.file.name in removed and kept.file.name not in removed
    assert not default_storage.exists(left.file.name) and default_storage.exists(kept.file.name)


def test_the_sweep_runs_weekly_on_the_beat_schedule():
    from safecommunity.archive import tasks
    from safecommunity.celery import app

    assert app.conf.beat_schedule["archive-sweep-weekly"]["task"] == tasks.archive_sweep.name
