"""``s3fs``: objects in an S3 bucket, keys ``<prefix>/<namespace>/<file>``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fs.base import FS

from djpyfs.backends.base import Backend
from djpyfs.conf import S3Config
from djpyfs.s3.presign import presign_lifetime


class S3Backend(Backend):
    config: S3Config

    def __init__(self, config: S3Config) -> None:
        super().__init__(config)
        # Imported here so that sites without the [s3] extra can import djpyfs.
        from djpyfs.s3 import client

        self._clients = client

    @property
    def client(self) -> Any:
        return self._clients.get_client(self.config)

    def key_prefix(self, namespace: str) -> str:
        """The key prefix of a namespace: ``<prefix>/<namespace>``."""
        return f"{self.config.prefix}/{namespace}" if self.config.prefix else namespace

    def open_namespace(self, namespace: str) -> FS:
        from djpyfs.s3.filesystem import S3NamespaceFS

        return S3NamespaceFS(self.config, self.key_prefix(namespace), self.client)

    def native_url(self, namespace: str, path: str, timeout: int) -> str | None:
        if timeout <= 0 and self.config.url_root is not None:
            return super().native_url(namespace, path, timeout)
        key = f"{self.key_prefix(namespace)}/{path}"
        if timeout <= 0 and self.config.public:
            client = self._clients.get_unsigned_client(self.config)
            return client.generate_presigned_url(
                "get_object", Params={"Bucket": self.config.bucket, "Key": key}
            )
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.config.bucket, "Key": key},
            # "No expiry asked" is the longest S3 allows, never an expired URL.
            ExpiresIn=presign_lifetime(int(timeout), key),
        )

    def remove_files(
        self, namespace: str, fs: FS, paths: Iterable[str]
    ) -> dict[str, Exception]:
        """Delete with DeleteObjects, up to 1,000 keys per request."""
        from djpyfs.s3.filesystem import S3NamespaceFS

        if not isinstance(fs, S3NamespaceFS):
            fs = S3NamespaceFS(self.config, self.key_prefix(namespace), self.client)
        return fs.remove_files(paths)
