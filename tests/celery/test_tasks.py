"""The Celery task ``djpyfs.expire_objects``, run by a real worker over Redis."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

import djpyfs
from djpyfs import tasks
from djpyfs.models import FSExpirations

REDIS_URL = os.environ.get("DJPYFS_TEST_REDIS", "redis://127.0.0.1:6379/9")

# The worker runs in a thread of this process and reads the rows through its
# own database connection, so they must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def celery_app():
    """A Celery app on Redis with a queue of its own, and a worker consuming it."""
    app = Celery(
        "djpyfs-tests", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False
    )
    app.conf.update(
        # A queue no other test run consumes, so runs on one Redis never mix.
        task_default_queue=f"djpyfs-tests-{uuid.uuid4().hex}",
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app


def test_task_is_registered_under_a_stable_name():
    assert tasks.expire_objects.name == "djpyfs.expire_objects"


def test_worker_removes_expired_files_and_returns_counts(
    celery_app, settings, tmp_path, namespace
):
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    fs = djpyfs.get_filesystem(namespace)
    for name in ("a.txt", "b.txt", "keep.txt"):
        fs.writetext(name, name)
    fs.expire("a.txt", seconds=0)
    fs.expire("b.txt", seconds=0)
    fs.expire("keep.txt", days=1)
    FSExpirations.objects.filter(filename__in=["a.txt", "b.txt"]).update(
        expiration=timezone.now() - timedelta(seconds=1)
    )

    counts = celery_app.tasks["djpyfs.expire_objects"].delay().get(timeout=60)

    assert counts == {"removed": 2, "failed": 0}
    assert sorted(fs.listdir("/")) == ["keep.txt"]
    assert list(FSExpirations.objects.values_list("filename", flat=True)) == [
        "keep.txt"
    ]
