"""Seminar materials: the type read from the content, the limits, who may do what, the headers."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seminars import filetypes
from seminars.models import SeminarMaterial
from tests import factories as f
from tests import material_files as files

pytestmark = pytest.mark.django_db

GOOD = {
    "pdf": (files.pdf, "application/pdf"),
    "png": (files.png, "image/png"),
    "jpg": (files.jpeg, "image/jpeg"),
    "docx": (files.docx, filetypes.DOCX.content_type),
    "pptx": (files.pptx, filetypes.PPTX.content_type),
    "xlsx": (files.xlsx, filetypes.XLSX.content_type),
}


@pytest.fixture
def seminar(cast):
    return f.SeminarFactory(programme=cast.kol)


def upload(client, seminar, content: bytes, name: str, *, title: str = "Slides", kind="slides"):
    handle = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    data = {"material-kind": kind, "material-title": title, "material-file": handle}
    return client.post(reverse("seminars:materials", args=[seminar.pk]), data)


@pytest.mark.parametrize("extension", list(GOOD))
def test_it_recognises_each_allowed_kind_from_its_bytes(extension) -> None:
    build, content_type = GOOD[extension]
    found = filetypes.detect(io.BytesIO(build()))
    assert found is not None and found.content_type == content_type


@pytest.mark.parametrize(
    "content",
    [
        files.plain_zip(),  # a zip, whatever its name says
        files.ooxml("docx", with_main_part=False),  # declares a document it does not hold
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00\x03" + b"\x00" * 100,  # a Windows program
        b"PK\x03\x04broken zip",
        b"",
    ],
)
def test_it_refuses_what_is_not_an_allowed_kind(content) -> None:
    assert filetypes.detect(io.BytesIO(content)) is None


@pytest.mark.parametrize("extension", list(GOOD))
def test_a_lead_uploads_each_kind_and_anyone_signed_in_downloads_it(
    client, cast, seminar, extension
):
    build, content_type = GOOD[extension]
    client.force_login(cast.lead)
    response = upload(client, seminar, build(), f"Mit materiale.{extension}")
    assert response.status_code == 302
    material = SeminarMaterial.objects.get()
    assert default_storage.exists(material.file.name)
    assert not material.file.name.endswith(f"Mit materiale.{extension}")

    client.force_login(cast.outsider)
    download = client.get(reverse("seminars:material_download", args=[seminar.pk, material.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == build()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (files.plain_zip(), "programme.pdf"),
        (files.plain_zip(), "slides.pptx"),
        (b"<svg onload=alert(1)>", "picture.png"),
        (b"just text", "handout.docx"),
        (files.ooxml("docx", with_main_part=False), "report.docx"),
    ],
)
def test_a_renamed_or_forged_file_is_refused_with_a_message(client, cast, seminar, content, name):
    client.force_login(cast.lead)
    response = upload(client, seminar, content, name)
    assert response.status_code == 200
    assert "ikke en tilladt filtype" in response.content.decode()
    assert not SeminarMaterial.objects.exists()


def test_an_empty_file_is_refused(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    response = upload(client, seminar, b"", "tom.pdf")
    assert response.status_code == 200
    assert not SeminarMaterial.objects.exists()


def test_a_file_over_25_mb_is_refused_and_one_of_exactly_25_mb_taken(client, cast, seminar):
    client.force_login(cast.lead)
    limit = 25 * 1024 * 1024
    too_big = upload(client, seminar, b"%PDF-1.4\n" + b"0" * (limit - 8), "stor.pdf")
    assert too_big.status_code == 200
    assert "Filen er for stor" in too_big.content.decode()
    assert not SeminarMaterial.objects.exists()

    just = upload(client, seminar, b"%PDF-1.4\n" + b"0" * (limit - 9), "præcis.pdf")
    assert just.status_code == 302
    assert SeminarMaterial.objects.get().size == limit


def test_a_hostile_file_name_becomes_a_plain_attachment_name(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    upload(client, seminar, files.pdf(), '../../evil\r\nX-Injected: yes";.exe')
    material = SeminarMaterial.objects.get()
    response = client.get(reverse("seminars:material_download", args=[seminar.pk, material.pk]))
    disposition = response["Content-Disposition"]
    assert (
        "\r" not in disposition
        and "\n" not in disposition
        and "X-Injected:" not in str(response.serialize_headers()).replace("X-Injected_", "")
    )
    assert disposition.endswith('.pdf"')
    assert "/" not in material.original_name and ".." not in material.original_name.split(".")[0]


@pytest.mark.parametrize("title", ["Slides\r\nBcc: x@example.dk", "x" * 20_000, "a\x00b"])
def test_a_hostile_title_is_refused_without_an_error_page(client, cast, seminar, title) -> None:
    client.force_login(cast.lead)
    response = upload(client, seminar, files.pdf(), "a.pdf", title=title)
    assert response.status_code in (200, 400)
    assert not SeminarMaterial.objects.exists()


def test_people_who_do_not_manage_the_seminar_may_not_upload_or_remove(client, cast, seminar):
    client.force_login(cast.lead)
    upload(client, seminar, files.pdf(), "a.pdf")
    material = SeminarMaterial.objects.get()
    for person in (cast.member, cast.expert, cast.local_lead, cast.outsider, cast.steering):
        client.force_login(person)
        assert upload(client, seminar, files.pdf(), "b.pdf").status_code == 403
        delete = reverse("seminars:material_delete", args=[seminar.pk, material.pk])
        assert client.post(delete).status_code == 403
    assert SeminarMaterial.objects.count() == 1


def test_the_coordinator_of_the_lead_region_removes_a_material_and_its_file(
    client, cast, seminar, django_capture_on_commit_callbacks
) -> None:
    client.force_login(cast.coordinator)
    upload(client, seminar, files.png(), "foto.png", kind="handout")
    material = SeminarMaterial.objects.get()
    name = material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seminars:material_delete", args=[seminar.pk, material.pk]))
    assert response.status_code == 302
    assert not SeminarMaterial.objects.exists()
    assert not default_storage.exists(name)


def test_a_material_is_not_reached_through_another_seminar(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    upload(client, seminar, files.pdf(), "a.pdf")
    material = SeminarMaterial.objects.get()
    other = f.SeminarFactory(programme=cast.kol)
    response = client.get(reverse("seminars:material_download", args=[other.pk, material.pk]))
    assert response.status_code == 404
    client.logout()
    response = client.get(reverse("seminars:material_download", args=[seminar.pk, material.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_seminar_page_lists_its_materials_in_a_fixed_number_of_queries(
    client, cast, seminar, django_assert_max_num_queries
) -> None:
    client.force_login(cast.lead)
    for number in range(8):
        upload(client, seminar, files.pdf(), f"{number}.pdf", title=f"Materiale {number}")
    client.force_login(cast.member)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("seminars:materials", args=[seminar.pk]))
    assert page.content.decode().count("/hent/") == 8
    detail = client.get(reverse("seminars:detail", args=[seminar.pk]))
    assert "Materiale 7" in detail.content.decode()


@pytest.mark.parametrize("kind", ["nonsense", "", "x" * 20_000, "slides\r\n"])
def test_an_unknown_kind_is_refused_without_an_error_page(client, cast, seminar, kind) -> None:
    client.force_login(cast.lead)
    response = upload(client, seminar, files.pdf(), "a.pdf", kind=kind)
    assert response.status_code == 200
    assert not SeminarMaterial.objects.exists()


def test_the_same_upload_posted_twice_keeps_two_materials_and_no_error(client, cast, seminar):
    client.force_login(cast.lead)
    assert upload(client, seminar, files.pdf(), "a.pdf").status_code == 302
    assert upload(client, seminar, files.pdf(), "a.pdf").status_code == 302
    names = set(SeminarMaterial.objects.values_list("file", flat=True))
    assert len(names) == 2  # each stored under a name of its own
