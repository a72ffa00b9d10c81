"""What the view sends: headers, byte ranges, HEAD and conditional requests."""

from __future__ import annotations

import os

import pytest
from django.utils.http import http_date

from djpyfs import get_filesystem
from tests.conftest import djfs_for

CONTENT = bytes(range(256)) * 4  # 1,024 bytes, each position distinguishable


@pytest.fixture
def url(mem_fs) -> str:
    mem_fs.writebytes("data.bin", CONTENT)
    return mem_fs.get_url("data.bin")


def body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_content_type_and_length_match_the_file(client, mem_fs):
    mem_fs.writebytes("chart.png", b"\x89PNG" + b"\0" * 96)

    response = client.get(mem_fs.get_url("chart.png"))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == "100"
    assert len(body(response)) == 100


def test_unknown_type_is_octet_stream(client, url):
    assert client.get(url)["Content-Type"] == "application/octet-stream"


def test_compressed_file_is_not_declared_as_content_encoding(client, mem_fs):
    mem_fs.writebytes("log.txt.gz", b"\x1f\x8b")

    response = client.get(mem_fs.get_url("log.txt.gz"))

    assert response["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response


def test_file_name_with_odd_characters_is_served(client, mem_fs):
    name = "dir/ü x?#%&=+.txt"
    mem_fs.makedir("dir")
    mem_fs.writebytes(name, b"odd")

    response = client.get(mem_fs.get_url(name))

    assert response.status_code == 200
    assert body(response) == b"odd"


def test_inline_by_default(client, url):
    assert client.get(url)["Content-Disposition"] == 'inline; filename="data.bin"'


def test_attachment_option_asks_for_a_download(client, mem_fs):
    mem_fs.makedir("reports")
    mem_fs.writebytes("reports/q1.csv", b"a,b\n")

    response = client.get(mem_fs.get_url("reports/q1.csv", attachment=True))

    assert response["Content-Disposition"] == 'attachment; filename="q1.csv"'


def test_control_characters_of_a_name_stay_out_of_the_header(client, mem_fs):
    mem_fs.writebytes("two\nlines.csv", b"a,b\n")

    response = client.get(mem_fs.get_url("two\nlines.csv", attachment=True))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="two_lines.csv"'
    assert body(response) == b"a,b\n"


def test_html_is_sandboxed_so_it_cannot_script_the_site(client, mem_fs):
    mem_fs.writebytes("page.html", b"<script>alert(1)</script>")

    response = client.get(mem_fs.get_url("page.html"))

    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["feed.atom", "data.rdf", "style.xsl", "map.kml"])
def test_any_xml_type_is_sandboxed(client, mem_fs, name):
    mem_fs.writebytes(name, b"<x:script xmlns:x='http://www.w3.org/1999/xhtml'/>")

    response = client.get(mem_fs.get_url(name))

    assert "xml" in response["Content-Type"]
    assert response["Content-Security-Policy"] == "sandbox"


def test_plain_images_are_not_sandboxed(client, mem_fs):
    mem_fs.writebytes("a.png", b"\x89PNG")

    assert "Content-Security-Policy" not in client.get(mem_fs.get_url("a.png"))


def test_non_expiring_url_is_revalidated_by_caches(client, url):
    assert client.get(url)["Cache-Control"] == "private, no-cache"


def test_expiring_url_is_cached_no_longer_than_it_lives(client, mem_fs):
    mem_fs.writebytes("a.txt", b"a")

    response = client.get(mem_fs.get_url("a.txt", timeout=60))

    assert response["Cache-Control"].startswith("private, max-age=")
    assert 55 <= int(response["Cache-Control"].rsplit("=", 1)[1]) <= 60


# HEAD


def test_head_sends_the_headers_of_get_without_a_body(client, url):
    get = client.get(url)
    head = client.head(url)

    assert head.status_code == 200
    assert body(head) == b""
    for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head[header] == get[header]


def test_head_of_missing_file_is_not_found(client, mem_fs):
    assert client.head(mem_fs.get_url("gone")).status_code == 404


# Range requests


