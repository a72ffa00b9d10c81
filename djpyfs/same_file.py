"""Copying or moving a file onto itself, the same on every filesystem.

pyfilesystem 2.4.16 leaves this to each filesystem, and they disagree:
``MemoryFS`` empties the file on ``copy`` and deletes it on ``move``,
``OSFS`` raises :class:`shutil.SameFileError` (not an ``fs.errors`` error),
and a Django storage below :class:`~djpyfs.pyfs_from_storage.StorageFS`
deletes the file on ``move``.  :class:`SameFileGuard` answers before the
filesystem is asked, as djpyfs's S3 namespaces do:

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


class SameFileGuard(FS):
    """Mixin (before the filesystem class) handling ``copy``/``move`` of a file
    onto itself; any other copy or move goes to the filesystem."""

    def copy(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        if self._onto_itself(src_path, dst_path, overwrite):
            if ILLEGAL_DESTINATION is not None:
                raise ILLEGAL_DESTINATION(dst_path)
            return
        super().copy(src_path, dst_path, overwrite, preserve_time)

    def move(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        if self._onto_itself(src_path, dst_path, overwrite):
            return
        super().move(src_path, dst_path, overwrite, preserve_time)

    def _onto_itself(self, src_path: str, dst_path: str, overwrite: bool) -> bool:
        """Whether both paths name one file; raises as for any other target.

        Raises:
            ResourceNotFound: no such file.
            FileExpected: ``src_path`` is a directory.
            DestinationExists: the file exists and ``overwrite`` is false.
        """
        if self.validatepath(src_path) != self.validatepath(dst_path):
            return False
        info: Any = self.getinfo(src_path)
        if info.is_dir:
            raise errors.FileExpected(src_path)
        if not overwrite:
            raise errors.DestinationExists(dst_path)
        return True
