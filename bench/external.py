"""Runs another benchmark module's row function in this process; prints JSON rows.

The benchmarks of the storage bridges and the S3 namespace live in modules of
their own (``bench.storage``, ``bench.s3_namespace``, ``bench.storagefs_listing``),
each exposing a function that returns table rows.  The runner calls each in
a fresh process (``python -m bench.external bench.storage``) so that their
Django settings, moto servers and memory do not mix with the others'.

The row function is the module's ``rows`` or ``run`` (or the one public
function whose name ends in ``rows``).  It is given, where its signature takes them,
``quick`` (or else, in quick mode, the small sizes of :data:`QUICK_SIZES`)
and the moto server's endpoint (``endpoint``, ``endpoint_url`` or
``moto_endpoint``).  A row is a :class:`~bench.table.Row`, a mapping, or a
sequence of cells; where the module names its columns in ``COLUMNS``
(operation, djpyfs, then one column per peer), each row becomes one row per
peer; records naming a ``tool`` are paired by operation, djpyfs's tool against
each other; records holding both sides (``ours_seconds``, ``peer_seconds``)
become one row each, checked against the module's ``TIME_TARGETS``.
Exit status 3 means the module does not exist.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from bench.table import row_from, rows_from_columns, rows_from_pairs, rows_from_records

PREFERRED_NAMES = ("rows", "table_rows", "benchmark_rows", "run_rows", "run")
ENDPOINT_NAMES = ("endpoint", "endpoint_url", "moto_endpoint")
MODULE_MISSING = 3
#: Sizes passed in ``--quick`` mode to row functions without a ``quick`` flag.
QUICK_SIZES = {"files": 10, "listing": 200, "objects": 1000}


def row_function(module: ModuleType) -> Callable[..., Any]:
    """The function of ``module`` that returns its table rows."""
    for name in PREFERRED_NAMES:
        if callable(getattr(module, name, None)):
            return getattr(module, name)
    candidates = [
        value
        for name, value in vars(module).items()
        if name.endswith("rows")
        and not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    ]
    if len(candidates) != 1:
        raise LookupError(f"{module.__name__} has no single function returning rows")
    return candidates[0]


def call(function: Callable[..., Any], quick: bool, endpoint: str | None) -> Any:
    parameters = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    if "quick" in parameters:
        kwargs["quick"] = quick
    elif quick:
        kwargs.update(
            (name, value) for name, value in QUICK_SIZES.items() if name in parameters
        )
    for name in ENDPOINT_NAMES:
        if name in parameters and endpoint:
            kwargs[name] = endpoint
    return function(**kwargs)


def _field(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, dict) else getattr(value, name, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    try:
        module = importlib.import_module(args.module)
    except ModuleNotFoundError as exc:
        if exc.name == args.module:
            sys.exit(MODULE_MISSING)
        raise
    values = call(row_function(module), args.quick, args.endpoint)
    section = args.module.rpartition(".")[2]
    columns = getattr(module, "COLUMNS", None)
    if (
        columns
        and len(columns) > 2
        and all(isinstance(v, list | tuple) for v in values)
    ):
        rows = rows_from_columns(values, columns, section)
    elif values and all(isinstance(v, dict) and "tool" in v for v in values):
        rows = rows_from_records(values, section)
    elif values and all(_field(v, "ours_seconds") is not None for v in values):
        rows = rows_from_pairs(values, section, getattr(module, "TIME_TARGETS", None))
    else:
        rows = [row_from(value, section) for value in values]
    # The module's own output (progress lines) went to stdout before; the rows
    # are the last line.
    print()
    print(json.dumps([row.as_dict() for row in rows]))


if __name__ == "__main__":
    main()
