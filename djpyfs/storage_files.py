"""File objects :class:`~djpyfs.pyfs_from_storage.StorageFS` opens.

Django storages write a file in one call (``_save``), so a file opened for
writing collects its content in a :class:`SpooledWriteFile` (memory up to
:data:`SPOOL_MEMORY`, then a temporary file) and hands it to the storage on
close.  Reading streams from the storage: :class:`ReadOnlyFile` wraps what
the storage opens, :class:`S3RangeReader` reads S3 objects with ranged GETs.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from typing import IO, TYPE_CHECKING, Any

from fs.iotools import RawWrapper
from fs.mode import Mode

if TYPE_CHECKING:
    from djpyfs.storage_access import StorageAccess

#: Bytes a file being written keeps in memory before spilling to disk.
SPOOL_MEMORY = 8 * 1024 * 1024

#: Read-ahead buffer of S3 reads: large enough to make few requests when
#: seeking around, small enough not to matter for memory.
S3_READ_BUFFER = 1024 * 1024


def _unsupported(what: str) -> io.UnsupportedOperation:
    return io.UnsupportedOperation(f"File not open for {what}")


class ReadOnlyFile(RawWrapper):
    """A storage's binary file opened for reading, seen as mode ``rb``.

    Storages' file objects often claim to be writable (InMemoryStorage's
    ``BytesIO``); this reports and enforces the mode it was opened with.
    """

    def __init__(self, f: IO[bytes], name: str) -> None:
        super().__init__(f, mode="rb", name=name)

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def write(self, data: Any) -> int:
        raise _unsupported("writing")

    def writelines(self, lines: Any) -> None:
        raise _unsupported("writing")

    def truncate(self, size: int | None = None) -> int:
        raise _unsupported("writing")


class SpooledWriteFile(RawWrapper):
    """A file open for writing (or ``r+``/``a``): saved to the storage on close.

    Arguments:
        access: the storage to save to.
        name: the storage name to save under.
        mode: the pyfilesystem mode it was opened with.
        initial: the current content, for appending and ``r+``; streamed
            into the spool, so large files do not fill memory.
    """

    def __init__(
        self,
        access: StorageAccess,
        name: str,
        mode: Mode,
        initial: IO[bytes] | None = None,
    ) -> None:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
        if initial is not None:
            with initial:
                shutil.copyfileobj(initial, spool)
        spool.seek(0, io.SEEK_END if mode.appending else io.SEEK_SET)
        super().__init__(spool, mode=mode.to_platform_bin(), name=name)
        self._access = access
        self._storage_name = name
        self._mode = mode

    def readable(self) -> bool:
        return self._mode.reading

    def writable(self) -> bool:
        return self._mode.writing

    def fileno(self) -> int:
        # The content only reaches the storage on close; a descriptor would
        # invite writes that bypass that.
        raise io.UnsupportedOperation("fileno")

    def _check_readable(self) -> None:
        if not self._mode.reading:
            raise _unsupported("reading")

    def _check_writable(self) -> None:
        if not self._mode.writing:
            raise _unsupported("writing")

    def read(self, n: int = -1) -> bytes:
        self._check_readable()
        return super().read(n)

    def read1(self, n: int = -1) -> bytes:
        self._check_readable()
        return super().read1(n)

    def readall(self) -> bytes:
        self._check_readable()
        return super().readall()

    def readinto(self, b: Any) -> int:
        self._check_readable()
        return super().readinto(b)

    def readline(self, limit: int | None = None) -> bytes:
        self._check_readable()
        return super().readline(limit)

    def readlines(self, hint: int | None = None) -> list[bytes]:
        self._check_readable()
        return super().readlines(hint)

    def write(self, data: Any) -> int:
        self._check_writable()
        if self._mode.appending:
            self._f.seek(0, io.SEEK_END)
        return super().write(data)

    def writelines(self, lines: Any) -> None:
        self._check_writable()
        super().writelines(lines)

    def truncate(self, size: int | None = None) -> int:
        self._check_writable()
        position = self._f.tell()
        if size is None:
            size = position
        end = self._f.seek(0, io.SEEK_END)
        if end < size:
            # Like a file from the OS, extend with zeros (SpooledTemporaryFile
            # would not while in memory).
            self._f.write(bytes(size - end))
        else:
            self._f.truncate(size)
        self._f.seek(position)
        return size

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._f.seek(0)
            self._access.save(self._storage_name, self._f)
        finally:
            super().close()


class S3RangeReader(io.RawIOBase):
    """A seekable, streaming reader of one S3 object.

    Reading opens one GET from the current position and keeps streaming
    from it; seeking elsewhere drops it and the next read opens another
    (``Range: bytes=N-``).  So a sequential read is one request and memory
    stays at the caller's buffer size.
    """

    def __init__(
        self, client: Any, bucket: str, key: str, size: int, name: str
    ) -> None:
        super().__init__()
        self._client = client
        self._bucket = bucket
        self._key = key
        self._size = size
        self._pos = 0
        self._body: Any = None
        self.name = name
        self.mode = "rb"

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._pos + offset
        elif whence == io.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        if position != self._pos:
            self._drop_body()
            self._pos = position
        return self._pos

    def readinto(self, buffer: Any) -> int:
        from djpyfs.s3.errors import s3_errors

        if self._pos >= self._size or not len(buffer):
            return 0
        with s3_errors(self._bucket, self.name):
            if self._body is None:
                response = self._client.get_object(
                    Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-"
                )
                self._body = response["Body"]
            data = self._body.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        self._pos += count
        return count

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
