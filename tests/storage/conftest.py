"""Fixtures for PyFSStorage's tests: a storage on each DJFS back-end."""

from __future__ import annotations

import django
import pytest
from django.core.files.storage import storages

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


def set_default_storage(settings, **options) -> None:
    """Make ``STORAGES['default']`` a PyFSStorage with ``options``.

    Django 4.2's ``override_settings(STORAGES=...)`` also sets the deprecated
    ``DEFAULT_FILE_STORAGE``, after which its storage handler drops the
    ``OPTIONS``; a settings module does not trip over this.  There the
    handler is given the settings as a settings module would give them.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "djpyfs.storage.PyFSStorage", "OPTIONS": options},
    }
    if django.VERSION < (5, 1):
        storages._backends = dict(settings.STORAGES)


@pytest.fixture
def default_pyfs(djfs, settings, namespace) -> str:
    """STORAGES['default'] is PyFSStorage on each back-end in turn.

    Returns the namespace of the default storage.
    """
    set_default_storage(settings, namespace=namespace)
    return namespace
