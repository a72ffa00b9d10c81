"""StorageFS over each storage: a file copied or moved onto itself."""

from __future__ import annotations

import pytest

from tests.same_file_contract import SameFileContract


class TestStorageFS(SameFileContract):
    @pytest.fixture
    def filesystem(self, storagefs):
        return storagefs
