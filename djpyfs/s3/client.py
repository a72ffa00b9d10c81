"""boto3 clients, one per S3 connection setting, shared by every thread.

boto3 clients are thread-safe once built, but building them concurrently from
boto3's default session is not; each client is therefore built from its own
``boto3.session.Session`` under a lock, once per set of connection settings
(endpoint, region, credentials, retries, addressing).  Configurations that
differ only in bucket or prefix share a client: building one costs a tenth
of a second.

Retries are botocore's (``standard`` mode).  DJFS's ``max_attempts`` counts
every attempt, the first included: botocore's ``total_max_attempts``, not its
``max_attempts`` (which counts retries only).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from djpyfs.conf import S3Config

_lock = threading.Lock()


@dataclass(frozen=True)
class _Connection:
    """The part of an S3Config a client depends on."""

    endpoint_url: str | None
    region: str | None
    aws_access_key_id: str | None
    aws_secret_access_key: str | None
    aws_session_token: str | None
    max_attempts: int
    addressing_style: str | None

    @classmethod
    def of(cls, config: S3Config) -> _Connection:
        return cls(
            endpoint_url=config.endpoint_url,
            region=config.region,
            aws_access_key_id=config.aws_access_key_id,
            aws_secret_access_key=config.aws_secret_access_key,
            aws_session_token=config.aws_session_token,
            max_attempts=config.max_attempts,
            addressing_style=config.addressing_style,
        )


def _build(connection: _Connection, signed: bool) -> Any:
    s3_options = {}
    if connection.addressing_style:
        s3_options["addressing_style"] = connection.addressing_style
    config = Config(
        retries={"total_max_attempts": connection.max_attempts, "mode": "standard"},
        s3=s3_options or None,
        signature_version="s3v4" if signed else UNSIGNED,
    )
    session = boto3.session.Session(
        aws_access_key_id=connection.aws_access_key_id,
        aws_secret_access_key=connection.aws_secret_access_key,
        aws_session_token=connection.aws_session_token,
        region_name=connection.region,
    )
    return session.client("s3", endpoint_url=connection.endpoint_url, config=config)


#: Built clients by connection settings and signing; guarded by ``_lock``.
_clients: dict[tuple[_Connection, bool], Any] = {}


def _shared(connection: _Connection, signed: bool) -> Any:
    key = (connection, signed)
    client = _clients.get(key)
    if client is None:
        with _lock:
            # Checked again under the lock: another thread may have built it.
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = _build(connection, signed)
    return client


def get_client(config: S3Config) -> Any:
    """Return the signing client for ``config``, building it on first use."""
    return _shared(_Connection.of(config), True)


def get_unsigned_client(config: S3Config) -> Any:
    """Return a client that makes plain, unsigned URLs (for public buckets)."""
    return _shared(_Connection.of(config), False)
