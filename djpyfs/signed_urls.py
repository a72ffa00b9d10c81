"""URLs signed for djpyfs's serving view (``djpyfs.urls``).

Back-ends without URLs of their own (``mem``, ``osfs`` without ``url_root``,
a Django storage whose ``url()`` fails) and every back-end when
``DJFS['signed_urls']`` is true hand out URLs made here.  A URL names a
*source* (a namespace of :func:`~djpyfs.get_filesystem`, or
``/storages/<alias>`` for a :class:`~djpyfs.pyfs_from_storage.StorageFS`), a
file in it, an expiry time and options, and carries an HMAC over all of them
made with :mod:`django.core.signing` (so ``SECRET_KEY`` signs and
``SECRET_KEY_FALLBACKS`` still verify).  Changing any part, or using the URL
past its expiry, makes the view answer 403.

The URL has the shape ``<djpyfs.urls root><source token>/<path>?e=..&s=..``:
the source is base64url-encoded because namespaces contain ``/``.
"""

from __future__ import annotations

import base64
import binascii
import math
import numbers
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core import signing
from django.urls import NoReverseMatch, reverse
from fs.base import FS

from djpyfs.exceptions import SuspiciousPath, URLUnavailable
from djpyfs.namespaces import normalize_filename, validate_namespace

SALT = "djpyfs.signed_urls"
URL_NAME = "djpyfs:serve"


@dataclass(frozen=True)
class SignedFile:
    """What a valid signed URL grants: one file, until ``expires`` (0: never)."""

    source: str
    path: str
    expires: int
    attachment: bool

    def seconds_left(self, now: float | None = None) -> float | None:
        """Seconds until the URL stops working; None if it never does."""
        if not self.expires:
            return None
        return self.expires - (time.time() if now is None else now)


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def _message(source: str, path: str, expires: int, attachment: bool) -> str:
    # NUL cannot occur in a source or a file name, so fields cannot shift.
    return f"{source}\0{path}\0{expires}\0{int(attachment)}"


def _storage_prefix() -> str:
    # Imported when needed: djpyfs.expiry imports the models, and this module
    # is imported by djpyfs.filesystem, which must import before apps load.
    from djpyfs.expiry import STORAGE_MODULE_PREFIX

    return STORAGE_MODULE_PREFIX


def validate_source(source: str) -> str:
    """Return ``source`` normalised: a namespace, or ``/storages/<alias>``.

    Raises:
        SuspiciousPath: neither a valid namespace nor a storage alias.
    """
    prefix = _storage_prefix()
    if source.startswith(prefix):
        alias = source[len(prefix) :]
        if not alias or "/" in alias or "\0" in alias:
            raise SuspiciousPath(source, "Not a storage alias")
        return source
    return validate_namespace(source)


def open_source(source: str) -> FS:
    """Open the filesystem a (validated) source names, for reading its files."""
    prefix = _storage_prefix()
    if source.startswith(prefix):
        from djpyfs.pyfs_from_storage import StorageFS

        return StorageFS(source[len(prefix) :])
    from djpyfs.filesystem import get_filesystem

    return get_filesystem(source)


def encode_source(source: str) -> str:
    return base64.urlsafe_b64encode(source.encode()).decode().rstrip("=")


def decode_source(token: str) -> str:
    """Decode a source from its URL form.

    Raises:
        ValueError: the token is not base64url of UTF-8 text.
    """
    try:
        raw = base64.b64decode(
            token + "=" * (-len(token) % 4), altchars=b"-_", validate=True
        )
        return raw.decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("malformed source") from exc


#: The longest lifetime a URL may be asked for: a century is "for ever" to a
#: person and far from the end of the clocks that check it; 0 is the way to
#: ask for no expiry.
MAX_URL_LIFETIME = 100 * 365 * 24 * 3600


