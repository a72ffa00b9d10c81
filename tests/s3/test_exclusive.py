"""Exclusive creation on S3 (``If-None-Match``) and the one-request object calls.

S3 checks that a key is free as it stores the object, so of two writers
creating the same file only one succeeds, whichever process they are in.
``put_object``/``delete_object`` are the writes and removals Django storages
need: one request each, no directory checks.
"""

from __future__ import annotations

import io

import pytest
from fs import errors

from djpyfs.creation import has_atomic_create
from djpyfs.objects import ObjectStore
from djpyfs.s3.uploads import MULTIPART_THRESHOLD
from tests.support import RequestCounter

SMALL = b"small file contents"
LARGE = MULTIPART_THRESHOLD + 1024 * 1024


def test_s3_namespaces_declare_an_atomic_exclusive_create(s3fs):
    assert s3fs.getmeta()["atomic_exclusive_create"] is True
    assert has_atomic_create(s3fs)


def test_s3_namespaces_are_object_stores(s3fs):
    assert isinstance(s3fs, ObjectStore)


def test_second_exclusive_writer_gets_file_exists_and_first_content_survives(
    s3fs, shared_client
):
    # Both open while the name is free (as two processes would); S3 refuses
    # the second upload.
    first = s3fs.openbin("race.txt", "xb")
    second = s3fs.openbin("race.txt", "xb")
    first.write(b"first")
    second.write(b"second")
    first.close()
    with RequestCounter(shared_client) as counter:
        with pytest.raises(errors.FileExists):
            second.close()
    assert counter.operations == ["PutObject"]
    assert s3fs.readbytes("race.txt") == b"first"


@pytest.mark.parametrize("size", [len(SMALL), LARGE], ids=["put", "multipart"])
def test_exclusive_put_object_refuses_a_taken_key(s3fs, size):
    s3fs.put_object("taken.bin", io.BytesIO(b"1" * size), exclusive=True)
    with pytest.raises(errors.FileExists):
        s3fs.put_object("taken.bin", io.BytesIO(b"2" * size), exclusive=True)
    assert s3fs.readbytes("taken.bin") == b"1" * size


def test_a_refused_multipart_upload_leaves_no_parts_behind(s3fs, shared_client):
    s3fs.put_object("taken.bin", io.BytesIO(SMALL), exclusive=True)
    with pytest.raises(errors.FileExists):
        s3fs.put_object("taken.bin", io.BytesIO(b"2" * LARGE), exclusive=True)
    uploads = shared_client.list_multipart_uploads(Bucket=s3fs._bucket_name)
    assert uploads.get("Uploads", []) == []


def test_exclusive_put_object_is_one_request(s3fs, shared_client):
    with RequestCounter(shared_client) as counter:
        s3fs.put_object("new/dir/file.txt", io.BytesIO(SMALL), exclusive=True)
    assert counter.operations == ["PutObject"]
    assert s3fs.readbytes("new/dir/file.txt") == SMALL


def test_put_object_overwrites_in_one_request(s3fs, shared_client):
    s3fs.writebytes("file.txt", b"a much longer first content")
    with RequestCounter(shared_client) as counter:
        s3fs.put_object("file.txt", io.BytesIO(SMALL))
    assert counter.operations == ["PutObject"]
    assert s3fs.readbytes("file.txt") == SMALL


def test_put_object_reads_from_the_current_position_and_leaves_file_open(s3fs):
    source = io.BytesIO(b"skip:" + SMALL)
    source.seek(5)
    s3fs.put_object("file.txt", source)
    assert not source.closed
    assert s3fs.readbytes("file.txt") == SMALL


def test_put_object_of_an_unseekable_large_stream(s3fs):
    class Unseekable(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            return self._data.readinto(buffer)

    data = bytes(range(256)) * (LARGE // 256)
    s3fs.put_object("large.bin", Unseekable(data), exclusive=True)
    assert s3fs.readbytes("large.bin") == data


def test_delete_object_is_one_request(s3fs, shared_client):
    s3fs.writebytes("file.txt", SMALL)
    with RequestCounter(shared_client) as counter:
        s3fs.delete_object("file.txt")
    assert counter.total == 1
    assert not s3fs.exists("file.txt")


def test_delete_object_of_a_missing_file_is_silent(s3fs):
    s3fs.delete_object("never-written.txt")
    assert not s3fs.exists("never-written.txt")


def test_delete_object_removes_an_empty_directory(s3fs):
    s3fs.makedir("empty")
    s3fs.delete_object("empty")
    assert not s3fs.exists("empty")


def test_delete_object_leaves_a_directorys_files(s3fs):
    s3fs.makedir("full")
    s3fs.writebytes("full/file.txt", SMALL)
    s3fs.delete_object("full")
    assert s3fs.readbytes("full/file.txt") == SMALL
