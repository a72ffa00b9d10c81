"""Large files stream through StorageFS: memory stays flat.

Each case runs in a subprocess so that only its own allocations count; the
figure is the growth of the peak resident set size (``ru_maxrss``), counted
from before the storage saves the source file itself (``storage.save``).

django-storages' threaded S3 transfers (its default) hold ten or more 8 MiB
parts in memory per upload, 120-160 MiB whatever the file size, with or
without StorageFS; the S3 case turns threads off (``AWS_S3_USE_THREADS``) so
the bound measures streaming, not that pool.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MiB = 1024 * 1024
GiB = 1024 * MiB
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import io, json, os, resource, shutil, sys

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
django.setup()

from djpyfs.pyfs_from_storage import StorageFS

kind, size, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "filesystem":
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=target)
else:
    from storages.backends.s3 import S3Storage

    endpoint, bucket = target.split(" ")
    storage = S3Storage(
        bucket_name=bucket, endpoint_url=endpoint, region_name="us-east-1",
        access_key="testing", secret_key="testing",
        use_threads=False,
    )


class Zeros(io.RawIOBase):
    def __init__(self, size):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


filesystem = StorageFS(storage)
filesystem.writebytes("warm-up", b"x" * 1024)
filesystem.readbytes("warm-up")
start = peak()
storage.save("big", io.BufferedReader(Zeros(size)))  # the storage on its own
storage_peak = peak()

filesystem.copy("big", "copy")  # streamed read into a streamed write
with filesystem.openbin("spooled", "w") as out:  # spooled write
    shutil.copyfileobj(Zeros(size), out, 1024 * 1024)

print(json.dumps({
    "storage_growth": storage_peak - start,
    "growth": peak() - storage_peak,
    "sizes": [filesystem.getsize(name) for name in ("big", "copy", "spooled")],
}))
"""


def _run(kind: str, size: int, target: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, kind, str(size), target],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_1gib_through_filesystem_storage_keeps_memory_flat(tmp_path):
    outcome = _run("filesystem", GiB, str(tmp_path))

    assert outcome["sizes"] == [GiB] * 3
    assert outcome["storage_growth"] + outcome["growth"] < 64 * MiB


@pytest.mark.slow
def test_256mib_through_s3_storage_keeps_memory_flat(moto_endpoint, s3_bucket):
    # 256 MiB, not 1 GiB: moto keeps every object in this process's memory.
    outcome = _run("s3", 256 * MiB, f"{moto_endpoint} {s3_bucket}")

    assert outcome["sizes"] == [256 * MiB] * 3
    assert outcome["storage_growth"] + outcome["growth"] < 64 * MiB
