"""Configuring PyFSStorage: arguments, STORAGES, migrations, expiry, URLs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db.migrations.writer import MigrationWriter
from django.utils.module_loading import import_string

import djpyfs
from djpyfs.models import FSExpirations
from djpyfs.storage import DEFAULT_NAMESPACE, PyFSStorage
from tests.storage.conftest import set_default_storage

ROOT = Path(__file__).resolve().parents[2]


def test_constructible_without_arguments():
    assert PyFSStorage().namespace == DEFAULT_NAMESPACE == "storage"


def test_deconstructs_to_its_public_path_and_given_options():
    storage = PyFSStorage(namespace="avatars", url_timeout=60)
    assert storage.deconstruct() == (
        "djpyfs.storage.PyFSStorage",
        (),
        {"namespace": "avatars", "url_timeout": 60},
    )


def test_serialises_into_migrations_without_settings_or_secrets(settings):
    settings.DJFS = {
        "type": "s3fs",
        "bucket": "b",
        "aws_access_key_id": "AKIDSECRET",
        "aws_secret_access_key": "very-secret",
    }
    storage = PyFSStorage(namespace="avatars")
    text, imports = MigrationWriter.serialize(storage)
    assert text == "djpyfs.storage.PyFSStorage(namespace='avatars')"
    assert imports == {"import djpyfs.storage"}


@pytest.mark.parametrize(
    "options",
    [
        {"namespace": "../up"},
        {"namespace": "/abs"},
        {"namespace": ""},
        {"url_timeout": -1},
        {"url_timeout": 10**400},
        {"url_timeout": "60"},
        {"allow_overwrite": "yes"},
    ],
)
def test_bad_options_raise_improperly_configured(options):
    with pytest.raises(ImproperlyConfigured):
        PyFSStorage(**options)


def test_default_storage_from_storages_setting_with_options(settings):
    set_default_storage(settings, namespace="site/uploads", allow_overwrite=True)
    assert isinstance(storages["default"], PyFSStorage)
    assert default_storage.namespace == "site/uploads"
    assert default_storage.allow_overwrite is True
    name = default_storage.save("hello.txt", ContentFile(b"hi"))
    assert djpyfs.get_filesystem("site/uploads").readbytes(name) == b"hi"


def test_files_live_in_the_namespace_filesystem(djfs, namespace):
    storage = PyFSStorage(namespace=namespace)
    name = storage.save("a/b.txt", ContentFile(b"shared"))
    assert djpyfs.get_filesystem(namespace).readbytes(name) == b"shared"


def test_follows_changes_of_djfs(settings, tmp_path, namespace):
    storage = PyFSStorage(namespace=namespace)
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "one")}
    storage.save("f.txt", ContentFile(b"1"))
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "two")}
    assert not storage.exists("f.txt")
    assert (tmp_path / "one" / namespace / "f.txt").read_bytes() == b"1"


def test_url_uses_url_timeout(djfs, namespace):
    storage = PyFSStorage(namespace=namespace, url_timeout=120)
    fs = djpyfs.get_filesystem(namespace)
    # Signed URLs carry their expiry time, which moves with the clock.
    before = fs.get_url("f.txt", timeout=120)
    url = storage.url("f.txt")
    after = fs.get_url("f.txt", timeout=120)
    assert url in {before, after}


@pytest.mark.django_db
def test_expire_records_row_and_sweep_removes_file(djfs, namespace):
    storage = PyFSStorage(namespace=namespace)
    name = storage.save("tmp/chart.png", ContentFile(b"png"))
    storage.expire(name, seconds=0)
    row = FSExpirations.objects.get(module=namespace, filename=name)
    assert row.expires
    assert djpyfs.expire_objects() >= 1
    assert not storage.exists(name)


@pytest.mark.django_db
def test_expire_false_keeps_file(djfs, namespace):
    storage = PyFSStorage(namespace=namespace)
    name = storage.save("keep.txt", ContentFile(b"x"))
    storage.expire(name, seconds=0)
    storage.expire(name, expires=False)
    djpyfs.expire_objects()
    assert storage.exists(name)


@pytest.mark.skipif(
    django.VERSION >= (5, 1),
    reason="DEFAULT_FILE_STORAGE was removed in Django 5.1",
)
def test_default_file_storage_setting_selects_pyfs_storage(tmp_path):
    # A separate process: the setting is read once, when settings load.
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import default_storage as s\n"
        "from django.core.files.base import ContentFile\n"
        "name = s.save('x.txt', ContentFile(b'42'))\n"
        "print(type(s._wrapped).__module__, type(s._wrapped).__name__,"
        " s.namespace, s.open(name).read().decode())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.storage.settings_default_file_storage",
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["djpyfs.storage", "PyFSStorage", "storage", "42"]


def test_callable_storage_is_resolved_by_the_field():
    from tests.testapp.models import Profile, avatar_storage

    field = Profile._meta.get_field("avatar")
    assert isinstance(field.storage, PyFSStorage)
    assert field.deconstruct()[3]["storage"] is avatar_storage
    assert import_string("tests.testapp.models.avatar_storage") is avatar_storage


class TestSystemCheck:
    """manage.py check builds each PyFSStorage of STORAGES (djpyfs.E004)."""

    @pytest.fixture
    def with_options(self, settings):
        def apply(options):
            settings.STORAGES = {
                **settings.STORAGES,
                "avatars": {
                    "BACKEND": "djpyfs.storage.PyFSStorage",
                    "OPTIONS": options,
                },
            }

        return apply

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"namespace": "../x"}, "namespace"),
            ({"namespace": 5}, "namespace"),
            ({"url_timeout": "x"}, "url_timeout"),
            ({"allow_overwrite": "yes"}, "allow_overwrite"),
            ({"namespcae": "typo"}, "namespcae"),
        ],
    )
    def test_bad_options_are_an_error_naming_the_alias(
        self, with_options, options, message
    ):
        from djpyfs.checks import check_storages_options

        with_options(options)

        (error,) = check_storages_options()
        assert error.id == "djpyfs.E004"
        assert "STORAGES['avatars']" in error.msg
        assert message in error.msg

    def test_good_options_pass(self, with_options):
        from djpyfs.checks import check_storages_options

        with_options({"namespace": "avatars", "url_timeout": 60})

        assert check_storages_options() == []

    def test_bad_options_stop_manage_py_check(self, with_options):
        from django.core.management import call_command
        from django.core.management.base import SystemCheckError

        with_options({"namespace": "/abs"})

        with pytest.raises(SystemCheckError, match=r"djpyfs\.E004"):
            call_command("check")
