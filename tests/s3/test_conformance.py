"""pyfilesystem's own test suite, ``fs.test.FSTestCases``, on S3 namespaces.

Run against moto's S3 server for a namespace below a prefix (next to sibling
prefixes it must not see) and for one at the bucket's root.
"""

from __future__ import annotations

import unittest

import pytest
from fs.test import FSTestCases

from djpyfs.s3.filesystem import S3NamespaceFS
from tests.fs_conformance import FSConformance

#: Keys next to the prefixed namespace "pyfs/ns": none of them is inside it.
NEIGHBOURS = ["pyfs/ns.txt", "pyfs/ns-old/file", "pyfs/nsx/file", "pyfs/other/ns"]


class S3Conformance(FSConformance, FSTestCases):
    root = ""

    @pytest.fixture(autouse=True)
    def _bucket(self, s3_config, s3_client):
        self.config = s3_config
        if self.root:
            for key in NEIGHBOURS:
                s3_client.put_object(Bucket=s3_config.bucket, Key=key, Body=b"x")

    def make_fs(self) -> S3NamespaceFS:
        return S3NamespaceFS(self.config, self.root)


class TestPrefixedNamespace(S3Conformance, unittest.TestCase):
    root = "pyfs/ns"


class TestBucketRootNamespace(S3Conformance, unittest.TestCase):
    root = ""
