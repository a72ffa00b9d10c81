"""PyFSStorage behaves as Django's FileSystemStorage, on every DJFS back-end.

The cases follow the generic parts of Django's own storage tests
(``tests/file_storage/``): file access, save/open/delete, names and path
traversal, overwriting, the save race, content types and file times.
"""

from __future__ import annotations

import io
import os
import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

import django
import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
)
from django.utils import timezone
from django.utils.encoding import filepath_to_uri

from djpyfs.storage import PyFSStorage

SUFFIX = "[A-Za-z0-9]{7}"


class Unseekable(io.RawIOBase):
    """A stream that can only be read forward, like a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def read(storage, name: str) -> bytes:
    with storage.open(name) as f:
        return f.read()


class TestFileAccess:
    def test_write_then_read_text(self, storage):
        with storage.open("storage_test", "w") as f:
            f.write("storage contents")
        assert storage.exists("storage_test")
        with storage.open("storage_test", "r") as f:
            assert f.read() == "storage contents"

    def test_binary_mode_returns_bytes(self, storage):
        storage.save("a.bin", ContentFile(b"\x00\xff"))
        assert read(storage, "a.bin") == b"\x00\xff"

    def test_text_mode_returns_str_decoded_as_utf8(self, storage):
        storage.save("a.txt", ContentFile("héllo".encode()))
        with storage.open("a.txt", "r") as f:
            assert f.read() == "héllo"

    def test_open_missing_file_raises_file_not_found(self, storage):
        with pytest.raises(FileNotFoundError):
            storage.open("missing.txt")

    def test_closed_file_can_be_reopened(self, storage):
        storage.save("a.txt", ContentFile(b"data"))
        f = storage.open("a.txt")
        f.close()
        assert f.closed
        with f.open() as reopened:
            assert reopened.read() == b"data"

    def test_open_file_reports_its_size(self, storage):
        storage.save("a.txt", ContentFile(b"12345"))
        with storage.open("a.txt") as f:
            assert f.size == 5

    def test_size(self, storage):
        storage.save("a.txt", ContentFile(b"12345"))
        assert storage.size("a.txt") == 5

    def test_size_of_missing_file_raises_file_not_found(self, storage):
        with pytest.raises(FileNotFoundError):
            storage.size("missing.txt")


class TestSave:
    def test_save_returns_name_and_stores_content(self, storage):
        assert storage.save("test.file", ContentFile(b"custom contents")) == "test.file"
        assert read(storage, "test.file") == b"custom contents"

    def test_save_without_name_uses_content_name(self, storage):
        content = ContentFile(b"custom contents", name="test.file")
        assert storage.save(None, content) == "test.file"
        assert storage.exists("test.file")

    def test_save_with_path_creates_directories(self, storage):
        assert not storage.exists("path/to")
        storage.save("path/to/test.file", ContentFile(b"file saved with path"))
        assert storage.exists("path/to")
        assert read(storage, "path/to/test.file") == b"file saved with path"

    def test_save_accepts_bytes(self, storage):
        name = storage.save("a.bin", b"raw bytes")
        assert read(storage, name) == b"raw bytes"

    def test_save_accepts_str_as_utf8(self, storage):
        name = storage.save("a.txt", "naïve")
        assert read(storage, name) == "naïve".encode()

    def test_save_accepts_text_content_file(self, storage):
        name = storage.save("a.txt", ContentFile("text content"))
        assert read(storage, name) == b"text content"

    def test_save_accepts_unseekable_stream(self, storage):
        name = storage.save("a.bin", Unseekable(b"x" * 200_000))
        assert read(storage, name) == b"x" * 200_000

    def test_save_accepts_plain_file_object(self, storage):
        name = storage.save("a.bin", io.BytesIO(b"plain"))
        assert read(storage, name) == b"plain"

    def test_save_reads_content_from_its_start(self, storage):
        content = io.BytesIO(b"whole")
        content.seek(3)
        name = storage.save("a.bin", content)
        assert read(storage, name) == b"whole"

    def test_save_leaves_content_open_and_rewound(self, storage):
        content = io.BytesIO(b"data")
        storage.save("a.bin", content)
        assert not content.closed
        assert content.tell() == 0

    def test_save_does_not_close_uploaded_files(self, storage):
        with TemporaryUploadedFile("test", "text/plain", 1, "utf8") as upload:
            upload.write(b"1")
            upload.seek(0)
            storage.save("path/to/test.file", upload)
            assert not upload.closed
            assert not upload.file.closed
        upload = InMemoryUploadedFile(
            io.BytesIO(b"1"), "", "test", "text/plain", 1, "utf8"
        )
        with upload:
            storage.save("path/to/test.file", upload)
            assert not upload.closed
            assert not upload.file.closed

    def test_save_temporary_uploaded_file(self, storage):
        with TemporaryUploadedFile("up.txt", "text/plain", 3, "utf8") as upload:
            upload.write(b"abc")
            name = storage.save("up.txt", upload)
        assert read(storage, name) == b"abc"

    def test_save_same_name_twice_keeps_both(self, storage):
        first = storage.save("dup.txt", ContentFile(b"first"))
        second = storage.save("dup.txt", ContentFile(b"second"))
        assert first == "dup.txt"
        assert re.fullmatch(f"dup_{SUFFIX}.txt", second)
        assert read(storage, first) == b"first"
        assert read(storage, second) == b"second"

    def test_alternative_name_keeps_suffixes_as_django_does(self, storage):
        storage.save("archive.tar.gz", ContentFile(b"1"))
        second = storage.save("archive.tar.gz", ContentFile(b"2"))
        if django.VERSION >= (5, 1):
            # Django 5.1 keeps every suffix, before it only the last one.
            assert re.fullmatch(f"archive_{SUFFIX}.tar.gz", second)
        else:
            assert re.fullmatch(f"archive.tar_{SUFFIX}.gz", second)

    def test_alternative_name_respects_max_length(self, storage):
        storage.save("dir/longname.txt", ContentFile(b"1"))
        second = storage.save("dir/longname.txt", ContentFile(b"2"), max_length=20)
        assert len(second) <= 20
        assert re.fullmatch(f"dir/long_{SUFFIX}.txt", second)

    def test_save_under_a_directory_name_keeps_both(self, storage, backend):
        storage.save("taken/inner.txt", ContentFile(b"inner"))
        name = storage.save("taken", ContentFile(b"file"))
        if backend == "s3fs":
            # On S3 the key "taken" and the prefix "taken/" coexist (as with
            # django-storages' S3Storage): checking for a directory first
            # would cost a request per save.
            assert name == "taken"
        else:
            assert name != "taken"
        assert read(storage, name) == b"file"
        assert read(storage, "taken/inner.txt") == b"inner"

    def test_save_in_directory_keeps_directory(self, storage):
        storage.save("d/x.txt", ContentFile(b"1"))
        second = storage.save("d/x.txt", ContentFile(b"2"))
        assert re.fullmatch(f"d/x_{SUFFIX}.txt", second)

    def test_large_content_in_several_chunks(self, storage):
        data = os.urandom(3 * 1024 * 1024 + 17)
        name = storage.save("big.bin", ContentFile(data))
        assert read(storage, name) == data


class TestOverwrite:
    def test_allow_overwrite_replaces_content(self, overwriting_storage):
        storage = overwriting_storage
        storage.save("same.txt", ContentFile(b"a much longer first content"))
        assert storage.save("same.txt", ContentFile(b"short")) == "same.txt"
        assert read(storage, "same.txt") == b"short"

    def test_allow_overwrite_truncates_to_max_length(self, overwriting_storage):
        name = overwriting_storage.save("d/averyverylongname.txt", b"x", max_length=12)
        assert name == "d/averyv.txt"

    def test_default_never_overwrites(self, storage):
        storage.save("same.txt", ContentFile(b"first"))
        storage.save("same.txt", ContentFile(b"second"))
        assert read(storage, "same.txt") == b"first"


class TestSaveRace:
    def test_threads_saving_same_name_keep_every_content(self, storage):
        contents = [f"writer {i}".encode() * 1000 for i in range(6)]
        barrier = threading.Barrier(len(contents))
        names: list[str] = []
        errors: list[BaseException] = []

        def save(data: bytes) -> None:
            try:
                barrier.wait()
                names.append(storage.save("race.txt", ContentFile(data)))
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=save, args=(c,)) for c in contents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        assert len(set(names)) == len(contents)
        assert sorted(read(storage, name) for name in names) == sorted(contents)


class TestNames:
    @pytest.mark.parametrize(
        "name", ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "..\\x.txt"]
    )
    def test_traversal_raises_suspicious_operation(self, storage, name):
        with pytest.raises(SuspiciousFileOperation):
            storage.exists(name)
        with pytest.raises(SuspiciousFileOperation):
            storage.open(name)
        with pytest.raises(SuspiciousFileOperation):
            storage.save(name, ContentFile(b"x"))
        with pytest.raises(SuspiciousFileOperation):
            storage.delete(name)

    def test_filename_case_is_preserved(self, storage):
        name = storage.save("CaSe/MiXeD.TXT", ContentFile(b"x"))
        assert name == "CaSe/MiXeD.TXT"
        assert storage.listdir("CaSe") == ([], ["MiXeD.TXT"])

    def test_generate_filename_cleans_name(self, storage):
        assert storage.generate_filename("dir/my file!.txt") == "dir/my_file.txt"

    def test_generate_filename_refuses_traversal(self, storage):
        with pytest.raises(SuspiciousFileOperation):
            storage.generate_filename("../x.txt")


class TestExistsDeleteList:
    def test_exists_is_true_for_directories(self, storage):
        storage.save("dir/file.txt", ContentFile(b"x"))
        assert storage.exists("dir")

    def test_exists_is_false_for_missing_names(self, storage):
        assert not storage.exists("nothing/here.txt")

    def test_delete_removes_file(self, storage):
        storage.save("gone.txt", ContentFile(b"x"))
        storage.delete("gone.txt")
        assert not storage.exists("gone.txt")

    def test_delete_missing_name_is_silent(self, storage):
        storage.delete("never-saved.txt")
        assert not storage.exists("never-saved.txt")

    def test_delete_empty_name_raises_value_error(self, storage):
        with pytest.raises(ValueError):
            storage.delete("")

    def test_listdir_separates_directories_and_files(self, storage):
        storage.save("top.txt", ContentFile(b"x"))
        storage.save("sub/inner.txt", ContentFile(b"x"))
        directories, files = storage.listdir("")
        assert directories == ["sub"]
        assert files == ["top.txt"]
        assert storage.listdir("sub") == ([], ["inner.txt"])

    def test_listdir_missing_directory_raises_file_not_found(self, storage):
        with pytest.raises(FileNotFoundError):
            storage.listdir("missing-dir")


class TestURL:
    def test_url_percent_encodes_reserved_characters(self, storage):
        name = "dir/~!*()'@#$%^&*abc`+ =?.file"
        url = urlsplit(storage.url(name))
        assert not url.fragment
        assert unquote(url.path).endswith("/" + name)

    def test_url_on_url_root_is_filepath_to_uri(self, settings, tmp_path, namespace):
        settings.DJFS = {
            "type": "osfs",
            "directory_root": str(tmp_path),
            "url_root": "https://cdn.example.com/files/",
        }
        name = "dir/~!*()'@#$%^&*abc`+ =.file"
        assert PyFSStorage(namespace).url(name) == (
            f"https://cdn.example.com/files/{namespace}/{filepath_to_uri(name)}"
        )

    # Django 4.2's request_started handler touches the database connection
    # that the live server shares.
    @pytest.mark.django_db
    def test_url_fetches_names_with_reserved_characters(self, storage, fetch):
        name = storage.save("a b#c?d%e+é.txt", ContentFile(b"odd name"))
        response = fetch(storage.url(name))
        assert response.status_code == 200
        assert response.content == b"odd name"

    def test_url_of_scheme_relative_name_stays_under_storage(self, storage):
        reference = urlsplit(storage.url("x"))
        url = urlsplit(storage.url("//evil.com/x"))
        assert (url.scheme, url.netloc) == (reference.scheme, reference.netloc)
        assert url.path == reference.path.removesuffix("x") + "evil.com/x"

    # Django 4.2's request_started handler touches the database connection
    # that the live server shares.
    @pytest.mark.django_db
    def test_url_serves_the_file(self, storage, fetch):
        name = storage.save("served file.txt", ContentFile(b"served"))
        response = fetch(storage.url(name))
        assert response.status_code == 200
        assert response.content == b"served"


#: The times other than ``modified`` each back-end records: Linux file systems
#: keep no creation time for Python to read, S3 only a modification time.
RECORDED_TIMES = {
    "mem": {"get_accessed_time", "get_created_time"},
    "osfs": {"get_accessed_time"},
    "s3fs": set(),
}


class TestTimes:
    def test_modified_time_is_aware_utc_with_use_tz(self, storage, settings):
        settings.USE_TZ = True
        name = storage.save("t.txt", ContentFile(b"x"))
        modified = storage.get_modified_time(name)
        assert modified.tzinfo == UTC
        assert abs(timezone.now() - modified) < timedelta(seconds=10)

    def test_modified_time_is_naive_local_without_use_tz(self, storage, settings):
        settings.USE_TZ = False
        name = storage.save("t.txt", ContentFile(b"x"))
        modified = storage.get_modified_time(name)
        assert timezone.is_naive(modified)
        assert abs(datetime.now() - modified) < timedelta(seconds=10)

    @pytest.mark.parametrize("getter", ["get_accessed_time", "get_created_time"])
    def test_other_times_are_real_where_recorded(self, storage, backend, getter):
        name = storage.save("t.txt", ContentFile(b"x"))
        if getter not in RECORDED_TIMES[backend]:
            with pytest.raises(NotImplementedError):
                getattr(storage, getter)(name)
            return
        value = getattr(storage, getter)(name)
        assert abs(timezone.now() - value) < timedelta(seconds=10)

    def test_time_of_missing_file_raises_file_not_found(self, storage):
        with pytest.raises(FileNotFoundError):
            storage.get_modified_time("missing.txt")


class TestPath:
    def test_path_is_the_file_on_local_disk(self, storage, backend):
        name = storage.save("p.txt", ContentFile(b"on disk"))
        if backend != "osfs":
            with pytest.raises(NotImplementedError):
                storage.path(name)
            return
        with open(storage.path(name), "rb") as f:
            assert f.read() == b"on disk"


class TestUploadedFiles:
    def test_simple_uploaded_file(self, storage):
        name = storage.save("u.txt", SimpleUploadedFile("u.txt", b"uploaded"))
        assert read(storage, name) == b"uploaded"

    def test_django_file_wrapping_a_python_file(self, storage, tmp_path):
        source = tmp_path / "source.bin"
        source.write_bytes(b"from disk")
        with open(source, "rb") as f:
            name = storage.save("copy.bin", File(f))
        assert read(storage, name) == b"from disk"
