"""Whole-object writes and removals, for namespaces kept in an object store.

Django's storage API has no directories of its own: saving ``a/b.txt``
makes ``a`` implicitly, deleting a missing name is no error.  On an object
store, pyfilesystem's checks for those (the parent directory exists, the
name is not a directory, the file is there to remove) cost requests of
their own.  A namespace filesystem that can write and remove whole objects
without them offers :class:`ObjectStore`'s two methods (S3 namespaces:
:class:`djpyfs.s3.filesystem.S3NamespaceFS`), and
:class:`~djpyfs.storage.PyFSStorage` uses them when :func:`object_store`
finds them.
"""

from __future__ import annotations

from typing import IO, Protocol, runtime_checkable

from fs.base import FS

from djpyfs.filesystem import NamespaceFS


@runtime_checkable
class ObjectStore(Protocol):
    """Writing and removing whole files, with no directory checks."""

    def put_object(
        self, path: str, file: IO[bytes], *, exclusive: bool = False
    ) -> None:
        """Store ``file`` (from its position) at ``path``; parents are implicit.

        With ``exclusive``, raise ``fs.errors.FileExists`` if a file has the
        name, atomically: of concurrent writers at most one succeeds.
        """

    def delete_object(self, path: str) -> None:
        """Remove the file at ``path``; nothing there is no error."""


def object_store(fs: FS) -> ObjectStore | None:
    """The object store under a namespace's filesystem, if it is one.

    Only djpyfs's own :class:`NamespaceFS` is looked through: it passes
    paths unchanged, where other wrappers may move them (``SubFS``) or
    forbid writes (``WrapReadOnly``).
    """
    inner = fs.delegate_fs() if isinstance(fs, NamespaceFS) else fs
    return inner if isinstance(inner, ObjectStore) else None
