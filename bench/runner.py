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
import os
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import sections as measure
from bench import table
from bench.harness import ROOT, Bench, Plan, log
from bench.moto_server import MotoServer
from bench.report import machine, results_markdown
from bench.table import Row

RESULTS = ROOT / "bench" / "RESULTS.md"
EXTERNAL_MODULES = ("storage", "s3_namespace", "storagefs_listing")
SECTIONS = ("expire", "get_url", "write_read", "memory", *EXTERNAL_MODULES)


#: The sections ``bench/run`` measures itself; the others are external modules.
OWN_SECTIONS: dict[str, Callable[[Bench], list[Row]]] = {
    "expire": measure.expire,
    "get_url": measure.get_url,
    "write_read": measure.write_read,
    "memory": measure.memory,
}


def run_section(bench: Bench, name: str) -> list[Row]:
    start = time.monotonic()
    try:
        if name in OWN_SECTIONS:
            rows = OWN_SECTIONS[name](bench)
        else:
            rows = measure.external(bench, name)
    except Exception as exc:  # one failed section must not hide the others
        log(f"{name} FAILED: {exc}")
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        rows = [Row(name, "FAILED", "", "", section=name, note=first_line)]
    log(f"{name}: {time.monotonic() - start:.0f} s")
    return rows


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
