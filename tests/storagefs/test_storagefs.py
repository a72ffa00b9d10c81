"""StorageFS behaviour beyond pyfilesystem's conformance suite."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import FileSystemStorage, Storage, storages
from fs import errors
from fs.enums import ResourceType

from djpyfs.pyfs_from_storage import StorageFS

# ---------------------------------------------------------------- writing


def test_writing_an_existing_name_replaces_the_file_instead_of_renaming(storagefs):
    storagefs.writebytes("a.txt", b"first, longer content")
    storagefs.writebytes("a.txt", b"second")

    assert storagefs.listdir("/") == ["a.txt"]
    assert storagefs.readbytes("a.txt") == b"second"


def test_storage_save_would_have_renamed(tmp_path):
    # The premise of the test above: Storage.save() renames on collision.
    storage = FileSystemStorage(location=tmp_path)
    storage.save("a.txt", io.BytesIO(b"1"))
    assert storage.save("a.txt", io.BytesIO(b"2")) != "a.txt"


def test_writes_reach_the_storage_when_the_file_is_closed(storagefs, storage):
    with storagefs.openbin("late.bin", "w") as f:
        f.write(b"data")
        assert not storage.exists("late.bin")
    assert storage.open("late.bin").read() == b"data"


def test_files_written_by_the_storage_are_read_by_storagefs(storagefs, storage):
    storage.save("dir/by-django.txt", io.BytesIO(b"hello"))

    assert storagefs.listdir("dir") == ["by-django.txt"]
    assert storagefs.readbytes("dir/by-django.txt") == b"hello"


# ---------------------------------------------------------------- directories


def test_empty_directory_survives_a_new_storagefs(storage):
    StorageFS(storage).makedirs("empty/inner")

    fresh = StorageFS(storage)
    assert fresh.isdir("empty/inner")
    assert fresh.listdir("empty") == ["inner"]
    assert fresh.listdir("empty/inner") == []


def test_the_storage_itself_sees_an_empty_directory_as_a_directory(storagefs, storage):
    storagefs.makedir("empty")

    assert storage.listdir("") == (["empty"], [])


def test_removed_directory_is_gone_for_the_storage_too(storagefs, storage):
    storagefs.makedir("empty")
    storagefs.removedir("empty")

    assert storage.listdir("") == ([], [])
    assert not storagefs.exists("empty")


# ---------------------------------------------------------------- info


def test_getinfo_fills_details(storagefs):
    before = datetime.now(UTC) - timedelta(seconds=5)
    storagefs.writebytes("dir/../f.bin", b"12345")
    storagefs.makedir("dir")

    info = storagefs.getinfo("f.bin", namespaces=["details"])
    assert info.size == 5
    assert info.type == ResourceType.file
    assert before <= info.modified <= datetime.now(UTC) + timedelta(seconds=5)
    assert (
        storagefs.getinfo("dir", namespaces=["details"]).type == ResourceType.directory
    )


def test_scandir_details_match_getinfo(storagefs):
    storagefs.writebytes("a", b"abc")

    (info,) = storagefs.scandir("/", namespaces=["details"])
    assert info.size == 3
    assert info.modified is not None


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("mode", ["r", "w"])
def test_opening_a_directory_as_a_file_raises_file_expected(storagefs, mode):
    storagefs.makedir("d")
    with pytest.raises(errors.FileExpected):
        storagefs.openbin("d", mode)


def test_reading_a_missing_file_raises_resource_not_found(storagefs):
    with pytest.raises(errors.ResourceNotFound):
        storagefs.readbytes("missing")


def test_a_missing_bucket_raises_a_pyfilesystem_error(request):
    from djpyfs.s3.errors import BucketNotFound
    from tests.storagefs.conftest import FastSessionS3Storage

    storage = FastSessionS3Storage(
        bucket_name="no-such-bucket-here",
        endpoint_url=request.getfixturevalue("moto_endpoint"),
        access_key="testing",
        secret_key="testing",
        region_name="us-east-1",
    )
    # Not ResourceNotFound: a misconfigured bucket is no empty directory.
    with pytest.raises(BucketNotFound, match="no-such-bucket-here"):
        StorageFS(storage).listdir("/")


def test_a_name_with_a_backslash_is_refused_and_touches_no_other_file(storagefs):
    # Storages read a backslash as "/": x\..\victim.txt would be victim.txt.
    storagefs.writebytes("victim.txt", b"keep me")

    with pytest.raises(errors.InvalidCharsInPath):
        storagefs.writebytes("x\\..\\victim.txt", b"overwritten")

    assert storagefs.readbytes("victim.txt") == b"keep me"
    assert storagefs.listdir("/") == ["victim.txt"]


class LowercasingStorage(FileSystemStorage):
    """A storage that changes the name it is given, as some custom ones do."""

    def _save(self, name, content):
        return super()._save(name.lower(), content)


def test_a_storage_that_renames_files_raises_and_deletes_nothing(tmp_path):
    storage = LowercasingStorage(location=tmp_path)
    storage.save("report.txt", io.BytesIO(b"someone else's"))
    filesystem = StorageFS(storage)

    with pytest.raises(errors.InvalidPath, match="rewrites this name"):
        filesystem.writebytes("REPORT.txt", b"mine")

    assert storage.open("report.txt").read() == b"someone else's"


def test_storagefs_of_something_else_than_a_storage_is_a_type_error():
    with pytest.raises(TypeError, match="not int"):
        StorageFS(5)


# ---------------------------------------------------------------- URLs


def test_get_url_is_the_storages_url(storagefs, storage):
    storagefs.writebytes("a b.txt", b"x")

    assert storagefs.get_url("a b.txt") == storage.url("a b.txt")
    assert storagefs.geturl("a b.txt") == storage.url("a b.txt")


def test_get_url_passes_the_timeout_to_s3(s3_storage):
    url = StorageFS(s3_storage).get_url("a.txt", timeout=60)

    # The storage's client signs with SigV2 here: an absolute Expires.
    (expires,) = parse_qs(urlsplit(url).query)["Expires"]
    assert abs(int(expires) - (time.time() + 60)) < 10


def test_get_url_rounds_a_fractional_timeout_up(s3_storage):
    # int() would make 0.5 "no timeout": the storage's default of an hour.
    url = StorageFS(s3_storage).get_url("a.txt", timeout=0.5)

    (expires,) = parse_qs(urlsplit(url).query)["Expires"]
    assert abs(int(expires) - (time.time() + 1)) < 10


def test_get_url_clamps_an_s3_timeout_to_seven_days_with_a_warning(s3_storage, caplog):
    url = StorageFS(s3_storage).get_url("a.txt", timeout=30 * 24 * 3600)

    (expires,) = parse_qs(urlsplit(url).query)["Expires"]
    assert abs(int(expires) - (time.time() + 7 * 24 * 3600)) < 10
    assert "at most 604800 seconds" in caplog.text


def test_get_url_refuses_a_negative_timeout(storagefs):
    storagefs.writebytes("a.txt", b"x")

    with pytest.raises(ValueError, match="positive"):
        storagefs.get_url("a.txt", timeout=-1)


def test_a_storage_without_urls_raises_no_url(tmp_path, settings):
    settings.MEDIA_URL = None
    filesystem = StorageFS(FileSystemStorage(location=tmp_path))

    with pytest.raises(errors.NoURL, match="base_url"):
        filesystem.get_url("a.txt")
    assert not filesystem.hasurl("a.txt")


def test_a_storage_alias_without_urls_gets_a_url_of_djpyfs_view(
    tmp_path, settings, client
):
    settings.MEDIA_URL = None
    settings.STORAGES = {
        **settings.STORAGES,
        "no_urls": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    filesystem = StorageFS("no_urls")
    filesystem.writebytes("a b.txt", b"served by the view")

    url = filesystem.get_url("a b.txt", timeout=60)
    response = client.get(url)

    assert url.startswith("/djpyfs/")
    assert filesystem.hasurl("a b.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"served by the view"


def test_a_storage_alias_without_urls_nor_djpyfs_urls_raises_no_url(tmp_path, settings):
    settings.MEDIA_URL = None
    settings.ROOT_URLCONF = "tests.serving.urls_without_djpyfs"
    settings.STORAGES = {
        **settings.STORAGES,
        "no_urls": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }

    with pytest.raises(errors.NoURL, match=r"djpyfs\.urls is not included"):
        StorageFS("no_urls").get_url("a.txt")


def test_error_messages_keep_braces_of_file_names(tmp_path, settings):
    # pyfilesystem formats an error's message with the error's attributes.
    settings.MEDIA_URL = None
    filesystem = StorageFS(FileSystemStorage(location=tmp_path))

    with pytest.raises(errors.NoURL) as raised:
        filesystem.get_url("{year}.txt")

    assert "no URL for '{year}.txt'" in str(raised.value)


# ---------------------------------------------------------------- expiry


@pytest.mark.django_db
def test_expired_file_is_removed_by_a_sweep_in_a_fresh_storagefs(storage_alias):
    from django.core.management import call_command

    StorageFS(storage_alias).writebytes("old.txt", b"x")
    StorageFS(storage_alias).writebytes("new.txt", b"x")
    StorageFS(storage_alias).expire("old.txt", seconds=-1)
    StorageFS(storage_alias).expire("new.txt", days=1)

    call_command("djpyfs_expire", stdout=io.StringIO())

    assert StorageFS(storage_alias).listdir("/") == ["new.txt"]


@pytest.mark.django_db
def test_storage_given_as_the_configured_instance_can_expire(storage_alias):
    from djpyfs.models import FSExpirations

    StorageFS(storages[storage_alias]).expire("f.txt", days=1)

    assert FSExpirations.objects.filter(module="/storages/media", filename="f.txt")


def test_storage_outside_storages_cannot_expire(storage: Storage):
    with pytest.raises(errors.Unsupported, match=r"StorageFS\('<alias>'\)"):
        StorageFS(storage).expire("f.txt", days=1)


@pytest.mark.parametrize("root", ["", "/", "."])
def test_the_root_has_no_url(storagefs, root):
    with pytest.raises(errors.NoURL, match="root directory has no URL"):
        storagefs.get_url(root)


def test_an_entry_of_storages_that_cannot_be_built_is_not_in_the_way(
    storage: Storage, settings
):
    # staticfiles' storage cannot be built without STATIC_URL.
    settings.STATIC_URL = None
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }

    with pytest.raises(errors.Unsupported, match=r"StorageFS\('<alias>'\)"):
        StorageFS(storage).expire("f.txt", days=1)


def test_remove_files_reports_no_failure_for_missing_files(storagefs):
    storagefs.writebytes("a", b"x")

    assert storagefs.remove_files(["a", "never-there"]) == {}
    assert not storagefs.exists("a")
