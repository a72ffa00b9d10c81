"""The boto3 client of S3 namespaces: shared by threads, retrying as DJFS says."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fs import errors

from djpyfs.s3.filesystem import S3NamespaceFS

THREADS = 8

INTERNAL_ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b"<Error><Code>InternalError</Code><Message>try again</Message></Error>"
)


def test_threads_opening_namespaces_at_once_share_one_client(s3_config):
    # Credentials no other test uses, so the client is built by these threads.
    config = dataclasses.replace(s3_config, aws_access_key_id=uuid.uuid4().hex)
    start = threading.Barrier(THREADS)

    def open_and_write(index: int):
        start.wait()
        s3fs = S3NamespaceFS(config, "pyfs/ns")
        s3fs.writebytes(f"file{index}.txt", b"x")
        return s3fs.client

    with ThreadPoolExecutor(THREADS) as pool:
        clients = list(pool.map(open_and_write, range(THREADS)))

    assert all(client is clients[0] for client in clients)
    assert len(S3NamespaceFS(config, "pyfs/ns").listdir("/")) == THREADS


class FailingS3:
    """An HTTP server answering every request with S3's 500 InternalError."""

    def __init__(self) -> None:
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                self.send_response(500)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(INTERNAL_ERROR)))
                self.end_headers()
                self.wfile.write(INTERNAL_ERROR)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def failing_s3():
    server = FailingS3()
    yield server
    server.close()


@pytest.mark.parametrize("max_attempts", [1, 3])
def test_a_failing_request_is_tried_max_attempts_times(
    make_s3fs, failing_s3, max_attempts
):
    s3fs = make_s3fs(endpoint_url=failing_s3.url, max_attempts=max_attempts)

    with pytest.raises(errors.OperationFailed, match="InternalError"):
        s3fs.readbytes("file.txt")

    assert failing_s3.requests == max_attempts


class SigningCredentials:
    """Records the credential scope each request is signed with (botocore events)."""

    def __init__(self, client) -> None:
        self.scopes: list[str] = []
        client.meta.events.register("before-send.s3", self._record)

    def _record(self, request, **kwargs) -> None:
        authorization = request.headers["Authorization"].decode()
        # "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/s3/aws4_request, ..."
        key_id, _, region, *_ = authorization.split("Credential=")[1].split("/")
        self.scopes.append(f"{key_id} {region}")


def test_credentials_and_region_come_from_the_settings(s3_config):
    # A connection setting no other test uses, so the client is built here.
    key_id = f"FROMSETTINGS{uuid.uuid4().hex}"
    config = dataclasses.replace(s3_config, aws_access_key_id=key_id)
    s3fs = S3NamespaceFS(config, "pyfs/ns")
    signing = SigningCredentials(s3fs.client)

    s3fs.writebytes("file.txt", b"x")

    assert set(signing.scopes) == {f"{key_id} us-east-1"}


def test_credentials_and_region_left_out_come_from_the_default_chain(
    s3_config, monkeypatch
):
    key_id = f"FROMCHAIN{uuid.uuid4().hex}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_id)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    # max_attempts no other test uses, so the client is built with this chain.
    config = dataclasses.replace(
        s3_config,
        aws_access_key_id=None,
        aws_secret_access_key=None,
        region=None,
        max_attempts=1000 + uuid.uuid4().int % 1000,
    )
    s3fs = S3NamespaceFS(config, "pyfs/ns")
    signing = SigningCredentials(s3fs.client)

    s3fs.exists("file.txt")

    assert set(signing.scopes) == {f"{key_id} eu-west-3"}
