"""How :class:`~djpyfs.pyfs_from_storage.StorageFS` talks to a Django storage.

A :class:`StorageAccess` offers the few primitives a pyfilesystem needs
(stat, list, read, write, delete, directories) on top of Django's ``Storage``
API, and raises pyfilesystem's errors.  :func:`access_for` picks the
implementation: django-storages' ``S3Storage`` gets one that talks to S3
directly where the Storage API is too coarse (listings with sizes, ranged
reads, bulk deletes); every other storage goes through its public API.

Directories.  A storage has no ``mkdir``, so an empty directory is kept alive
by a zero-byte marker file, :data:`DIR_MARKER`, inside it; listings hide it.
Storages with real directories (``FileSystemStorage``, ``InMemoryStorage``)
keep the directory once the marker is removed again, so they get no marker.
S3 uses S3-console-style ``dir/`` keys instead (see ``storage_access_s3``).
"""

from __future__ import annotations

import inspect
import io
import logging
import posixpath
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage
from fs import errors

from djpyfs.exceptions import SuspiciousPath, fs_message

logger = logging.getLogger(__name__)

#: The zero-byte file that keeps an otherwise empty directory in a storage
#: without real directories.  Hidden from listings; other tools see a dotfile.
DIR_MARKER = ".djpyfs-dir"

#: Attempts at writing a file under its exact name before giving up (see
#: :meth:`StorageAccess.save`).
SAVE_ATTEMPTS = 3

#: What Django's ``Storage.get_alternative_name()`` puts between a file's
#: root and extension.  The lookahead finds overlapping candidates.
_ALTERNATIVE_SUFFIX = re.compile(r"(?=(_[A-Za-z0-9]{7}))")


@dataclass(frozen=True)
class Entry:
    """One file or directory as a storage reports it (``None``: unknown)."""

    name: str
    is_dir: bool
    size: int | None = None
    modified: datetime | None = None


@contextmanager
def storage_errors(path: str) -> Iterator[None]:
    """Re-raise what a Django storage raises as pyfilesystem's errors.

    Storages report problems with ``OSError`` subclasses (local and in-memory
    storages), Django's ``SuspiciousFileOperation`` (names leaving the
    storage), botocore exceptions (django-storages' S3) or anything else;
    none of them leaves :class:`StorageFS` untranslated.
    """
    try:
        yield
    except errors.FSError:
        raise
    except SuspiciousFileOperation as exc:
        if isinstance(exc, SuspiciousPath):
            raise
        raise SuspiciousPath(path, str(exc)) from exc
    except (FileNotFoundError, NotADirectoryError, FileExistsError) as exc:
        # Django's storages raise NotADirectoryError or FileExistsError ("...
        # exists and is not a directory") when a file stands where a parent
        # directory should be: what was asked for cannot exist.
        raise errors.ResourceNotFound(path, exc=exc) from exc
    except IsADirectoryError as exc:
        raise errors.FileExpected(path, exc=exc) from exc
    except PermissionError as exc:
        raise errors.PermissionDenied(path, exc=exc) from exc
    except Exception as exc:
        raise _translate_other(exc, path) from exc


def _translate_other(exc: Exception, path: str) -> Exception:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - the [s3] extra is not installed
        pass
    else:
        if isinstance(exc, ClientError | BotoCoreError):
            from djpyfs.s3.errors import translate_client_error

            return translate_client_error(exc, "", path)
    return errors.OperationFailed(
        path, exc=exc, msg=fs_message(f"{type(exc).__name__}: {exc}")
    )


def has_real_directories(storage: Storage) -> bool:
    """Whether ``storage`` keeps empty directories and lists them.

    Only storages known to do so are trusted; any other one gets markers,
    which work everywhere.
    """
    return isinstance(storage, FileSystemStorage | InMemoryStorage)


