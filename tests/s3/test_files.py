"""Files of S3 namespaces: file objects, uploads, copies and their info."""

from __future__ import annotations

import hashlib
import io

import pytest
import requests
from fs.enums import ResourceType

from djpyfs.s3.uploads import MULTIPART_THRESHOLD, PART_SIZE
from tests.support import RequestCounter

MiB = 1024 * 1024


class Generated(io.RawIOBase):
    """A non-seekable source of ``size`` bytes, made as they are read."""

    def __init__(self, size: int) -> None:
        self.remaining = size
        self.largest_read = 0
        self.digest = hashlib.md5()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.remaining)
        self.largest_read = max(self.largest_read, count)
        chunk = bytes([self.remaining % 251]) * count
        buffer[:count] = chunk
        self.digest.update(chunk)
        self.remaining -= count
        return count


@pytest.mark.parametrize("mode", ["rb", "wb", "ab", "r+b", "xb"])
def test_open_files_have_a_name_and_a_binary_mode(s3fs, mode):
    if mode in ("rb", "ab", "r+b"):
        s3fs.writebytes("file.bin", b"data")
    with s3fs.openbin("file.bin", mode) as file:
        assert file.name == "file.bin"
        assert "b" in file.mode
        assert file.mode.rstrip("b+")[0] == mode[0]


@pytest.mark.parametrize("mode", ["rb", "wb", "r+b"])
def test_closing_a_file_twice_is_harmless(s3fs, mode):
    s3fs.writebytes("file.bin", b"data")
    file = s3fs.openbin("file.bin", mode)
    file.close()
    file.close()
    assert file.closed


def test_readinto_fills_the_callers_buffer(s3fs):
    s3fs.writebytes("file.bin", b"0123456789")
    buffer = bytearray(4)
    with s3fs.openbin("file.bin") as file:
        assert file.readinto(buffer) == 4
        assert buffer == b"0123"
        file.seek(8)
        assert file.readinto(buffer) == 2
    assert buffer == b"8923"


def test_seeking_reads_from_the_new_position(s3fs, shared_client):
    data = bytes(range(256)) * 4096  # 1 MiB
    s3fs.writebytes("file.bin", data)
    with RequestCounter(shared_client) as counter:
        with s3fs.openbin("file.bin") as file:
            assert file.read(3) == data[:3]
            file.seek(700_000)
            assert file.read(5) == data[700_000:700_005]
            file.seek(-2, io.SEEK_END)
            assert file.read() == data[-2:]
            file.seek(10)
            assert file.read(2) == data[10:12]
    assert counter.operations == ["GetObject"] * 4


def test_appending_keeps_the_contents(s3fs):
    s3fs.writebytes("log.txt", b"one\n")
    with s3fs.openbin("log.txt", "ab") as file:
        file.seek(0)
        file.write(b"two\n")
    assert s3fs.readbytes("log.txt") == b"one\ntwo\n"


def test_upload_leaves_the_callers_file_open(s3fs):
    source = io.BytesIO(b"uploaded")
    s3fs.upload("file.bin", source)
    assert not source.closed
    assert s3fs.readbytes("file.bin") == b"uploaded"


def test_upload_over_8_mib_streams_the_source_in_parts(make_s3fs, shared_client):
    s3fs = make_s3fs()
    source = Generated(20 * MiB)
    with RequestCounter(shared_client) as counter:
        s3fs.upload("large.bin", source)
    assert counter.by_operation["CreateMultipartUpload"] == 1
    assert counter.by_operation["UploadPart"] == -(-20 * MiB // PART_SIZE)
    assert counter.by_operation["CompleteMultipartUpload"] == 1
    assert source.largest_read <= MULTIPART_THRESHOLD
    assert not source.closed
    assert s3fs.getsize("large.bin") == 20 * MiB
    assert hashlib.md5(s3fs.readbytes("large.bin")).digest() == source.digest.digest()


def test_a_file_written_over_8_mib_is_uploaded_in_parts(make_s3fs, shared_client):
    s3fs = make_s3fs()
    with RequestCounter(shared_client) as counter:
        with s3fs.openbin("large.bin", "wb") as file:
            for _ in range(9):
                file.write(b"x" * MiB)
    assert counter.by_operation["UploadPart"] == -(-9 * MiB // PART_SIZE)
    assert s3fs.getsize("large.bin") == 9 * MiB


@pytest.mark.parametrize("operation", ["copy", "move"])
def test_copy_and_move_accept_preserve_time(s3fs, operation):
    s3fs.writebytes("src.txt", b"contents")
    getattr(s3fs, operation)("src.txt", "dst.txt", preserve_time=True)
    assert s3fs.readbytes("dst.txt") == b"contents"
    assert s3fs.exists("src.txt") == (operation == "copy")


def test_copy_keeps_the_content_type(s3fs):
    s3fs.writebytes("page.html", b"<p>")
    s3fs.copy("page.html", "copy.html")
    info = s3fs.getinfo("copy.html", namespaces=["s3"])
    assert info.raw["s3"]["content_type"] == "text/html"


def test_details_give_size_modification_time_and_type(s3fs):
    s3fs.writebytes("file.txt", b"12345")
    details = s3fs.getinfo("file.txt", namespaces=["details"])
    assert details.size == 5
    assert details.type == ResourceType.file
    assert details.modified is not None
    assert s3fs.getinfo("/", namespaces=["details"]).type == ResourceType.directory


def test_the_urls_namespace_gives_a_working_download_url(s3fs):
    s3fs.writebytes("file.txt", b"fetched")
    info = s3fs.getinfo("file.txt", namespaces=["urls"])
    response = requests.get(info.raw["urls"]["download"], timeout=10)
    assert response.content == b"fetched"


def test_the_s3_namespace_gives_the_objects_fields(s3fs):
    s3fs.writebytes("file.txt", b"abc")
    fields = s3fs.getinfo("file.txt", namespaces=["s3"]).raw["s3"]
    assert fields["content_length"] == 3
    assert fields["e_tag"] == f'"{hashlib.md5(b"abc").hexdigest()}"'
    assert isinstance(fields["last_modified"], float | int)


def test_remove_files_deletes_many_in_one_request(s3fs, shared_client):
    for name in ("a", "b", "c"):
        s3fs.writebytes(name, b"x")
    with RequestCounter(shared_client) as counter:
        failures = s3fs.remove_files(["a", "/b", "gone", "../../escape"])
    assert counter.operations == ["DeleteObjects"]
    assert list(failures) == ["../../escape"]
    assert s3fs.listdir("/") == ["c"]
