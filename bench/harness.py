"""What every benchmark section shares: the plan of sizes and :class:`Bench`.

:class:`Bench` holds one run's moto endpoint and working directory, and runs
``bench/worker.py`` in djpyfs's or the predecessor's Python with the right
environment (the predecessor's process must never see this checkout).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.table import Row

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "bench" / "worker.py"
PREDECESSOR = "openedx-django-pyfs 4.0.0"
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}


@dataclass
class Plan:
    """Sizes and repetitions; ``--quick`` shrinks them for development."""

    expire_sizes: list[int] = field(default_factory=lambda: [1000, 10000])
    expire_backends: tuple[str, ...] = ("local", "s3")
    expire_runs: int = 3
    predecessor_expire_runs: int = 3
    #: Above this many files the predecessor's S3 sweep is extrapolated linearly
    #: (3 requests per file, so 10,000 files would take several minutes).
    predecessor_s3_max: int = 1000
    url_calls: int = 10000
    url_runs: int = 5
    rw_files: int = 1000
    rw_runs: int = 3
    memory_size: int = 1 << 30
    memory_backends: tuple[str, ...] = ("local", "s3")

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            expire_sizes=[100],
            expire_runs=3,
            predecessor_expire_runs=1,
            predecessor_s3_max=100,
            url_calls=1000,
            url_runs=3,
            rw_files=100,
            rw_runs=1,
            memory_size=64 << 20,
            memory_backends=("local",),
        )


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Bench:
    """One run of the benchmarks against one moto server."""

    def __init__(
        self,
        plan: Plan,
        endpoint: str,
        predecessor_python: str | None,
        workdir: Path,
        quick: bool = False,
    ) -> None:
        self.plan = plan
        self.endpoint = endpoint
        self.predecessor_python = (
            os.path.abspath(predecessor_python) if predecessor_python else None
        )
        self.workdir = workdir
        self.quick = quick
        self._s3 = None

    # -- plumbing ---------------------------------------------------------

    def env(self, ours: bool) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_DEFAULT_REGION="us-east-1",
            # The predecessor has no endpoint setting; boto3 reads this one.
            AWS_ENDPOINT_URL_S3=self.endpoint,
        )
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        if ours:
            env["PYTHONPATH"] = str(ROOT)
        else:
            # Never let the predecessor's process see this checkout's djpyfs.
            env.pop("PYTHONPATH", None)
        return env

    def new_bucket(self) -> str:
        import boto3

        if self._s3 is None:
            self._s3 = boto3.session.Session().client(
                "s3", endpoint_url=self.endpoint, region_name="us-east-1", **CREDENTIALS
            )
        name = f"bench-{uuid.uuid4().hex[:12]}"
        self._s3.create_bucket(Bucket=name)
        return name

    def djfs(self, backend: str) -> dict[str, Any]:
        if backend == "s3":
            return {
                "type": "s3fs",
                "bucket": self.new_bucket(),
                "prefix": "pyfs",
                "region": "us-east-1",
                "endpoint_url": self.endpoint,
                **CREDENTIALS,
            }
        root = tempfile.mkdtemp(prefix="files-", dir=self.workdir)
        return {"type": "osfs", "directory_root": root, "url_root": "/files/"}

    def worker(self, ours: bool, spec: dict[str, Any]) -> dict[str, Any]:
        """Run ``bench/worker.py`` in djpyfs's or the predecessor's Python."""
        python = sys.executable if ours else self.predecessor_python
        assert python
        spec = {
            "endpoint": self.endpoint,
            "workdir": tempfile.mkdtemp(prefix="worker-", dir=self.workdir),
            **spec,
        }
        started = time.monotonic()
        done = subprocess.run(
            [python, "-P", str(WORKER), json.dumps(spec)],
            capture_output=True,
            text=True,
            env=self.env(ours),
            cwd=self.workdir,
        )
        if done.returncode:
            raise RuntimeError(f"worker {spec['op']} failed:\n{done.stderr[-3000:]}")
        log(f"  ... {time.monotonic() - started:.0f} s")
        result = json.loads(done.stdout)
        if (result["implementation"] == str(ROOT / "djpyfs")) != ours:
            raise RuntimeError(f"wrong djpyfs imported: {result['implementation']}")
        return result

    def predecessor_missing(self, operation: str, section: str) -> Row | None:
        if self.predecessor_python:
            return None
        return Row(
            operation,
            "",
            PREDECESSOR,
            "not available",
            section=section,
            note="run through bench/run, which makes the predecessor's venv",
        )
