"""Test settings selecting PyFSStorage through ``DEFAULT_FILE_STORAGE``.

Django 4.2 is the last release that reads ``DEFAULT_FILE_STORAGE``; it may
not be set together with ``STORAGES``.
"""

from tests.settings import *  # noqa: F403

del STORAGES  # noqa: F821
DEFAULT_FILE_STORAGE = "djpyfs.storage.PyFSStorage"
