"""PyFSStorage on S3 sends no more requests than django-storages' S3Storage.

S3Storage saves with a ``HeadObject`` and a ``PutObject`` (or the put alone
when overwriting) and deletes with one ``DeleteObject``.  PyFSStorage saves
with one conditional ``PutObject`` (S3 refuses it if the name is taken) and
deletes with one request.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.core.files.base import ContentFile

from djpyfs.creation import creation_locks
from djpyfs.storage import PyFSStorage
from tests.conftest import djfs_for
from tests.support import RequestCounter

SUFFIX = "[A-Za-z0-9]{7}"


@pytest.fixture
def s3_djfs(settings, tmp_path, request) -> dict:
    settings.DJFS = djfs_for("s3fs", tmp_path, request)
    return settings.DJFS


@pytest.fixture
def s3_storage(s3_djfs, namespace) -> PyFSStorage:
    return PyFSStorage(namespace=namespace)


def counting(storage: PyFSStorage) -> RequestCounter:
    return RequestCounter(storage.fs.backend.client)


def test_save_is_one_conditional_put(s3_storage):
    with counting(s3_storage) as counter:
        name = s3_storage.save("new/dir/file.txt", ContentFile(b"x"))
    assert name == "new/dir/file.txt"
    assert counter.operations == ["PutObject"]


def test_save_over_a_taken_name_retries_under_a_free_one(s3_storage):
    s3_storage.save("taken.txt", ContentFile(b"first"))
    with counting(s3_storage) as counter:
        name = s3_storage.save("taken.txt", ContentFile(b"second"))
    assert re.fullmatch(f"taken_{SUFFIX}.txt", name)
    # Refused, then the new name asked about, then stored.
    assert counter.operations[0] == "PutObject"
    assert counter.operations[-1] == "PutObject"
    with s3_storage.open("taken.txt") as f:
        assert f.read() == b"first"


def test_save_does_not_wait_for_the_per_process_name_lock(s3_storage):
    # S3 refuses a taken name itself; the lock other back-ends need would
    # only serialise writers.
    saved: list[str] = []
    with creation_locks.hold((s3_storage.namespace, "file.txt")):
        writer = threading.Thread(
            target=lambda: saved.append(s3_storage.save("file.txt", b"x"))
        )
        writer.start()
        writer.join(timeout=10)
        saved_while_locked = list(saved)
    writer.join()
    assert saved_while_locked == ["file.txt"]


def test_overwriting_save_is_one_put(s3_djfs, namespace):
    storage = PyFSStorage(namespace=namespace, allow_overwrite=True)
    storage.save("same.txt", ContentFile(b"a longer first content"))
    with counting(storage) as counter:
        assert storage.save("same.txt", ContentFile(b"short")) == "same.txt"
    assert counter.operations == ["PutObject"]


def test_read_is_one_get(s3_storage):
    name = s3_storage.save("file.txt", ContentFile(b"x"))
    with counting(s3_storage) as counter:
        with s3_storage.open(name) as f:
            assert f.read() == b"x"
    assert counter.operations == ["GetObject"]


@pytest.mark.parametrize("saved", [True, False], ids=["file", "missing"])
def test_delete_is_one_request(s3_storage, saved):
    if saved:
        s3_storage.save("file.txt", ContentFile(b"x"))
    with counting(s3_storage) as counter:
        s3_storage.delete("file.txt")
    assert counter.total == 1
    assert not s3_storage.exists("file.txt")


def test_a_subclass_choosing_names_is_asked_before_saving(s3_djfs, namespace):
    class Prefixing(PyFSStorage):
        def get_available_name(self, name, max_length=None):
            return super().get_available_name(f"p-{name}", max_length)

    assert Prefixing(namespace=namespace).save("a.txt", b"x") == "p-a.txt"