@pytest.mark.parametrize(
    "header, first, last",
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-199", 100, 199),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=1000-5000", 1000, 1023),
        ("bytes=-5000", 0, 1023),
        ("bytes=1023-1023", 1023, 1023),
    ],
)
def test_single_range_is_partial_content(client, url, header, first, last):
    response = client.get(url, headers={"Range": header})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == CONTENT[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_range_outside_the_file_is_unsatisfiable(client, url, header):
    response = client.get(url, headers={"Range": header})

    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_any_range_of_an_empty_file_is_unsatisfiable(client, mem_fs):
    mem_fs.writebytes("empty", b"")

    response = client.get(mem_fs.get_url("empty"), headers={"Range": "bytes=0-"})

    assert response.status_code == 416


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "bytes=9-3", "bytes=-", "items=0-1", "bytes=a-b"]
)
def test_multiple_or_malformed_ranges_get_the_whole_file(client, url, header):
    response = client.get(url, headers={"Range": header})

    assert response.status_code == 200
    assert body(response) == CONTENT


def test_range_with_matching_if_range_etag_is_partial(client, url):
    etag = client.head(url)["ETag"]

    response = client.get(url, headers={"Range": "bytes=0-1", "If-Range": etag})

    assert response.status_code == 206


def test_range_with_matching_if_range_date_is_partial(client, url):
    last_modified = client.head(url)["Last-Modified"]

    response = client.get(
        url, headers={"Range": "bytes=0-1", "If-Range": last_modified}
    )

    assert response.status_code == 206


@pytest.mark.parametrize(
    "if_range", ['"stale"', 'W/"weak"', "Sat, 01 Jan 2000 00:00:00 GMT"]
)
def test_range_with_stale_if_range_gets_the_whole_file(client, url, if_range):
    response = client.get(url, headers={"Range": "bytes=0-1", "If-Range": if_range})

    assert response.status_code == 200
    assert body(response) == CONTENT


def test_range_of_a_file_on_disk_is_read_with_seek(
    client, settings, tmp_path, namespace
):
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    fs = get_filesystem(namespace)
    fs.writebytes("big.bin", os.urandom(300_000))

    response = client.get(
        fs.get_url("big.bin"), headers={"Range": "bytes=250000-250009"}
    )

    assert body(response) == fs.readbytes("big.bin")[250_000:250_010]


# Conditional requests


def test_matching_etag_is_not_modified(client, url):
    etag = client.get(url)["ETag"]

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_not_modified_since_last_modified(client, url):
    last_modified = client.get(url)["Last-Modified"]

    response = client.get(url, headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304


def test_modified_since_an_older_date_is_sent(client, url):
    response = client.get(url, headers={"If-Modified-Since": http_date(0)})

    assert response.status_code == 200


def test_rewritten_file_has_a_new_etag(client, settings, tmp_path, namespace):
    settings.DJFS = {"type": "osfs", "directory_root": str(tmp_path)}
    fs = get_filesystem(namespace)
    fs.writebytes("a.txt", b"one")
    url = fs.get_url("a.txt")
    etag = client.get(url)["ETag"]
    fs.writebytes("a.txt", b"three")

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert body(response) == b"three"


def test_rewritten_s3_object_has_a_new_etag_within_the_same_second(
    client, settings, tmp_path, request, namespace
):
    # S3 gives modification times in whole seconds: two writes of one size
    # within a second look alike by time and size.
    settings.DJFS = {**djfs_for("s3fs", tmp_path, request), "signed_urls": True}
    fs = get_filesystem(namespace)
    fs.writebytes("a.txt", b"one")
    url = fs.get_url("a.txt")
    etag = client.get(url)["ETag"]
    fs.writebytes("a.txt", b"two")

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert body(response) == b"two"


def test_if_match_with_another_etag_fails_the_precondition(client, url):
    response = client.get(url, headers={"If-Match": '"other"'})

    assert response.status_code == 412


def test_conditional_request_with_bad_signature_is_still_forbidden(client, url):
    etag = client.get(url)["ETag"]
    tampered = url.replace("s=", "s=x")

    assert client.get(tampered, headers={"If-None-Match": etag}).status_code == 403


# The live server closes database connections after each request.
@pytest.mark.django_db(transaction=True)
def test_range_is_served_by_each_backend_over_http(view_djfs, namespace, fetch):
    fs = get_filesystem(namespace)
    fs.writebytes("data.bin", CONTENT)

    response = fetch(fs.get_url("data.bin"), headers={"Range": "bytes=512-515"})

    assert response.status_code == 206
    assert response.content == CONTENT[512:516]
