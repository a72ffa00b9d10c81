"""Django storages to run StorageFS over, and StorageFS fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage

from djpyfs.pyfs_from_storage import StorageFS

#: Every kind of storage StorageFS is checked over; a new kind is one entry
#: here and one branch in :func:`make_storage`.
STORAGE_KINDS = ["filesystem", "memory", "s3"]


def make_storage(kind: str, request: pytest.FixtureRequest) -> Storage:
    """A new, empty storage of ``kind``, using the test's fixtures."""
    if kind == "filesystem":
        tmp_path = request.getfixturevalue("tmp_path")
        return FileSystemStorage(location=tmp_path / "media", base_url="/media/")
    if kind == "memory":
        return InMemoryStorage(base_url="/media/")
    if kind == "s3":
        from storages.backends.s3 import S3Storage

        return S3Storage(
            bucket_name=request.getfixturevalue("s3_bucket"),
            endpoint_url=request.getfixturevalue("moto_endpoint"),
            region_name="us-east-1",
            access_key="testing",
            secret_key="testing",
            # A location checks that keys are mapped as the storage maps them.
            location="media",
        )
    raise ValueError(kind)


@pytest.fixture(params=STORAGE_KINDS)
def storage_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def storage(storage_kind: str, request: pytest.FixtureRequest) -> Storage:
    """Each kind of storage in turn, new and empty."""
    return make_storage(storage_kind, request)


@pytest.fixture
def storagefs(storage: Storage) -> Iterator[StorageFS]:
    """A StorageFS over each kind of storage in turn."""
    with StorageFS(storage) as filesystem:
        yield filesystem


@pytest.fixture
def s3_storage(request: pytest.FixtureRequest) -> Storage:
    """django-storages' S3Storage on a new bucket of the moto server."""
    return make_storage("s3", request)
