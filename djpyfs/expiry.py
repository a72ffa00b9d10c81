"""Expiry bookkeeping: recording when files expire and sweeping them away.

Rows of :class:`~djpyfs.models.FSExpirations` name a file by its namespace
(``module``) and its path in the namespace.  A module starting with ``/`` can
never be a namespace (namespaces are relative); ``/storages/<alias>`` is used
for files of a :class:`~djpyfs.pyfs_from_storage.StorageFS` opened by alias.

The sweep works in batches.  Each batch is claimed in a transaction that
locks its rows (``SELECT ... FOR UPDATE SKIP LOCKED`` where the database has
it), removes the files, deletes the rows of the files that are gone and
commits.  So two sweeps never process the same row, a crash leaves the rows
for the next sweep, and ``expire()`` on a row being swept waits for the batch
to finish instead of being silently overridden.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.core.exceptions import SuspiciousFileOperation
from django.db import (
    IntegrityError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.utils import timezone

from djpyfs.models import NAME_MAX_LENGTH, FSExpirations
from djpyfs.namespaces import normalize_filename

logger = logging.getLogger(__name__)

#: Rows claimed and files removed per transaction.  S3 deletes up to 1,000
#: keys per request, so this is also one request per batch there.
BATCH_SIZE = 1000

STORAGE_MODULE_PREFIX = "/storages/"

#: Seconds a sweep batch waits for its turn on MariaDB and MySQL.
BATCH_TURN_TIMEOUT = 3600


class Sweepable(Protocol):
    """What the sweep needs of a filesystem: removing many files at once."""

    def remove_files(self, paths: Iterable[str]) -> dict[str, Exception]: ...


@dataclass
class SweepResult:
    """The outcome of :func:`sweep`: files removed and files that failed."""

    removed: int = 0
    failed: int = 0


def storage_module(alias: str) -> str:
    """The ``module`` value for files of the ``STORAGES`` entry ``alias``."""
    return f"{STORAGE_MODULE_PREFIX}{alias}"


def _expiration(days: float, seconds: float) -> datetime:
    """The time ``days + seconds`` from now.

    Raises:
        ValueError: the lifetime is NaN, or the time is past year 9999.
    """
    if math.isnan(days) or math.isnan(seconds):
        raise ValueError("An expiry lifetime must be a number, not NaN.")
    try:
        return timezone.now() + timedelta(days=days, seconds=seconds)
    except OverflowError:
        raise ValueError(
            f"An expiry of {days} days and {seconds} seconds from now is past "
            "the last date a database can hold (year 9999); use expires=False "
            "for a file that should not expire."
        ) from None


def set_expiration(
    module: str,
    filename: str,
    *,
    seconds: float = 0,
    days: float = 0,
    expires: bool = True,
) -> None:
    """Record that ``filename`` of ``module`` expires ``days + seconds`` from now.

    One row is kept per (module, normalised file name); calling again
    replaces its expiry, and concurrent calls for one file do not raise.

    Raises:
        SuspiciousPath: ``filename`` leaves its namespace.
        ValueError: the module or the file name is longer than the table
            allows, or the lifetime is not a number or too long for a date.
    """
    path = normalize_filename(filename)
    for what, value in (("namespace", module), ("file name", path)):
        if len(value) > NAME_MAX_LENGTH:
            raise ValueError(
                f"The {what} {value[:40]!r}... is longer than {NAME_MAX_LENGTH} "
                "characters and cannot be given an expiry."
            )
    values = {"expires": expires, "expiration": _expiration(days, seconds)}
    # openedx-django-pyfs stored names as given; "/a.png" is the same file.
    rows = FSExpirations.objects.filter(module=module, filename__in=[path, f"/{path}"])
    if rows.update(**values):
        return
    try:
        with transaction.atomic(using=router.db_for_write(FSExpirations)):
            FSExpirations.objects.create(module=module, filename=path, **values)
    except IntegrityError:
        # Another caller created the row between our update and our insert.
        rows.update(**values)


def open_module(module: str) -> Sweepable:
    """Open the filesystem that ``module`` names, for removing its files.

    Raises:
        SuspiciousPath: the module is not a valid namespace.
        ImproperlyConfigured: the settings do not allow opening it.
    """
    if module.startswith(STORAGE_MODULE_PREFIX):
        from djpyfs.pyfs_from_storage import StorageFS

        return StorageFS(module[len(STORAGE_MODULE_PREFIX) :])
    from djpyfs.filesystem import get_filesystem

    return get_filesystem(module)


def _claim_batch(after_id: int, now: datetime, size: int, using: str) -> list[tuple]:
    """Lock and return the next batch of expired rows, in id order."""
    rows = (
        FSExpirations.objects.using(using)
        .expired(now)
        .filter(id__gt=after_id)
        .order_by("id")
    )
    if connections[using].features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    else:
        # SQLite locks the whole database, and only once a transaction
        # writes.  Writing first (an update matching nothing) takes that lock
        # before reading, so concurrent sweeps and expire() calls queue
        # behind this batch instead of reading rows it is about to delete.
        FSExpirations.objects.using(using).filter(id=-1).update(expires=True)
    return list(rows.values_list("id", "module", "filename")[:size])


def _sweep_batch(
    rows: list[tuple], opened: dict[str, Sweepable]
) -> tuple[list[int], int]:
    """Remove the files of ``rows``; return the ids of rows done and the failures."""
    by_module: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    failed = 0
    for row_id, module, filename in rows:
        try:
            path = normalize_filename(filename)
        except SuspiciousFileOperation as exc:
            logger.error("Cannot remove %r in %r: %s", filename, module, exc)
            failed += 1
            continue
        by_module[module][path].append(row_id)

    done: list[int] = []
    for module, ids_by_path in by_module.items():
        try:
            if module not in opened:
                opened[module] = open_module(module)
            failures = opened[module].remove_files(list(ids_by_path))
        except Exception as exc:
            # Whatever a misconfigured or unreachable namespace raises, the
            # other namespaces are still swept; its rows wait for the next run.
            logger.error("Cannot open %r to remove expired files: %s", module, exc)
            failed += len(ids_by_path)
            continue
        for path, ids in ids_by_path.items():
            if path in failures:
                logger.warning(
                    "Could not remove expired %r in %r: %s",
                    path,
                    module,
                    failures[path],
                )
                failed += 1
            else:
                logger.debug("Removed expired %r in %r", path, module)
                done.extend(ids)
    return done, failed


@contextmanager
def _batch_turn(using: str) -> Iterator[None]:
    """On MariaDB and MySQL, let the batches of concurrent sweeps take turns.

    Once few rows are left, InnoDB may run a batch's ``DELETE ... WHERE id IN
    (...)`` as a table scan (even with ``FORCE INDEX``).  The scan waits on
    the rows another sweep has claimed while that sweep's delete waits on
    ours: a deadlock.  A named lock per database, held from the claim to the
    commit, keeps two batches from holding rows at once.  PostgreSQL deletes
    by primary key and needs no such lock.
    """
    connection = connections[using]
    if connection.vendor != "mysql":
        yield
        return
    # Lock names are server-wide; two databases on one server sweep apart.
    name = f"djpyfs.sweep:{connection.settings_dict['NAME']}"[:64]
    with connection.cursor() as cursor:
        cursor.execute("SELECT GET_LOCK(%s, %s)", [name, BATCH_TURN_TIMEOUT])
        (acquired,) = cursor.fetchone()
    if acquired != 1:
        raise OperationalError(f"Waited {BATCH_TURN_TIMEOUT} s for the lock {name!r}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT RELEASE_LOCK(%s)", [name])


def sweep(batch_size: int = BATCH_SIZE, now: datetime | None = None) -> SweepResult:
    """Remove every file whose expiry has passed, in every namespace.

    A file already gone counts as removed.  A file that cannot be removed is
    logged and its row kept, so the next sweep tries again; it does not stop
    the sweep.
    """
    now = now or timezone.now()
    using = router.db_for_write(FSExpirations)
    result = SweepResult()
    opened: dict[str, Sweepable] = {}
    last_id = 0
    logger.info("Sweeping files expired before %s", now.isoformat())
    while True:
        with _batch_turn(using), transaction.atomic(using=using):
            rows = _claim_batch(last_id, now, batch_size, using)
            if not rows:
                break
            done, failed = _sweep_batch(rows, opened)
            FSExpirations.objects.using(using).filter(id__in=done).delete()
        result.removed += len(done)
        result.failed += failed
        last_id = rows[-1][0]
    logger.info(
        "Sweep finished: %d expired files removed, %d failed",
        result.removed,
        result.failed,
    )
    return result


def expire_objects() -> int:
    """Remove every expired file; return how many were removed.

    Safe to run from cron, a management command (``djpyfs_expire``) or a
    task queue, and from several processes at once.
    """
    return sweep().removed
