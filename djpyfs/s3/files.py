"""File objects of S3 objects: a streaming reader and a spooled writer.

:class:`S3Reader` reads the body of one ``GetObject`` as it arrives, so the
first bytes are available before the rest is transferred and ``read(10)`` of
a large object transfers little more than 10 bytes.  Seeking elsewhere drops
the body and the next read asks for a ``Range`` starting there, on the same
version of the object (``If-Match`` on its ETag); a short seek forward reads
on through the open body instead.  Both S3 layers read with it: S3 namespaces
(:mod:`djpyfs.s3.filesystem`) and StorageFS over django-storages' S3Storage
(:mod:`djpyfs.storage_access_s3`).

:class:`S3Writer` collects what is written in a spooled temporary file (in
memory while small) and uploads it when closed; S3 has no partial writes.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from typing import IO, Any

from fs.mode import Mode

from djpyfs.s3.errors import s3_errors

#: Forward seeks shorter than this read on through the open body rather than
#: paying for a new request.
SKIP_AHEAD = 256 * 1024

#: Writes stay in memory up to this size, then spill to a temporary file.
SPOOL_SIZE = 1024 * 1024


class _ReadingRaw(io.RawIOBase):
    """A raw file whose ``read`` does the work; ``readinto`` goes through it."""

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class S3Reader(_ReadingRaw):
    """A read-only, seekable view of one object, fetched as it is read.

    Arguments:
        client: the boto3 S3 client.
        bucket: the object's bucket.
        key: the object's key.
        name: the file's ``name`` (the path errors name).
        response: what S3 answered about the object: a ``GetObject``
            response for the whole object (its body is read first), or a
            ``HeadObject`` response (the first read sends the ``GetObject``).
            Its ETag pins later requests to this version of the object.
    """

    def __init__(
        self, client: Any, bucket: str, key: str, name: str, response: dict[str, Any]
    ) -> None:
        super().__init__()
        self.name = name
        self.mode = "rb"
        self._client = client
        self._bucket = bucket
        self._key = key
        self._body: Any = response.get("Body")
        self._size: int = response["ContentLength"]
        self._etag: str | None = response.get("ETag")
        self._pos = 0

    def __repr__(self) -> str:
        return f"<S3Reader {self.name!r} mode={self.mode!r}>"

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if self.closed:
            raise ValueError("seek of closed file")
        if whence == os.SEEK_SET:
            position = offset
        elif whence == os.SEEK_CUR:
            position = self._pos + offset
        elif whence == os.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        if position < 0:
            raise OSError(f"negative seek position {position}")
        skip = position - self._pos
        if self._body is not None and 0 < skip <= SKIP_AHEAD:
            if len(self._read_body(skip)) != skip:
                self._drop_body()
        elif skip != 0:
            self._drop_body()
        self._pos = position
        return position

    def _read_body(self, size: int) -> bytes:
        with s3_errors(self._bucket, self.name):
            if self._body is None:
                self._body = self._fetch()["Body"]
            return self._body.read(size)

    def _fetch(self) -> dict[str, Any]:
        """``GetObject`` from the current position to the end."""
        params = {"Range": f"bytes={self._pos}-"}
        if self._etag:
            # The object may have been replaced since: fail rather than
            # splice two versions together.
            params["IfMatch"] = self._etag
        return self._client.get_object(Bucket=self._bucket, Key=self._key, **params)

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("read of closed file")
        # Past the end (after a seek there) is the end, as for a disk file.
        remaining = max(self._size - self._pos, 0)
        if size is None or size < 0 or size > remaining:
            size = remaining
        if size == 0:
            return b""
        data = self._read_body(size)
        if not data:
            raise OSError(f"{self.name!r} ended before its announced size")
        self._pos += len(data)
        return data

    def close(self) -> None:
        # Closing a body that is not fully read drops its connection, which
        # is what stops the transfer of the rest of a large object.
        self._drop_body()
        super().close()


class S3Writer(_ReadingRaw):
    """A file open for writing (or updating), uploaded when closed.

    Arguments:
        path: the pyfilesystem path (the file's ``name``).
        mode: the pyfilesystem mode it was opened with.
        upload: stores the contents; receives a file positioned at 0.
        spool: a spooled temporary file holding the current contents
            (what an ``a`` or ``r+`` file started with), or None for empty.
        changed: whether closing must upload even if nothing is written
            (a new or truncated file).
    """

    def __init__(
        self,
        path: str,
        mode: Mode,
        upload: Callable[[IO[bytes]], None],
        spool: IO[bytes] | None = None,
        changed: bool = True,
    ) -> None:
        super().__init__()
        self.name = path
        self.mode = mode.to_platform_bin()
        self._mode = mode
        self._upload = upload
        self._spool = spool if spool is not None else new_spool()
        self._changed = changed

    def __repr__(self) -> str:
        return f"<S3Writer {self.name!r} mode={self.mode!r}>"

    def readable(self) -> bool:
        return self._mode.reading

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file")

    def _check_readable(self) -> None:
        self._check_open()
        if not self._mode.reading:
            raise io.UnsupportedOperation("not readable")

    def read(self, size: int | None = -1) -> bytes:
        self._check_readable()
        return self._spool.read(-1 if size is None else size)

    def write(self, data: Any) -> int:
        self._check_open()
        if self._mode.appending:
            self._spool.seek(0, os.SEEK_END)
        self._changed = True
        self._spool.write(data)
        return memoryview(data).nbytes

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._check_open()
        if whence not in (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END):
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        return self._spool.seek(offset, whence)

    def tell(self) -> int:
        self._check_open()
        return self._spool.tell()

    def truncate(self, size: int | None = None) -> int:
        self._check_open()
        position = self._spool.tell()
        size = position if size is None else size
        end = self._spool.seek(0, os.SEEK_END)
        if size > end:
            # Like a disk file: growing pads with zero bytes (an in-memory
            # spool would otherwise ignore the new size).
            self._spool.write(b"\0" * (size - end))
        else:
            self._spool.truncate(size)
        self._spool.seek(position)
        self._changed = True
        return size

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self._changed:
                self._spool.seek(0)
                self._upload(self._spool)
        finally:
            self._spool.close()
            super().close()


def new_spool() -> IO[bytes]:
    """An empty temporary file, in memory until it grows past SPOOL_SIZE."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE)


class KeepOpen(_ReadingRaw):
    """Reads another file but never closes it.

    boto3's managed upload closes the file it is given; ``FS.upload`` must
    leave the caller's file open.
    """

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__()
        self._file = file

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        seekable = getattr(self._file, "seekable", None)
        return bool(seekable and seekable())

    def read(self, size: int | None = -1) -> bytes:
        return self._file.read(-1 if size is None else size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


class Prefixed(_ReadingRaw):
    """``head``, then the rest of ``file``; ``file`` is never closed.

    Puts back the start of a non-seekable stream that was read to tell a
    small file (one request) from a large one (a multipart upload).
    """

    def __init__(self, head: bytes, file: IO[bytes]) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._file = file

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data = bytes(self._head) + self._file.read()
                self._head = memoryview(b"")
                return data
            data = bytes(self._head[:size])
            self._head = self._head[size:]
            return data
        return self._file.read(-1 if size is None else size)
