"""Copying or moving a file onto itself, the same on every filesystem.

pyfilesystem 2.4.16 leaves this to each filesystem, and they disagree:
``MemoryFS`` empties the file on ``copy`` and deletes it on ``move``,
``OSFS`` raises :class:`shutil.SameFileError` (not an ``fs.errors`` error),
and a Django storage below :class:`~djpyfs.pyfs_from_storage.StorageFS`
deletes the file on ``move``.  :class:`SameFileGuard` (and, for S3
namespaces, the functions it calls) answers before the filesystem is asked:

- the source must be a file (``ResourceNotFound``, ``FileExpected``);
- without ``overwrite``: ``DestinationExists``, as for any existing target;
- ``move`` with ``overwrite`` leaves the file where it is;
- ``copy`` with ``overwrite`` raises ``IllegalDestination`` where the
  installed pyfilesystem has it (fs-next), and does nothing on fs 2.4.16.
"""

from __future__ import annotations

from typing import Any

from fs import errors
from fs.base import FS

#: fs-next's error for copying a file onto itself; fs 2.4.16 has none.
ILLEGAL_DESTINATION: type[errors.FSError] | None = getattr(
    errors, "IllegalDestination", None
)


def copy_onto_itself(fs: FS, src_path: str, dst_path: str, overwrite: bool) -> bool:
    """Answer ``fs.copy(src_path, dst_path)`` when both name one file.

    Returns:
        bool: True if the copy was onto itself and so is done; False for any
        other copy, which is left to the filesystem.

    Raises:
        fs.errors.ResourceNotFound: no such file.
        fs.errors.FileExpected: ``src_path`` is a directory.
        fs.errors.DestinationExists: the file exists and ``overwrite`` is false.
        fs.errors.IllegalDestination: with ``overwrite``, on fs-next.
    """
    if not _onto_itself(fs, src_path, dst_path, overwrite):
        return False
    if ILLEGAL_DESTINATION is not None:
        raise ILLEGAL_DESTINATION(dst_path)
    return True


def move_onto_itself(fs: FS, src_path: str, dst_path: str, overwrite: bool) -> bool:
    """Answer ``fs.move(src_path, dst_path)`` when both name one file: the
    file stays where it is.

    Returns:
        bool: True if the move was onto itself and so is done.

    Raises:
        fs.errors.ResourceNotFound: no such file.
        fs.errors.FileExpected: ``src_path`` is a directory.
        fs.errors.DestinationExists: the file exists and ``overwrite`` is false.
    """
    return _onto_itself(fs, src_path, dst_path, overwrite)


def _onto_itself(fs: FS, src_path: str, dst_path: str, overwrite: bool) -> bool:
    if fs.validatepath(src_path) != fs.validatepath(dst_path):
        return False
    info: Any = fs.getinfo(src_path)
    if info.is_dir:
        raise errors.FileExpected(src_path)
    if not overwrite:
        raise errors.DestinationExists(dst_path)
    return True


class SameFileGuard(FS):
    """Mixin (before the filesystem class) handling ``copy``/``move`` of a file
    onto itself; any other copy or move goes to the filesystem.

    Filesystems whose ``copy``/``move`` are their own (djpyfs's S3
    namespaces) call :func:`copy_onto_itself` and :func:`move_onto_itself`
    first instead.
    """

    def copy(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        if not copy_onto_itself(self, src_path, dst_path, overwrite):
            super().copy(src_path, dst_path, overwrite, preserve_time)

    def move(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        if not move_onto_itself(self, src_path, dst_path, overwrite):
            super().move(src_path, dst_path, overwrite, preserve_time)
