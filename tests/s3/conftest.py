"""Fixtures for the S3 namespace tests: configurations and filesystems on moto."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest

from djpyfs.conf import S3Config
from djpyfs.s3.client import get_client
from djpyfs.s3.filesystem import S3NamespaceFS

#: Namespace roots tested: below a prefix, and the bucket's root.
ROOTS = ["pyfs/ns", ""]


@pytest.fixture
def s3_config(moto_endpoint: str, s3_bucket: str) -> S3Config:
    """An S3 configuration for a new, empty bucket on moto."""
    return S3Config(
        type="s3fs",
        bucket=s3_bucket,
        endpoint_url=moto_endpoint,
        region="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def shared_client(s3_config: S3Config):
    """The client every request of the filesystems below goes through."""
    return get_client(s3_config)


@pytest.fixture
def make_s3fs(s3_config: S3Config) -> Callable[..., S3NamespaceFS]:
    """Open an ``S3NamespaceFS`` at a root of the test bucket (or another)."""

    def make(root: str = "pyfs/ns", **changes: Any) -> S3NamespaceFS:
        return S3NamespaceFS(dataclasses.replace(s3_config, **changes), root)

    return make


@pytest.fixture(params=ROOTS, ids=["prefixed", "bucket-root"])
def s3fs(request, make_s3fs) -> S3NamespaceFS:
    """A namespace filesystem, in turn below a prefix and at the bucket root."""
    return make_s3fs(request.param)


class ByteCountingProxy:
    """A TCP proxy in front of moto counting the bytes sent back to clients.

    Shows how much of a response actually crossed the wire, which no client
    object reports once a body is closed unread.
    """

    def __init__(self, target: str) -> None:
        host, port = target.removeprefix("http://").split(":")
        self.target = (host, int(port))
        self.downstream = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for args in ((client, upstream, False), (upstream, client, True)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if count:
                    with self._lock:
                        self.downstream += len(data)
        except OSError:
            pass
        finally:
            source.close()
            sink.close()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def byte_counting_proxy(moto_endpoint: str):
    proxy = ByteCountingProxy(moto_endpoint)
    yield proxy
    proxy.close()
