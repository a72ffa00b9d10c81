"""How many HTTP requests S3 namespace operations send (through the shared client)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import djpyfs
from djpyfs.s3.client import get_client
from tests.support import RequestCounter

SMALL = b"small file contents"


def test_opening_a_namespace_sends_no_request(settings, s3_config, shared_client):
    settings.DJFS = {
        "type": "s3fs",
        "bucket": s3_config.bucket,
        "prefix": "pyfs",
        "endpoint_url": s3_config.endpoint_url,
        "region": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    with RequestCounter(shared_client) as counter:
        djpyfs.get_filesystem("some/namespace")
    assert counter.total == 0


def test_every_namespace_of_a_configuration_shares_one_client(s3fs, s3_config):
    assert s3fs.client is get_client(s3_config)


def test_writing_a_small_file_in_the_root_takes_two_requests(s3fs, shared_client):
    with RequestCounter(shared_client) as counter:
        s3fs.writebytes("file.txt", SMALL)
    assert counter.operations == ["ListObjectsV2", "PutObject"]


def test_writing_a_small_file_in_a_directory_takes_two_requests(s3fs, shared_client):
    s3fs.makedir("dir")
    s3fs.writebytes("dir/other.txt", SMALL)
    with RequestCounter(shared_client) as counter:
        with s3fs.openbin("dir/file.txt", "w") as file:
            file.write(SMALL)
    assert counter.operations == ["ListObjectsV2", "PutObject"]


def test_reading_a_small_file_takes_one_request(s3fs, shared_client):
    s3fs.writebytes("file.txt", SMALL)
    with RequestCounter(shared_client) as counter:
        assert s3fs.readbytes("file.txt") == SMALL
        with s3fs.open("file.txt", "rb") as file:
            assert file.read() == SMALL
    assert counter.operations == ["GetObject", "GetObject"]


@pytest.mark.parametrize("operation", ["exists", "isfile", "getinfo", "getsize"])
def test_asking_about_a_file_takes_one_request(s3fs, shared_client, operation):
    s3fs.makedir("dir")
    s3fs.writebytes("dir/file.txt", SMALL)
    with RequestCounter(shared_client) as counter:
        assert getattr(s3fs, operation)("dir/file.txt")
    assert counter.total == 1


def test_asking_about_the_root_takes_no_request(s3fs, shared_client):
    with RequestCounter(shared_client) as counter:
        assert s3fs.exists("/")
        assert s3fs.isdir("/")
        assert s3fs.getinfo("/").is_dir
    assert counter.total == 0


def test_listing_takes_one_request_per_1000_entries(make_s3fs, shared_client):
    s3fs = make_s3fs()
    names = [f"f{index:04}" for index in range(1001)]
    keys = [s3fs._path_to_key(name) for name in names]
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda key: shared_client.put_object(
                    Bucket=s3fs._bucket_name, Key=key, Body=b""
                ),
                keys,
            )
        )
    with RequestCounter(shared_client) as counter:
        infos = list(s3fs.scandir("/", namespaces=["details"]))
    assert sorted(info.name for info in infos) == names
    assert counter.operations == ["ListObjectsV2"] * 2


def test_reading_10_bytes_of_a_large_object_transfers_a_fraction_of_it(
    make_s3fs, s3_client, s3_config, byte_counting_proxy
):
    size = 64 * 1024 * 1024
    s3_client.put_object(
        Bucket=s3_config.bucket, Key="pyfs/ns/large.bin", Body=b"L" * size
    )
    s3fs = make_s3fs(endpoint_url=byte_counting_proxy.url)
    with s3fs.openbin("large.bin") as file:
        assert file.read(10) == b"L" * 10
    time.sleep(0.2)  # let the proxy finish forwarding what it had received
    assert byte_counting_proxy.downstream < size / 4


def test_removing_a_tree_deletes_1000_keys_per_request(s3fs, shared_client):
    for index in range(3):
        s3fs.makedirs(f"tree/{index}/sub")
        s3fs.writebytes(f"tree/{index}/sub/file", SMALL)
    with RequestCounter(shared_client) as counter:
        s3fs.removetree("tree")
    assert counter.operations == ["ListObjectsV2", "DeleteObjects"]
    assert not s3fs.exists("tree")
