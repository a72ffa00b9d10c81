"""StorageFS over django-storages' S3Storage: copying trees and request counts."""

from __future__ import annotations

import fs.copy
import pytest
from fs.osfs import OSFS

from djpyfs.pyfs_from_storage import StorageFS
from tests.support import RequestCounter

TREE = {
    "plain.txt": b"plain",
    "with space/a file.txt": b"spaces " * 100,
    "ünïcödé/日本語 ファイル.bin": bytes(range(256)) * 40,
    "ünïcödé/deeper/emoji 🎉.txt": "🎉".encode() * 3,
    "empty dir/": None,
}


def _write_tree(root: OSFS) -> None:
    for path, data in TREE.items():
        if data is None:
            root.makedirs(path)
        else:
            root.makedirs(fs.path.dirname(path), recreate=True)
            root.writebytes(path, data)


def test_tree_with_unicode_and_spaces_copies_to_s3_and_back(tmp_path, s3_storage):
    (tmp_path / "src").mkdir()
    (tmp_path / "back").mkdir()
    source, back = OSFS(str(tmp_path / "src")), OSFS(str(tmp_path / "back"))
    _write_tree(source)

    fs.copy.copy_fs(source, StorageFS(s3_storage))
    fs.copy.copy_fs(StorageFS(s3_storage), back)

    assert sorted(back.walk.files()) == sorted(source.walk.files())
    assert sorted(back.walk.dirs()) == sorted(source.walk.dirs())
    for path in source.walk.files():
        assert back.readbytes(path) == source.readbytes(path)


@pytest.fixture
def s3fs_with_tree(s3_storage):
    filesystem = StorageFS(s3_storage)
    for top in range(3):
        for sub in range(3):
            filesystem.makedirs(f"d{top}/s{sub}")
            for n in range(4):
                filesystem.writebytes(f"d{top}/s{sub}/f{n}", b"x" * n)
    return filesystem


def test_walk_lists_the_whole_tree_in_one_request(s3fs_with_tree, s3_storage):
    with RequestCounter(s3_storage.connection.meta.client) as counter:
        files = list(s3fs_with_tree.walk.files())

    assert len(files) == 36
    assert counter.total == 1


def test_walk_info_carries_sizes_without_extra_requests(s3fs_with_tree, s3_storage):
    with RequestCounter(s3_storage.connection.meta.client) as counter:
        sizes = {
            path: info.size
            for path, info in s3fs_with_tree.walk.info(namespaces=["details"])
            if info.is_file
        }

    assert sizes["/d2/s1/f3"] == 3
    assert counter.total == 1


def test_reading_a_file_streams_it_in_one_get(s3_storage):
    filesystem = StorageFS(s3_storage)
    filesystem.writebytes("f.bin", b"0123456789" * 1000)

    with RequestCounter(s3_storage.connection.meta.client) as counter:
        with filesystem.openbin("f.bin") as f:
            chunks = iter(lambda: f.read(1000), b"")
            assert b"".join(chunks) == b"0123456789" * 1000

    assert counter.total == 2  # HEAD for the size, one streaming GET


def test_removetree_deletes_in_bulk(s3fs_with_tree, s3_storage):
    with RequestCounter(s3_storage.connection.meta.client) as counter:
        s3fs_with_tree.removetree("/")

    assert counter.total == 2  # one listing, one DeleteObjects
    assert s3fs_with_tree.listdir("/") == []
