"""Smoke tests of the benchmark runner (``bench/run``) at trivial sizes.

The benchmark itself is not part of the test suite; these tests only keep it
from rotting: its moto server counts requests, a section runs end to end and
checks the files that must survive, and a missing benchmark module is
reported instead of failing the run.
"""

from __future__ import annotations

import boto3
import pytest

from bench import sections
from bench.harness import Bench, Plan
from bench.moto_server import MotoServer, request_count
from bench.table import rows_from_columns, rows_from_records


@pytest.fixture(scope="module")
def bench_endpoint():
    with MotoServer() as endpoint:
        yield endpoint


@pytest.fixture
def bench(bench_endpoint, tmp_path) -> Bench:
    plan = Plan(expire_sizes=[5], expire_runs=1, expire_backends=("s3",))
    return Bench(plan, bench_endpoint, predecessor_python=None, workdir=tmp_path)


def test_moto_server_counts_the_requests_it_serves(bench_endpoint):
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=bench_endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    before = request_count(bench_endpoint)
    client.create_bucket(Bucket="smoke-test")
    client.put_object(Bucket="smoke-test", Key="a", Body=b"1")
    assert request_count(bench_endpoint) - before == 2


def test_expire_section_measures_djpyfs_and_checks_the_survivors(bench):
    [row] = sections.expire(bench)

    assert row.operation == "expire_objects(), 5 expired + 5 live, s3"
    assert row.djpyfs.endswith(", 1 req")
    assert row.peer_figure == "not available"


def test_a_missing_benchmark_module_is_reported_as_not_available(bench):
    [row] = sections.external(bench, "no_such_benchmark")

    assert row.djpyfs == "not available"


def test_a_table_with_one_column_per_peer_becomes_one_row_per_peer():
    rows = rows_from_columns(
        [("read 1 KiB", "1 req, 2.0 ms", "3 req, 8.0 ms", "2 req, 1.0 ms")],
        ("operation", "djpyfs", "fs-s3fs", "django-storages"),
        section="s3",
    )

    assert [(row.peer, row.ratio) for row in rows] == [
        ("fs-s3fs", "4.00x time, 3.00x req"),
        ("django-storages", "0.50x time, 2.00x req"),
    ]


def test_records_naming_a_tool_are_paired_by_operation_with_djpyfs_first():
    rows = rows_from_records(
        [
            {
                "operation": "walk",
                "tool": "django-storages",
                "keys": 2000,
                "requests": 80,
                "seconds": 0.5,
                "requests_per_1000_keys": 40,
            },
            {
                "operation": "walk",
                "tool": "StorageFS",
                "keys": 2000,
                "requests": 2,
                "seconds": 0.25,
                "requests_per_1000_keys": 1,
            },
        ],
        section="listing",
    )

    assert [(row.operation, row.peer, row.ratio, row.target) for row in rows] == [
        (
            "walk (StorageFS), 2,000 keys",
            "django-storages",
            "2.00x time, 40.0x req",
            "<=2 req (1 per 1,000 keys): met",
        ),
    ]
