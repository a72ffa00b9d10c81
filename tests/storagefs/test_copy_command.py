"""``manage.py djpyfs_copy SRC DST`` between storages, namespaces and FS URLs."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from djpyfs.pyfs_from_storage import StorageFS


def _copy(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("djpyfs_copy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def source(tmp_path):
    from fs.osfs import OSFS

    root = tmp_path / "old-media"
    root.mkdir()
    osfs = OSFS(str(root))
    osfs.makedirs("photos/2024")
    osfs.writebytes("photos/2024/a b.jpg", b"a" * 100)
    osfs.writebytes("ünï.txt", b"u" * 10)
    osfs.makedir("empty")
    return f"osfs://{root}", osfs


def test_copies_an_fs_url_into_a_storage(source, storage_alias):
    url, _ = source

    out, _ = _copy(url, f"storage:{storage_alias}")

    target = StorageFS(storage_alias)
    assert target.readbytes("photos/2024/a b.jpg") == b"a" * 100
    assert target.readbytes("ünï.txt") == b"u" * 10
    assert target.isdir("empty")
    assert "Copied 2 files, skipped 0, failed 0." in out


def test_second_run_skips_files_of_the_same_size(source, storage_alias):
    url, osfs = source
    _copy(url, f"storage:{storage_alias}")
    osfs.writebytes("ünï.txt", b"changed, longer")

    out, _ = _copy(url, f"storage:{storage_alias}")

    assert "Copied 1 files, skipped 1, failed 0." in out
    assert StorageFS(storage_alias).readbytes("ünï.txt") == b"changed, longer"


def test_dry_run_copies_nothing(source, storage_alias):
    url, _ = source

    out, _ = _copy(url, f"storage:{storage_alias}", "--dry-run")

    assert "would copy /photos/2024/a b.jpg" in out
    assert "2 files (110 B) to copy, 0 skipped" in out
    assert StorageFS(storage_alias).listdir("/") == []


def test_progress_bar_shows_files_and_bytes(source, storage_alias):
    url, _ = source

    _, err = _copy(url, f"storage:{storage_alias}", "--progress")

    assert "2/2 files, 110 B/110 B" in err


def test_no_progress_bar_when_stderr_is_not_a_terminal(source, storage_alias):
    url, _ = source

    _, err = _copy(url, f"storage:{storage_alias}")

    assert err == ""


def test_copies_a_storage_into_a_djfs_namespace(storage_alias, settings, tmp_path):
    from djpyfs.filesystem import get_filesystem

    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "djfs")}
    StorageFS(storage_alias).writebytes("f.txt", b"data")

    _copy(f"storage:{storage_alias}", "djfs:course/assets")

    assert get_filesystem("course/assets").readbytes("f.txt") == b"data"


@pytest.mark.parametrize("spec", ["default", "storage:", "ftp:x"])
def test_an_unknown_location_syntax_is_refused(spec):
    with pytest.raises(CommandError, match="storage:<alias>"):
        _copy(spec, "mem://")