def url_lifetime(timeout: float | None) -> int:
    """Whole seconds of validity for a URL asked with ``timeout``.

    ``0`` (or ``None``) asks for no expiry.  Fractions are rounded up, so a
    URL never expires earlier than asked.

    Raises:
        TypeError: ``timeout`` is not a number (``"5"``, ``True``).
        ValueError: ``timeout`` is negative (a lifetime computed for a file
            whose time is already up must not become a permanent URL), NaN,
            or longer than :data:`MAX_URL_LIFETIME` (infinite included).
    """
    if timeout is None:
        return 0
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise TypeError(f"A URL timeout must be a number of seconds, not {timeout!r}.")
    if timeout != timeout or timeout < 0:  # NaN is not equal to itself
        raise ValueError(
            f"A URL timeout must be 0 (no expiry) or positive, not {timeout!r}."
        )
    # Compared, not converted: int(1e400) and float(10**400) overflow.
    if timeout > MAX_URL_LIFETIME:
        raise ValueError(
            f"A URL timeout must be at most {MAX_URL_LIFETIME} seconds (about "
            f"{MAX_URL_LIFETIME // (365 * 24 * 3600)} years); 0 asks for no expiry."
        )
    return math.ceil(timeout)


def signed_url(
    source: str, path: str, timeout: float = 0, attachment: bool = False
) -> str:
    """Return a URL path under djpyfs's view that serves ``path`` of ``source``.

    Arguments:
        source: a namespace, or ``/storages/<alias>`` (see
            :func:`djpyfs.expiry.storage_module`).
        path: the file's name in it; normalised here.
        timeout: seconds of validity; 0 for a URL that does not expire.
            Fractions are rounded up to whole seconds.
        attachment: ask the view for ``Content-Disposition: attachment``.

    Returns:
        A path such as ``/djpyfs/Y2hhcnRz/a.png?e=1700000000&s=...``, made
        whether or not the file exists.

    Raises:
        SuspiciousPath: the source or the file name is not valid.
        ValueError: ``timeout`` is negative.
        URLUnavailable: ``djpyfs.urls`` is not in the site's URLconf.
    """
    source = validate_source(source)
    path = normalize_filename(path)
    lifetime = url_lifetime(timeout)
    expires = int(time.time()) + lifetime if lifetime else 0
    signature = _signer().signature(_message(source, path, expires, attachment))
    try:
        base = reverse(URL_NAME, kwargs={"source": encode_source(source), "path": path})
    except NoReverseMatch as exc:
        raise URLUnavailable(
            "This back-end has no URLs of its own; include djpyfs.urls in the "
            "site's URLconf, e.g. path('djpyfs/', include('djpyfs.urls'))."
        ) from exc
    query: dict[str, str | int] = {"e": expires, "s": signature}
    if attachment:
        query["a"] = 1
    return f"{base}?{urlencode(query)}"


def verify(source_token: str, path: str, query: Mapping[str, str]) -> SignedFile:
    """Check the parts of a request against their signature.

    Arguments:
        source_token: the source as it appears in the URL.
        path: the file name as it appears in the URL (decoded).
        query: the query parameters.

    Returns:
        What the URL grants; its ``source`` and ``path`` are exactly the
        ones signed, so they are valid and normalised.

    Raises:
        signing.SignatureExpired: the URL was valid but has expired.
        signing.BadSignature: tampered or malformed.
    """
    try:
        source = decode_source(source_token)
        expires = int(query.get("e", ""))
    except ValueError as exc:
        raise signing.BadSignature("malformed signed URL") from exc
    attachment = query.get("a") == "1"
    signature = query.get("s", "")
    message = _message(source, path, expires, attachment)
    # unsign() checks SECRET_KEY then SECRET_KEY_FALLBACKS, in constant time.
    signer = _signer()
    signer.unsign(f"{message}{signer.sep}{signature}")
    if expires and time.time() >= expires:
        raise signing.SignatureExpired("signed URL expired")
    return SignedFile(source, path, expires, attachment)
