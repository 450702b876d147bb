"""Files holding personal data (the originals of injury imports and hospital files): stored
encrypted, never in the archive's lists, API or binder, downloadable only by who sees clear
personal values (the recording unit), deleted after the retention period."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from safecommunity.archive.models import Attachment
from safecommunity.archive.services import SEALED_MAGIC, attachment_create, attachment_verify
from safecommunity.core.testing import fetch_file
from safecommunity.evaluation.tests.conftest import (  # noqa: F401
    evaluating,
    experts,
    launched_a,
    national_completed,
    submitted,
)
from safecommunity.injuries import services
from safecommunity.injuries.models import ImportBatch, InjuryRecord
from safecommunity.injuries.tests.conftest import code, sources  # noqa: F401
from safecommunity.injuries.tests.test_import import row, xlsx

pytestmark = pytest.mark.django_db

ID_NUMBER = "500103199001011232"


@pytest.fixture
def imported(unit_a, sources, django_capture_on_commit_callbacks):  # noqa: F811
    data = xlsx([row(name="张三", id_number=ID_NUMBER, phone="13800000000", source="医院500103003")]).read()
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_start(actor=unit_a, uploaded=SimpleUploadedFile("伤害.xlsx", data))
    batch.refresh_from_db()
    return batch, data


def stored_bytes(att) -> bytes:
    with default_storage.open(att.file.name, "rb") as fh:
        return fh.read()


def test_the_original_is_stored_encrypted_and_still_imports(imported):
    batch, data = imported
    assert batch.errors == [] and batch.status == ImportBatch.Status.DONE and InjuryRecord.objects.count() == 1
    raw = stored_bytes(batch.attachment)
    assert raw.startswith(SEALED_MAGIC) and raw != data and b"PK\x03\x04" not in raw
    assert batch.attachment.file.name.endswith(".sealed") and batch.attachment.sha256[:16] not in batch.attachment.file.name
    assert attachment_verify(batch.attachment)  # the checksum is of the clear content


def test_only_the_recording_unit_downloads_it(imported, client_for, unit_a, unit_a2, district_a, city_admin, expert):
    batch, data = imported
    url = f"/archive/files/{batch.attachment.pk}/"
    response = client_for(unit_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    for user in (district_a, city_admin, expert, unit_a2):
        assert client_for(user).get(url).status_code == 404


def test_an_assigned_expert_gets_404_and_no_listing(imported, evaluating, experts, api_client_for, client_for):  # noqa: F811
    batch, _data = imported
    e1 = experts["e1"]
    listed = api_client_for(e1).get("/api/v1/archive/files/?page_size=500").json()["results"]
    assert listed and batch.attachment.pk not in {f["id"] for f in listed}  # the unit's archive, without it
    assert api_client_for(e1).get(f"/api/v1/archive/files/{batch.attachment.pk}/").status_code == 404
    assert client_for(e1).get(f"/archive/files/{batch.attachment.pk}/").status_code == 404


def test_never_in_the_archive_lists_api_or_binder(imported, api_client_for, client_for, unit_a, district_a, city_admin):
    import zipfile

    batch, _data = imported
    pk = batch.attachment.pk
    for user in (unit_a, district_a, city_admin):
        ids = {f["id"] for f in api_client_for(user).get("/api/v1/archive/files/").json()["results"]}
        assert pk not in ids
        assert api_client_for(user).get(f"/api/v1/archive/files/{pk}/").status_code == 404
        page = client_for(user).get("/archive/?unit=500103003")
        assert page.status_code == 200 and "伤害.xlsx" not in page.content.decode()
    response = fetch_file(client_for(unit_a), "/archive/binder/500103003/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert not any(n.endswith(".xlsx") and "contents" not in n for n in zf.namelist())


def test_retention_deletes_the_content_and_seals_old_clear_files(imported, unit_a, client_for, settings, sysadmin):
    batch, _data = imported
    att = batch.attachment
    # A file kept in clear before sealing began is sealed by the sweep.
    legacy = attachment_create(uploaded=SimpleUploadedFile("a.csv", b"h\n1\n"), org_unit=unit_a.org_unit, actor=unit_a)
    Attachment.all_files.filter(pk=legacy.pk).update(role="injury_feed")
    legacy.refresh_from_db()
    call_command("personal_files_sweep", actor=sysadmin.username, stdout=io.StringIO())
    legacy.refresh_from_db()
    assert stored_bytes(legacy).startswith(SEALED_MAGIC) and legacy.file.open("rb").read() == b"h\n1\n"
    # Past the retention period the content goes; the row (name, checksum) stays.
    Attachment.all_files.filter(pk=att.pk).update(uploaded_at=timezone.now() - timedelta(days=181))
    name = att.file.name
    out = io.StringIO()
    call_command("personal_files_sweep", stdout=out)
    assert "1 file(s) were deleted" in out.getvalue()
    att.refresh_from_db()
    assert not att.file and not default_storage.exists(name) and att.sha256
    assert client_for(unit_a).get(f"/archive/files/{att.pk}/").status_code == 404
    assert legacy.file.name and default_storage.exists(legacy.file.name)  # younger: kept
    settings.PERSONAL_FILE_RETENTION_DAYS = 0
    call_command("personal_files_sweep", "--dry-run", stdout=out)
    legacy.refresh_from_db()
    assert default_storage.exists(legacy.file.name)


def test_a_sealed_file_opens_again_after_it_was_closed(imported):
    batch, data = imported
    att = batch.attachment
    for _ in range(2):
        with att.file.open("rb") as fh:
            assert fh.read() == data


def test_a_sealed_file_is_decrypted_a_chunk_at_a_time_and_a_changed_byte_is_refused():
    import os

    from safecommunity.archive.services import seal, unseal, unseal_into

    data = os.urandom(3 * 1024 * 1024 + 17)  # chunks of 1 MB and a tail
    sealed = seal(data)
    clear = io.BytesIO()
    unseal_into(io.BytesIO(sealed), clear, chunk=1 << 20)
    assert clear.getvalue() == data == unseal(sealed)
    tampered = bytearray(sealed)
    tampered[len(sealed) // 2] ^= 1
    with pytest.raises(ValueError):
        unseal_into(io.BytesIO(bytes(tampered)), io.BytesIO())
    plain = io.BytesIO()
    unseal_into(io.BytesIO(b"not sealed"), plain)  # a file stored before sealing began opens as stored
    assert plain.getvalue() == b"not sealed"
