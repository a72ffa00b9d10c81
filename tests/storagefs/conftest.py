"""Django storages to run StorageFS over, and StorageFS fixtures."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage
from storages.backends.s3 import S3Storage

from djpyfs.pyfs_from_storage import StorageFS
from djpyfs.storage import PyFSStorage

#: Every kind of storage StorageFS is checked over; a new kind is one entry
#: here and one branch in :func:`make_storage`.
#: "pyfs" is djpyfs's own PyFSStorage, on the test settings' DJFS (memory).
STORAGE_KINDS = ["filesystem", "memory", "s3", "pyfs"]


@functools.cache
def _service_model_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


class FastSessionS3Storage(S3Storage):
    """S3Storage whose boto3 sessions share one loader of service models.

    Each new session parses botocore's JSON models again (~0.2 s); with a new
    storage per test that would dominate the run.  Sessions stay one per
    thread, as S3Storage makes them.
    """

    def _create_session(self) -> boto3.Session:
        core = botocore.session.get_session()
        core.register_component("data_loader", _service_model_loader())
        return boto3.Session(
            botocore_session=core,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )


@pytest.fixture(scope="session")
def _shared_s3_client(moto_endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3", endpoint_url=moto_endpoint, region_name="us-east-1"
    )


@pytest.fixture
def s3_client(_shared_s3_client: Any) -> Any:
    """The suite's ``s3_client``, made once: a client per test costs ~0.3 s."""
    return _shared_s3_client


def make_storage(kind: str, request: pytest.FixtureRequest, **options: Any) -> Storage:
    """A new, empty storage of ``kind``, using the test's fixtures."""
    if kind == "filesystem":
        tmp_path = request.getfixturevalue("tmp_path")
        return FileSystemStorage(location=tmp_path / "media", base_url="/media/")
    if kind == "memory":
        return InMemoryStorage(base_url="/media/")
    if kind == "s3":
        return FastSessionS3Storage(
            bucket_name=request.getfixturevalue("s3_bucket"),
            endpoint_url=request.getfixturevalue("moto_endpoint"),
            region_name="us-east-1",
            access_key="testing",
            secret_key="testing",
            # A location checks that keys are mapped as the storage maps them.
            location="media",
            **options,
        )
    if kind == "pyfs":
        return PyFSStorage(namespace=request.getfixturevalue("namespace"), **options)
    raise ValueError(kind)


def storages_entry(kind: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """A ``settings.STORAGES`` entry for a new, empty storage of ``kind``."""
    if kind == "filesystem":
        location = str(request.getfixturevalue("tmp_path") / "media")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": "/media/"},
        }
    if kind == "memory":
        return {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    if kind == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": request.getfixturevalue("s3_bucket"),
                "endpoint_url": request.getfixturevalue("moto_endpoint"),
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
            },
        }
    if kind == "pyfs":
        return {
            "BACKEND": "djpyfs.storage.PyFSStorage",
            "OPTIONS": {"namespace": request.getfixturevalue("namespace")},
        }
    raise ValueError(kind)


@pytest.fixture
def storage_alias(storage_kind: str, request: pytest.FixtureRequest, settings) -> str:
    """The alias of a new ``STORAGES`` entry of each kind in turn."""
    settings.STORAGES = {
        **settings.STORAGES,
        "media": storages_entry(storage_kind, request),
    }
    return "media"


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
    filesystem = StorageFS(storage)
    yield filesystem
    filesystem.close()


@pytest.fixture
def s3_storage(request: pytest.FixtureRequest) -> Storage:
    """django-storages' S3Storage on a new bucket of the moto server."""
    return make_storage("s3", request)
