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
