"""Benchmark: PyFSStorage next to the storages it replaces.

* On local disk, against Django's ``FileSystemStorage`` (seconds per
  operation).
* On S3 (moto's server on 127.0.0.1), against django-storages' ``S3Storage``
  on the same server (seconds and HTTP requests per operation).  Both
  overwrite policies are compared: PyFSStorage's default (never overwrite)
  with ``S3Storage(file_overwrite=False)``, and ``allow_overwrite=True`` with
  S3Storage's default.

Operations: save, open+read, exists, delete, on 1 KiB and 1 MiB files::

    python -m bench.storage            # prints the table
    python -m bench.storage --quick    # fewer iterations

:func:`run` returns the rows for an overall benchmark command.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SIZES = {"1 KiB": 1024, "1 MiB": 1024 * 1024}
OPERATIONS = ("save", "open+read", "exists", "delete")
#: Rounds per side, alternating: each takes its share of the iterations.
ROUNDS = 5

#: Targets of the issue: time ratio to FileSystemStorage per size.
TIME_TARGETS = {"1 KiB": 1.25, "1 MiB": 1.05}


@dataclass
class Row:
    """One operation on one file size: ours next to the peer."""

    group: str
    operation: str
    size: str
    ours: str
    peer: str
    ours_seconds: float
    peer_seconds: float
    ours_requests: float | None = None
    peer_requests: float | None = None

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.peer_seconds if self.peer_seconds else 0.0


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    # moto's server logs every request; the table is the output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


class _Counter:
    """HTTP requests seen by a set of botocore clients (0 on local disk)."""

    def __init__(self, clients: Callable[[], list[Any]] | None) -> None:
        self._clients = clients

    def measure(self, action: Callable[[], None]) -> int:
        if self._clients is None:
            action()
            return 0
        from tests.support import RequestCounter

        with RequestCounter(*self._clients()) as counter:
            action()
        return counter.total


def _measure(storage: Any, counter: _Counter, data: bytes, iterations: int) -> dict:
    """Seconds and requests per operation for ``iterations`` distinct files."""
    from django.core.files.base import ContentFile

    prefix = uuid.uuid4().hex[:8]
    names: list[str] = []
    results: dict[str, tuple[float, float]] = {}

    def timed(operation: str, step: Callable[[int], None]) -> None:
        requests = 0
        times = []
        for i in range(iterations):
            started = time.perf_counter()
            requests += counter.measure(lambda i=i: step(i))
            times.append(time.perf_counter() - started)
        # The median: other processes on the machine add outliers, not drift.
        results[operation] = (statistics.median(times), requests / iterations)

    def save(i: int) -> None:
        names.append(storage.save(f"{prefix}/f{i}.bin", ContentFile(data)))

    def read(i: int) -> None:
        with storage.open(names[i], "rb") as f:
            f.read()

    timed("save", save)
    timed("open+read", read)
    timed("exists", lambda i: storage.exists(names[i]))
    timed("delete", lambda i: storage.delete(names[i]))
    return results


def _combine(rounds: list[dict]) -> dict:
    """Per operation: the median of the rounds' median times, and requests
    per call (the same in every round)."""
    return {
        operation: (
            statistics.median(r[operation][0] for r in rounds),
            rounds[-1][operation][1],
        )
        for operation in rounds[0]
    }


def _rows(
    group: str,
    ours_label: str,
    peer_label: str,
    ours: tuple[Any, _Counter],
    peer: tuple[Any, _Counter],
    iterations: dict[str, int],
    with_requests: bool,
) -> list[Row]:
    rows = []
    for size_label, size in SIZES.items():
        data = os.urandom(size)
        count = max(1, iterations[size_label] // ROUNDS)
        # Warm both up (imports, connections), then alternate rounds so that
        # a busy spell of the machine falls on both sides alike.
        _measure(ours[0], ours[1], data, 2)
        _measure(peer[0], peer[1], data, 2)
        ours_rounds, peer_rounds = [], []
        for _ in range(ROUNDS):
            ours_rounds.append(_measure(ours[0], ours[1], data, count))
            peer_rounds.append(_measure(peer[0], peer[1], data, count))
        ours_results = _combine(ours_rounds)
        peer_results = _combine(peer_rounds)
        for operation in OPERATIONS:
            ours_s, ours_r = ours_results[operation]
            peer_s, peer_r = peer_results[operation]
            rows.append(
                Row(
                    group,
                    operation,
                    size_label,
                    ours_label,
                    peer_label,
                    ours_s,
                    peer_s,
                    ours_r if with_requests else None,
                    peer_r if with_requests else None,
                )
            )
    return rows


def local_rows(iterations: dict[str, int]) -> list[Row]:
    """PyFSStorage on osfs against FileSystemStorage, in the same temp dir."""
    from django.core.files.storage import FileSystemStorage
    from django.test import override_settings

    from djpyfs.storage import PyFSStorage

    with tempfile.TemporaryDirectory(prefix="djpyfs-bench-") as root:
        djfs = {"type": "osfs", "directory_root": os.path.join(root, "pyfs")}
        with override_settings(DJFS=djfs):
            ours = PyFSStorage(namespace="bench")
            peer = FileSystemStorage(location=os.path.join(root, "django"))
            return _rows(
                "local disk",
                "PyFSStorage(osfs)",
                "FileSystemStorage",
                (ours, _Counter(None)),
                (peer, _Counter(None)),
                iterations,
                with_requests=False,
            )


def _our_s3_clients(storage: Any) -> list[Any]:
    # Every request of an S3 namespace goes through the one shared client.
    return [storage.fs.backend.client]


def s3_rows(iterations: dict[str, int]) -> list[Row]:
    """PyFSStorage on s3fs against S3Storage, on one moto server."""
    import boto3
    from django.test import override_settings
    from moto.server import ThreadedMotoServer
    from storages.backends.s3 import S3Storage

    from djpyfs.storage import PyFSStorage

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        bucket = f"bench-{uuid.uuid4().hex[:12]}"
        boto3.session.Session().client(
            "s3", endpoint_url=endpoint, region_name="us-east-1"
        ).create_bucket(Bucket=bucket)
        credentials = {"access_key": "testing", "secret_key": "testing"}
        djfs = {
            "type": "s3fs",
            "bucket": bucket,
            "prefix": "pyfs",
            "endpoint_url": endpoint,
            "region": "us-east-1",
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }
        rows: list[Row] = []
        with override_settings(DJFS=djfs):
            for overwrite in (False, True):
                ours = PyFSStorage(namespace="bench", allow_overwrite=overwrite)
                peer = S3Storage(
                    bucket_name=bucket,
                    endpoint_url=endpoint,
                    region_name="us-east-1",
                    location="s3storage",
                    file_overwrite=overwrite,
                    **credentials,
                )
                rows += _rows(
                    "S3 (moto)",
                    f"PyFSStorage(allow_overwrite={overwrite})",
                    f"S3Storage(file_overwrite={overwrite})",
                    (ours, _Counter(lambda ours=ours: _our_s3_clients(ours))),
                    (peer, _Counter(lambda peer=peer: [peer.connection.meta.client])),
                    iterations,
                    with_requests=True,
                )
        return rows
    finally:
        server.stop()


def run(quick: bool = False) -> list[Row]:
    """Run every comparison and return its rows."""
    _setup_django()
    local = {"1 KiB": 300, "1 MiB": 60} if quick else {"1 KiB": 2000, "1 MiB": 300}
    s3 = {"1 KiB": 10, "1 MiB": 5} if quick else {"1 KiB": 40, "1 MiB": 15}
    return local_rows(local) + s3_rows(s3)


def format_rows(rows: list[Row]) -> str:
    lines = []
    header = (
        f"{'operation':<10} {'size':>6}  {'ours ms':>9} {'peer ms':>9} {'ratio':>6}"
        f"  {'ours req':>8} {'peer req':>8}"
    )
    current = None
    for row in rows:
        title = f"{row.group}: {row.ours} vs {row.peer}"
        if title != current:
            lines += ["", title, header]
            current = title
        requests = ""
        if row.ours_requests is not None:
            requests = f"  {row.ours_requests:>8.1f} {row.peer_requests:>8.1f}"
        lines.append(
            f"{row.operation:<10} {row.size:>6}  {row.ours_seconds * 1e3:>9.3f}"
            f" {row.peer_seconds * 1e3:>9.3f} {row.ratio:>6.2f}{requests}"
        )
    return "\n".join(lines)


def request_verdicts(rows: list[Row]) -> list[str]:
    """One line per S3 save/read row: ours against the peer's request count."""
    lines = []
    for row in rows:
        if row.ours_requests is None or row.operation not in ("save", "open+read"):
            continue
        verdict = "met" if row.ours_requests <= row.peer_requests else "MISSED"
        lines.append(
            f"{verdict:<6} {row.ours} {row.operation} {row.size}: "
            f"{row.ours_requests:.1f} requests vs {row.peer_requests:.1f}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    args = parser.parse_args()
    rows = run(quick=args.quick)
    print(format_rows(rows))
    print()
    print(
        "Targets: local disk within "
        + ", ".join(f"{v}x on {k}" for k, v in TIME_TARGETS.items())
        + " of FileSystemStorage; on S3 no more requests per save/read than "
        "S3Storage."
    )
    print("\n".join(request_verdicts(rows)))


if __name__ == "__main__":
    main()
