"""Every accepted file type is checked by its content (archive.services.validate_upload): a
program renamed .bmp/.doc/.mp4 and a web page renamed .txt/.webp/.tif are refused; real files
of each type pass."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.archive.models import Attachment
from safecommunity.archive.services import MAGIC, TEXT_TYPES, attachment_create, validate_upload

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def zip_with(*members: tuple[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


GOOD = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\n1 0 obj",
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "docx": zip_with(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")),
    "xlsx": zip_with(("xl/workbook.xml", b"<workbook/>")),
    "pptx": zip_with(("ppt/presentation.xml", b"<p/>")),
    "odt": zip_with(("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")),
    "ods": zip_with(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")),
    "zip": zip_with(("a.txt", b"a")),
    "txt": "安全社区创建工作总结\n第一条".encode("gb18030"),
    "csv": "姓名,年龄\n张三,35\n".encode(),
    "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    "gif": b"GIF89a" + b"\x00" * 20, "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ", "bmp": b"BM" + b"\x00" * 40,
    "tif": b"II*\x00" + b"\x00" * 20, "mp3": b"ID3\x04\x00" + b"\x00" * 20, "wav": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "m4a": b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 20, "mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 20,
    "mov": b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 20, "amr": b"#!AMR\n" + b"\x00" * 20,
    "avi": b"RIFF\x24\x00\x00\x00AVI LIST", "wmv": b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9" + b"\x00" * 20,
    "rar": b"Rar!\x1a\x07\x01\x00" + b"\x00" * 20, "7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 20,
}


def test_every_accepted_type_has_a_content_check_and_a_real_file_passes():
    for ext in settings.ATTACHMENT_ALLOWED_EXTENSIONS:
        ext_key = {"jpeg": "jpg", "tiff": "tif", "xls": "doc", "ppt": "doc"}.get(ext, ext)
        assert ext in MAGIC or ext in TEXT_TYPES, ext
        assert validate_upload(SimpleUploadedFile(f"file.{ext}", GOOD[ext_key])) == ext


@pytest.mark.parametrize("name, content", [
    ("photo.bmp", EXE), ("report.doc", EXE), ("video.mp4", EXE), ("notes.txt", EXE), ("archive.zip", EXE),
    ("notes.txt", HTML), ("notes.txt", b"  \n<script>alert(1)</script>"), ("photo.webp", HTML), ("scan.tif", HTML),
    ("data.csv", b"<html><body>x</body></html>"), ("report.docx", zip_with(("a.txt", b"a"))),
    ("sheet.ods", zip_with(("mimetype", b"application/vnd.oasis.opendocument.text"))),
    ("photo.webp", b"RIFF\x24\x00\x00\x00WAVEfmt "), ("notes.txt", b"<!-- x --><script>alert(1)</script>"),
])
def test_content_that_contradicts_the_extension_is_refused(tree, unit_a, name, content):
    with pytest.raises(ValidationError) as exc:
        attachment_create(uploaded=SimpleUploadedFile(name, content), org_unit=tree["500103003"], actor=unit_a)
    assert exc.value.code == "content" and name in exc.value.messages[0]
    assert not Attachment.objects.exists()


def test_the_archive_page_refuses_a_program_named_bmp(tree, unit_a, client_for):
    from safecommunity.core.models import CodeItem

    element = CodeItem.objects.get(codelist__key="aqt_element", code="E01")
    response = client_for(unit_a).post("/archive/file/", {
        "creating_unit": unit_a.creating_unit.pk, "element": element.pk, "title": "照片",
        "file": SimpleUploadedFile("photo.bmp", EXE)})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not Attachment.objects.exists()
