"""``S3PrefixFS``: the keys below one prefix and the requests about them.

The base of :class:`djpyfs.s3.filesystem.S3NamespaceFS`: it maps paths to
keys (the file ``a/b.txt`` of the filesystem rooted at ``<root>`` is the key
``<root>/a/b.txt``, the directory ``a`` the prefix ``<root>/a/``) and holds
the single requests the operations are made of, each sent through the one
shared boto3 client with errors translated by :mod:`djpyfs.s3.errors`.  What
those requests mean for pyfilesystem's operations is in
:mod:`djpyfs.s3.tree` (paths, listings, directories, removal) and
:mod:`djpyfs.s3.contents` (reading, writing, copying files).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, NoReturn

from fs import errors
from fs.path import dirname
from fs_s3fs import S3FS

from djpyfs.conf import S3Config
from djpyfs.s3.client import get_client
from djpyfs.s3.deletion import delete_keys
from djpyfs.s3.errors import s3_errors
from djpyfs.s3.files import KeepOpen, Prefixed
from djpyfs.s3.listing import (
    PAGE_SIZE,
    has_entries,
    last_entry,
    list_keys,
    list_pages,
)
from djpyfs.s3.uploads import (
    MULTIPART_THRESHOLD,
    TRANSFER_CONFIG,
    read_exactly,
    upload_parts_exclusive,
)


def _seekable(file: IO[bytes]) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, OSError, ValueError):
        return False


@dataclass(frozen=True)
class Target:
    """What S3 holds at a path about to be written (its parent exists)."""

    is_file: bool
    is_dir: bool


class S3PrefixFS(S3FS):
    """Keys and requests of one key prefix (arguments: see ``S3NamespaceFS``)."""

    def __init__(self, config: S3Config, dir_path: str, client: Any = None) -> None:
        root = dir_path.strip("/")
        super().__init__(
            config.bucket,
            dir_path=f"/{root}",
            endpoint_url=config.endpoint_url,
            region=config.region,
        )
        self.config = config
        self._client = client if client is not None else get_client(config)
        #: Every key of this filesystem starts with this ("" at bucket root).
        self._root_prefix = f"{root}/" if root else ""

    @property
    def client(self) -> Any:
        """The shared boto3 client every request of this filesystem uses."""
        return self._client

    @property
    def s3(self) -> Any:
        # fs-s3fs builds a boto3 resource per thread here; nothing in this
        # class may use one.
        raise AttributeError("S3NamespaceFS sends requests through .client only")

    # Keys -----------------------------------------------------------------

    def _path_to_key(self, path: str) -> str:
        """The key of the file at ``path`` (an absolute, normalised path)."""
        return self._root_prefix + path.strip("/")

    def _path_to_dir_key(self, path: str) -> str:
        """The prefix of every key below the directory at ``path``."""
        relative = path.strip("/")
        return f"{self._root_prefix}{relative}/" if relative else self._root_prefix

    def _errors(self, path: str) -> Any:
        return s3_errors(self._bucket_name, path)

    # Requests -------------------------------------------------------------

    def _head(self, path: str, _path: str) -> dict[str, Any] | None:
        """The ``HeadObject`` of the file at ``_path``, or None if none."""
        try:
            with self._errors(path):
                return self.client.head_object(
                    Bucket=self._bucket_name, Key=self._path_to_key(_path)
                )
        except errors.ResourceNotFound:
            return None

    def _list(
        self,
        path: str,
        prefix: str,
        *,
        delimiter: bool = True,
        max_keys: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        """One listing of ``prefix`` (see :func:`djpyfs.s3.listing.list_keys`)."""
        return list_keys(
            self.client,
            self._bucket_name,
            prefix,
            path,
            delimiter=delimiter,
            max_keys=max_keys,
        )

    def _pages(
        self, path: str, prefix: str, *, delimiter: bool = True
    ) -> Iterator[dict[str, Any]]:
        """Every page of a listing, requested as they are consumed."""
        return list_pages(
            self.client, self._bucket_name, prefix, path, delimiter=delimiter
        )

    def _has_keys_below(self, path: str, _path: str) -> bool:
        """Whether the directory ``_path`` exists: some key is below it."""
        if _path == "/":
            return True
        response = self._list(
            path, self._path_to_dir_key(_path), delimiter=False, max_keys=1
        )
        return has_entries(response)

    def _get(self, path: str, _path: str) -> dict[str, Any]:
        """``GetObject`` of the file at ``_path``; FileExpected for a directory."""
        try:
            with self._errors(path):
                return self.client.get_object(
                    Bucket=self._bucket_name, Key=self._path_to_key(_path)
                )
        except errors.ResourceNotFound:
            self._raise_not_a_file(path, _path)

    def _raise_not_a_file(self, path: str, _path: str) -> NoReturn:
        """Raise the error for a path where no file is."""
        if self._has_keys_below(path, _path):
            raise errors.FileExpected(path)
        raise errors.ResourceNotFound(path)

    def _raise_not_a_directory(self, path: str, _path: str) -> NoReturn:
        """Raise the error for a path where no directory is."""
        if self._head(path, _path) is not None:
            raise errors.DirectoryExpected(path)
        raise errors.ResourceNotFound(path)

    def _target(self, path: str, _path: str) -> Target:
        """Check the parent of ``_path`` is a directory; say what ``_path`` is.

        One listing in the common case: the parent's first page (its entries
        prove it exists, and show ``_path`` as a file or directory), or, for
        a parent at the namespace root (which always exists), the entries
        whose names start with the name of ``_path``.

        Raises:
            fs.errors.ResourceNotFound: the parent directory does not exist.
        """
        parent = dirname(_path)
        key = self._path_to_key(_path)
        if parent != "/":
            response = self._list(path, self._path_to_dir_key(parent))
            if not has_entries(response):
                raise errors.ResourceNotFound(path)
            target = self._target_in(response, key)
            if not response.get("IsTruncated") or last_entry(response) >= key + "/":
                return target
        # Below ``key`` sort the file itself, then names continuing it with a
        # character before "/" (such as "name.txt"), then the directory.
        for response in self._pages(path, key):
            target = self._target_in(response, key)
            if target.is_dir or last_entry(response) >= key + "/":
                return target
        return target

    @staticmethod
    def _target_in(response: Mapping[str, Any], key: str) -> Target:
        return Target(
            is_file=any(entry["Key"] == key for entry in response.get("Contents", ())),
            is_dir=any(
                entry["Prefix"] == key + "/"
                for entry in response.get("CommonPrefixes", ())
            ),
        )

    def _put(
        self, path: str, _path: str, data: bytes, *, exclusive: bool = False
    ) -> None:
        """One ``PutObject``; with ``exclusive``, only if the key is free.

        Raises:
            fs.errors.FileExists: ``exclusive`` and an object has the key.
        """
        key = self._path_to_key(_path)
        condition = {"IfNoneMatch": "*"} if exclusive else {}
        with self._errors(path):
            self.client.put_object(
                Bucket=self._bucket_name,
                Key=key,
                Body=data,
                **condition,
                **self._get_upload_args(key),
            )

    def _upload(
        self, path: str, _path: str, file: IO[bytes], *, exclusive: bool = False
    ) -> None:
        """Store ``file`` from its current position in parts (over 8 MiB).

        Raises:
            fs.errors.FileExists: ``exclusive`` and an object has the key.
        """
        key = self._path_to_key(_path)
        with self._errors(path):
            if exclusive:
                upload_parts_exclusive(
                    self.client,
                    self._bucket_name,
                    key,
                    file,
                    self._get_upload_args(key),
                )
                return
            self.client.upload_fileobj(
                KeepOpen(file),
                self._bucket_name,
                key,
                ExtraArgs=self._get_upload_args(key),
                Config=TRANSFER_CONFIG,
            )

    def _store(
        self, path: str, _path: str, file: IO[bytes], *, exclusive: bool = False
    ) -> None:
        """Upload ``file`` from its position: one request when small.

        Raises:
            fs.errors.FileExists: ``exclusive`` and an object has the key.
        """
        start = file.tell() if _seekable(file) else None
        head = read_exactly(file, MULTIPART_THRESHOLD + 1)
        if len(head) <= MULTIPART_THRESHOLD:
            self._put(path, _path, head, exclusive=exclusive)
            return
        if start is not None:
            file.seek(start)
        else:
            file = io.BufferedReader(Prefixed(head, file))
        self._upload(path, _path, file, exclusive=exclusive)

    def _delete_keys(self, paths: Mapping[str, str]) -> dict[str, Exception]:
        """Delete keys in bulk (see :func:`djpyfs.s3.deletion.delete_keys`)."""
        return delete_keys(self.client, self._bucket_name, paths)
