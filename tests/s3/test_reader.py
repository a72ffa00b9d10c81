"""The S3 object reader both S3 layers share (``djpyfs.s3.files.S3Reader``).

S3 namespaces open it from the ``GetObject`` they start reading with;
StorageFS over S3Storage from a ``HeadObject`` (nothing is fetched until the
first read).  Both must behave alike, so every test runs on both.
"""

from __future__ import annotations

import io

import pytest
from fs import errors

from djpyfs.s3.files import SKIP_AHEAD, S3Reader
from tests.support import RequestCounter

DATA = bytes(range(256)) * 4096  # 1 MiB
KEY = "reader/object.bin"


@pytest.fixture(params=["get_object", "head_object"])
def open_reader(request, s3_client, s3_bucket):
    """Opens ``KEY`` from the response of the parametrised request."""
    s3_client.put_object(Bucket=s3_bucket, Key=KEY, Body=DATA)

    def open_() -> S3Reader:
        ask = getattr(s3_client, request.param)
        response = ask(Bucket=s3_bucket, Key=KEY)
        return S3Reader(s3_client, s3_bucket, KEY, "object.bin", response)

    return open_


def test_a_short_forward_seek_reads_on_through_the_open_request(open_reader, s3_client):
    with RequestCounter(s3_client) as counter, open_reader() as reader:
        assert reader.read(10) == DATA[:10]
        reader.seek(SKIP_AHEAD // 2, io.SEEK_CUR)
        start = 10 + SKIP_AHEAD // 2
        assert reader.read(10) == DATA[start : start + 10]
    assert counter.by_operation["GetObject"] == 1


def test_seeking_back_asks_for_a_range_from_there(open_reader, s3_client):
    with RequestCounter(s3_client) as counter, open_reader() as reader:
        assert reader.read(100) == DATA[:100]
        reader.seek(50)
        assert reader.read(10) == DATA[50:60]
    assert counter.by_operation["GetObject"] == 2


def test_an_object_replaced_while_open_is_not_spliced(
    open_reader, s3_client, s3_bucket
):
    with open_reader() as reader:
        assert reader.read(10) == DATA[:10]
        s3_client.put_object(Bucket=s3_bucket, Key=KEY, Body=b"new" * 1000)
        reader.seek(0)
        with pytest.raises(errors.OperationFailed):
            reader.read(10)


def test_reading_past_the_end_gives_nothing(open_reader, s3_client):
    reader = open_reader()
    with RequestCounter(s3_client) as counter, reader:
        reader.seek(len(DATA) + 10)
        assert reader.read() == b""
    assert counter.total == 0
