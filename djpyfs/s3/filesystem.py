"""``S3NamespaceFS``: a namespace's files in an S3 bucket, in few requests.

The namespace rooted at ``<root>`` keeps the file ``a/b.txt`` at the key
``<root>/a/b.txt``.  A directory is a key prefix: ``a`` exists as soon as any
key starts with ``<root>/a/``, so prefixes written by other tools (which make
no marker keys) are directories like any other.  ``makedir`` writes an empty
marker key ``<root>/a/`` so that an empty directory can exist; removing the
last file of a directory that has no marker makes the directory vanish.  The
namespace root always exists and is never asked for.

This subclasses fs-s3fs's ``S3FS`` for its key layout and settings, but sends
every request through the one boto3 *client* shared per configuration
(:func:`djpyfs.s3.client.get_client`) and reimplements the operations so that:

- ``exists``/``getinfo``/``isfile`` of a file is one ``HeadObject``, ``isdir``
  one ``ListObjectsV2``;
- reading is one ``GetObject`` whose body is streamed (see
  :mod:`djpyfs.s3.files`), with no preceding ``HeadObject``;
- writing is one listing (checking the parent directory and that the name is
  not a directory; skipped for the parent at the namespace root) and one
  ``PutObject`` (multipart above 8 MiB);
- listing is one request per 1,000 entries, with no request per file.

Errors are translated by :mod:`djpyfs.s3.errors`.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from botocore.exceptions import ClientError
from fs import errors
from fs.info import Info
from fs.mode import Mode
from fs.path import basename, dirname
from fs.subfs import SubFS
from fs_s3fs import S3FS

from djpyfs.conf import S3Config
from djpyfs.s3 import info as s3info
from djpyfs.s3.client import MULTIPART_THRESHOLD, TRANSFER_CONFIG, get_client
from djpyfs.s3.errors import error_code, s3_errors, translate_client_error
from djpyfs.s3.files import KeepOpen, S3Reader, S3Writer, new_spool

logger = logging.getLogger(__name__)

#: The most keys S3 returns per listing, and deletes per DeleteObjects.
PAGE_SIZE = 1000

#: Reads are buffered in blocks of this size (``read(10)`` transfers one).
READ_BUFFER = 64 * 1024

#: CopyObject copies at most 5 GiB; larger objects need a multipart copy.
_COPY_TOO_LARGE = frozenset({"InvalidRequest", "EntityTooLarge"})


@dataclass(frozen=True)
class _Target:
    """What S3 holds at a path about to be written (its parent exists)."""

    is_file: bool
    is_dir: bool


def _entries(response: dict[str, Any]) -> bool:
    return bool(response.get("Contents") or response.get("CommonPrefixes"))


def _last_entry(response: dict[str, Any]) -> str:
    names = [entry["Key"] for entry in response.get("Contents", ())]
    names += [entry["Prefix"] for entry in response.get("CommonPrefixes", ())]
    return max(names, default="")


class S3NamespaceFS(S3FS):
    """The files below one key prefix of the configured bucket.

    Arguments:
        config: the S3 configuration (bucket, endpoint, credentials).
        dir_path: the key prefix of this filesystem's root (slashes at either
            end are ignored; empty for the bucket's root).
        client: the boto3 S3 client to use; by default the one shared by
            every filesystem of ``config``.

    Opening a filesystem sends no request.
    """

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
        self, path: str, prefix: str, *, delimiter: bool = True, **params: Any
    ) -> dict[str, Any]:
        params.setdefault("MaxKeys", PAGE_SIZE)
        if delimiter:
            params["Delimiter"] = "/"
        with self._errors(path):
            return self.client.list_objects_v2(
                Bucket=self._bucket_name, Prefix=prefix, **params
            )

    def _pages(
        self, path: str, prefix: str, *, delimiter: bool = True
    ) -> Iterator[dict[str, Any]]:
        """Every page of a listing, requested as they are consumed."""
        params: dict[str, Any] = {}
        while True:
            response = self._list(path, prefix, delimiter=delimiter, **params)
            yield response
            if not response.get("IsTruncated"):
                return
            params["ContinuationToken"] = response["NextContinuationToken"]

    def _has_keys_below(self, path: str, _path: str) -> bool:
        """Whether the directory ``_path`` exists: some key is below it."""
        if _path == "/":
            return True
        response = self._list(
            path, self._path_to_dir_key(_path), delimiter=False, MaxKeys=1
        )
        return _entries(response)

    def _get(self, path: str, _path: str, **params: Any) -> dict[str, Any]:
        """``GetObject`` of the file at ``_path``; FileExpected for a directory."""
        try:
            with self._errors(path):
                return self.client.get_object(
                    Bucket=self._bucket_name, Key=self._path_to_key(_path), **params
                )
        except errors.ResourceNotFound:
            if not params:
                self._raise_not_a_file(path, _path)
            raise

    def _raise_not_a_file(self, path: str, _path: str) -> None:
        """Raise the error for a path where no file is."""
        if self._has_keys_below(path, _path):
            raise errors.FileExpected(path)
        raise errors.ResourceNotFound(path)

    def _raise_not_a_directory(self, path: str, _path: str) -> None:
        """Raise the error for a path where no directory is."""
        if self._head(path, _path) is not None:
            raise errors.DirectoryExpected(path)
        raise errors.ResourceNotFound(path)

    def _target(self, path: str, _path: str) -> _Target:
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
            if not _entries(response):
                raise errors.ResourceNotFound(path)
            target = self._target_in(response, key)
            if not response.get("IsTruncated") or _last_entry(response) >= key + "/":
                return target
        # Below ``key`` sort the file itself, then names continuing it with a
        # character before "/" (such as "name.txt"), then the directory.
        for response in self._pages(path, key):
            target = self._target_in(response, key)
            if target.is_dir or _last_entry(response) >= key + "/":
                return target
        return target

    @staticmethod
    def _target_in(response: dict[str, Any], key: str) -> _Target:
        return _Target(
            is_file=any(entry["Key"] == key for entry in response.get("Contents", ())),
            is_dir=any(
                entry["Prefix"] == key + "/"
                for entry in response.get("CommonPrefixes", ())
            ),
        )

    def _put(self, path: str, _path: str, data: bytes) -> None:
        key = self._path_to_key(_path)
        with self._errors(path):
            self.client.put_object(
                Bucket=self._bucket_name,
                Key=key,
                Body=data,
                **self._get_upload_args(key),
            )

    def _upload(self, path: str, _path: str, file: IO[bytes]) -> None:
        """Store ``file`` from its current position; multipart above 8 MiB."""
        key = self._path_to_key(_path)
        with self._errors(path):
            self.client.upload_fileobj(
                KeepOpen(file),
                self._bucket_name,
                key,
                ExtraArgs=self._get_upload_args(key),
                Config=TRANSFER_CONFIG,
            )

    def _store(self, path: str, _path: str, spool: IO[bytes]) -> None:
        """Upload a closing writer's contents, in one request when small."""
        head = spool.read(MULTIPART_THRESHOLD + 1)
        if len(head) <= MULTIPART_THRESHOLD:
            self._put(path, _path, head)
        else:
            spool.seek(0)
            self._upload(path, _path, spool)

    def _delete_keys(self, keys: list[str], path: str = "") -> dict[str, Exception]:
        """Delete keys with DeleteObjects, 1,000 per request.

        Returns:
            The keys that could not be deleted, with the error for each.  A
            key that does not exist is deleted successfully.
        """
        failures: dict[str, Exception] = {}
        for start in range(0, len(keys), PAGE_SIZE):
            batch = keys[start : start + PAGE_SIZE]
            try:
                response = self.client.delete_objects(
                    Bucket=self._bucket_name,
                    Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
                )
            except ClientError as exc:
                error = translate_client_error(exc, self._bucket_name, path)
                failures.update(dict.fromkeys(batch, error))
                continue
            for error in response.get("Errors", ()):
                failures[error["Key"]] = errors.OperationFailed(
                    path, msg=f"S3 {error.get('Code')}: {error.get('Message')}"
                )
        return failures

    # Information ----------------------------------------------------------

    def getinfo(self, path: str, namespaces: Collection[str] | None = None) -> Info:
        """Get info about a file (one HeadObject) or directory (one more listing).

        Namespaces: ``basic``; ``details`` (size, modified, type); ``s3``
        (the fields of HeadObject, snake_cased); ``urls`` (``download``: a
        presigned URL).

        Raises:
            fs.errors.ResourceNotFound: nothing is at ``path``.
        """
        self.check()
        namespaces = namespaces or ()
        _path = self.validatepath(path)
        if _path == "/":
            return Info(s3info.directory_info("", namespaces))
        name = basename(_path)
        head = self._head(path, _path)
        if head is not None:
            raw = s3info.head_info(name, head, namespaces)
            if "urls" in namespaces:
                raw["urls"] = {"download": self.geturl(_path)}
            return Info(raw)
        prefix = self._path_to_dir_key(_path)
        response = self._list(path, prefix, delimiter=False, MaxKeys=1)
        if not _entries(response):
            raise errors.ResourceNotFound(path)
        first = response["Contents"][0]
        modified = first["LastModified"] if first["Key"] == prefix else None
        return Info(s3info.directory_info(name, namespaces, modified))

    def exists(self, path: str) -> bool:
        """One HeadObject for a file; a listing more for a directory."""
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            return True
        return self._head(path, _path) is not None or self._has_keys_below(path, _path)

    def isfile(self, path: str) -> bool:
        """One HeadObject."""
        self.check()
        _path = self.validatepath(path)
        return _path != "/" and self._head(path, _path) is not None

    def isdir(self, path: str) -> bool:
        """One listing (none for the root)."""
        self.check()
        _path = self.validatepath(path)
        return self._has_keys_below(path, _path)

    def setinfo(self, path: str, info: dict[str, Any]) -> None:
        """S3 has no settable times or permissions: only checks ``path`` exists."""
        self.getinfo(path)

    def scandir(
        self,
        path: str,
        namespaces: Collection[str] | None = None,
        page: tuple[int | None, int | None] | None = None,
    ) -> Iterator[Info]:
        """Info of a directory's entries: one listing per 1,000 entries.

        The first listing is made at once (so errors are raised here); the
        following ones as the iterator is consumed.  A name that is both a
        file and a directory (S3 allows it) is listed once, as a file.
        """
        self.check()
        namespaces = namespaces or ()
        _path = self.validatepath(path)
        prefix = self._path_to_dir_key(_path)
        pages = self._pages(path, prefix)
        first = next(pages)
        if _path != "/" and not _entries(first):
            self._raise_not_a_directory(path, _path)
        infos = self._scan(itertools.chain([first], pages), prefix, namespaces)
        if page is not None:
            start, end = page
            infos = itertools.islice(infos, start, end)
        return infos

    @staticmethod
    def _scan(
        pages: Iterable[dict[str, Any]], prefix: str, namespaces: Collection[str]
    ) -> Iterator[Info]:
        seen: set[str] = set()
        start = len(prefix)
        for response in pages:
            for entry in response.get("Contents", ()):
                name = entry["Key"][start:]
                # "" is the directory's own marker key.
                if name and name not in seen:
                    seen.add(name)
                    yield Info(s3info.listing_info(name, entry, namespaces))
            for entry in response.get("CommonPrefixes", ()):
                name = entry["Prefix"][start:].rstrip("/")
                if name and name not in seen:
                    seen.add(name)
                    yield Info(s3info.directory_info(name, namespaces))

    def listdir(self, path: str) -> list[str]:
        """Names in a directory: one listing per 1,000 entries."""
        return [info.name for info in self.scandir(path)]

    def isempty(self, path: str) -> bool:
        """One listing of at most two keys."""
        self.check()
        _path = self.validatepath(path)
        prefix = self._path_to_dir_key(_path)
        response = self._list(path, prefix, delimiter=False, MaxKeys=2)
        keys = [entry["Key"] for entry in response.get("Contents", ())]
        if not keys and _path != "/":
            self._raise_not_a_directory(path, _path)
        return all(key == prefix for key in keys)

    # Directories ----------------------------------------------------------

    def makedir(
        self, path: str, permissions: Any = None, recreate: bool = False
    ) -> SubFS[S3NamespaceFS]:
        """Make a directory: writes its marker key ``<prefix>/<path>/``."""
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            if recreate:
                return SubFS(self, _path)
            raise errors.DirectoryExists(path)
        target = self._target(path, _path)
        if target.is_dir and recreate:
            return SubFS(self, _path)
        if target.is_dir or target.is_file:
            raise errors.DirectoryExists(path)
        with self._errors(path):
            self.client.put_object(
                Bucket=self._bucket_name, Key=self._path_to_dir_key(_path), Body=b""
            )
        return SubFS(self, _path)

    def removedir(self, path: str) -> None:
        """Remove an empty directory (its marker key, if it has one)."""
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            raise errors.RemoveRootError(path)
        prefix = self._path_to_dir_key(_path)
        response = self._list(path, prefix, delimiter=False, MaxKeys=2)
        keys = [entry["Key"] for entry in response.get("Contents", ())]
        if not keys:
            self._raise_not_a_directory(path, _path)
        if any(key != prefix for key in keys):
            raise errors.DirectoryNotEmpty(path)
        with self._errors(path):
            self.client.delete_object(Bucket=self._bucket_name, Key=prefix)

    def removetree(self, dir_path: str) -> None:
        """Remove a directory and everything below: DeleteObjects per 1,000 keys.

        ``removetree("/")`` empties the namespace (which still exists).
        """
        self.check()
        _path = self.validatepath(dir_path)
        prefix = self._path_to_dir_key(_path)
        keys = [
            entry["Key"]
            for response in self._pages(dir_path, prefix, delimiter=False)
            for entry in response.get("Contents", ())
        ]
        if not keys and _path != "/":
            self._raise_not_a_directory(dir_path, _path)
        failures = self._delete_keys(keys, dir_path)
        if failures:
            key, error = next(iter(failures.items()))
            raise errors.OperationFailed(
                dir_path,
                msg=f"{len(failures)} keys could not be deleted, e.g. {key!r}: {error}",
            )

    # Files ----------------------------------------------------------------

    def openbin(
        self, path: str, mode: str = "r", buffering: int = -1, **options: Any
    ) -> IO[bytes]:
        """Open a file.

        Reading streams one GetObject (ranged GETs after a seek).  Writing
        checks the parent directory with one listing, keeps the data in a
        spooled temporary file and uploads it on ``close()``.  ``a`` and ``r+``
        download the current contents first.
        """
        _mode = Mode(mode)
        _mode.validate_bin()
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            raise errors.FileExpected(path)

        def store(spool: IO[bytes]) -> None:
            self._store(path, _path, spool)

        if _mode.create:
            target = self._target(path, _path)
            if target.is_dir:
                raise errors.FileExpected(path)
            if target.is_file and _mode.exclusive:
                raise errors.FileExists(path)
            spool = None
            if _mode.appending and target.is_file:
                spool = self._download_to_spool(path, _path)
                spool.seek(0, io.SEEK_END)
            changed = _mode.truncate or not target.is_file
            return S3Writer(path, _mode, store, spool, changed=changed)  # type: ignore[return-value]

        if _mode.writing:
            spool = self._download_to_spool(path, _path)
            return S3Writer(path, _mode, store, spool, changed=False)  # type: ignore[return-value]

        response = self._get(path, _path)
        etag = response.get("ETag")

        def fetch(start: int) -> dict[str, Any]:
            params = {"Range": f"bytes={start}-"}
            if etag:
                params["IfMatch"] = etag
            return self._get(path, _path, **params)

        reader = S3Reader(path, self._bucket_name, response, fetch)
        return io.BufferedReader(reader, READ_BUFFER)  # type: ignore[return-value]

    def _download_to_spool(self, path: str, _path: str) -> IO[bytes]:
        spool = new_spool()
        self._download(path, _path, spool)
        spool.seek(0)
        return spool

    def _download(
        self, path: str, _path: str, file: IO[bytes], chunk_size: int | None = None
    ) -> None:
        response = self._get(path, _path)
        with self._errors(path):
            for chunk in response["Body"].iter_chunks(chunk_size or READ_BUFFER):
                file.write(chunk)

    def readbytes(self, path: str) -> bytes:
        """One GetObject."""
        self.check()
        _path = self.validatepath(path)
        response = self._get(path, _path)
        with self._errors(path):
            return response["Body"].read()

    def download(
        self, path: str, file: IO[bytes], chunk_size: int | None = None, **options: Any
    ) -> None:
        """Copy a file to a binary file object: one streamed GetObject."""
        self.check()
        self._download(path, self.validatepath(path), file, chunk_size)

    def writebytes(self, path: str, contents: bytes) -> None:
        """One PutObject, after one listing checking the parent (see ``_target``)."""
        if not isinstance(contents, bytes):
            raise TypeError("contents must be bytes")
        self.check()
        _path = self.validatepath(path)
        if _path == "/" or self._target(path, _path).is_dir:
            raise errors.FileExpected(path)
        self._put(path, _path, contents)

    def upload(
        self, path: str, file: IO[bytes], chunk_size: int | None = None, **options: Any
    ) -> None:
        """Store a binary file object, from its current position.

        Over 8 MiB this is a multipart upload reading ``file`` part by part.
        ``file`` is left open.
        """
        self.check()
        _path = self.validatepath(path)
        if _path == "/" or self._target(path, _path).is_dir:
            raise errors.FileExpected(path)
        self._upload(path, _path, file)

    def remove(self, path: str) -> None:
        """One HeadObject (S3 deletes missing keys silently), one DeleteObject."""
        self.check()
        _path = self.validatepath(path)
        if _path == "/" or self._head(path, _path) is None:
            self._raise_not_a_file(path, _path)
        with self._errors(path):
            self.client.delete_object(
                Bucket=self._bucket_name, Key=self._path_to_key(_path)
            )

    def remove_files(self, paths: Iterable[str]) -> dict[str, Exception]:
        """Remove files with DeleteObjects, 1,000 per request.

        Returns:
            The paths that could not be removed, with the error for each.  A
            file already gone is not an error; nor is a path that names a
            directory (it is left alone, as S3 has no object there).
        """
        self.check()
        failures: dict[str, Exception] = {}
        by_key: dict[str, str] = {}
        for path in paths:
            try:
                _path = self.validatepath(path)
            except (errors.FSError, errors.IllegalBackReference) as exc:
                failures[path] = exc
                continue
            if _path == "/":
                failures[path] = errors.FileExpected(path)
            else:
                by_key[self._path_to_key(_path)] = path
        for key, error in self._delete_keys(list(by_key)).items():
            failures[by_key[key]] = error
        return failures

    def copy(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        """Copy a file within the bucket (CopyObject; S3 does the transfer).

        ``preserve_time`` is accepted for compatibility and has no effect: S3
        sets an object's modification time itself.
        """
        self.check()
        _src = self.validatepath(src_path)
        _dst = self.validatepath(dst_path)
        if _dst == "/":
            raise errors.DestinationExists(dst_path)
        target = self._target(dst_path, _dst)
        if (target.is_file or target.is_dir) and not overwrite:
            raise errors.DestinationExists(dst_path)
        if target.is_dir:
            raise errors.FileExpected(dst_path)
        if _src == "/":
            raise errors.FileExpected(src_path)
        if _src == _dst:
            # S3 refuses to copy an object onto itself unchanged.
            if self._head(src_path, _src) is None:
                self._raise_not_a_file(src_path, _src)
            return
        self._copy_object(src_path, _src, _dst)

    def _copy_object(self, src_path: str, _src: str, _dst: str) -> None:
        source = {"Bucket": self._bucket_name, "Key": self._path_to_key(_src)}
        dst_key = self._path_to_key(_dst)
        try:
            with self._errors(src_path):
                try:
                    self.client.copy_object(
                        Bucket=self._bucket_name, Key=dst_key, CopySource=source
                    )
                except ClientError as exc:
                    if error_code(exc) not in _COPY_TOO_LARGE:
                        raise
                    # Over 5 GiB: boto3's managed copy does it in parts.
                    self.client.copy(
                        source, self._bucket_name, dst_key, Config=TRANSFER_CONFIG
                    )
        except errors.ResourceNotFound:
            self._raise_not_a_file(src_path, _src)

    def move(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        """Copy, then delete the source (S3 has no rename)."""
        self.copy(src_path, dst_path, overwrite=overwrite, preserve_time=preserve_time)
        _src = self.validatepath(src_path)
        if _src != self.validatepath(dst_path):
            with self._errors(src_path):
                self.client.delete_object(
                    Bucket=self._bucket_name, Key=self._path_to_key(_src)
                )

    def geturl(self, path: str, purpose: str = "download") -> str:
        """A presigned GET URL (botocore's default validity of one hour)."""
        _path = self.validatepath(path)
        if _path == "/" or purpose != "download":
            raise errors.NoURL(path, purpose)
        with self._errors(path):
            return self.client.generate_presigned_url(
                ClientMethod="get_object",
                Params={"Bucket": self._bucket_name, "Key": self._path_to_key(_path)},
            )
