"""``S3NamespaceFS``: fs-s3fs's ``S3FS`` sharing one client per configuration."""

from __future__ import annotations

from typing import Any

from fs_s3fs import S3FS

from djpyfs.conf import S3Config


class S3NamespaceFS(S3FS):
    """An S3FS rooted at ``dir_path`` in the configured bucket.

    Arguments:
        config: the S3 configuration (bucket, endpoint, credentials).
        dir_path: the key prefix of this filesystem's root (no slashes at
            either end; empty for the bucket's root).
        client: the boto3 S3 client shared by every filesystem of ``config``.
    """

    def __init__(self, config: S3Config, dir_path: str, client: Any) -> None:
        super().__init__(
            config.bucket,
            dir_path=dir_path or "/",
            aws_access_key_id=config.aws_access_key_id,
            aws_secret_access_key=config.aws_secret_access_key,
            aws_session_token=config.aws_session_token,
            endpoint_url=config.endpoint_url,
            region=config.region,
        )
        self._client = client

    @property
    def client(self) -> Any:
        return self._client
