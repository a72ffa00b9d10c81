"""StorageFS passes pyfilesystem2's conformance suite over every storage kind."""

from __future__ import annotations

import unittest

import pytest
from fs.test import FSTestCases

from djpyfs.pyfs_from_storage import StorageFS
from tests.fs_conformance import FSConformance
from tests.storagefs.conftest import STORAGE_KINDS, make_storage


class StorageFSConformance(FSConformance, FSTestCases, unittest.TestCase):
    """``fs.test.FSTestCases`` over a new storage of ``kind`` per test."""

    kind: str
    __test__ = False  # only the per-kind subclasses below are collected

    @pytest.fixture(autouse=True)
    def _new_storage(self, request: pytest.FixtureRequest) -> None:
        self.storage = make_storage(self.kind, request)

    def make_fs(self) -> StorageFS:
        return StorageFS(self.storage)


# unittest classes cannot take parametrised fixtures: one class per kind.
for _kind in STORAGE_KINDS:
    _name = f"TestConformance_{_kind}"
    globals()[_name] = type(
        _name, (StorageFSConformance,), {"kind": _kind, "__test__": True}
    )
