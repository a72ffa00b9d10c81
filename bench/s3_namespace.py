"""HTTP requests and time per operation: djpyfs's S3 namespace and its peers.

Compares :class:`djpyfs.s3.filesystem.S3NamespaceFS` with plain fs-s3fs
``S3FS`` (strict, its default) and django-storages' ``S3Storage`` on the same
moto S3 server.  Run from the repository root::

    python -m bench.s3_namespace [--files 50] [--listing 2500]

By default moto runs as a separate process (``python -m moto.server``), so
that the server does not compete with the measured client for the GIL;
:func:`measure` also accepts the URL of a server already running.  Requests
are counted on each peer's own botocore clients with
:class:`tests.support.RequestCounter`; times are the median wall-clock time of
an operation's calls (one per file, or three), on loopback, so they show
client overhead and request counts rather than network latency (every
request on real S3 adds 10-50 ms).
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import boto3

from tests.support import RequestCounter

REGION = "us-east-1"
KEY_ID = SECRET = "testing"
CREDENTIALS = {"aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET}
PEERS = ("djpyfs", "fs-s3fs", "django-storages")
COLUMNS = ("operation", *PEERS)
SMALL = b"x" * 1024
LARGE_SIZE = 32 * 1024 * 1024


@dataclass(frozen=True)
class Figure:
    """One operation by one peer: requests per call, median seconds per call."""

    requests: float
    seconds: float

    def __str__(self) -> str:
        return f"{self.requests:g} req, {self.seconds * 1000:.1f} ms"


@dataclass(frozen=True)
class Result:
    operation: str
    figures: dict[str, Figure]

    def row(self) -> tuple[str, ...]:
        return (self.operation, *(str(self.figures[peer]) for peer in PEERS))


class Peer:
    """The same operations, spelt for one library."""

    name = ""
    clients: list[Any]

    def makedir(self, name: str) -> None:
        raise NotImplementedError

    def write(self, name: str, data: bytes) -> None:
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        raise NotImplementedError

    def read_10(self, name: str) -> bytes:
        raise NotImplementedError

    def exists(self, name: str) -> bool:
        raise NotImplementedError

    def listdir(self, name: str) -> list[str]:
        raise NotImplementedError

    def remove(self, name: str) -> None:
        raise NotImplementedError


class DjpyfsPeer(Peer):
    name = "djpyfs"

    def __init__(self, endpoint: str, bucket: str, prefix: str) -> None:
        from djpyfs.conf import S3Config
        from djpyfs.s3.filesystem import S3NamespaceFS

        config = S3Config(
            type="s3fs",
            bucket=bucket,
            endpoint_url=endpoint,
            region=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )
        self.fs = S3NamespaceFS(config, prefix)
        self.clients = [self.fs.client]

    def makedir(self, name: str) -> None:
        self.fs.makedir(name)

    def write(self, name: str, data: bytes) -> None:
        self.fs.writebytes(name, data)

    def read(self, name: str) -> bytes:
        return self.fs.readbytes(name)

    def read_10(self, name: str) -> bytes:
        with self.fs.openbin(name) as file:
            return file.read(10)

    def exists(self, name: str) -> bool:
        return self.fs.exists(name)

    def listdir(self, name: str) -> list[str]:
        return self.fs.listdir(name)

    def remove(self, name: str) -> None:
        self.fs.remove(name)


class FsS3fsPeer(DjpyfsPeer):
    name = "fs-s3fs"

    def __init__(self, endpoint: str, bucket: str, prefix: str) -> None:
        from fs_s3fs import S3FS

        self.fs = S3FS(
            bucket, dir_path=prefix, endpoint_url=endpoint, region=REGION, **CREDENTIALS
        )
        # fs-s3fs makes a client and a resource per thread; this bench uses one.
        self.clients = [self.fs.client, self.fs.s3.meta.client]


class StoragesPeer(Peer):
    name = "django-storages"

    def __init__(self, endpoint: str, bucket: str, prefix: str) -> None:
        from storages.backends.s3 import S3Storage

        self.storage = S3Storage(
            bucket_name=bucket,
            location=prefix,
            endpoint_url=endpoint,
            region_name=REGION,
            access_key=KEY_ID,
            secret_key=SECRET,
        )
        self.clients = [self.storage.connection.meta.client]

    def makedir(self, name: str) -> None:
        pass  # Django storages have no directories of their own.

    def write(self, name: str, data: bytes) -> None:
        from django.core.files.base import ContentFile

        self.storage.save(name, ContentFile(data))

    def read(self, name: str) -> bytes:
        with self.storage.open(name) as file:
            return file.read()

    def read_10(self, name: str) -> bytes:
        with self.storage.open(name) as file:
            return file.read(10)

    def exists(self, name: str) -> bool:
        return self.storage.exists(name)

    def listdir(self, name: str) -> list[str]:
        directories, files = self.storage.listdir(name)
        return directories + files

    def remove(self, name: str) -> None:
        self.storage.delete(name)


def _timed(
    peer: Peer, calls: list[Callable[[], object]], check: Callable[[Any], bool]
) -> Figure:
    """Requests per call (the mean: counts are deterministic) and the median
    of the calls' times (one slow call on a busy machine does not count)."""
    durations = []
    results = []
    with RequestCounter(*peer.clients) as counter:
        for call in calls:
            start = time.perf_counter()
            results.append(call())
            durations.append(time.perf_counter() - start)
    if not all(check(result) for result in results):
        raise AssertionError(f"{peer.name} returned a wrong result")
    return Figure(counter.total / len(calls), statistics.median(durations))


