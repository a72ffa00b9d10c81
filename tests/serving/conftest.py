"""Fixtures for the serving view: back-ends whose URLs go through it."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from djpyfs import get_filesystem, signed_urls
from tests.conftest import djfs_for

#: Back-ends with no URL of their own, and S3 made to use the view.
VIEW_BACKENDS = ["osfs", "mem", "s3fs"]


@pytest.fixture(params=VIEW_BACKENDS)
def view_djfs(request, settings, tmp_path) -> dict:
    """Each back-end configured so that ``get_url`` points at djpyfs's view."""
    djfs = djfs_for(request.param, tmp_path, request)
    djfs.pop("url_root", None)
    if request.param == "s3fs":
        djfs["signed_urls"] = True
    settings.DJFS = djfs
    return djfs


@pytest.fixture
def mem_fs(settings, namespace):
    """A namespace of the ``mem`` back-end (no URLs of its own)."""
    settings.DJFS = {"type": "mem"}
    return get_filesystem(namespace)


def with_query(url: str, **changes: str | None) -> str:
    """``url`` with query parameters replaced (None removes one)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"{parts.path}?{urlencode(query)}"


def url_expired_since(source: str, path: str, seconds: int) -> str:
    """A correctly signed URL whose expiry passed ``seconds`` ago.

    Signed with the real key, so only the expiry check can refuse it.
    """
    expires = int(time.time()) - seconds
    url = signed_urls.signed_url(source, path)
    signature = signed_urls._signer().signature(
        signed_urls._message(source, path, expires, False)
    )
    return with_query(url, e=str(expires), s=signature)
