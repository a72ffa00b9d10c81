"""S3 errors reach callers as pyfilesystem errors, never as botocore's."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from fs import errors

from djpyfs.conf import S3Config
from djpyfs.s3.errors import (
    BucketNotFound,
    translate_client_error,
    translate_key_error,
)
from djpyfs.s3.filesystem import S3NamespaceFS

OPERATIONS = {
    "writebytes": lambda fs: fs.writebytes("file.txt", b"x"),
    "readbytes": lambda fs: fs.readbytes("file.txt"),
    "openbin": lambda fs: fs.openbin("file.txt"),
    "listdir": lambda fs: fs.listdir("/"),
    "exists": lambda fs: fs.exists("file.txt"),
    "isfile": lambda fs: fs.isfile("file.txt"),
    "getinfo": lambda fs: fs.getinfo("file.txt"),
    "makedir": lambda fs: fs.makedir("dir"),
    "remove": lambda fs: fs.remove("file.txt"),
}


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
def test_a_missing_bucket_is_named_in_the_error(make_s3fs, operation):
    s3fs = make_s3fs(bucket="no-such-bucket")
    with pytest.raises(BucketNotFound, match="'no-such-bucket'"):
        operation(s3fs)


def test_a_missing_bucket_is_not_mistaken_for_a_missing_file(make_s3fs):
    with pytest.raises(BucketNotFound):
        make_s3fs(bucket="no-such-bucket").exists("file.txt")
    assert not issubclass(BucketNotFound, errors.ResourceNotFound)


def test_a_missing_bucket_is_named_when_the_caller_cannot_name_it(s3_client):
    # A StorageFS write goes through the storage's own API, which does not
    # tell the translation which bucket it used; S3's answer does.
    with pytest.raises(ClientError) as raised:
        s3_client.put_object(Bucket="no-such-bucket-here", Key="k", Body=b"")

    error = translate_client_error(raised.value, bucket="", path="k")
    assert isinstance(error, BucketNotFound)
    assert "no-such-bucket-here" in str(error)
    assert "DJFS" not in str(error)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("AccessDenied", errors.PermissionDenied),
        ("InternalError", errors.OperationFailed),
    ],
)
def test_a_key_a_bulk_delete_refuses_maps_as_a_single_request_would(code, error):
    # moto refuses no single key of a DeleteObjects, so S3's entry is given.
    entry = {"Key": "ns/a.txt", "Code": code, "Message": "refused"}

    translated = translate_key_error(entry, "DeleteObjects", "bucket", "a.txt")

    assert type(translated) is error
    assert translated.path == "a.txt"


@pytest.mark.parametrize("code", ["AccessDenied", "InternalError"])
def test_braces_in_s3s_message_survive_str(code):
    # pyfilesystem formats msg with the error's attributes: {key} would fail.
    entry = {"Key": "ns/{key}.txt", "Code": code, "Message": "no {key} for you"}

    translated = translate_key_error(entry, "DeleteObjects", "bucket", "{key}.txt")

    assert "no {key} for you" in str(translated)
    assert "no {key} for you" in repr(translated)


def test_a_missing_file_is_resource_not_found(s3fs):
    with pytest.raises(errors.ResourceNotFound, match=r"'dir/file\.txt'"):
        s3fs.readbytes("dir/file.txt")


def test_an_unreachable_endpoint_is_a_remote_connection_error(make_s3fs):
    s3fs = make_s3fs(endpoint_url="http://127.0.0.1:9", max_attempts=1)
    with pytest.raises(errors.RemoteConnectionError):
        s3fs.readbytes("file.txt")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def locked_bucket():
    """A moto server of its own that checks IAM policies, and a restricted user.

    The user may do anything in the bucket "locked" except read or write
    below "secret/".  Authorisation is global to a moto server, hence a
    separate process rather than the suite's shared server.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                requests.get(f"{url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        # The next four requests go unchecked: they set up the user.
        requests.post(f"{url}/moto-api/reset-auth", data=b"4", timeout=10)
        admin = {"endpoint_url": url, "region_name": "us-east-1"}
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="restricted")
        key = iam.create_access_key(UserName="restricted")["AccessKey"]
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": "arn:aws:s3:::locked/secret/*",
                },
            ],
        }
        iam.put_user_policy(
            UserName="restricted",
            PolicyName="no-secrets",
            PolicyDocument=json.dumps(policy),
        )
        boto3.client("s3", **admin).create_bucket(Bucket="locked")
        yield S3Config(
            type="s3fs",
            bucket="locked",
            endpoint_url=url,
            region="us-east-1",
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
        )
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.parametrize(
    "operation",
    [OPERATIONS["writebytes"], OPERATIONS["readbytes"], OPERATIONS["exists"]],
    ids=["writebytes", "readbytes", "exists"],
)
def test_access_denied_is_permission_denied(locked_bucket, operation):
    with pytest.raises(errors.PermissionDenied):
        operation(S3NamespaceFS(locked_bucket, "secret"))


def test_access_allowed_elsewhere_in_the_bucket_works(locked_bucket):
    s3fs = S3NamespaceFS(locked_bucket, "open")
    s3fs.writebytes("file.txt", b"readable")
    assert s3fs.readbytes("file.txt") == b"readable"
