"""The benchmark sections measured by ``bench/run`` itself, one function each.

Each takes a :class:`~bench.harness.Bench` and returns table rows:
:func:`expire`, :func:`get_url`, :func:`write_read`, :func:`memory`, and
:func:`external` for the rows of another benchmark module.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile

from bench import table
from bench.external import MODULE_MISSING
from bench.harness import PREDECESSOR, ROOT, Bench, log
from bench.memory import NOT_AVAILABLE
from bench.table import Row, median, requests, seconds, times, verdict

#: "At most one request per 1,000 expired files plus a constant": the constant.
EXPIRE_REQUEST_CONSTANT = 2
#: Why a large file would cost memory on S3, shown where the memory target is
#: missed.
S3_TRANSFER_NOTE = (
    "djpyfs's uploads send 5 MiB parts, at most 3 at a time, and read no "
    "further ahead than that (djpyfs/s3/uploads.py sets s3transfer's "
    "max_in_memory_upload_chunks, whose default of 10 parts cost about 100 MiB): "
    "1 GiB measured 35-55 MiB of growth. A larger figure means s3transfer no "
    "longer honours that attribute."
)

#: The same for django-storages' uploads, under StorageFS.
STORAGES_TRANSFER_NOTE = (
    "StorageFS saves through the storage's own _save, so that its object "
    "parameters, ACLs and settings apply; django-storages' S3Storage uploads "
    "with s3transfer's default TransferConfig (10 threads, 8 MiB parts, up to "
    "10 parts read ahead). Its AWS_S3_TRANSFER_CONFIG setting, or "
    "AWS_S3_USE_THREADS = False, bounds that memory (see the README)."
)

#: Why other modules' figures miss their targets, where it is known:
#: (section, words in the operation, explanation).
KNOWN_MISSES = [
    (
        "storage",
        ("S3", "save"),
        "A PyFSStorage save is one PutObject, exclusive without overwrite "
        "(tests/storage/test_s3_requests.py asserts it); S3Storage sends a "
        "HeadObject first without file_overwrite. More requests than that "
        "mean the test fails too.",
    ),
    (
        "storage",
        ("local disk",),
        "Calls of a few microseconds: PyFSStorage validates the name before "
        "touching the disk, which is a visible share of an exists(); the 1 MiB "
        "save varies by more than 5% from run to run on a busy machine.",
    ),
]


def expire(bench: Bench) -> list[Row]:
    rows = []
    for backend in bench.plan.expire_backends:
        predecessor_at: dict[int, dict[str, float]] = {}
        for n in bench.plan.expire_sizes:
            rows.append(_expire_row(bench, backend, n, predecessor_at))
    return rows


def _expire_run(
    bench: Bench, ours: bool, backend: str, n: int, runs: int
) -> dict[str, float]:
    side = "djpyfs" if ours else "predecessor"
    log(f"expire {backend} {n:,} files: {side}, {runs} run(s)")
    spec = {
        "op": "expire",
        "djfs": bench.djfs(backend),
        "n": n,
        "n_live": n,
        "runs": runs,
    }
    result = bench.worker(ours, spec)
    if result["errors"]:
        raise RuntimeError(f"{side} left the wrong files: {result['errors']}")
    return {
        "seconds": median(result["seconds"]),
        "requests": median(result["requests"]),
    }


def _expire_row(bench: Bench, backend: str, n: int, predecessor_at: dict) -> Row:
    section = "expire_objects()"
    operation = f"expire_objects(), {n:,} expired + {n:,} live, {backend}"
    runs = bench.plan.expire_runs
    ours = _expire_run(bench, True, backend, n, runs)
    s3 = backend == "s3"
    figure = seconds(ours["seconds"]) + (
        f", {requests(ours['requests'])}" if s3 else ""
    )
    missing = bench.predecessor_missing(operation, section)
    if missing:
        missing.djpyfs = figure
        return missing

    note = ""
    measured_n = min(n, bench.plan.predecessor_s3_max) if s3 else n
    if measured_n not in predecessor_at:
        predecessor_at[measured_n] = _expire_run(
            bench, False, backend, measured_n, bench.plan.predecessor_expire_runs
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


def get_url(bench: Bench) -> list[Row]:
    section = "get_url() on S3 (presigning, no network)"
    operation = "get_url(name, timeout=60), CPU time per call"
    n, runs = bench.plan.url_calls, bench.plan.url_runs
    spec = {"op": "get_url", "n": n, "runs": runs, "djfs": bench.djfs("s3")}
    log(f"get_url: {n:,} calls x {runs} runs, djpyfs and bare boto3")
    result = bench.worker(True, {**spec, "with_boto3": True})
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
    missing = bench.predecessor_missing(operation, section)
    if missing:
        return [*rows, missing]
    log("get_url: predecessor")
    result = bench.worker(False, spec)
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


def _write_read_runs(bench: Bench, ours: bool, n: int, runs: int) -> dict[str, list]:
    """Each run in a new bucket and process.

    moto's ListObjectsV2 reads every key of the bucket, so a client that
    lists would slow down as earlier runs fill the bucket; S3 does not.
    """
    merged: dict[str, list] = {}
    for _ in range(runs):
        spec = {"op": "write_read", "n": n, "runs": 1, "size": 1024}
        result = bench.worker(ours, {**spec, "djfs": bench.djfs("s3")})
        if result["errors"]:
            raise RuntimeError(f"files read back wrong: {result['errors']}")
        for key in ("write_s", "write_req", "read_s", "read_req"):
            merged.setdefault(key, []).extend(result[key])
    return merged


def write_read(bench: Bench) -> list[Row]:
    section = "get_filesystem() on S3: small files"
    n, runs = bench.plan.rw_files, bench.plan.rw_runs
    log(f"write/read {n:,} files x {runs} runs: djpyfs")
    ours = _write_read_runs(bench, True, n, runs)
    theirs = None
    if bench.predecessor_python:
        log(f"write/read {n:,} files x {runs} runs: predecessor")
        theirs = _write_read_runs(bench, False, n, runs)
    rows = []
    for what, verb in (("write", "writebytes"), ("read", "readbytes")):
        operation = f"{verb}(), {n:,} files of 1 KiB"
        our_s, our_req = median(ours[f"{what}_s"]), median(ours[f"{what}_req"])
        figure = f"{seconds(our_s)}, {requests(our_req)}"
        if theirs is None:
            rows.append(
                Row(operation, figure, PREDECESSOR, "not available", section=section)
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


def memory(bench: Bench) -> list[Row]:
    section = "Peak memory, one large file"
    size = bench.plan.memory_size
    rows = []
    for backend in bench.plan.memory_backends:
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
                rows += _memory_rows(bench, bridge, label, backend, size, section)
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
    bench: Bench, bridge: str, label: str, backend: str, size: int, section: str
) -> list[Row]:
    workdir = tempfile.mkdtemp(prefix="memory-", dir=bench.workdir)
    bucket = bench.new_bucket() if backend == "s3" else ""
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
                bench.endpoint,
                "--bucket",
                bucket,
            ],
            capture_output=True,
            text=True,
            env=bench.env(True),
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
        note = ""
        if backend == "s3" and op == "save" and not met:
            note = STORAGES_TRANSFER_NOTE if bridge == "storagefs" else S3_TRANSFER_NOTE
        rows.append(
            Row(
                operation,
                f"peak {table.mib(result['peak'])} (+{table.mib(growth)})",
                "file size",
                table.mib(size),
                f"growth {growth / size:.1%} of size",
                verdict(met, "growth <64 MiB"),
                note=note,
                section=section,
            )
        )
    return rows


def external(bench: Bench, name: str) -> list[Row]:
    module = f"bench.{name}"
    log(f"{module}")
    command = [
        sys.executable,
        "-m",
        "bench.external",
        module,
        "--endpoint",
        bench.endpoint,
    ]
    if bench.quick:
        command.append("--quick")
    done = subprocess.run(
        command, capture_output=True, text=True, env=bench.env(True), cwd=ROOT
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
    rows = [table.row_from(row, name) for row in json.loads(last_line)]
    for row in rows:
        if "MISSED" in row.target and not row.note:
            row.note = next(
                (
                    note
                    for section, words, note in KNOWN_MISSES
                    if section == name and all(word in row.operation for word in words)
                ),
                "",
            )
    return rows
