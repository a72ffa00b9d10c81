"""The view that serves files through signed URLs (see :mod:`djpyfs.signed_urls`).

It streams the file from its filesystem (never reading it whole into
memory), answers ``HEAD``, conditional requests (``ETag``,
``Last-Modified``: 304 and 412) and single byte ranges (206, 416), and sends
``Content-Disposition: attachment`` when the URL asks for it.

The signature is checked before anything is looked up: a bad or expired URL
is a 403 whichever file it names, so it tells nothing about which files exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseForbidden,
)
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.views.decorators.http import require_safe
from fs.base import FS
from fs.errors import ResourceNotFound

from djpyfs.signed_urls import SignedFile, open_source, verify

#: Bytes read from the filesystem per chunk sent.
CHUNK_SIZE = 64 * 1024

#: Types a browser would run as a page of this site's origin; served with a
#: sandboxing Content-Security-Policy so uploaded files cannot script it.  Any
#: XML type (``+xml``) is included too: browsers may render those as XML
#: documents, which can carry XHTML scripts.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
    }
)


def is_active_type(content_type: str) -> bool:
    """Whether a browser could run a response of ``content_type`` as a page."""
    media_type = content_type.split(";")[0].strip().lower()
    return media_type in ACTIVE_TYPES or media_type.endswith("+xml")


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class _Representation:
    """What the headers say about a file: its size and validators."""

    size: int
    last_modified: int | None  # seconds since the epoch
    etag: str | None


class _Unsatisfiable(Exception):
    """The requested range lies outside the file (HTTP 416)."""


class _BoundedReader:
    """Reads at most ``length`` bytes of a file from its current position.

    Keeps ``Content-Length`` true for a range, and for a file that grows
    while it is sent.
    """

    def __init__(self, handle: BinaryIO, length: int) -> None:
        self._handle = handle
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()


class _NoFile:
    """An empty stand-in for the file, so HEAD gets the same headers as GET."""

    def read(self, size: int = -1) -> bytes:
        return b""

    def close(self) -> None:
        pass


class _FileResponse(FileResponse):
    block_size = CHUNK_SIZE


def _header_filename(name: str) -> str:
    """``name`` as the file name of ``Content-Disposition``.

    Control characters (a newline is legal in a file name) cannot go in a
    header, and Django 4.2 puts ASCII names there as they are, so they become
    ``_``: the name is only the browser's suggestion for "save as".
    """
    return _CONTROL_CHARS.sub("_", name)


def _describe(fs: FS, path: str) -> _Representation:
    """Size and validators of a file.

    Raises:
        Http404: no such file (or it is a directory).
    """
    try:
        # Back-ends ignore namespaces they do not have; S3 gives its ETag.
        info = fs.getinfo(path, namespaces=["details", "s3"])
    except ResourceNotFound:
        raise Http404("No such file.") from None
    if info.is_dir:
        raise Http404("No such file.")
    size = info.size
    modified = info.modified
    if modified is None:
        # Without a modification time a changed file cannot be told from the
        # old one, so no validator is given and caches always refetch.
        return _Representation(size, None, None)
    stamp = modified.timestamp()
    etag = f'"{int(stamp * 1_000_000):x}-{size:x}"'
    s3_etag = info.get("s3", "e_tag")
    content_tag = s3_etag.strip('"') if isinstance(s3_etag, str) else ""
    if content_tag:
        # S3's times have whole seconds, so time and size alone would miss a
        # rewrite within the second; the object's own ETag changes with it.
        etag = f'"{content_tag}-{size:x}"'
    return _Representation(size, int(stamp), etag)


def _if_range_matches(request: HttpRequest, rep: _Representation) -> bool:
    if_range = request.headers.get("If-Range")
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        # A strong comparison: a weak tag never matches.
        return rep.etag is not None and parse_etags(if_range) == [rep.etag]
    when = parse_http_date_safe(if_range)
    return when is not None and when == rep.last_modified


def _byte_range(request: HttpRequest, rep: _Representation) -> tuple[int, int] | None:
    """The single range asked for, as (first, last) inclusive, or None for all.

    Multiple ranges, malformed headers and an ``If-Range`` that no longer
    matches are answered with the whole file, as RFC 9110 allows.

    Raises:
        _Unsatisfiable: the range lies outside the file.
    """
    header = request.headers.get("Range")
    if not header or not _if_range_matches(request, rep):
        return None
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or rep.size == 0:
            raise _Unsatisfiable
        return max(rep.size - suffix, 0), rep.size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # invalid, so ignored
    if start >= rep.size:
        raise _Unsatisfiable
    end = int(last) if last else rep.size - 1
    return start, min(end, rep.size - 1)


def _set_common_headers(
    response: HttpResponseBase, rep: _Representation, granted: SignedFile
) -> None:
    if rep.etag:
        response.headers["ETag"] = rep.etag
    if rep.last_modified is not None:
        response.headers["Last-Modified"] = http_date(rep.last_modified)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["X-Content-Type-Options"] = "nosniff"
    seconds_left = granted.seconds_left()
    if seconds_left is None:
        # The file may change under the same name: revalidate (cheap, 304).
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, max_age=max(int(seconds_left), 0))


def _file_response(
    request: HttpRequest,
    fs: FS,
    granted: SignedFile,
    rep: _Representation,
    byte_range: tuple[int, int] | None,
) -> FileResponse:
    first, last = byte_range or (0, rep.size - 1)
    length = last - first + 1
    filename = _header_filename(granted.path.rsplit("/", 1)[-1])
    if request.method == "HEAD":
        # Headers only: the file is not opened (on S3 that would fetch it).
        response = _FileResponse(
            _NoFile(), as_attachment=granted.attachment, filename=filename
        )
    else:
        try:
            handle = fs.openbin(granted.path)
        except ResourceNotFound:
            raise Http404("No such file.") from None
        try:
            if first:
                handle.seek(first)
        except BaseException:
            handle.close()
            raise
        response = _FileResponse(
            _BoundedReader(handle, length),
            as_attachment=granted.attachment,
            filename=filename,
        )
    response.headers["Content-Length"] = str(length)
    if byte_range is not None:
        response.status_code = 206
        response.headers["Content-Range"] = f"bytes {first}-{last}/{rep.size}"
    if is_active_type(response.headers["Content-Type"]):
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


@require_safe
def serve(request: HttpRequest, source: str, path: str) -> HttpResponseBase:
    """Serve ``path`` of ``source`` if the query string signs them.

    Answers 403 for a tampered, malformed or expired URL, 404 for a missing
    file, 304/412 for conditional requests, 206/416 for a ``Range``.
    """
    try:
        granted = verify(source, path, request.GET)
    except signing.SignatureExpired:
        return HttpResponseForbidden("This link has expired.")
    except signing.BadSignature:
        return HttpResponseForbidden("Invalid link.")

    try:
        fs = open_source(granted.source)
    except SuspiciousFileOperation:
        # Only reachable with a signature made for an invalid source.
        return HttpResponseForbidden("Invalid link.")
    rep = _describe(fs, granted.path)
    conditional = get_conditional_response(
        request, etag=rep.etag, last_modified=rep.last_modified
    )
    if conditional is not None:
        _set_common_headers(conditional, rep, granted)
        return conditional

    response: HttpResponseBase
    try:
        byte_range = _byte_range(request, rep)
    except _Unsatisfiable:
        response = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{rep.size}"
    else:
        response = _file_response(request, fs, granted, rep, byte_range)
    _set_common_headers(response, rep, granted)
    return response
