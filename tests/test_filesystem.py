"""get_filesystem(): namespaced filesystems on every back-end, and their URLs."""

import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from fs.base import FS
from fs.errors import CreateFailed, ResourceReadOnly
from fs.zipfs import ReadZipFS, WriteZipFS

import djpyfs
from djpyfs import djpyfs as compat
from djpyfs.backends import get_backend
from djpyfs.conf import get_config
from djpyfs.filesystem import NamespaceFS

AWKWARD_NAMES = [
    "plain.txt",
    "with space.txt",
    "hash#tag.txt",
    "question?.txt",
    "percent%20.txt",
    "plus+sign.txt",
    "ünïcødé-名前.txt",
    "sub dir/nested #1.txt",
    "braces {x}.txt",
    "back\\slash.txt",
]


class TestTheFilesystem:
    def test_is_a_real_fs_whose_class_defines_get_url_and_expire(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        assert isinstance(fs, FS)
        assert isinstance(fs, NamespaceFS)
        # Methods of the class, not functions patched onto the instance.
        assert "get_url" not in vars(fs)
        assert "expire" not in vars(fs)

    def test_files_round_trip(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        fs.makedirs("a/b", recreate=True)
        fs.writebytes("a/b/data.bin", b"\x00\x01payload")
        again = djpyfs.get_filesystem(namespace)
        assert again.readbytes("a/b/data.bin") == b"\x00\x01payload"
        assert again.listdir("a/b") == ["data.bin"]

    def test_namespaces_do_not_see_each_other(self, djfs, namespace):
        djpyfs.get_filesystem(f"{namespace}/one").writetext("f.txt", "one")
        other = djpyfs.get_filesystem(f"{namespace}/two")
        assert not other.exists("f.txt")

    def test_a_new_namespace_is_empty_and_usable(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        assert fs.listdir("/") == []

    def test_compat_import_path_of_openedx_django_pyfs(self, djfs, namespace):
        fs = compat.get_filesystem(namespace)
        fs.writetext("x.txt", "x")
        assert djpyfs.get_filesystem(namespace).readtext("x.txt") == "x"
        assert compat.expire_objects is djpyfs.expire_objects

    @pytest.mark.parametrize("bad", ["", "/abs", "../up", "a/../../b", "a\\b", "a\0b"])
    def test_bad_namespace_is_refused_and_touches_nothing(self, djfs, bad, tmp_path):
        with pytest.raises(SuspiciousFileOperation):
            djpyfs.get_filesystem(bad)
        if djfs["type"] == "osfs":
            assert not (tmp_path / "djfs").exists()


def test_a_directory_root_the_kernel_refuses_names_directory_root(settings):
    # /proc refuses new directories even to root, whom access() lets through.
    settings.DJFS = {"type": "osfs", "directory_root": "/proc/djpyfs-test"}
    with pytest.raises(ImproperlyConfigured, match=r"DJFS\['directory_root'\]"):
        djpyfs.get_filesystem("ns")


def test_a_namespace_the_disk_cannot_hold_is_a_create_error(settings, tmp_path):
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    with pytest.raises(CreateFailed, match="cannot create namespace"):
        djpyfs.get_filesystem("x" * 300)


class TestLayoutMatchesThePredecessor:
    """Existing files must be found where openedx-django-pyfs put them."""

    def test_osfs_files_are_under_directory_root_slash_namespace(
        self, settings, tmp_path
    ):
        settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
        namespace = "animationxblock..animation..d0..u0/settings__fs/NONE.NONE"
        (tmp_path / namespace).mkdir(parents=True)
        (tmp_path / namespace / "old.png").write_bytes(b"written before")
        fs = djpyfs.get_filesystem(namespace)
        assert fs.readbytes("old.png") == b"written before"
        fs.writebytes("new.png", b"new")
        assert (tmp_path / namespace / "new.png").read_bytes() == b"new"

    @pytest.mark.parametrize("prefix", ["/pyfs/", "pyfs"])
    def test_s3_keys_are_prefix_slash_namespace_slash_file(
        self, settings, moto_endpoint, s3_bucket, s3_client, prefix
    ):
        settings.DJFS = {
            "type": "s3fs",
            "bucket": s3_bucket,
            "prefix": prefix,
            "endpoint_url": moto_endpoint,
        }
        s3_client.put_object(Bucket=s3_bucket, Key="pyfs/ns/sub/old.txt", Body=b"old")
        fs = djpyfs.get_filesystem("ns/sub")
        assert fs.readbytes("old.txt") == b"old"
        fs.writebytes("new.txt", b"new")
        body = s3_client.get_object(Bucket=s3_bucket, Key="pyfs/ns/sub/new.txt")["Body"]
        assert body.read() == b"new"


class TestMemory:
    def test_same_namespace_returns_the_same_files_for_the_process(
        self, settings, namespace
    ):
        settings.DJFS = {"type": "mem"}
        djpyfs.get_filesystem(namespace).writetext("kept.txt", "still here")
        settings.DJFS = {"type": "osfs", "directory_root": "/tmp"}
        settings.DJFS = {"type": "mem"}
        assert djpyfs.get_filesystem(namespace).readtext("kept.txt") == "still here"


class TestFSURL:
    def test_temp_url_keeps_one_root_for_the_process(self, settings, namespace):
        settings.DJFS = {"type": "fsurl", "fs_url": "temp://djpyfs-test"}
        djpyfs.get_filesystem(namespace).writetext("t.txt", "temp")
        assert djpyfs.get_filesystem(namespace).readtext("t.txt") == "temp"

    def test_temp_directory_is_removed_at_exit_while_modules_exist(self):
        # An exit handler registered first runs last: by then djpyfs must have
        # closed the TempFS (left to __del__, it may fail at shutdown).
        script = (
            "import atexit, os, django; from django.conf import settings\n"
            "atexit.register(lambda: print('left:', os.path.exists(root)))\n"
            "settings.configure(DJFS={'type': 'fsurl', 'fs_url': 'temp://'},"
            " INSTALLED_APPS=['djpyfs'])\n"
            "django.setup(); import djpyfs\n"
            "fs = djpyfs.get_filesystem('ns'); fs.writetext('t.txt', 'temp')\n"
            "root = fs.getsyspath('/')\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert done.stdout.strip() == "left: False"

    def test_url_root_gives_permanent_urls(self, settings, namespace):
        settings.DJFS = {
            "type": "fsurl",
            "fs_url": "mem://",
            "url_root": "https://cdn.example/f",
        }
        url = djpyfs.get_filesystem(namespace).get_url("a b.txt")
        assert url == f"https://cdn.example/f/{namespace}/a%20b.txt"

    def test_existing_zip_archive_is_read_only_and_never_rewritten(
        self, settings, tmp_path
    ):
        archive = tmp_path / "files.zip"
        with WriteZipFS(str(archive)) as written:
            written.makedirs("ns")
            written.writebytes("ns/kept.txt", b"archived")
        before = archive.read_bytes()
        settings.DJFS = {"type": "fsurl", "fs_url": f"zip://{archive}"}

        fs = djpyfs.get_filesystem("ns")

        assert fs.readbytes("kept.txt") == b"archived"
        with pytest.raises(ResourceReadOnly):
            fs.writebytes("new.txt", b"lost at exit")
        get_backend(get_config()).root.close()
        assert archive.read_bytes() == before

    @pytest.mark.parametrize(
        "content", [b"important notes\n", b"", b"PK\x03\x04garbage"]
    )
    @pytest.mark.parametrize("scheme", ["zip", "tar"])
    def test_existing_file_that_is_no_archive_is_refused_and_kept(
        self, settings, tmp_path, scheme, content
    ):
        existing = tmp_path / f"notes.{scheme}"
        existing.write_bytes(content)
        settings.DJFS = {"type": "fsurl", "fs_url": f"{scheme}://{existing}"}

        with pytest.raises(ImproperlyConfigured, match="cannot open"):
            djpyfs.get_filesystem("ns")

        assert existing.read_bytes() == content

    def test_archive_in_a_missing_directory_is_refused(self, settings, tmp_path):
        archive = tmp_path / "missing" / "new.zip"
        settings.DJFS = {"type": "fsurl", "fs_url": f"zip://{archive}"}
        with pytest.raises(ImproperlyConfigured, match="not a directory"):
            djpyfs.get_filesystem("ns")

    def test_missing_zip_archive_is_written_at_close_and_read_back(
        self, settings, tmp_path
    ):
        archive = tmp_path / "new.zip"
        settings.DJFS = {"type": "fsurl", "fs_url": f"zip://{archive}"}
        djpyfs.get_filesystem("ns").writebytes("a.txt", b"first run")
        get_backend(get_config()).root.close()  # as at the process's exit

        with ReadZipFS(str(archive)) as reread:
            assert reread.readbytes("ns/a.txt") == b"first run"

    def test_unknown_scheme_is_improperly_configured(self, settings, namespace):
        settings.DJFS = {"type": "fsurl", "fs_url": "nosuchscheme://x"}
        with pytest.raises(ImproperlyConfigured, match="nosuchscheme"):
            djpyfs.get_filesystem(namespace)


@pytest.mark.django_db(transaction=True)
class TestURLsFetchTheFile:
    """get_url() output fetched over HTTP returns exactly the file's bytes."""

    @pytest.mark.parametrize("name", AWKWARD_NAMES)
    def test_awkward_names(self, djfs, namespace, fetch, name):
        fs = djpyfs.get_filesystem(namespace)
        fs.makedirs("sub dir", recreate=True)
        content = f"content of {name}".encode()
        fs.writebytes(name, content)
        response = fetch(fs.get_url(name))
        assert response.status_code == 200
        assert response.content == content

    @pytest.mark.parametrize("backend", ["osfs", "mem"])
    def test_newline_in_a_name(self, backend, settings, tmp_path, request, fetch):
        # Not on S3 here: moto's server answers 404 to a PUT of such a key.
        from tests.conftest import djfs_for

        settings.DJFS = djfs_for(backend, tmp_path, request)
        fs = djpyfs.get_filesystem("ns")
        fs.writebytes("new\nline.txt", b"two lines")
        assert fetch(fs.get_url("new\nline.txt")).content == b"two lines"

    def test_url_with_a_timeout(self, djfs, namespace, fetch):
        fs = djpyfs.get_filesystem(namespace)
        fs.writebytes("t.bin", b"timed")
        assert fetch(fs.get_url("t.bin", timeout=60)).content == b"timed"

    def test_leading_slash_names_the_same_file(self, djfs, namespace, fetch):
        fs = djpyfs.get_filesystem(namespace)
        fs.writebytes("a.png", b"png")
        assert fetch(fs.get_url("/a.png")).content == b"png"

    def test_signed_urls_setting_routes_every_backend_through_the_view(
        self, djfs, settings, namespace, fetch
    ):
        settings.DJFS = {**djfs, "signed_urls": True}
        fs = djpyfs.get_filesystem(namespace)
        fs.writebytes("s.txt", b"signed")
        url = fs.get_url("s.txt")
        assert url.startswith("/djpyfs/")
        assert fetch(url).content == b"signed"


class TestTimeouts:
    def test_fractions_are_rounded_up_never_down_to_no_expiry(
        self, settings, namespace
    ):
        settings.DJFS = {"type": "mem"}
        url = djpyfs.get_filesystem(namespace).get_url("a.txt", timeout=0.2)
        expires = int(parse_qs(urlsplit(url).query)["e"][0])
        assert 0 < expires - time.time() <= 1.5

    @pytest.mark.parametrize("timeout", [-1, -0.5, float("nan")])
    def test_negative_timeouts_are_refused(self, djfs, namespace, timeout):
        with pytest.raises(ValueError, match="positive"):
            djpyfs.get_filesystem(namespace).get_url("a.txt", timeout=timeout)

    @pytest.mark.parametrize("timeout", [float("inf"), 1e300, 10**400])
    def test_endless_timeouts_are_refused_pointing_at_zero(
        self, djfs, namespace, timeout
    ):
        with pytest.raises(ValueError, match="0 asks for no expiry"):
            djpyfs.get_filesystem(namespace).get_url("a.txt", timeout=timeout)

    @pytest.mark.parametrize("timeout", ["5", True, b"5"])
    def test_timeouts_that_are_not_numbers_are_refused(self, djfs, namespace, timeout):
        with pytest.raises(TypeError, match="number of seconds"):
            djpyfs.get_filesystem(namespace).get_url("a.txt", timeout=timeout)

    def test_s3_fractions_are_rounded_up(self, settings, moto_endpoint, s3_bucket):
        settings.DJFS = {
            "type": "s3fs",
            "bucket": s3_bucket,
            "endpoint_url": moto_endpoint,
        }
        url = djpyfs.get_filesystem("ns").get_url("a.txt", timeout=1.5)
        assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["2"]


@pytest.mark.parametrize("name", ["../escape.txt", "a/../../escape.txt"])
def test_get_url_refuses_names_outside_the_namespace(djfs, namespace, name):
    with pytest.raises(SuspiciousFileOperation):
        djpyfs.get_filesystem(namespace).get_url(name)


class TestOSFSURLs:
    def test_url_root_slash_namespace_slash_file_percent_encoded(
        self, settings, tmp_path
    ):
        settings.DJFS = {
            "type": "osfs",
            "directory_root": str(tmp_path),
            "url_root": "/static/djpyfs",
        }
        url = djpyfs.get_filesystem("ns/x").get_url("a b#?%+é.txt", timeout=30)
        assert url == "/static/djpyfs/ns/x/a%20b%23%3F%25%2B%C3%A9.txt"

    def test_without_url_root_the_url_is_signed(self, settings, tmp_path):
        settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
        url = djpyfs.get_filesystem("ns").get_url("a.txt")
        assert url.startswith("/djpyfs/")
        assert "s" in parse_qs(urlsplit(url).query)


class TestS3URLs:
    @pytest.fixture
    def s3_djfs(self, settings, moto_endpoint, s3_bucket):
        settings.DJFS = {
            "type": "s3fs",
            "bucket": s3_bucket,
            "prefix": "/pyfs/",
            "endpoint_url": moto_endpoint,
        }
        return settings.DJFS

    def query(self, url):
        return parse_qs(urlsplit(url).query)

    def test_signs_exactly_the_key_written(self, s3_djfs):
        url = djpyfs.get_filesystem("ns").get_url("a b.txt", timeout=60)
        assert urlsplit(url).path == f"/{s3_djfs['bucket']}/pyfs/ns/a%20b.txt"
        assert self.query(url)["X-Amz-Expires"] == ["60"]

    def test_no_timeout_is_the_longest_validity_not_an_expired_url(self, s3_djfs):
        url = djpyfs.get_filesystem("ns").get_url("a.txt")
        assert self.query(url)["X-Amz-Expires"] == ["604800"]

    def test_longer_timeouts_are_clamped_with_a_warning(self, s3_djfs, caplog):
        with caplog.at_level(logging.WARNING, logger="djpyfs"):
            url = djpyfs.get_filesystem("ns").get_url("a.txt", timeout=30 * 24 * 3600)
        assert self.query(url)["X-Amz-Expires"] == ["604800"]
        assert "at most 604800 seconds" in caplog.text

    @pytest.mark.django_db(transaction=True)
    def test_public_bucket_gives_unsigned_urls(
        self, s3_djfs, settings, fetch, s3_client
    ):
        bucket = s3_djfs["bucket"]
        s3_client.put_bucket_policy(
            Bucket=bucket,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3:GetObject",
                            "Resource": f"arn:aws:s3:::{bucket}/*",
                        }
                    ],
                }
            ),
        )
        settings.DJFS = {**s3_djfs, "public": True}
        fs = djpyfs.get_filesystem("ns")
        fs.writebytes("pub.txt", b"public")
        url = fs.get_url("pub.txt")
        assert "X-Amz-Signature" not in url
        assert fetch(url).content == b"public"
        assert "X-Amz-Signature" in fs.get_url("pub.txt", timeout=60)
