"""Listing and walking 10,000 S3 objects through StorageFS, in HTTP requests.

Runs django-storages' S3Storage against moto's server and prints, for each
operation, the requests StorageFS makes next to django-storages' own
``listdir``.  Target: at most one request per 1,000 keys listed.

    python -m bench.storagefs_listing [--objects 10000]

:func:`run` returns the rows for an overall benchmark report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# The moto server needs credentials; real ones must never be used.
for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ[_name] = "testing"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def _layout(objects: int) -> list[str]:
    """A flat directory of half the objects, the rest in a 3-level tree."""
    flat = [f"flat/file-{n:05d}.txt" for n in range(objects // 2)]
    tree = [
        f"tree/d{n % 10}/s{n % 7}/file-{n:05d}.txt" for n in range(objects - len(flat))
    ]
    return flat + tree


def _fill(client: Any, bucket: str, keys: list[str]) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda key: client.put_object(Bucket=bucket, Key=key, Body=b"x"), keys
            )
        )


def _storages_walk(storage: Any, path: str) -> int:
    """Walk with django-storages' own listdir, one call per directory."""
    dirs, files = storage.listdir(path)
    return len(files) + sum(_storages_walk(storage, f"{path}/{d}") for d in dirs)


def run(
    objects: int = 10_000, endpoint: str | None = None, runs: int = 3
) -> list[dict[str, Any]]:
    """Measure; return one row per operation and tool, with the median time of
    ``runs`` runs."""
    import django

    django.setup()
    import boto3
    from storages.backends.s3 import S3Storage

    from djpyfs.pyfs_from_storage import StorageFS
    from tests.support import RequestCounter

    server = None
    if endpoint is None:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
    try:
        bucket = f"bench-{uuid.uuid4().hex[:12]}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=bucket)
        keys = _layout(objects)
        _fill(client, bucket, keys)

        storage = S3Storage(
            bucket_name=bucket, endpoint_url=endpoint, region_name="us-east-1"
        )
        filesystem = StorageFS(storage)
        flat = len([k for k in keys if k.startswith("flat/")])
        cases: list[tuple[str, str, int, Callable[[], int]]] = [
            (
                "listdir flat",
                "django-storages",
                flat,
                lambda: len(storage.listdir("flat")[1]),
            ),
            (
                "listdir flat",
                "StorageFS",
                flat,
                lambda: len(filesystem.listdir("flat")),
            ),
            (
                "scandir flat + sizes",
                "StorageFS",
                flat,
                lambda: sum(
                    1 for _ in filesystem.scandir("flat", namespaces=["details"])
                ),
            ),
            (
                "walk all",
                "django-storages",
                objects,
                lambda: _storages_walk(storage, ""),
            ),
            (
                "walk all",
                "StorageFS",
                objects,
                lambda: sum(1 for _ in filesystem.walk.files()),
            ),
        ]
        rows = []
        connection = storage.connection.meta.client
        for operation, tool, expected, call in cases:
            durations = []
            for _ in range(runs):
                # Listings change nothing, so each run repeats the same requests.
                with RequestCounter(connection) as counter:
                    started = time.perf_counter()
                    found = call()
                    durations.append(time.perf_counter() - started)
                if found != expected:
                    raise AssertionError(f"{tool} {operation}: {found} != {expected}")
            seconds = statistics.median(durations)
            rows.append(
                {
                    "benchmark": "storagefs_listing",
                    "operation": operation,
                    "tool": tool,
                    "keys": found,
                    "requests": counter.total,
                    "requests_per_1000_keys": round(counter.total * 1000 / found, 2),
                    "seconds": round(seconds, 3),
                }
            )
        return rows
    finally:
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=10_000)
    args = parser.parse_args()
    rows = run(args.objects)
    print(
        f"{'operation':<22}{'tool':<17}{'keys':>7}{'requests':>10}{'/1000':>8}{'s':>8}"
    )
    for row in rows:
        print(
            f"{row['operation']:<22}{row['tool']:<17}{row['keys']:>7}"
            f"{row['requests']:>10}{row['requests_per_1000_keys']:>8}{row['seconds']:>8}"
        )


if __name__ == "__main__":
    main()
