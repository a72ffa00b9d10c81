"""S3NamespaceFS on its own: a file copied or moved onto itself."""

from __future__ import annotations

import pytest

from tests.same_file_contract import SameFileContract


class TestS3NamespaceFS(SameFileContract):
    @pytest.fixture
    def filesystem(self, s3fs):
        return s3fs
