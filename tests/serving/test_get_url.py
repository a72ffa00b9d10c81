"""Which back-ends hand out URLs of djpyfs's view, and that those URLs work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from djpyfs import get_filesystem
from djpyfs.exceptions import SuspiciousPath, URLUnavailable
from djpyfs.signed_urls import decode_source, encode_source, signed_url
from tests.conftest import djfs_for

VIEW_ROOT = "/djpyfs/"


# The live server closes database connections after each request.
@pytest.mark.django_db(transaction=True)
def test_get_url_of_each_view_backend_is_served_over_http(view_djfs, namespace, fetch):
    fs = get_filesystem(namespace)
    fs.makedir("dir")
    fs.writebytes("dir/chart.png", b"\x89PNG fake")

    url = fs.get_url("dir/chart.png", timeout=60)

    assert url.startswith(VIEW_ROOT)
    response = fetch(url)
    assert response.status_code == 200
    assert response.content == b"\x89PNG fake"
    assert response.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("backend", ["mem", "osfs-without-url-root"])
def test_backends_without_urls_use_the_view(backend, settings, tmp_path, namespace):
    if backend == "mem":
        settings.DJFS = {"type": "mem"}
    else:
        settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}

    assert get_filesystem(namespace).get_url("a.txt").startswith(VIEW_ROOT)


@pytest.mark.parametrize("backend", ["osfs", "s3fs"])
def test_backends_with_urls_keep_them(backend, settings, tmp_path, request, namespace):
    settings.DJFS = djfs_for(backend, tmp_path, request)

    assert not get_filesystem(namespace).get_url("a.txt").startswith(VIEW_ROOT)


@pytest.mark.parametrize("backend", ["osfs", "s3fs"])
def test_signed_urls_setting_routes_any_backend_to_the_view(
    backend, settings, tmp_path, request, namespace
):
    settings.DJFS = {**djfs_for(backend, tmp_path, request), "signed_urls": True}

    assert get_filesystem(namespace).get_url("a.txt").startswith(VIEW_ROOT)


def test_attachment_option_uses_the_view_even_with_native_urls(
    settings, tmp_path, namespace
):
    settings.DJFS = {
        "type": "osfs",
        "directory_root": str(tmp_path),
        "url_root": "/osfs-files/",
    }

    url = get_filesystem(namespace).get_url("a.txt", attachment=True)

    assert url.startswith(VIEW_ROOT)


def test_url_follows_the_prefix_djpyfs_urls_is_included_at(mem_fs):
    expected = reverse("djpyfs:serve", kwargs={"source": "eA", "path": "y"})

    assert expected.startswith(VIEW_ROOT)
    assert mem_fs.get_url("y").split("/")[1] == VIEW_ROOT.strip("/")


def test_url_names_file_in_path_and_source_in_one_segment(mem_fs):
    url = mem_fs.get_url("d/e.txt")

    source_token, rest = url[len(VIEW_ROOT) :].split("/", 1)
    assert decode_source(source_token) == mem_fs.namespace
    assert rest.startswith("d/e.txt?")


@pytest.mark.parametrize(
    "source", ["charts", "a/b/c", "ünï ns", "..x../y", "/storages/default"]
)
def test_source_token_round_trips(source):
    assert decode_source(encode_source(source)) == source


@pytest.mark.parametrize("source", ["/etc", "../x", "a/../b", "", "/storages/"])
def test_urls_are_not_signed_for_invalid_sources(source):
    with pytest.raises(SuspiciousPath):
        signed_url(source, "a.txt")


@pytest.mark.parametrize("path", ["../x", "a/../../x", "", "a\0b"])
def test_urls_are_not_signed_for_names_leaving_the_namespace(path):
    with pytest.raises(SuspiciousPath):
        signed_url("ns", path)


def test_get_url_without_djpyfs_urls_in_urlconf_says_what_to_add(mem_fs, settings):
    settings.ROOT_URLCONF = "tests.serving.urls_without_djpyfs"

    with pytest.raises(URLUnavailable, match=r"include\('djpyfs.urls'\)"):
        mem_fs.get_url("a.txt")
