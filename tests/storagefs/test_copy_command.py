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


def test_a_bare_storages_alias_is_that_storage(source, storage_alias):
    url, _ = source

    _copy(url, storage_alias)

    assert StorageFS(storage_alias).readbytes("ünï.txt") == b"u" * 10


@pytest.mark.parametrize("spec", ["nosuchalias", "storage:", "ftp:x"])
def test_an_unknown_location_syntax_is_refused(spec):
    with pytest.raises(CommandError, match="storage:<alias>"):
        _copy(spec, "mem://")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["storage:no-such-alias", "mem://"],
            "Cannot open SRC 'storage:no-such-alias'",
        ),
        (["mem://", "nosuchscheme://x"], "Cannot open DST 'nosuchscheme://x'"),
        (["mem://", "djfs:../escape"], "Cannot open DST 'djfs:../escape'"),
    ],
)
def test_a_side_that_cannot_be_opened_is_named(args, message):
    with pytest.raises(CommandError, match=message):
        _copy(*args)


def test_a_file_given_as_a_side_is_refused(tmp_path):
    (tmp_path / "f.txt").write_bytes(b"x")

    with pytest.raises(CommandError, match="is a file, not a directory"):
        _copy(f"osfs://{tmp_path / 'f.txt'}", "mem://")


def test_copying_a_directory_into_itself_is_refused(source):
    url, osfs = source

    with pytest.raises(CommandError, match="inside it"):
        _copy(url, f"{url}/photos")
    with pytest.raises(CommandError, match="inside it"):
        _copy(url, url)
    assert sorted(osfs.walk.files()) == ["/photos/2024/a b.jpg", "/ünï.txt"]


def test_a_dry_run_into_a_missing_fs_url_creates_nothing(source, tmp_path):
    url, _ = source
    target = tmp_path / "new"

    out, _ = _copy(url, f"osfs://{target}", "--dry-run")

    assert "2 files (110 B) to copy, 0 skipped" in out
    assert not target.exists()


def test_a_dry_run_into_a_missing_djfs_namespace_creates_nothing(
    source, settings, tmp_path
):
    url, _ = source
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "djfs")}

    out, _ = _copy(url, "djfs:dryrun/target", "--dry-run")

    assert "2 files (110 B) to copy, 0 skipped" in out
    assert not (tmp_path / "djfs").exists()


def test_a_real_copy_into_a_missing_fs_url_creates_it(source, tmp_path):
    url, _ = source
    target = tmp_path / "new" / "media"

    out, _ = _copy(url, f"osfs://{target}")

    assert "Copied 2 files, skipped 0, failed 0." in out
    assert (target / "photos" / "2024" / "a b.jpg").read_bytes() == b"a" * 100
    assert (target / "empty").is_dir()


def test_a_refused_copy_into_a_new_subdirectory_of_an_fs_url_leaves_it_unchanged(
    source,
):
    url, osfs = source
    before = sorted(osfs.walk.dirs())

    with pytest.raises(CommandError, match="inside it"):
        _copy(url, f"{url}/inside")

    assert sorted(osfs.walk.dirs()) == before


def test_a_refused_copy_into_a_new_subdirectory_of_a_namespace_leaves_it_unchanged(
    settings, tmp_path
):
    from djpyfs.filesystem import get_filesystem

    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "djfs")}
    course = get_filesystem("course")
    course.writebytes("f.txt", b"data")

    with pytest.raises(CommandError, match="inside it"):
        _copy("djfs:course", "djfs:course/assets/inner")

    assert course.listdir("/") == ["f.txt"]


@pytest.mark.parametrize("storage_kind", ["filesystem"])
def test_a_refused_copy_of_a_local_storage_into_its_own_directory_creates_nothing(
    storage_alias, tmp_path
):
    StorageFS(storage_alias).writebytes("f.txt", b"data")
    inside = tmp_path / "media" / "viaurl"

    with pytest.raises(CommandError, match="inside it"):
        _copy(f"storage:{storage_alias}", f"osfs://{inside}")

    assert not inside.exists()


def test_a_djfs_source_not_made_yet_is_empty_and_stays_unmade(settings, tmp_path):
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "djfs")}

    out, _ = _copy("djfs:never/written", "mem://")

    assert "Copied 0 files, skipped 0, failed 0." in out
    assert not (tmp_path / "djfs").exists()


def test_copying_a_storage_onto_itself_is_refused(storage_alias):
    with pytest.raises(CommandError, match="inside it"):
        _copy(f"storage:{storage_alias}", f"storage:{storage_alias}")


def test_a_file_the_destination_refuses_is_reported_and_the_rest_copied(
    source, storage_alias
):
    url, osfs = source
    # A backslash is a plain character on Linux disks; storages refuse it.
    osfs.writebytes("x\\..\\ünï.txt", b"not this one")

    with pytest.raises(CommandError, match="1 files and 0 directories"):
        _copy(url, f"storage:{storage_alias}")

    target = StorageFS(storage_alias)
    assert target.readbytes("ünï.txt") == b"u" * 10
    assert target.readbytes("photos/2024/a b.jpg") == b"a" * 100


def test_a_link_inside_the_source_to_the_destination_is_not_followed(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "dst").mkdir()
    (tmp_path / "src" / "a.txt").write_bytes(b"a")
    (tmp_path / "src" / "to-dst").symlink_to(tmp_path / "dst")
    src, dst = f"osfs://{tmp_path / 'src'}", f"osfs://{tmp_path / 'dst'}"

    _copy(src, dst)
    out, err = _copy(src, dst)

    assert "Not followed: /to-dst is a symbolic link to a directory." in err
    assert "Copied 0 files, skipped 1, failed 0." in out
    assert sorted(p.name for p in (tmp_path / "dst").iterdir()) == ["a.txt"]


def test_a_link_loop_inside_the_source_does_not_stop_the_copy(tmp_path):
    (tmp_path / "src" / "sub").mkdir(parents=True)
    (tmp_path / "src" / "sub" / "a.txt").write_bytes(b"a")
    (tmp_path / "src" / "sub" / "loop").symlink_to(tmp_path / "src")

    out, _ = _copy(f"osfs://{tmp_path / 'src'}", f"osfs://{tmp_path / 'dst'}")

    assert "Copied 1 files, skipped 0, failed 0." in out
    assert (tmp_path / "dst" / "sub" / "a.txt").read_bytes() == b"a"
    assert not (tmp_path / "dst" / "sub" / "loop").exists()