class StorageAccess:
    """The primitives StorageFS needs, over Django's public ``Storage`` API.

    Names are storage names: relative, ``/``-separated, ``""`` for the root.
    Methods raise pyfilesystem errors.
    """

    #: Whether ``_save()`` replaces an existing file in place.  Others get
    #: the old file deleted first (see :meth:`save`).
    saves_in_place = False

    def __init__(self, storage: Storage) -> None:
        # Any: the hooks used here (_save(), url(expire=...), S3Storage's
        # attributes) are not in Storage's type stubs.
        self.storage: Any = storage
        self.real_directories = has_real_directories(storage)

    # ------------------------------------------------------------ reading

    def stat(self, name: str, details: bool = False) -> Entry | None:
        """Return what ``name`` is, or None if there is nothing there."""
        if not name:
            return Entry("", True)
        parent, base = posixpath.split(name)
        listing = self._listdir(parent)
        if listing is None:
            return None
        dirs, files = listing
        if base in dirs:
            return Entry(base, True)
        if base in files and base != DIR_MARKER:
            return self._file_entry(name, details)
        return None

    def scandir(self, name: str, details: bool = False) -> list[Entry]:
        """List a directory.

        Raises:
            ResourceNotFound: there is no such directory.
            DirectoryExpected: ``name`` is a file.
        """
        entry = self.stat(name)
        if entry is None:
            raise errors.ResourceNotFound(name)
        if not entry.is_dir:
            raise errors.DirectoryExpected(name)
        dirs, files = self._listdir(name) or ([], [])
        entries = [Entry(d, True) for d in dirs]
        entries += [
            self._file_entry(posixpath.join(name, f), details)
            if details
            else Entry(f, False)
            for f in files
            if f != DIR_MARKER
        ]
        return entries

    def scan_tree(self, name: str) -> dict[str, list[Entry]] | None:
        """List everything below ``name`` at once, by directory, if cheaper.

        Returns None where one listing per directory is as good (here).
        """
        return None

    def open_read(self, name: str) -> IO[bytes]:
        """Open a file for streaming, seekable reading."""
        with storage_errors(name):
            django_file = self.storage.open(name, "rb")
        if isinstance(self.storage, InMemoryStorage):
            # InMemoryStorage hands out the one stream it stores the file in,
            # so two readers would move each other's position: read a copy.
            with django_file:
                return io.BytesIO(django_file.read())
        return django_file

    def size(self, name: str) -> int:
        with storage_errors(name):
            return self.storage.size(name)

    # ------------------------------------------------------------ writing

    def save(self, name: str, content: IO[bytes]) -> None:
        """Store ``content`` under exactly ``name``, replacing any file there.

        ``Storage.save()`` would run the name through ``get_available_name()``,
        which renames on collision (``a.txt`` -> ``a_x7Yz1Qp.txt``).  So this
        calls ``_save()``, the documented hook every storage implements to
        write content under the name it is given.  Some storages' ``_save()``
        still refuse to overwrite (``FileSystemStorage`` opens with
        ``O_EXCL`` and falls back to another name; ``InMemoryStorage`` writes
        into the old file without truncating it), so the old file is deleted
        first unless :attr:`saves_in_place`.  If a concurrent writer creates
        the name between that delete and ``_save()``, the storage answers
        with an alternative name: that stray copy is removed and the write
        retried.  Readers may briefly see no file between delete and save.

        Raises:
            InvalidPath: the storage saved the content under another name
                than an alternative of ``name`` (it rewrote the name).
            ResourceLocked: the name kept being taken by concurrent writers.
        """
        for attempt in range(SAVE_ATTEMPTS):
            with storage_errors(name):
                if attempt:
                    content.seek(0)  # a stream that cannot rewind fails here
                if not self.saves_in_place:
                    self.storage.delete(name)
                saved = self.storage._save(name, File(content, name))
                if saved.replace("\\", "/") == name:
                    return
                if not self._is_alternative_name(name, saved):
                    raise self._rewritten(name, saved)
                logger.warning(
                    "Storage saved %r as %r (written concurrently?); retrying",
                    name,
                    saved,
                )
                self.storage.delete(saved)
        raise errors.ResourceLocked(
            name, msg=fs_message(f"{name!r} kept being written to concurrently")
        )

    def _is_alternative_name(self, name: str, saved: str) -> bool:
        """Whether ``saved`` is a name Django's ``get_available_name()`` made
        for ``name``: ``<root>_<7 random letters/digits><ext>`` beside it.

        Only then may the save loop delete ``saved``: such a name was free
        when the storage picked it (and ``FileSystemStorage`` creates it with
        ``O_EXCL``), so the file there is the copy just written and nobody
        else's.  Any other answer means the storage rewrote the name (a
        backslash read as a separator, characters stripped...): ``saved``
        may be an existing file of someone else's, which must not be
        deleted.  A storage with its own ``get_alternative_name()`` gets no
        benefit of the doubt.
        """
        if type(self.storage).get_alternative_name is not (
            Storage.get_alternative_name
        ):
            return False
        directory, base = posixpath.split(name)
        saved_directory, saved_base = posixpath.split(saved.replace("\\", "/"))
        if saved_directory != directory:
            return False
        return any(
            saved_base[: match.start(1)] + saved_base[match.end(1) :] == base
            for match in _ALTERNATIVE_SUFFIX.finditer(saved_base)
        )

    @staticmethod
    def _rewritten(name: str, saved: str) -> errors.InvalidPath:
        logger.error(
            "Storage saved %r as %r: it rewrites this name; nothing deleted",
            name,
            saved,
        )
        return errors.InvalidPath(
            name,
            msg=fs_message(
                f"the storage saved {name!r} as {saved!r}: it rewrites this "
                f"name, so it cannot be used; {saved!r} is left as it is"
            ),
        )

    def delete(self, name: str) -> None:
        with storage_errors(name):
            self.storage.delete(name)

    def delete_many(self, names: Iterable[str]) -> dict[str, Exception]:
        """Delete files; return the ones that failed.  Missing ones do not."""
        failures: dict[str, Exception] = {}
        for name in names:
            try:
                self.delete(name)
            except errors.ResourceNotFound:
                pass
            except errors.FSError as exc:
                failures[name] = exc
        return failures

    def make_dir(self, name: str) -> None:
        """Create the (new) directory ``name``; its parent exists."""
        marker = posixpath.join(name, DIR_MARKER)
        self.save(marker, io.BytesIO())
        if self.real_directories:
            # The storage created the directory to hold the marker and keeps
            # it once the marker is gone, so no stray file is left behind.
            self.delete(marker)

    def remove_dir(self, name: str) -> None:
        """Remove the (empty) directory ``name``."""
        self.delete(posixpath.join(name, DIR_MARKER))
        if self.real_directories:
            # FileSystemStorage.delete() removes an empty directory with
            # rmdir; InMemoryStorage.delete() drops the directory node.
            self.delete(name)

    def remove_tree(self, name: str) -> bool:
        """Remove directory ``name`` and all below it in bulk, if possible.

        Returns False where the storage has no bulk delete (here): the
        caller then removes file by file.
        """
        return False

    # ------------------------------------------------------------ URLs

    def url(self, name: str, timeout: int) -> str | None:
        """The storage's URL for ``name``, or None if it has none.

        A ``timeout`` above 0 is passed to storages whose ``url()`` takes an
        ``expire`` argument (django-storages' S3 and Azure); 0 leaves the
        storage's default.  Other storages' URLs do not expire.
        """
        url_method = self.storage.url
        try:
            takes_expire = "expire" in inspect.signature(url_method).parameters
        except (TypeError, ValueError):
            takes_expire = False
        with storage_errors(name):
            try:
                if timeout > 0 and takes_expire:
                    return url_method(name, expire=timeout)
                return url_method(name)
            except (ValueError, NotImplementedError):
                # Django's local storages raise ValueError without base_url;
                # the base class raises NotImplementedError.
                return None

    # ------------------------------------------------------------ helpers

    def _listdir(self, name: str) -> tuple[list[str], list[str]] | None:
        """``storage.listdir``, None if there is no such directory."""
        try:
            with storage_errors(name):
                dirs, files = self.storage.listdir(name)
        except errors.ResourceNotFound:
            return None
        except errors.OperationFailed as exc:
            # InMemoryStorage (Django 4.2-5.2) fails with ValueError instead
            # of NotADirectoryError when a file stands two or more levels
            # above the path (its error message lookup splits the path
            # wrongly): the directory cannot exist.
            if isinstance(exc.exc, ValueError) and isinstance(
                self.storage, InMemoryStorage
            ):
                return None
            raise
        return list(dirs), list(files)

    def _file_entry(self, name: str, details: bool) -> Entry:
        base = posixpath.basename(name)
        if not details:
            return Entry(base, False)
        return Entry(base, False, self.size(name), self._modified(name))

    def _modified(self, name: str) -> datetime | None:
        try:
            with storage_errors(name):
                return self.storage.get_modified_time(name)
        except errors.OperationFailed as exc:
            if isinstance(exc.exc, NotImplementedError):
                return None  # the storage cannot tell
            raise


