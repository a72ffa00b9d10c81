"""boto3 clients, one per S3 configuration, shared by every thread.

boto3 clients are thread-safe once built, but building them concurrently from
boto3's default session is not; each client is therefore built from its own
``boto3.session.Session`` under a lock, once per configuration.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from djpyfs.conf import S3Config

_lock = threading.Lock()


def _client_config(config: S3Config, **extra: Any) -> Config:
    s3_options = {}
    if config.addressing_style:
        s3_options["addressing_style"] = config.addressing_style
    return Config(
        retries={"max_attempts": config.max_attempts, "mode": "standard"},
        s3=s3_options or None,
        **extra,
    )


def _build(config: S3Config, **extra: Any) -> Any:
    with _lock:
        session = boto3.session.Session(
            aws_access_key_id=config.aws_access_key_id,
            aws_secret_access_key=config.aws_secret_access_key,
            aws_session_token=config.aws_session_token,
            region_name=config.region,
        )
        return session.client(
            "s3",
            endpoint_url=config.endpoint_url,
            config=_client_config(config, **extra),
        )


@cache
def get_client(config: S3Config) -> Any:
    """Return the signing client for ``config``, building it on first use."""
    return _build(config, signature_version="s3v4")


@cache
def get_unsigned_client(config: S3Config) -> Any:
    """Return a client that makes plain, unsigned URLs (for public buckets)."""
    return _build(config, signature_version=UNSIGNED)
