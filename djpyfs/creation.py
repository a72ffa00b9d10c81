"""Creating a file only if its name is free, on any filesystem.

``openbin(path, "x")`` is atomic on local disk (``O_EXCL``), in memory
(checked under the filesystem's lock) and on djpyfs's S3 namespaces (S3
refuses the upload if the key is taken), but on other filesystems it may be
a check followed by a write (fs-s3fs, FTP...).  :func:`has_atomic_create`
tells them apart; :data:`creation_locks` closes the gap between the check and
the write for threads of this process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fs.base import FS
from fs.memoryfs import MemoryFS
from fs.osfs import OSFS
from fs.wrapfs import WrapFS


class NameLocks:
    """Per-name locks, held while a file is created exclusively.

    Back-ends whose exclusive create is a check followed by a write (such as
    plain fs-s3fs) would let two threads of this process both see a name as free
    and overwrite each other.  Holding one lock per file name across the
    check and the write closes that race within the process; locks are
    dropped once nobody holds them.  It is process-wide because every
    ``PyFSStorage`` on the same namespace writes the same files.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[tuple[str, str], list[Any]] = {}

    @contextmanager
    def hold(self, key: tuple[str, str]) -> Iterator[None]:
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if not entry[1]:
                    del self._locks[key]


#: Shared by every PyFSStorage: storages on one namespace write the same files.
creation_locks = NameLocks()


def _innermost(fs: FS) -> FS:
    while isinstance(fs, WrapFS):
        fs = fs.delegate_fs()
    return fs


def has_atomic_create(fs: FS) -> bool:
    """Whether two writers of ``openbin(path, "x")`` can never both succeed.

    True for local disk (``O_EXCL``) and memory (checked under the FS lock),
    and for any filesystem that declares ``atomic_exclusive_create`` in its
    ``getmeta()`` (djpyfs's S3 namespaces, whose check comes with the upload,
    when the file is closed: the data may have been read by then).
    """
    inner = _innermost(fs)
    if isinstance(inner, OSFS | MemoryFS):
        return True
    return bool(inner.getmeta().get("atomic_exclusive_create", False))
