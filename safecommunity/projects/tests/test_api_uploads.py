"""Evidence uploads through the API (`/api/v1/<records>/<id>/files/`, shared by projects and
activities): a file kept in a temporary file (over FILE_UPLOAD_MAX_MEMORY_SIZE) is stored, one
over the attachment limit gets the size message — never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.archive.models import Attachment
from safecommunity.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


def png(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", PNG + b"0" * (size - len(PNG)))


def test_a_6_mb_upload_is_stored(tree, api_client_for, unit_a):
    """With the real limits: 6 MB goes to a temporary file (over 5 MB in memory) and is stored."""
    project = ProjectFactory()
    url = f"/api/v1/projects/{project.pk}/files/"
    response = api_client_for(unit_a).post(url, {"role": "photo", "files": [png(6 * 1024 * 1024)]}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()[0]["size"] == 6 * 1024 * 1024
    assert Attachment.objects.get().size == 6 * 1024 * 1024


@pytest.mark.parametrize("prefix", ["projects", "activities", "drills"])
def test_over_the_limit_gets_the_size_message(tree, api_client_for, unit_a, settings, prefix):
    """The same with small limits (60 MB against 50 MB, scaled down): temporary files, and the size message."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.ATTACHMENT_MAX_BYTES = 50 * 1024
    client = api_client_for(unit_a)
    if prefix == "projects":
        pk = ProjectFactory().pk
    else:
        pk = record_of(prefix, unit_a)
    url = f"/api/v1/{prefix}/{pk}/files/"
    assert client.post(url, {"role": "photo", "files": [png(6 * 1024)]}, format="multipart").status_code == 201
    response = client.post(url, {"role": "photo", "files": [png(60 * 1024)]}, format="multipart")
    assert response.status_code == 400
    assert "photo.png" in str(response.json()) and "MB" in str(response.json())  # the size message
    assert Attachment.objects.count() == 1


def record_of(prefix, unit) -> int:
    from safecommunity.activities.tests import factories

    factory = {"activities": factories.ActivityFactory, "drills": factories.DrillFactory}[prefix]
    return factory(org_unit=unit.org_unit).pk
