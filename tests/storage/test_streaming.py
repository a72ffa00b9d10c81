"""Large files stream through PyFSStorage: memory stays bounded.

Each measurement runs in a separate process (``memory_probe``) so the peak
resident size reflects only the save and the read of one large file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import djfs_for

ROOT = Path(__file__).resolve().parents[2]

#: Peak memory growth allowed while saving then reading the file.
BOUND_MIB = 64

#: The file saved and read back: 1 GiB on every back-end (S3 on moto's
#: server takes about 25 s).
SIZE_MIB = {"osfs": 1024, "mem": 1024, "s3fs": 1024}


def run_probe(djfs: dict, size_mib: int, **options) -> dict:
    env = {
        **os.environ,
        "DJPYFS_PROBE_DJFS": json.dumps(djfs),
        "DJPYFS_PROBE_OPTIONS": json.dumps(options),
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.storage.memory_probe", str(size_mib)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "allow_overwrite"),
    [("osfs", False), ("s3fs", False), ("s3fs", True)],
    ids=["osfs", "s3fs", "s3fs-overwrite"],
)
def test_large_file_save_and_read_keep_memory_bounded(
    backend, allow_overwrite, tmp_path, request
):
    # On S3 the two policies upload differently: an exclusive multipart
    # upload of djpyfs's own, or boto3's managed transfer.
    size_mib = SIZE_MIB[backend]
    djfs = djfs_for(backend, tmp_path, request)
    report = run_probe(djfs, size_mib, allow_overwrite=allow_overwrite)
    print(
        f"{backend} (allow_overwrite={allow_overwrite}): {size_mib} MiB in "
        f"{report['seconds']:.1f}s, peak growth {report['growth_mib']:.1f} MiB"
    )
    assert report["bytes_read"] == size_mib * 1024 * 1024
    assert report["growth_mib"] < BOUND_MIB


@pytest.mark.slow
def test_large_file_in_memory_backend_is_held_once(tmp_path, request):
    # The mem back-end keeps files in RAM by design: the bound is the file
    # itself plus the same allowance, i.e. no second copy while streaming.
    size_mib = SIZE_MIB["mem"]
    report = run_probe(djfs_for("mem", tmp_path, request), size_mib)
    print(
        f"mem: {size_mib} MiB in {report['seconds']:.1f}s, "
        f"peak growth {report['growth_mib']:.1f} MiB"
    )
    assert report["bytes_read"] == size_mib * 1024 * 1024
    assert report["growth_mib"] < size_mib + BOUND_MIB
