"""StorageFS over django-storages' ``S3Storage``: S3 requests where they pay.

The Storage API answers ``listdir`` without sizes, ``open`` by downloading
the whole object first and ``delete`` one key per request.  This talks to
the storage's own boto3 client (``storage.connection.meta.client``, so its
credentials, endpoint and per-thread connections apply) for listings with
sizes and dates (1 request per 1,000 keys), ranged streaming reads and bulk
deletes; writes still go through the storage's ``_save`` so its object
parameters, ACLs and gzip settings apply.

Directories are S3-console-style ``dir/`` zero-byte keys, as the AWS
console, fs-s3fs (djpyfs's own ``s3fs`` back-end) and most S3 tools make
and understand them; django-storages' ``listdir`` hides them too.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterable, Iterator
from typing import IO, Any

from fs import errors
from storages.utils import clean_name

from djpyfs.s3.deletion import delete_keys, raise_for_failures
from djpyfs.s3.errors import s3_errors
from djpyfs.s3.files import S3Reader
from djpyfs.s3.listing import list_keys, list_pages
from djpyfs.s3.presign import presign_lifetime
from djpyfs.storage_access import Entry, StorageAccess

#: Keys one stat() lists: enough to reach "name/" past the usual siblings.
STAT_LISTING = 100

#: Read-ahead buffer of S3 reads: large enough to make few requests when
#: seeking around, small enough not to matter for memory.
READ_BUFFER = 1024 * 1024


class S3StorageAccess(StorageAccess):
    # S3Storage._save() is a PUT (or multipart upload) to the key: it
    # replaces an existing object atomically, so no delete first.
    saves_in_place = True

    def __init__(self, storage: Any) -> None:
        super().__init__(storage)
        self.real_directories = False

    @property
    def client(self) -> Any:
        return self.storage.connection.meta.client

    @property
    def bucket(self) -> str:
        return self.storage.bucket_name

    def key(self, name: str) -> str:
        """The S3 key of a storage name, mapped as the storage maps it."""
        # _normalize_name is how S3Storage maps every name it reads or
        # writes (prefixing its ``location``); using it keeps our keys the
        # storage's keys, subclass overrides included.
        return self.storage._normalize_name(clean_name(name))

    def dir_prefix(self, name: str) -> str:
        """The key prefix of everything inside directory ``name``."""
        if not name:
            return self.storage._normalize_name("")
        return self.key(name) + "/"

    def url(self, name: str, timeout: int) -> str | None:
        """The storage's URL; a timeout past S3's limit is clamped to it (0
        keeps the storage's own default, ``AWS_QUERYSTRING_EXPIRE``)."""
        if timeout > 0:
            timeout = presign_lifetime(timeout, self.key(name))
        return super().url(name, timeout)

    # ------------------------------------------------------------ reading

    def stat(self, name: str, details: bool = False) -> Entry | None:
        """One LIST request: the key itself sorts first, its ``name/`` prefix
        follows among the siblings whose names extend it (``name.txt``...)."""
        if not name:
            return Entry("", True)
        base = posixpath.basename(name)
        key = self.key(name)
        listing = list_keys(self.client, self.bucket, key, name, max_keys=STAT_LISTING)
        contents = listing.get("Contents") or [{}]
        if contents[0].get("Key") == key:
            return Entry(base, False, contents[0]["Size"], contents[0]["LastModified"])
        if any(p["Prefix"] == key + "/" for p in listing.get("CommonPrefixes", ())):
            return Entry(base, True)
        if not listing.get("IsTruncated"):
            return None
        # More siblings than one page sort before "name/": ask for it alone.
        listing = list_keys(
            self.client, self.bucket, key + "/", name, delimiter=False, max_keys=1
        )
        return Entry(base, True) if listing.get("KeyCount") else None

    def _pages(self, name: str, prefix: str, *, delimiter: bool) -> Iterator[dict]:
        return list_pages(self.client, self.bucket, prefix, name, delimiter=delimiter)

    def scandir(self, name: str, details: bool = False) -> list[Entry]:
        prefix = self.dir_prefix(name)
        entries: list[Entry] = []
        marked = False
        for page in self._pages(name, prefix, delimiter=True):
            for common in page.get("CommonPrefixes", ()):
                child = common["Prefix"][len(prefix) : -1]
                if child:  # "dir//x" has an empty part no path can name
                    entries.append(Entry(child, True))
            for obj in page.get("Contents", ()):
                child = obj["Key"][len(prefix) :]
                if not child:
                    marked = True  # the directory's own "dir/" marker
                    continue
                entries.append(Entry(child, False, obj["Size"], obj["LastModified"]))
        if name and not entries and not marked:
            entry = self.stat(name)
            if entry is None:
                raise errors.ResourceNotFound(name)
            if not entry.is_dir:
                raise errors.DirectoryExpected(name)
        return entries

    def scan_tree(self, name: str) -> dict[str, list[Entry]] | None:
        """One flat listing of every key below ``name`` (1 request / 1,000)."""
        prefix = self.dir_prefix(name)
        tree: dict[str, dict[str, Entry]] = {"": {}}
        for page in self._pages(name, prefix, delimiter=False):
            for obj in page.get("Contents", ()):
                parts = obj["Key"][len(prefix) :].split("/")
                if not all(parts[:-1]):
                    continue  # an empty directory name no path can name
                for depth, child in enumerate(parts[:-1]):
                    parent = "/".join(parts[:depth])
                    tree.setdefault(parent, {})[child] = Entry(child, True)
                    tree.setdefault(posixpath.join(parent, child), {})
                if parts[-1]:  # not a "dir/" marker
                    directory = "/".join(parts[:-1])
                    tree.setdefault(directory, {})[parts[-1]] = Entry(
                        parts[-1], False, obj["Size"], obj["LastModified"]
                    )
        if name and len(tree) == 1 and not tree[""]:
            return None  # nothing below: let scandir tell empty from missing
        return {path: list(children.values()) for path, children in tree.items()}

    def open_read(self, name: str) -> IO[bytes]:
        with s3_errors(self.bucket, name):
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        if head.get("ContentEncoding") == "gzip" and self.storage.gzip:
            # S3Storage un-gzips what it gzipped on save; let it.
            return super().open_read(name)
        # Nothing is fetched until the first read; the HEAD's ETag keeps
        # every read on this version of the object.
        reader = S3Reader(self.client, self.bucket, self.key(name), name, head)
        return io.BufferedReader(reader, buffer_size=READ_BUFFER)

    def size(self, name: str) -> int:
        with s3_errors(self.bucket, name):
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        return head["ContentLength"]

    # ------------------------------------------------------------ writing

    def delete(self, name: str) -> None:
        with s3_errors(self.bucket, name):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(name))

    def delete_many(self, names: Iterable[str]) -> dict[str, Exception]:
        """DeleteObjects, up to 1,000 keys per request."""
        by_key = {self.key(name): name for name in names}
        failures = delete_keys(self.client, self.bucket, by_key)
        return {by_key[key]: error for key, error in failures.items()}

    def make_dir(self, name: str) -> None:
        with s3_errors(self.bucket, name):
            self.client.put_object(
                Bucket=self.bucket, Key=self.dir_prefix(name), Body=b""
            )

    def remove_dir(self, name: str) -> None:
        with s3_errors(self.bucket, name):
            self.client.delete_object(Bucket=self.bucket, Key=self.dir_prefix(name))

    def remove_tree(self, name: str) -> bool:
        """Delete every key below ``name`` (and its marker) in bulk."""
        prefix = self.dir_prefix(name)
        keys = {
            obj["Key"]: obj["Key"]
            for page in self._pages(name, prefix, delimiter=False)
            for obj in page.get("Contents", ())
        }
        if name:
            keys[prefix] = prefix
        raise_for_failures(name, delete_keys(self.client, self.bucket, keys))
        return True
