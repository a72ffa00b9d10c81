"""The DJFS setting: parsing, validation, defaults and system checks."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import djpyfs
from djpyfs import conf
from djpyfs.checks import check_djfs_setting


def ids(messages):
    return [message.id for message in messages]


def test_osfs_settings_are_parsed(tmp_path):
    config = conf.parse(
        {"type": "osfs", "directory_root": str(tmp_path), "url_root": "/files"}
    )
    assert config == conf.OSFSConfig(
        type="osfs", directory_root=str(tmp_path), url_root="/files/"
    )


def test_relative_directory_root_is_resolved_once_against_the_working_directory(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    config = conf.parse({"type": "osfs", "directory_root": "static/djpyfs"})
    assert config.directory_root == os.path.join(str(tmp_path), "static", "djpyfs")


@pytest.mark.parametrize("prefix", ["/pyfs/", "pyfs", "pyfs/", "//pyfs//"])
def test_s3_prefix_spellings_mean_the_same(prefix):
    config = conf.parse({"type": "s3fs", "bucket": "b", "prefix": prefix})
    assert config.prefix == "pyfs"


def test_s3_region_name_is_an_alias_of_region():
    config = conf.parse({"type": "s3fs", "bucket": "b", "region_name": "eu-west-1"})
    assert config.region == "eu-west-1"


def test_s3_credentials_may_be_left_to_the_default_chain():
    config = conf.parse({"type": "s3fs", "bucket": "b"})
    assert config.aws_access_key_id is None
    assert config.aws_secret_access_key is None


def test_s3_secrets_are_not_in_the_repr():
    config = conf.parse(
        {
            "type": "s3fs",
            "bucket": "b",
            "aws_access_key_id": "AKIDSECRETID",
            "aws_secret_access_key": "very-secret",
        }
    )
    assert "very-secret" not in repr(config)
    assert "AKIDSECRETID" not in repr(config)


@pytest.mark.parametrize(
    "djfs, key",
    [
        ({"type": "nfs"}, "type"),
        ({}, "type"),
        ({"type": "osfs"}, "directory_root"),
        ({"type": "osfs", "directory_root": 42}, "directory_root"),
        ({"type": "osfs", "directory_root": "/x", "url_root": 1}, "url_root"),
        ({"type": "s3fs"}, "bucket"),
        (
            {"type": "s3fs", "bucket": "b", "aws_access_key_id": "k"},
            "aws_secret_access_key",
        ),
        (
            {"type": "s3fs", "bucket": "b", "aws_secret_access_key": "s"},
            "aws_access_key_id",
        ),
        (
            {"type": "s3fs", "bucket": "b", "region": "a", "region_name": "b"},
            "region_name",
        ),
        ({"type": "s3fs", "bucket": "b", "prefix": "a/../b"}, "prefix"),
        ({"type": "s3fs", "bucket": "b", "public": "yes"}, "public"),
        ({"type": "s3fs", "bucket": "b", "max_attempts": 0}, "max_attempts"),
        (
            {"type": "s3fs", "bucket": "b", "addressing_style": "odd"},
            "addressing_style",
        ),
        ({"type": "mem", "signed_urls": 1}, "signed_urls"),
        ({"type": "fsurl"}, "fs_url"),
        ({"type": "fsurl", "fs_url": "/not/a/url"}, "fs_url"),
        ({"type": "fsurl", "fs_url": "nosuchscheme://x"}, "fs_url"),
        ({"type": "s3fs", "bucket": "b/c"}, "bucket"),
        ({"type": "s3fs", "bucket": "Bad{1}"}, "bucket"),
        ({"type": "s3fs", "bucket": "b", "endpoint_url": "not a url"}, "endpoint_url"),
        ({"type": "fsurl", "fs_url": "mem://", "url_root": "djpyfs"}, "url_root"),
        (
            {"type": "fsurl", "fs_url": "mem://", "url_root": "javascript:alert(1)//"},
            "url_root",
        ),
    ],
)
def test_bad_settings_raise_improperly_configured_naming_the_key(djfs, key):
    with pytest.raises(ImproperlyConfigured, match=rf"DJFS\['{key}'\]"):
        conf.parse(djfs)


def test_missing_type_says_it_is_required():
    with pytest.raises(ImproperlyConfigured, match="is required"):
        conf.parse({})


@pytest.mark.parametrize(
    "url_root", ["/files/", "https://cdn.example.com/f/", "http://localhost:8000/"]
)
def test_url_roots_may_be_paths_or_http_urls(url_root):
    djfs = {"type": "fsurl", "fs_url": "mem://", "url_root": url_root}
    assert conf.parse(djfs).url_root == url_root


def test_djfs_must_be_a_dict():
    with pytest.raises(ImproperlyConfigured, match="DJFS must be a dict"):
        conf.parse("osfs")


def test_fs_url_alone_selects_the_fsurl_type():
    assert conf.parse({"fs_url": "mem://"}) == conf.FSURLConfig(
        type="fsurl", fs_url="mem://"
    )


def test_default_is_under_media_root_and_media_url(settings, tmp_path):
    del settings.DJFS
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEDIA_URL = "/media/"
    config = conf.get_config()
    assert config == conf.OSFSConfig(
        type="osfs",
        directory_root=str(tmp_path / "djpyfs"),
        url_root="/media/djpyfs/",
    )


def test_no_djfs_and_no_media_root_refuses_to_guess(settings):
    del settings.DJFS
    settings.MEDIA_ROOT = ""
    with pytest.raises(ImproperlyConfigured, match="MEDIA_ROOT"):
        djpyfs.get_filesystem("x")


def test_override_settings_takes_effect_without_restart(settings, tmp_path):
    settings.DJFS = {"type": "mem"}
    assert isinstance(conf.get_config(), conf.MemoryConfig)
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    assert isinstance(conf.get_config(), conf.OSFSConfig)
    fs = djpyfs.get_filesystem("ns")
    fs.writetext("f.txt", "on disk")
    assert (tmp_path / "ns" / "f.txt").read_text() == "on disk"


class TestSystemChecks:
    def test_valid_settings_pass(self, settings):
        settings.DJFS = {"type": "mem"}
        assert check_djfs_setting() == []

    def test_bad_settings_are_an_error(self, settings):
        settings.DJFS = {"type": "osfs"}
        messages = check_djfs_setting()
        assert ids(messages) == ["djpyfs.E001"]
        assert "directory_root" in messages[0].msg

    def test_bad_settings_stop_manage_py_check(self, settings):
        settings.DJFS = {"type": "s3fs"}
        with pytest.raises(SystemCheckError, match=r"djpyfs\.E001"):
            call_command("check")

    def test_unknown_keys_are_a_warning(self, settings):
        settings.DJFS = {"type": "mem", "directory-root": "/x"}
        messages = check_djfs_setting()
        assert ids(messages) == ["djpyfs.W001"]
        assert "directory-root" in messages[0].msg

    def test_url_root_on_mem_is_a_warning_and_ignored(self, settings):
        settings.DJFS = {"type": "mem", "url_root": "/m/"}
        messages = check_djfs_setting()
        assert ids(messages) == ["djpyfs.W001"]
        assert "url_root" in messages[0].msg
        assert conf.get_config().url_root is None

    def test_directory_root_that_is_a_file_is_an_error(self, settings, tmp_path):
        a_file = tmp_path / "file"
        a_file.write_text("")
        settings.DJFS = {"type": "osfs", "directory_root": str(a_file)}
        messages = check_djfs_setting()
        assert ids(messages) == ["djpyfs.E003"]
        assert "not a directory" in messages[0].msg
        with pytest.raises(ImproperlyConfigured, match="not a directory"):
            djpyfs.get_filesystem("ns")

    def test_directory_root_that_cannot_be_created_is_an_error(
        self, settings, tmp_path
    ):
        a_file = tmp_path / "file"
        a_file.write_text("")
        settings.DJFS = {"type": "osfs", "directory_root": str(a_file / "below")}
        assert ids(check_djfs_setting()) == ["djpyfs.E003"]

    def test_directory_root_that_will_be_created_passes(self, settings, tmp_path):
        settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path / "a" / "b")}
        assert check_djfs_setting() == []

    def test_missing_configuration_is_a_warning(self, settings):
        del settings.DJFS
        settings.MEDIA_ROOT = ""
        assert ids(check_djfs_setting()) == ["djpyfs.W002"]