class PyFSStorageAccess(StorageAccess):
    """A :class:`~djpyfs.storage.PyFSStorage`: directories are its filesystem's.

    Its namespace filesystem has directories of its own (real ones, or S3
    prefixes and markers handled by the S3 filesystem), so they are made and
    removed there rather than with marker files.
    """

    def __init__(self, storage: Storage) -> None:
        super().__init__(storage)
        self.real_directories = True

    def make_dir(self, name: str) -> None:
        with storage_errors(name):
            self.storage.fs.makedir(name)

    def remove_dir(self, name: str) -> None:
        with storage_errors(name):
            self.storage.fs.removedir(name)


def access_for(storage: Storage) -> StorageAccess:
    """The :class:`StorageAccess` that fits ``storage`` best."""
    from djpyfs.storage import PyFSStorage

    if isinstance(storage, PyFSStorage):
        return PyFSStorageAccess(storage)
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - the [s3] extra is not installed
        S3Storage = None
    if S3Storage is not None and isinstance(storage, S3Storage):
        from djpyfs.storage_access_s3 import S3StorageAccess

        return S3StorageAccess(storage)
    return StorageAccess(storage)


def storage_name(path: Any) -> str:
    """The storage name of an absolute, normalised pyfilesystem path."""
    return str(path).strip("/")
