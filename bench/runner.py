"""The benchmark runner behind ``bench/run``: measures every section, prints one table.

Sections (``--only`` picks some):

- ``expire``: ``expire_objects()`` on local disk and S3, djpyfs vs
  openedx-django-pyfs 4.0.0 (the predecessor).
- ``get_url``: presigned S3 URLs, djpyfs vs a bare boto3 loop and the
  predecessor.
- ``write_read``: 1,000 small files written and read through
  ``get_filesystem()`` on S3, djpyfs vs the predecessor.
- ``memory``: peak resident memory saving and reading a 1 GiB file through
  each bridge, next to the file's size.
- ``storage``, ``s3_namespace``, ``storagefs_listing``: the rows of those
  benchmark modules, where this checkout has them.

Both sides of a comparison run the same worker script (``bench/worker.py``)
in fresh processes, each with its own SQLite file, against one moto server
(``bench/moto_server.py``) that counts the requests it serves.  Figures are
medians over several runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import table
from bench.external import MODULE_MISSING
from bench.memory import NOT_AVAILABLE
from bench.moto_server import MotoServer
from bench.table import Row, median, requests, seconds, times, verdict

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "bench" / "worker.py"
RESULTS = ROOT / "bench" / "RESULTS.md"
EXTERNAL_MODULES = ("storage", "s3_namespace", "storagefs_listing")
SECTIONS = ("expire", "get_url", "write_read", "memory", *EXTERNAL_MODULES)
PREDECESSOR = "openedx-django-pyfs 4.0.0"
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
#: Why a large file costs memory on S3, shown where the memory target is missed.
S3_TRANSFER_NOTE = (
    "Uploads go through boto3's transfer manager (s3transfer), which buffers up "
    "to max_in_memory_upload_chunks parts (default 10) read ahead from a file "
    "object, whatever max_concurrency is: with 8 MiB parts that is about 100 MiB. "
    "Measured here on 512 MiB with 4 threads: 107 MiB growth at the default, "
    "59 MiB with 4 chunks, 37 MiB with 2. Setting that attribute on djpyfs's "
    "TransferConfig (djpyfs/s3/client.py) would meet the target."
)
#: "At most one request per 1,000 expired files plus a constant": the constant.
EXPIRE_REQUEST_CONSTANT = 2


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

    # -- sections ---------------------------------------------------------

    def expire(self) -> list[Row]:
        rows = []
        for backend in self.plan.expire_backends:
            predecessor_at: dict[int, dict[str, float]] = {}
            for n in self.plan.expire_sizes:
                rows.append(self._expire_row(backend, n, predecessor_at))
        return rows

    def _expire_run(
        self, ours: bool, backend: str, n: int, runs: int
    ) -> dict[str, float]:
        side = "djpyfs" if ours else "predecessor"
        log(f"expire {backend} {n:,} files: {side}, {runs} run(s)")
        spec = {
            "op": "expire",
            "djfs": self.djfs(backend),
            "n": n,
            "n_live": n,
            "runs": runs,
        }
        result = self.worker(ours, spec)
        if result["errors"]:
            raise RuntimeError(f"{side} left the wrong files: {result['errors']}")
        return {
            "seconds": median(result["seconds"]),
            "requests": median(result["requests"]),
        }

    def _expire_row(self, backend: str, n: int, predecessor_at: dict) -> Row:
        section = "expire_objects()"
        operation = f"expire_objects(), {n:,} expired + {n:,} live, {backend}"
        runs = self.plan.expire_runs
        ours = self._expire_run(True, backend, n, runs)
        s3 = backend == "s3"
        figure = seconds(ours["seconds"]) + (
            f", {requests(ours['requests'])}" if s3 else ""
        )
        missing = self.predecessor_missing(operation, section)
        if missing:
            missing.djpyfs = figure
            return missing

        note = ""
        measured_n = min(n, self.plan.predecessor_s3_max) if s3 else n
        if measured_n not in predecessor_at:
            predecessor_at[measured_n] = self._expire_run(
                False, backend, measured_n, self.plan.predecessor_expire_runs
            )
        theirs = {k: v * n / measured_n for k, v in predecessor_at[measured_n].items()}
        peer = PREDECESSOR
        if measured_n != n:
            peer += f" (extrapolated from {measured_n:,})"
            note = (
                f"The predecessor's S3 sweep was measured at {measured_n:,} files and "
                f"scaled by {n // measured_n}: it makes a fixed number of requests "
                "per file, so its time is linear in the number of files."
            )
        speed = theirs["seconds"] / ours["seconds"]
        if s3:
            allowed = math.ceil(n / 1000) + EXPIRE_REQUEST_CONSTANT
            met = speed >= 20 and ours["requests"] <= allowed
            return Row(
                operation,
                figure,
                peer,
                f"{seconds(theirs['seconds'])}, {requests(theirs['requests'])}",
                f"{times(theirs['seconds'], ours['seconds'])} time, "
                f"{times(theirs['requests'], ours['requests'])} req",
                verdict(met, f">=20x, <={allowed} req"),
                note,
                section,
            )
        return Row(
            operation,
            figure,
            peer,
            seconds(theirs["seconds"]),
            times(theirs["seconds"], ours["seconds"]),
            verdict(speed >= 5, ">=5x"),
            note,
            section,
        )

    def get_url(self) -> list[Row]:
        section = "get_url() on S3 (presigning, no network)"
        operation = "get_url(name, timeout=60), CPU time per call"
        n, runs = self.plan.url_calls, self.plan.url_runs
        spec = {"op": "get_url", "n": n, "runs": runs, "djfs": self.djfs("s3")}
        log(f"get_url: {n:,} calls x {runs} runs, djpyfs and bare boto3")
        result = self.worker(True, {**spec, "with_boto3": True})
        ours = median(result["seconds"]["api"]) / n
        boto = median(result["seconds"]["boto3"]) / n
        ratio = boto / ours
        rows = [
            Row(
                operation,
                seconds(ours),
                "bare boto3 generate_presigned_url",
                seconds(boto),
                f"{ratio:.2f}x",
                verdict(ratio >= 0.9, ">=0.9x"),
                section=section,
            )
        ]
        missing = self.predecessor_missing(operation, section)
        if missing:
            return [*rows, missing]
        log("get_url: predecessor")
        result = self.worker(False, spec)
        theirs = median(result["seconds"]["api"]) / n
        note = ""
        if "X-Amz-Signature" not in result["sample"]["api"]:
            note = (
                "The predecessor's client presigns with Signature Version 2 "
                "(cheaper, but deprecated by AWS and refused in regions opened "
                "since 2014); djpyfs signs with SigV4, as bare boto3 does here."
            )
        rows.append(
            Row(
                operation,
                seconds(ours),
                PREDECESSOR,
                seconds(theirs),
                times(theirs, ours),
                "",
                note,
                section,
            )
        )
        return rows

    def _write_read_runs(self, ours: bool, n: int, runs: int) -> dict[str, list]:
        """Each run in a new bucket and process.

        moto's ListObjectsV2 reads every key of the bucket, so a client that
        lists would slow down as earlier runs fill the bucket; S3 does not.
        """
        merged: dict[str, list] = {}
        for _ in range(runs):
            spec = {"op": "write_read", "n": n, "runs": 1, "size": 1024}
            result = self.worker(ours, {**spec, "djfs": self.djfs("s3")})
            if result["errors"]:
                raise RuntimeError(f"files read back wrong: {result['errors']}")
            for key in ("write_s", "write_req", "read_s", "read_req"):
                merged.setdefault(key, []).extend(result[key])
        return merged

    def write_read(self) -> list[Row]:
        section = "get_filesystem() on S3: small files"
        n, runs = self.plan.rw_files, self.plan.rw_runs
        log(f"write/read {n:,} files x {runs} runs: djpyfs")
        ours = self._write_read_runs(True, n, runs)
        theirs = None
        if self.predecessor_python:
            log(f"write/read {n:,} files x {runs} runs: predecessor")
            theirs = self._write_read_runs(False, n, runs)
        rows = []
        for what, verb in (("write", "writebytes"), ("read", "readbytes")):
            operation = f"{verb}(), {n:,} files of 1 KiB"
            our_s, our_req = median(ours[f"{what}_s"]), median(ours[f"{what}_req"])
            figure = f"{seconds(our_s)}, {requests(our_req)}"
            if theirs is None:
                rows.append(
                    Row(
                        operation, figure, PREDECESSOR, "not available", section=section
                    )
                )
                continue
            their_s, their_req = (
                median(theirs[f"{what}_s"]),
                median(theirs[f"{what}_req"]),
            )
            rows.append(
                Row(
                    operation,
                    figure,
                    PREDECESSOR,
                    f"{seconds(their_s)}, {requests(their_req)}",
                    f"{times(their_s, our_s)} time, {times(their_req, our_req)} req",
                    section=section,
                )
            )
        return rows

    def memory(self) -> list[Row]:
        section = "Peak memory, one large file"
        size = self.plan.memory_size
        rows = []
        for backend in self.plan.memory_backends:
            for bridge, label in (
                ("namespacefs", "get_filesystem() (NamespaceFS)"),
                ("pyfsstorage", "PyFSStorage"),
                (
                    "storagefs",
                    "StorageFS over "
                    + ("S3Storage" if backend == "s3" else "FileSystemStorage"),
                ),
            ):
                try:
                    rows += self._memory_rows(bridge, label, backend, size, section)
                except RuntimeError as exc:  # one bridge must not hide the others
                    first_line = str(exc).splitlines()[0]
                    log(f"memory: {label}, {backend} FAILED: {exc}")
                    rows.append(
                        Row(
                            f"{label}, {backend}",
                            "FAILED",
                            "",
                            "",
                            note=first_line,
                            section=section,
                        )
                    )
        return rows

    def _memory_rows(
        self, bridge: str, label: str, backend: str, size: int, section: str
    ) -> list[Row]:
        workdir = tempfile.mkdtemp(prefix="memory-", dir=self.workdir)
        bucket = self.new_bucket() if backend == "s3" else ""
        rows = []
        for op in ("save", "read"):
            operation = f"{label}: {op} {table.mib(size)}, {backend}"
            log(f"memory: {operation}")
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.memory",
                    "--bridge",
                    bridge,
                    "--backend",
                    backend,
                    "--op",
                    op,
                    "--size",
                    str(size),
                    "--workdir",
                    workdir,
                    "--endpoint",
                    self.endpoint,
                    "--bucket",
                    bucket,
                ],
                capture_output=True,
                text=True,
                env=self.env(True),
                cwd=ROOT,
            )
            if done.returncode == NOT_AVAILABLE:
                return [
                    Row(
                        f"{label}, {backend}",
                        "not available",
                        "file size",
                        table.mib(size),
                        section=section,
                    )
                ]
            if done.returncode:
                raise RuntimeError(f"{operation} failed:\n{done.stderr[-3000:]}")
            result = json.loads(done.stdout)
            growth = max(0, result["peak"] - result["start"])
            met = growth < 64 << 20
            # Where the cause is known: djpyfs's own S3 uploads.
            explained = backend == "s3" and op == "save" and bridge != "storagefs"
            rows.append(
                Row(
                    operation,
                    f"peak {table.mib(result['peak'])} (+{table.mib(growth)})",
                    "file size",
                    table.mib(size),
                    f"growth {growth / size:.1%} of size",
                    verdict(met, "growth <64 MiB"),
                    note=S3_TRANSFER_NOTE if explained and not met else "",
                    section=section,
                )
            )
        return rows

    def external(self, name: str) -> list[Row]:
        module = f"bench.{name}"
        log(f"{module}")
        command = [
            sys.executable,
            "-m",
            "bench.external",
            module,
            "--endpoint",
            self.endpoint,
        ]
        if self.quick:
            command.append("--quick")
        done = subprocess.run(
            command, capture_output=True, text=True, env=self.env(True), cwd=ROOT
        )
        if done.returncode == MODULE_MISSING:
            return [
                Row(
                    module,
                    "not available",
                    "",
                    "",
                    section=name,
                    note=f"{module} is not in this checkout yet",
                )
            ]
        if done.returncode:
            raise RuntimeError(f"{module} failed:\n{done.stderr[-3000:]}")
        last_line = done.stdout.strip().splitlines()[-1]
        return [table.row_from(row, name) for row in json.loads(last_line)]


def run_section(bench: Bench, name: str) -> list[Row]:
    sections: dict[str, Callable[[], list[Row]]] = {
        "expire": bench.expire,
        "get_url": bench.get_url,
        "write_read": bench.write_read,
        "memory": bench.memory,
    }
    start = time.monotonic()
    try:
        rows = sections[name]() if name in sections else bench.external(name)
    except Exception as exc:  # one failed section must not hide the others
        log(f"{name} FAILED: {exc}")
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        rows = [Row(name, "FAILED", "", "", section=name, note=first_line)]
    log(f"{name}: {time.monotonic() - start:.0f} s")
    return rows


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory = f"{kib / 2**20:.0f} GiB memory"
    return f"{cores} cores ({cpu}), {memory}, Linux {platform.release()}"


def versions() -> str:
    names = ("Django", "fs", "fs-s3fs", "boto3", "django-storages", "moto")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}, " + ", ".join(found)


def results_markdown(rows: list[Row], command: str, elapsed: float, load: str) -> str:
    missed = [row for row in rows if "MISSED" in row.target or row.djpyfs == "FAILED"]
    lines = [
        "# Benchmark results",
        "",
        "Produced by `bench/run` (see the README's Benchmarks section); rerun it to",
        "refresh this file. Ratios say how many times better djpyfs is than the peer:",
        "the peer's time over djpyfs's (above 1: djpyfs is faster), or the peer's",
        "request count over djpyfs's. Times are medians of several runs; S3 request",
        "counts are counted by the moto server and do not depend on the machine.",
        "Each side makes its runs in one process, so the first run also builds",
        "clients; the median leaves that out. A busy machine (see the load",
        "average) slows both sides, but not always by the same factor.",
        "",
        f"- Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Machine: {machine()}; load average {load}",
        f"- Software: {versions()}",
        f"- Command: `{command}` ({elapsed / 60:.1f} minutes)",
        "",
        table.format_markdown(rows),
    ]
    if missed:
        lines += ["## Targets missed", ""]
        lines += [
            f"- {row.operation}: {row.note or 'see the notes above.'}" for row in missed
        ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description="djpyfs's benchmarks, side by side with its peers.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and few runs, for development"
    )
    parser.add_argument(
        "--only", help=f"comma-separated sections: {', '.join(SECTIONS)}"
    )
    parser.add_argument(
        "--predecessor-python",
        help="Python of a virtualenv with openedx-django-pyfs 4.0.0",
    )
    parser.add_argument(
        "--write-results",
        action="store_true",
        help=f"also write the table to {RESULTS.relative_to(ROOT)}",
    )
    args = parser.parse_args(argv)

    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    plan = Plan.quick() if args.quick else Plan()
    # On SIGTERM, unwind as on Ctrl-C so that moto's server and the running
    # worker are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="djpyfs-bench-") as workdir,
        MotoServer() as endpoint,
    ):
        bench = Bench(
            plan, endpoint, args.predecessor_python, Path(workdir), args.quick
        )
        for name in sections:
            rows.extend(run_section(bench, name))
    elapsed = time.monotonic() - started
    load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"

    print(table.format_text(rows))
    print(f"\n{machine()}; load average {load}; {elapsed / 60:.1f} minutes")
    if args.write_results:
        given = sys.argv[1:] if argv is None else argv
        command = shlex.join(["bench/run", *_without_predecessor(given)])
        RESULTS.write_text(results_markdown(rows, command, elapsed, load))
        log(f"wrote {RESULTS}")
    return 0


def _without_predecessor(args: list[str]) -> list[str]:
    """The user's arguments, less the ``--predecessor-python`` bench/run adds."""
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--predecessor-python":
            skip = True
        elif not arg.startswith("--predecessor-python="):
            out.append(arg)
    return out
