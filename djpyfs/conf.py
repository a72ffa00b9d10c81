"""The ``DJFS`` setting: parsing, validation and lazy access.

Everything else in djpyfs reads its configuration through :func:`get_config`,
which parses ``settings.DJFS`` on first use and caches the result until a
``setting_changed`` signal (sent by ``override_settings``) names one of the
settings it depends on.

Accepted shapes of ``DJFS`` (all keys optional except where noted)::

    {"type": "osfs", "directory_root": "/srv/files", "url_root": "/files/"}
    {"type": "s3fs", "bucket": "b", "prefix": "pyfs", "region": "eu-west-1",
     "aws_access_key_id": ..., "aws_secret_access_key": ...,
     "endpoint_url": ..., "public": False}
    {"type": "mem"}
    {"type": "fsurl", "fs_url": "ftp://host/dir", "url_root": ...}

Every shape also accepts ``signed_urls`` (serve through djpyfs's view even
where the back-end has URLs of its own).  When ``DJFS`` is absent, files go to
``MEDIA_ROOT/djpyfs`` and are served from ``MEDIA_URL + "djpyfs/"``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from fs.opener import registry
from fs.opener.errors import ParseError, UnsupportedProtocol
from fs.opener.parse import parse_fs_url

#: Settings whose change invalidates the parsed configuration.
WATCHED_SETTINGS = frozenset({"DJFS", "MEDIA_ROOT", "MEDIA_URL"})

#: The longest validity S3 allows for a presigned URL (SigV4): seven days.
S3_MAX_URL_AGE = 7 * 24 * 3600

_COMMON_KEYS = frozenset({"type", "url_root", "signed_urls"})

#: Common keys a type has no use for: nothing outside the process can serve
#: its memory at a ``url_root``, so ``mem`` always uses djpyfs's view.
_UNUSED_COMMON_KEYS: dict[str, frozenset[str]] = {"mem": frozenset({"url_root"})}


@dataclass(frozen=True)
class BackendConfig:
    """Options shared by every back-end."""

    type: str
    url_root: str | None = None
    signed_urls: bool = False
    #: Keys of DJFS that djpyfs does not know; reported by ``manage.py check``.
    unknown_keys: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class OSFSConfig(BackendConfig):
    directory_root: str = ""


@dataclass(frozen=True)
class S3Config(BackendConfig):
    bucket: str = ""
    prefix: str = ""
    region: str | None = None
    endpoint_url: str | None = None
    aws_access_key_id: str | None = field(default=None, repr=False)
    aws_secret_access_key: str | None = field(default=None, repr=False)
    aws_session_token: str | None = field(default=None, repr=False)
    #: Objects are world-readable: ``get_url(name)`` without a timeout is an
    #: unsigned URL.
    public: bool = False
    #: Total attempts per request, passed to botocore's retry configuration.
    max_attempts: int = 5
    addressing_style: str | None = None


@dataclass(frozen=True)
class MemoryConfig(BackendConfig):
    pass


@dataclass(frozen=True)
class FSURLConfig(BackendConfig):
    fs_url: str = ""


_KEYS: dict[type[BackendConfig], frozenset[str]] = {
    OSFSConfig: frozenset({"directory_root"}),
    S3Config: frozenset(
        {
            "bucket",
            "prefix",
            "region",
            "region_name",
            "endpoint_url",
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "public",
            "max_attempts",
            "addressing_style",
        }
    ),
    MemoryConfig: frozenset(),
    FSURLConfig: frozenset({"fs_url"}),
}

_TYPES: dict[str, type[BackendConfig]] = {
    "osfs": OSFSConfig,
    "s3fs": S3Config,
    "mem": MemoryConfig,
    "fsurl": FSURLConfig,
}


def _error(key: str, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"DJFS[{key!r}]: {message}")


def _optional_str(djfs: Mapping[str, Any], key: str) -> str | None:
    value = djfs.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | os.PathLike):
        raise _error(key, f"must be a string, not {type(value).__name__}.")
    return os.fspath(value)


def _required_str(djfs: Mapping[str, Any], key: str, type_: str) -> str:
    value = _optional_str(djfs, key)
    if value is None:
        raise _error(key, f"is required when type is {type_!r}.")
    return value


def _bool(djfs: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = djfs.get(key, default)
    if not isinstance(value, bool):
        raise _error(key, f"must be True or False, not {value!r}.")
    return value


def _url_root(djfs: Mapping[str, Any]) -> str | None:
    url_root = _optional_str(djfs, "url_root")
    if url_root is None:
        return None
    # A relative root would make URLs relative to whichever page shows them,
    # and a "javascript:" one would be a script link.
    if not url_root.startswith(("/", "http://", "https://")):
        raise _error(
            "url_root",
            f"must be a path starting with '/' or an http(s) URL, not {url_root!r}.",
        )
    # Joining is done with one slash; a root given with or without a trailing
    # slash means the same thing.
    return url_root.rstrip("/") + "/"


#: What botocore accepts as a bucket name (or an access point / outposts ARN).
_BUCKET = re.compile(r"[A-Za-z0-9.\-_]{1,255}|arn:\S+")


def _bucket(djfs: Mapping[str, Any], type_: str) -> str:
    bucket = _required_str(djfs, "bucket", type_)
    if not _BUCKET.fullmatch(bucket):
        raise _error("bucket", f"is not a valid S3 bucket name: {bucket!r}.")
    return bucket


def _endpoint_url(djfs: Mapping[str, Any]) -> str | None:
    endpoint_url = _optional_str(djfs, "endpoint_url")
    if endpoint_url is None:
        return None
    parts = urlsplit(endpoint_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _error(
            "endpoint_url",
            "must be an http(s) URL such as 'https://s3.example.com', "
            f"not {endpoint_url!r}.",
        )
    return endpoint_url


def _check_fs_url(fs_url: str) -> None:
    """Refuse an FS URL whose scheme no installed opener handles."""
    try:
        scheme = parse_fs_url(fs_url).protocol
        registry.get_opener(scheme)
    except ParseError:
        raise _error(
            "fs_url", f"must be an FS URL such as 'temp://', not {fs_url!r}."
        ) from None
    except UnsupportedProtocol:
        raise _error(
            "fs_url",
            f"no installed pyfilesystem opener handles {scheme!r} URLs "
            "(is its package installed?).",
        ) from None


def normalize_prefix(prefix: str) -> str:
    """Return an S3 key prefix without leading or trailing slashes.

    ``/pyfs/``, ``pyfs/`` and ``pyfs`` all name the keys ``pyfs/...``.
    """
    parts = [part for part in prefix.replace("\\", "/").split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise _error("prefix", f"may not contain '.' or '..' components: {prefix!r}")
    return "/".join(parts)


def parse(djfs: Any) -> BackendConfig:
    """Validate a ``DJFS`` mapping and return its typed configuration.

    Raises:
        ImproperlyConfigured: naming the offending key.
    """
    if not isinstance(djfs, Mapping):
        raise ImproperlyConfigured(f"DJFS must be a dict, not {type(djfs).__name__}.")
    type_ = djfs.get("type")
    if type_ is None and "fs_url" in djfs:
        type_ = "fsurl"
    if type_ is None:
        raise _error("type", f"is required: one of {', '.join(map(repr, _TYPES))}.")
    if type_ not in _TYPES:
        choices = ", ".join(repr(name) for name in _TYPES)
        raise _error("type", f"must be one of {choices}, not {type_!r}.")
    config_class = _TYPES[type_]
    known = _COMMON_KEYS - _UNUSED_COMMON_KEYS.get(type_, frozenset())
    unknown = tuple(sorted(set(djfs) - known - _KEYS[config_class]))
    common: dict[str, Any] = {
        "type": type_,
        "url_root": _url_root(djfs) if "url_root" in known else None,
        "signed_urls": _bool(djfs, "signed_urls"),
        "unknown_keys": unknown,
    }

    if config_class is OSFSConfig:
        root = _required_str(djfs, "directory_root", type_)
        # Resolved once, so that a later chdir() cannot move the files.  A
        # relative root is kept working for sites moving from
        # openedx-django-pyfs, which resolved it against the working directory.
        return OSFSConfig(**common, directory_root=os.path.abspath(root))

    if config_class is S3Config:
        region = _optional_str(djfs, "region")
        region_name = _optional_str(djfs, "region_name")
        if region and region_name and region != region_name:
            raise _error("region_name", "is an alias of 'region'; give only one.")
        key_id = _optional_str(djfs, "aws_access_key_id")
        secret = _optional_str(djfs, "aws_secret_access_key")
        if bool(key_id) != bool(secret):
            missing = "aws_secret_access_key" if key_id else "aws_access_key_id"
            raise _error(missing, "access key id and secret must be given together.")
        max_attempts = djfs.get("max_attempts", 5)
        if not isinstance(max_attempts, int) or isinstance(max_attempts, bool):
            raise _error("max_attempts", f"must be an integer, not {max_attempts!r}.")
        if max_attempts < 1:
            raise _error("max_attempts", "must be at least 1.")
        addressing_style = _optional_str(djfs, "addressing_style")
        if addressing_style not in (None, "auto", "path", "virtual"):
            raise _error("addressing_style", "must be 'auto', 'path' or 'virtual'.")
        return S3Config(
            **common,
            bucket=_bucket(djfs, type_),
            prefix=normalize_prefix(_optional_str(djfs, "prefix") or ""),
            region=region or region_name,
            endpoint_url=_endpoint_url(djfs),
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            aws_session_token=_optional_str(djfs, "aws_session_token"),
            public=_bool(djfs, "public"),
            max_attempts=max_attempts,
            addressing_style=addressing_style,
        )

    if config_class is FSURLConfig:
        fs_url = _required_str(djfs, "fs_url", type_)
        _check_fs_url(fs_url)
        return FSURLConfig(**common, fs_url=fs_url)

    return MemoryConfig(**common)


def default_djfs() -> dict[str, Any]:
    """The configuration used when ``DJFS`` is not set.

    Follows Django's conventions for uploaded files: under ``MEDIA_ROOT`` and
    served from ``MEDIA_URL``.
    """
    media_root = os.fspath(getattr(settings, "MEDIA_ROOT", "") or "")
    if not media_root:
        raise ImproperlyConfigured(
            "DJFS is not set and MEDIA_ROOT is empty: set DJFS, or MEDIA_ROOT "
            "to the directory that should hold djpyfs's files "
            "(MEDIA_ROOT/djpyfs)."
        )
    djfs: dict[str, Any] = {
        "type": "osfs",
        "directory_root": os.path.join(media_root, "djpyfs"),
    }
    media_url = getattr(settings, "MEDIA_URL", "") or ""
    if media_url:
        djfs["url_root"] = media_url.rstrip("/") + "/djpyfs/"
    return djfs


@cache
def get_config() -> BackendConfig:
    """Return the parsed ``DJFS`` setting, parsing it on first use."""
    djfs = getattr(settings, "DJFS", None)
    return parse(default_djfs() if djfs is None else djfs)


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    if setting in WATCHED_SETTINGS:
        get_config.cache_clear()
