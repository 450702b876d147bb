"""A batch whose worker died (killed, restarted, its task lost) no longer blocks its file: it is
recognised as stopped after IMPORT_STALE_MINUTES without a sign of life, and can be run again
or cancelled; uploading the same file again ends it and imports anew."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safecommunity.injuries import services
from safecommunity.injuries.models import ImportBatch, InjuryRecord
from safecommunity.injuries.tests.test_import import row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()  # no heartbeat left by an earlier test's batch of the same number
    return django_capture_on_commit_callbacks


FILES: dict[int, bytes] = {}


def upload(rows=1):
    """The same bytes for the same number of rows (the workbook's own timestamp would differ)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if rows not in FILES:
        FILES[rows] = xlsx([row()] * rows).read()
    return SimpleUploadedFile(f"records-{rows}.xlsx", FILES[rows])


def lost(user, capture, rows=1, minutes=31):
    """A batch whose task never ran (the worker died before it), `minutes` old."""
    with capture(execute=False):
        batch = services.import_start(actor=user, uploaded=upload(rows))
    when = timezone.now() - timedelta(minutes=minutes)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, created_at=when, updated_at=when)
    batch.refresh_from_db()
    return batch


def test_a_live_batch_blocks_its_file_and_a_dead_one_does_not(unit_a, sources, capture):
    from django.core.exceptions import ValidationError

    alive = lost(unit_a, capture, minutes=5)
    with pytest.raises(ValidationError) as exc, capture(execute=True):
        services.import_start(actor=unit_a, uploaded=upload())
    assert "file" in exc.value.message_dict
    ImportBatch.objects.filter(pk=alive.pk).update(updated_at=timezone.now() - timedelta(minutes=31),
                                                  created_at=timezone.now() - timedelta(minutes=31))
    with capture(execute=True):
        again = services.import_start(actor=unit_a, uploaded=upload())
    again.refresh_from_db()
    alive.refresh_from_db()
    assert alive.status == ImportBatch.Status.FAILED and "再次上传" in alive.errors[0]["reason"]
    assert again.status == ImportBatch.Status.DONE and InjuryRecord.objects.count() == 1


def test_the_page_offers_run_again_and_it_imports(unit_a, sources, capture, client_for):
    batch = lost(unit_a, capture, rows=3)
    client = client_for(unit_a)
    page = client.get(f"/injuries/imports/{batch.pk}/")
    assert page.status_code == 200 and 'data-stale="1"' in page.content.decode()
    assert 'hx-trigger="every 1s"' not in page.content.decode()  # no endless polling of a dead batch
    with capture(execute=True):
        response = client.post(f"/injuries/imports/{batch.pk}/retry/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.imported_rows == 3 and InjuryRecord.objects.count() == 3
    # Finished: neither retried nor cancelled again.
    response = client.post(f"/injuries/imports/{batch.pk}/cancel/", follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and "已中止" in response.content.decode()


def test_cancel_frees_the_file(unit_a, sources, capture, client_for):
    batch = lost(unit_a, capture)
    assert client_for(unit_a).post(f"/injuries/imports/{batch.pk}/cancel/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and not InjuryRecord.objects.exists()
    with capture(execute=True):
        again = services.import_start(actor=unit_a, uploaded=upload())
    again.refresh_from_db()
    assert again.status == ImportBatch.Status.DONE


def test_a_live_batch_cannot_be_retried_and_scope_holds(unit_a, sources, capture, client_for, district_b, dept_ga):
    batch = lost(unit_a, capture, minutes=1)
    client_for(unit_a).post(f"/injuries/imports/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    dead = lost(unit_a, capture, rows=2)
    assert client_for(district_b).post(f"/injuries/imports/{dead.pk}/retry/").status_code == 404
    assert client_for(dept_ga).post(f"/injuries/imports/{dead.pk}/cancel/").status_code == 403
    dead.refresh_from_db()
    assert dead.status == ImportBatch.Status.RUNNING
