"""Celery tasks (``pip install 'djpyfs[celery]'``): the expiry sweep.

Schedule :func:`expire_objects` with Celery beat instead of running
``manage.py djpyfs_expire`` from cron (see the README's "Celery" section).
The task is a ``shared_task``, so it binds to whichever Celery app the site
configures; importing this module is all it takes to register it.
"""

from __future__ import annotations

from celery import shared_task

from djpyfs.expiry import BATCH_SIZE, sweep


@shared_task(name="djpyfs.expire_objects", ignore_result=False)
def expire_objects(batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Remove every expired file; return ``{"removed": n, "failed": m}``.

    Files that could not be removed are logged and kept for the next run, as
    with the management command; they do not make the task fail, so Celery
    does not retry a sweep that the next scheduled one will redo anyway.
    """
    result = sweep(batch_size=batch_size)
    return {"removed": result.removed, "failed": result.failed}
