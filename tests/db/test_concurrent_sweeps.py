"""Sweeps running at once share the work: each expired file is removed once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

import djpyfs
from djpyfs.expiry import SweepResult, sweep
from djpyfs.models import FSExpirations

FILES = 300

# Each sweep commits batches through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


def run_sweeps(count: int, batch_size: int) -> list[SweepResult | BaseException]:
    """Run ``count`` sweeps in threads started together; return each outcome."""
    start = threading.Barrier(count)
    outcomes: list[SweepResult | BaseException] = [None] * count  # type: ignore[list-item]

    def run(index: int) -> None:
        try:
            start.wait()
            outcomes[index] = sweep(batch_size=batch_size)
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            # An open connection would keep the test database from being dropped.
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_sweeps_at_once_remove_every_file_exactly_once(
    settings, tmp_path, namespace
):
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("needs SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL, MariaDB)")
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    fs = djpyfs.get_filesystem(namespace)
    names = [f"f{i:04d}.bin" for i in range(FILES)]
    for name in names:
        fs.writebytes(name, b"x")
    past = timezone.now() - timedelta(minutes=1)
    FSExpirations.objects.bulk_create(
        FSExpirations(module=namespace, filename=name, expires=True, expiration=past)
        for name in names
    )

    outcomes = run_sweeps(2, batch_size=7)

    errors = [o for o in outcomes if not isinstance(o, SweepResult)]
    assert errors == []
    # A file already gone counts as removed, so a file swept twice shows here.
    assert sum(o.removed for o in outcomes) == FILES
    assert sum(o.failed for o in outcomes) == 0
    assert fs.listdir("/") == []
    assert not FSExpirations.objects.exists()
