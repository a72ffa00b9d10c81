"""File objects :class:`~djpyfs.pyfs_from_storage.StorageFS` opens.

Django storages write a file in one call (``_save``), so a file opened for
writing collects its content in a :class:`SpooledWriteFile` (memory up to
:data:`SPOOL_MEMORY`, then a temporary file) and hands it to the storage on
close.  Reading streams from the storage: :class:`ReadOnlyFile` wraps what
the storage opens.  (S3 objects are read with ranged GETs by
:class:`djpyfs.s3.files.S3Reader` instead; see ``storage_access_s3``.)
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
