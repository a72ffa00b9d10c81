"""FileFields on PyFSStorage: saved, read, deleted and migrated."""

from __future__ import annotations

import io
import pickle

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from djpyfs.storage import PyFSStorage
from tests.testapp.models import Document, Profile

pytestmark = pytest.mark.django_db


def test_default_storage_field_saves_reads_and_deletes(default_pyfs):
    document = Document()
    document.upload.save("report.txt", ContentFile(b"quarterly"))
    assert isinstance(document.upload.storage, PyFSStorage)
    assert document.upload.name == "documents/report.txt"

    fetched = Document.objects.get(pk=document.pk)
    with fetched.upload.open("rb") as f:
        assert f.read() == b"quarterly"
    assert fetched.upload.size == len(b"quarterly")

    fetched.upload.delete()
    assert not PyFSStorage(default_pyfs).exists("documents/report.txt")
    assert not Document.objects.get(pk=document.pk).upload


def test_field_file_can_be_reopened_after_close(default_pyfs):
    document = Document()
    document.upload.save("r.txt", ContentFile(b"again"))
    fetched = Document.objects.get(pk=document.pk)
    fetched.upload.open("rb")
    fetched.upload.close()
    fetched.upload.open("rb")
    assert fetched.upload.read() == b"again"
    fetched.upload.close()


def test_field_file_text_mode_reads_str(default_pyfs):
    document = Document()
    document.upload.save("t.txt", ContentFile("text"))
    with document.upload.open("r") as f:
        assert f.read() == "text"


def test_field_respects_max_length_on_name_collision(default_pyfs):
    long_name = "x" * 40 + ".txt"
    first, second = Document(), Document()
    first.upload.save(long_name, ContentFile(b"1"))
    second.upload.save(long_name, ContentFile(b"2"))
    assert first.upload.name != second.upload.name
    assert len(second.upload.name) <= Document._meta.get_field("upload").max_length


def test_explicit_storage_field(djfs):
    profile = Profile()
    profile.resume.save("cv.pdf", ContentFile(b"%PDF"), save=False)
    profile.avatar.save("me.png", ContentFile(b"PNG"), save=False)
    profile.save()

    fetched = Profile.objects.get(pk=profile.pk)
    assert fetched.resume.storage.namespace == "tests/resumes"
    assert fetched.avatar.storage.namespace == "tests/avatars"
    assert fetched.resume.read() == b"%PDF"
    assert fetched.avatar.read() == b"PNG"
    assert fetched.resume.url
    fetched.resume.delete(save=False)
    fetched.avatar.delete(save=False)
    assert not fetched.resume.storage.exists("resumes/cv.pdf")


def test_field_accepts_uploaded_stream(djfs):
    profile = Profile()
    profile.resume.save("stream.bin", ContentFile(b""), save=False)
    profile.resume.delete(save=False)
    profile.resume.save("stream.bin", io.BytesIO(b"streamed"), save=True)
    assert Profile.objects.get(pk=profile.pk).resume.read() == b"streamed"


def test_field_file_pickles_without_its_filesystem(djfs):
    profile = Profile()
    profile.resume.save("p.txt", ContentFile(b"pickled"))
    restored = pickle.loads(pickle.dumps(Profile.objects.get(pk=profile.pk)))
    assert restored.resume.read() == b"pickled"


def test_migrations_are_up_to_date():
    # Fails (SystemExit) if the storages' deconstruction changed or churns.
    call_command("makemigrations", "testapp", "--check", "--dry-run", verbosity=0)
