"""URLs signed for djpyfs's serving view (``djpyfs.urls``).

A signed URL names a file of a namespace and carries an HMAC made with
:mod:`django.core.signing` over the namespace, the file name, the expiry time
and the options.  Changing any of them, or using the URL past its expiry,
makes the view answer 403.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import constant_time_compare

from djpyfs.exceptions import URLUnavailable

SALT = "djpyfs.signed_urls"
URL_NAME = "djpyfs:serve"


@dataclass(frozen=True)
class SignedFile:
    """What a valid signed URL grants: one file, until ``expires`` (0: never)."""

    namespace: str
    path: str
    expires: int
    attachment: bool


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def _message(namespace: str, path: str, expires: int, attachment: bool) -> str:
    # NUL cannot occur in a namespace or a file name, so fields cannot shift.
    return f"{namespace}\0{path}\0{expires}\0{int(attachment)}"


def encode_namespace(namespace: str) -> str:
    return base64.urlsafe_b64encode(namespace.encode()).decode().rstrip("=")


def decode_namespace(token: str) -> str:
    """Decode a namespace from its URL form; ValueError if malformed."""
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("malformed namespace") from exc


def signed_url(
    namespace: str, path: str, timeout: int = 0, attachment: bool = False
) -> str:
    """Return a URL path under djpyfs's view that serves ``path``.

    Arguments:
        namespace: a validated namespace.
        path: a normalised file name in it.
        timeout: seconds of validity; 0 for a URL that does not expire.
        attachment: ask the view for ``Content-Disposition: attachment``.

    Raises:
        URLUnavailable: ``djpyfs.urls`` is not in the site's URLconf.
    """
    expires = int(time.time()) + int(timeout) if timeout > 0 else 0
    message = _message(namespace, path, expires, attachment)
    signature = _signer().signature(message)
    try:
        base = reverse(
            URL_NAME, kwargs={"namespace": encode_namespace(namespace), "path": path}
        )
    except NoReverseMatch as exc:
        raise URLUnavailable(
            "This back-end has no URLs of its own; include djpyfs.urls in the "
            "site's URLconf, e.g. path('djpyfs/', include('djpyfs.urls'))."
        ) from exc
    query = {"e": expires, "s": signature}
    if attachment:
        query["a"] = 1
    return f"{base}?{urlencode(query)}"


def verify(namespace_token: str, path: str, query: dict[str, str]) -> SignedFile:
    """Check a request against its signature.

    Raises:
        signing.BadSignature: tampered, malformed or expired.
    """
    try:
        namespace = decode_namespace(namespace_token)
        expires = int(query.get("e", ""))
        attachment = query.get("a") == "1"
    except ValueError as exc:
        raise signing.BadSignature("malformed signed URL") from exc
    signature = query.get("s", "")
    expected = _signer().signature(_message(namespace, path, expires, attachment))
    if not constant_time_compare(signature, expected):
        raise signing.BadSignature("signature does not match")
    if expires and time.time() > expires:
        raise signing.SignatureExpired("signed URL expired")
    return SignedFile(namespace, path, expires, attachment)
