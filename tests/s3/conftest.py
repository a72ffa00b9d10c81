"""Fixtures for the S3 namespace tests: configurations and filesystems on moto."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from djpyfs.conf import S3Config
from djpyfs.s3.client import get_client
from djpyfs.s3.filesystem import S3NamespaceFS

#: Namespace roots tested: below a prefix, and the bucket's root.
ROOTS = ["pyfs/ns", ""]


@pytest.fixture
def s3_config(moto_endpoint: str, s3_bucket: str) -> S3Config:
    """An S3 configuration for a new, empty bucket on moto."""
    return S3Config(
        type="s3fs",
        bucket=s3_bucket,
        endpoint_url=moto_endpoint,
        region="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def shared_client(s3_config: S3Config):
    """The client every request of the filesystems below goes through."""
    return get_client(s3_config)


@pytest.fixture
def make_s3fs(s3_config: S3Config) -> Callable[..., S3NamespaceFS]:
    """Open an ``S3NamespaceFS`` at a root of the test bucket (or another)."""

    def make(root: str = "pyfs/ns", **changes: object) -> S3NamespaceFS:
        return S3NamespaceFS(dataclasses.replace(s3_config, **changes), root)

    return make


@pytest.fixture(params=ROOTS, ids=["prefixed", "bucket-root"])
def s3fs(request, make_s3fs) -> S3NamespaceFS:
    """A namespace filesystem, in turn below a prefix and at the bucket root."""
    return make_s3fs(request.param)


@pytest.fixture(scope="session")
def s3_client(moto_endpoint: str):
    """A client of its own for preparing buckets (built once: that takes 0.1 s)."""
    import boto3

    return boto3.session.Session().client(
        "s3", endpoint_url=moto_endpoint, region_name="us-east-1"
    )
