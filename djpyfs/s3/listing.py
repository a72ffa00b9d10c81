"""Listing keys: ``ListObjectsV2`` requests and what their pages say.

A listing of a key prefix comes in pages of at most :data:`PAGE_SIZE` keys.
With a delimiter (``"/"``), keys below a deeper ``/`` are folded into one
common prefix each, so a page holds one directory level: ``Contents`` (the
objects) and ``CommonPrefixes`` (the subdirectories).  Without one, a page
holds every key below the prefix, however deep.

Both S3 layers (:mod:`djpyfs.s3.filesystem` and
:mod:`djpyfs.storage_access_s3`) list through these functions, with errors
translated by :mod:`djpyfs.s3.errors`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from djpyfs.s3.errors import s3_errors

#: The most keys S3 returns per listing (and deletes per DeleteObjects).
PAGE_SIZE = 1000


def list_keys(
    client: Any,
    bucket: str,
    prefix: str,
    path: str = "",
    *,
    delimiter: bool = True,
    max_keys: int = PAGE_SIZE,
) -> dict[str, Any]:
    """One ``ListObjectsV2`` request: the first ``max_keys`` keys below ``prefix``.

    Arguments:
        client: the boto3 S3 client.
        bucket: the bucket to list.
        prefix: the key prefix to list.
        path: the pyfilesystem path errors name.
        delimiter: fold keys below a deeper ``/`` into common prefixes.
        max_keys: the most keys (and common prefixes) to return.
    """
    params: dict[str, Any] = {"MaxKeys": max_keys}
    if delimiter:
        params["Delimiter"] = "/"
    with s3_errors(bucket, path):
        return client.list_objects_v2(Bucket=bucket, Prefix=prefix, **params)


def list_pages(
    client: Any, bucket: str, prefix: str, path: str = "", *, delimiter: bool = True
) -> Iterator[dict[str, Any]]:
    """Every page of a listing, one request per :data:`PAGE_SIZE` keys.

    Each page is requested when the previous one has been consumed, so
    stopping early saves the rest; errors are raised from the iteration that
    makes the request.  Arguments as for :func:`list_keys`.
    """
    params: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    if delimiter:
        params["Delimiter"] = "/"
    paginator = client.get_paginator("list_objects_v2")
    pages = iter(paginator.paginate(**params, PaginationConfig={"PageSize": PAGE_SIZE}))
    while True:
        # Only the request is guarded: an exception thrown into this
        # generator by its consumer must not be translated as S3's.
        with s3_errors(bucket, path):
            page = next(pages, None)
        if page is None:
            return
        yield page


def has_entries(page: Mapping[str, Any]) -> bool:
    """Whether a page lists any key or common prefix."""
    return bool(page.get("Contents") or page.get("CommonPrefixes"))


def last_entry(page: Mapping[str, Any]) -> str:
    """The greatest key or common prefix of a page ("" for an empty page)."""
    names = [entry["Key"] for entry in page.get("Contents", ())]
    names += [entry["Prefix"] for entry in page.get("CommonPrefixes", ())]
    return max(names, default="")
