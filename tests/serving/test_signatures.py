"""Who may fetch a file: valid, tampered, expired and traversing URLs."""

from __future__ import annotations

import pytest

from djpyfs import get_filesystem
from djpyfs.signed_urls import encode_source, signed_url
from tests.serving.conftest import url_expired_since, with_query

CONTENT = b"the file's bytes"


@pytest.fixture
def stored(mem_fs):
    """A mem namespace holding ``a.txt``; returns its filesystem."""
    mem_fs.writebytes("a.txt", CONTENT)
    return mem_fs


def test_valid_url_serves_the_file(client, stored):
    response = client.get(stored.get_url("a.txt"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT


def test_url_with_timeout_serves_the_file_before_it_expires(client, stored):
    response = client.get(stored.get_url("a.txt", timeout=30))

    assert response.status_code == 200


def test_expired_url_is_forbidden(client, stored):
    response = client.get(url_expired_since(stored.namespace, "a.txt", seconds=1))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"s": "A" * 43},
        {"s": None},
        {"e": "0"},
        {"e": "9999999999"},
        {"e": "soon"},
        {"a": "1"},
    ],
    ids=[
        "other-signature",
        "no-signature",
        "expiry-removed",
        "expiry-extended",
        "expiry-garbled",
        "attachment-added",
    ],
)
def test_tampered_query_is_forbidden(client, stored, change):
    url = with_query(stored.get_url("a.txt", timeout=30), **change)

    assert client.get(url).status_code == 403


def test_url_for_one_file_does_not_open_another(client, stored):
    stored.writebytes("b.txt", b"other")
    url = stored.get_url("a.txt").replace("/a.txt?", "/b.txt?")

    assert client.get(url).status_code == 403


def test_url_for_one_namespace_does_not_open_another(client, stored, settings):
    other = get_filesystem(stored.namespace + "-other")
    other.writebytes("a.txt", b"secret")
    url = stored.get_url("a.txt").replace(
        encode_source(stored.namespace), encode_source(other.namespace)
    )

    assert client.get(url).status_code == 403


def test_url_signed_with_another_key_is_forbidden(client, stored, settings):
    url = stored.get_url("a.txt")
    settings.SECRET_KEY = "another-key"

    assert client.get(url).status_code == 403


def test_url_signed_with_a_fallback_key_still_works(client, stored, settings):
    url = stored.get_url("a.txt")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-key"

    assert client.get(url).status_code == 200


def test_missing_file_with_valid_url_is_not_found(client, stored):
    assert client.get(stored.get_url("gone.txt")).status_code == 404


def test_directory_with_valid_url_is_not_found(client, stored):
    stored.makedir("folder")

    assert client.get(stored.get_url("folder")).status_code == 404


@pytest.mark.parametrize("kind", ["tampered", "expired"])
def test_bad_url_answers_the_same_whether_or_not_the_file_exists(client, stored, kind):
    def bad_url(name):
        if kind == "tampered":
            return with_query(stored.get_url(name), s="A" * 43)
        return url_expired_since(stored.namespace, name, seconds=5)

    existing = client.get(bad_url("a.txt"))
    missing = client.get(bad_url("gone.txt"))

    assert existing.status_code == missing.status_code == 403
    assert existing.content == missing.content


@pytest.mark.parametrize(
    "suffix",
    ["../a.txt", "x/../a.txt", "./a.txt", "%2e%2e/a.txt", "..%2fa.txt", "/a.txt"],
)
def test_path_traversal_in_the_url_is_forbidden(client, stored, suffix):
    # The signature is valid for "a.txt"; the URL names it another way.
    url = stored.get_url("a.txt").replace("/a.txt?", f"/{suffix}?")

    assert client.get(url).status_code == 403


def test_signed_namespace_cannot_be_swapped_for_a_parent(client, settings, tmp_path):
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    (tmp_path / "secret.txt").write_bytes(b"outside any namespace")
    fs = get_filesystem("ns")
    url = fs.get_url("secret.txt").replace(encode_source("ns"), encode_source(".."))

    assert client.get(url).status_code == 403


def test_url_for_a_storage_alias_is_not_a_namespace_url(client, stored):
    url = signed_url("/storages/default", "a.txt")

    assert encode_source(stored.namespace) not in url


def test_post_is_not_allowed(client, stored):
    assert client.post(stored.get_url("a.txt")).status_code == 405