def _bench_peer(peer: Peer, files: int, listing: int) -> dict[str, Figure]:
    names = [f"file{index:04}.txt" for index in range(files)]
    nested = [f"sub/{name}" for name in names]
    peer.makedir("sub")
    return {
        "write 1 KiB": _timed(
            peer, [partial(peer.write, n, SMALL) for n in names], lambda r: True
        ),
        "write 1 KiB in a subdirectory": _timed(
            peer, [partial(peer.write, n, SMALL) for n in nested], lambda r: True
        ),
        "read 1 KiB": _timed(
            peer, [partial(peer.read, n) for n in names], lambda r: r == SMALL
        ),
        "exists (file)": _timed(
            peer, [partial(peer.exists, n) for n in names], lambda r: r is True
        ),
        "read 10 B of 32 MiB": _timed(
            peer, [partial(peer.read_10, "large.bin")] * 3, lambda r: r == b"L" * 10
        ),
        f"listdir ({listing} keys)": _timed(
            peer, [partial(peer.listdir, "listing")] * 3, lambda r: len(r) == listing
        ),
        "remove": _timed(
            peer, [partial(peer.remove, n) for n in names], lambda r: True
        ),
    }


def _fill(client: Any, bucket: str, prefix: str, listing: int) -> None:
    """Put the listing's keys and the large object with a plain client."""
    keys = [f"{prefix}/listing/entry{index:05}" for index in range(listing)]
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda key: client.put_object(Bucket=bucket, Key=key, Body=b""), keys
            )
        )
    client.put_object(Bucket=bucket, Key=f"{prefix}/large.bin", Body=b"L" * LARGE_SIZE)


def measure(endpoint: str, files: int = 50, listing: int = 2500) -> list[Result]:
    """Run every operation for every peer against the S3 server at ``endpoint``."""
    _configure_django()
    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS
    )
    by_peer: dict[str, dict[str, Figure]] = {}
    for peer_class in (DjpyfsPeer, FsS3fsPeer, StoragesPeer):
        # A bucket each: moto's listings scan every key of a bucket, so one
        # peer's keys would slow down the next one's requests.
        bucket = f"bench-{uuid.uuid4().hex[:12]}"
        client.create_bucket(Bucket=bucket)
        prefix = f"bench/{peer_class.name}"
        _fill(client, bucket, prefix, listing)
        by_peer[peer_class.name] = _bench_peer(
            peer_class(endpoint, bucket, prefix), files, listing
        )
    operations = list(by_peer["djpyfs"])
    return [
        Result(operation, {peer: by_peer[peer][operation] for peer in PEERS})
        for operation in operations
    ]


def rows(
    endpoint: str | None = None, files: int = 50, listing: int = 2500
) -> list[tuple[str, ...]]:
    """Rows of (operation, djpyfs figure, fs-s3fs figure, django-storages figure).

    Starts a moto server for the run unless ``endpoint`` is given.
    """
    with contextlib.ExitStack() as stack:
        if endpoint is None:
            endpoint = stack.enter_context(moto_server())
        return [result.row() for result in measure(endpoint, files, listing)]


def _configure_django() -> None:
    # django-storages reads its defaults from Django's settings.
    from django.conf import settings

    if not settings.configured:
        settings.configure()


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Run moto's S3 server in a child process; yield its endpoint URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield endpoint
    finally:
        process.terminate()
        process.wait(10)


def format_table(table: list[tuple[str, ...]]) -> str:
    lines = [COLUMNS, *table]
    widths = [
        max(len(line[column]) for line in lines) for column in range(len(COLUMNS))
    ]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50, help="small files per op")
    parser.add_argument("--listing", type=int, default=2500, help="keys to list")
    parser.add_argument("--endpoint", help="an S3 server to use instead of moto's")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "pkg_resources is deprecated")
    print(f"S3 namespace, per operation (median of {args.files} files; moto server):")
    print(format_table(rows(args.endpoint, args.files, args.listing)))


if __name__ == "__main__":
    main()
