"""get_filesystem() on every back-end: a file copied or moved onto itself."""

from __future__ import annotations

import pytest

import djpyfs
from tests.same_file_contract import SameFileContract


@pytest.mark.django_db
class TestNamespaceFS(SameFileContract):
    @pytest.fixture
    def filesystem(self, djfs, namespace):
        return djpyfs.get_filesystem(namespace)
