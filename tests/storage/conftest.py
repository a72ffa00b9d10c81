"""Fixtures for PyFSStorage's tests: a storage on each DJFS back-end."""

from __future__ import annotations

import pytest

from djpyfs.storage import PyFSStorage


@pytest.fixture
def storage(djfs, namespace) -> PyFSStorage:
    """A PyFSStorage on a fresh namespace of each back-end in turn."""
    return PyFSStorage(namespace=namespace)


@pytest.fixture
def overwriting_storage(djfs, namespace) -> PyFSStorage:
    """A PyFSStorage with ``allow_overwrite=True``, on each back-end in turn."""
    return PyFSStorage(namespace=namespace, allow_overwrite=True)


@pytest.fixture
def backend(djfs) -> str:
    """The name of the back-end under test (``osfs``, ``mem`` or ``s3fs``)."""
    return djfs["type"]
