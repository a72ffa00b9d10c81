"""Paths of an S3 namespace: what is there, listings, directories, removal.

Asking about a file is one ``HeadObject``; about a directory one listing of
a single key (a directory exists while some key is below it).  Listing a
directory takes one request per 1,000 entries and none per file; removing
many files or a tree one ``DeleteObjects`` per 1,000 keys.  A mixin of
:class:`djpyfs.s3.filesystem.S3NamespaceFS`.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from fs import errors
from fs.info import Info
from fs.path import basename
from fs.subfs import SubFS

from djpyfs.s3 import info as s3info
from djpyfs.s3.base import S3PrefixFS
from djpyfs.s3.deletion import raise_for_failures
from djpyfs.s3.listing import has_entries


class TreeOperations(S3PrefixFS):
    """Information, listings, directories and removal of an S3 namespace."""

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
        response = self._list(path, prefix, delimiter=False, max_keys=1)
        if not has_entries(response):
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
        """One HeadObject for a file; a listing more when there is none.

        S3 answers a HEAD for a missing key and for a missing bucket alike
        (a bare 404), so a miss is confirmed by a listing, which names a
        missing bucket: a misconfigured bucket must raise, not look empty.

        Raises:
            djpyfs.s3.errors.BucketNotFound: the bucket does not exist.
        """
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            return False
        if self._head(path, _path) is not None:
            return True
        self._has_keys_below(path, _path)
        return False

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
        if _path != "/" and not has_entries(first):
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
        response = self._list(path, prefix, delimiter=False, max_keys=2)
        keys = [entry["Key"] for entry in response.get("Contents", ())]
        if not keys and _path != "/":
            self._raise_not_a_directory(path, _path)
        return all(key == prefix for key in keys)

    # Directories ----------------------------------------------------------

    def makedir(
        self, path: str, permissions: Any = None, recreate: bool = False
    ) -> SubFS[S3PrefixFS]:
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
        response = self._list(path, prefix, delimiter=False, max_keys=2)
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
        raise_for_failures(dir_path, self._delete_keys(dict.fromkeys(keys, dir_path)))

    # Files ----------------------------------------------------------------

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

    def delete_object(self, path: str) -> None:
        """Delete the file at ``path``, if any, in one request and unchecked.

        The lower-level removal for Django storages, where deleting a
        missing name is no error: one ``DeleteObjects`` for the file's key
        and the directory marker of the same name, so an empty directory
        made with ``makedir()`` goes too.  (A directory with files keeps them
        and stays: it is their key prefix.)

        Raises:
            fs.errors.FileExpected: ``path`` is the root.
            fs.errors.OperationFailed: S3 refused to delete a key.
        """
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            raise errors.FileExpected(path)
        keys = [self._path_to_key(_path), self._path_to_dir_key(_path)]
        failures = self._delete_keys(dict.fromkeys(keys, path))
        if failures:
            raise next(iter(failures.values()))

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
        for key, error in self._delete_keys(by_key).items():
            failures[by_key[key]] = error
        return failures

    # URLs -----------------------------------------------------------------

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
