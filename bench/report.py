"""``bench/RESULTS.md``: the table with the date, the machine and the command."""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata

from bench import table
from bench.table import Row


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
        numbers = table.note_numbers(rows)
        lines += [
            f"- {row.operation}: "
            + (f"see [{numbers[id(row)]}]." if row.note else "not explained yet.")
            for row in missed
        ]
    return "\n".join(lines).rstrip() + "\n"
