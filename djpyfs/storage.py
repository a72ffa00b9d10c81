"""``PyFSStorage``: a Django storage on one djpyfs namespace.

Files go wherever ``DJFS`` sends the namespace (local disk, S3, memory, any FS
URL); ``url()`` and ``expire()`` are the namespace's :meth:`NamespaceFS.get_url`
and :meth:`NamespaceFS.expire`, so stored files share djpyfs's URL and expiry
model.  Use it as the default storage::

    STORAGES = {
        "default": {
            "BACKEND": "djpyfs.storage.PyFSStorage",
            "OPTIONS": {"namespace": "uploads", "url_timeout": 3600},
        },
        ...
    }

or per field: ``FileField(storage=PyFSStorage(namespace="avatars"))``.
"""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.core.files.utils import validate_file_name
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from fs.errors import FileExists, FileExpected, NoSysPath, ResourceNotFound
from fs.path import dirname

from djpyfs import conf
from djpyfs.creation import creation_locks, has_atomic_create
from djpyfs.errors import django_errors
from djpyfs.exceptions import SuspiciousPath
from djpyfs.filesystem import NamespaceFS, get_filesystem
from djpyfs.localdisk import LocalDisk, local_root
from djpyfs.namespaces import normalize_filename, validate_namespace
from djpyfs.objects import ObjectStore, object_store
from djpyfs.signed_urls import url_lifetime

#: The namespace of ``PyFSStorage()`` constructed without arguments.
DEFAULT_NAMESPACE = "storage"

#: Content that cannot be re-read is copied here before an upload that might
#: have to be retried under another name; beyond this size it goes to disk.
SPOOL_MAX_SIZE = 1024 * 1024


def _is_seekable(content: Any) -> bool:
    try:
        return bool(content.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _is_text(content: Any) -> bool:
    """Whether reading ``content`` gives ``str`` (``ContentFile("...")``)."""
    return isinstance(getattr(content, "file", content), io.TextIOBase)


def _as_bytes(chunk: bytes | str) -> bytes:
    return chunk.encode() if isinstance(chunk, str) else chunk


@dataclass(frozen=True)
class _Opened:
    """A storage's namespace as opened under one ``DJFS`` configuration."""

    config: conf.BackendConfig
    fs: NamespaceFS
    #: Set when the files are plain files on local disk (the fast path).
    local: LocalDisk | None
    #: Set when the files are objects of an object store (S3): saves and
    #: deletes are then one request each, with no checks beforehand.
    objects: ObjectStore | None


class PyFSFile(File):
    """A file opened through :class:`PyFSStorage`.

    Unlike Django's ``File``, reopening a closed file goes back to the
    storage (``File.open`` would look for the name on local disk).
    """

    def __init__(self, file: IO[Any], name: str, storage: PyFSStorage, mode: str):
        super().__init__(file, name)
        self.mode = mode
        self._storage = storage
        #: The storage name, kept should ``name`` be changed by the caller.
        self._storage_name = name

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> PyFSFile:
        """Rewind an open file, or reopen a closed one from the storage.

        ``mode`` defaults to the mode the file was opened with; further
        arguments of ``File.open`` (``buffering``, ``encoding``...) are
        accepted and ignored: text is always UTF-8.
        """
        if not self.closed:
            self.seek(0)
        else:
            mode = mode or self.mode
            self.file = self._storage._open_stream(self._storage_name, mode)
            self.mode = mode
        return self

    @cached_property
    def size(self) -> int:
        # Seeking costs nothing here, while asking the storage may cost a
        # request; Django's File would try the file's name on local disk.
        file = self.file
        try:
            if file is None:
                raise ValueError("no file")
            position = file.tell()
            file.seek(0, os.SEEK_END)
            size = file.tell()
            file.seek(position)
            return size
        except (AttributeError, OSError, ValueError):
            return self._storage.size(self._storage_name)


@deconstructible(path="djpyfs.storage.PyFSStorage")
class PyFSStorage(Storage):
    """A Django storage whose files live in one djpyfs namespace.

    Arguments:
        namespace: the namespace holding the files (default ``"storage"``);
            see :func:`djpyfs.get_filesystem`.
        url_timeout: seconds for which ``url()`` stays valid; 0 (default)
            asks the back-end for its longest validity (permanent where it
            has permanent URLs, 7 days for presigned S3 URLs).
        allow_overwrite: save over an existing file (truncating it) instead
            of choosing a free name.

    Raises:
        ImproperlyConfigured: an invalid namespace or option.
    """

    def __init__(
        self,
        namespace: str = DEFAULT_NAMESPACE,
        url_timeout: int = 0,
        allow_overwrite: bool = False,
    ) -> None:
        try:
            self.namespace = validate_namespace(namespace)
        except (SuspiciousPath, TypeError) as exc:
            raise ImproperlyConfigured(f"PyFSStorage namespace: {exc}") from exc
        if not isinstance(url_timeout, int) or isinstance(url_timeout, bool):
            raise ImproperlyConfigured(
                f"PyFSStorage url_timeout must be an integer, not {url_timeout!r}."
            )
        try:
            url_lifetime(url_timeout)
        except ValueError as exc:
            raise ImproperlyConfigured(f"PyFSStorage url_timeout: {exc}") from exc
        if not isinstance(allow_overwrite, bool):
            raise ImproperlyConfigured(
                f"PyFSStorage allow_overwrite must be True or False, "
                f"not {allow_overwrite!r}."
            )
        self.url_timeout = url_timeout
        self.allow_overwrite = allow_overwrite
        self._opened: _Opened | None = None

    def __repr__(self) -> str:
        return f"PyFSStorage(namespace={self.namespace!r})"

    def __getstate__(self) -> dict[str, Any]:
        # The open filesystem holds locks and clients; it is rebuilt on use.
        state = self.__dict__.copy()
        state["_opened"] = None
        return state

    def _open_namespace(self) -> _Opened:
        config = conf.get_config()
        opened = self._opened
        if opened is None or opened.config is not config:
            fs = get_filesystem(self.namespace)
            root = local_root(fs)
            opened = _Opened(
                config, fs, LocalDisk(root) if root else None, object_store(fs)
            )
            self._opened = opened
        return opened

    @property
    def fs(self) -> NamespaceFS:
        """The namespace's filesystem, reopened when ``DJFS`` changes."""
        return self._open_namespace().fs

    @property
    def _local(self) -> LocalDisk | None:
        """Direct access to the files when they are on local disk."""
        return self._open_namespace().local

    # Names.

    def _path(self, name: str, *, allow_root: bool = False) -> str:
        """Return the namespace path of a storage name.

        Backslashes separate directories, as in Django's
        ``generate_filename``.

        Raises:
            SuspiciousPath: for absolute names and names with a ``..`` level.
        """
        name = str(name).replace("\\", "/")
        if name.startswith("/"):
            raise SuspiciousPath(name, "A file name must be relative")
        # The substring test first: most names have no ".." at all.
        if ".." in name and ".." in name.split("/"):
            raise SuspiciousPath(name, "A file name may not contain '..'")
        if allow_root and not name.strip("/."):
            return "/"
        return normalize_filename(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        if self.allow_overwrite and not (max_length and len(name) > max_length):
            # Also on Django < 5.1, whose get_available_name ignores
            # is_name_available() below and would pick a new name.
            self._path(name)
            validate_file_name(name, allow_relative_path=True)
            return name
        return super().get_available_name(name, max_length=max_length)

    def is_name_available(self, name: str, max_length: int | None = None) -> bool:
        if self.allow_overwrite:
            return not (max_length and len(name) > max_length)
        return super().is_name_available(name, max_length=max_length)

    def get_alternative_name(self, file_root: str, file_ext: str) -> str:
        if self.allow_overwrite:
            return f"{file_root}{file_ext}"
        return super().get_alternative_name(file_root, file_ext)

    # Saving.

    def save(
        self, name: str | None, content: Any, max_length: int | None = None
    ) -> str:
        """Save ``content`` under ``name`` or a free name close to it.

        ``content`` may be a ``File``, any readable file object (seekable or
        not), ``bytes`` or ``str`` (written as UTF-8).  It is read from its
        start and left open, rewound when it can be.

        Returns:
            The name the file was saved under.
        """
        # Django's Storage.save, plus plain bytes/str, and max_length kept
        # for the names tried after losing a race.
        if name is None:
            name = content.name
        content = self._as_file(content, name)
        validate_file_name(name, allow_relative_path=True)
        if not self._claims_names_on_write(name, max_length):
            name = self.get_available_name(name, max_length=max_length)
            validate_file_name(name, allow_relative_path=True)
        name = self._save_as(name, content, max_length)
        validate_file_name(name, allow_relative_path=True)
        return name

    def _claims_names_on_write(self, name: str, max_length: int | None) -> bool:
        """Whether ``save()`` may try ``name`` without asking if it is free.

        On an object store the exclusive write refuses a taken name itself,
        so asking first would only add a request; Django's
        ``get_available_name()`` is then consulted once the name proves
        taken (or too long).  Not when a subclass decides availability its
        own way: it expects to be asked before every save, as Django does.
        """
        cls = type(self)
        return (
            not self.allow_overwrite
            and self._open_namespace().objects is not None
            and not (max_length and len(name) > max_length)
            and cls.get_available_name is PyFSStorage.get_available_name
            and cls.is_name_available is PyFSStorage.is_name_available
        )

    @staticmethod
    def _as_file(content: Any, name: str) -> File:
        if isinstance(content, bytes | str):
            return ContentFile(content, name=name)
        if isinstance(content, bytearray | memoryview):
            return ContentFile(bytes(content), name=name)
        if not hasattr(content, "chunks"):
            return File(content, name)
        return content

    def _save(self, name: str, content: File) -> str:
        return self._save_as(name, content, max_length=None)

    def _save_as(self, name: str, content: File, max_length: int | None) -> str:
        opened = self._open_namespace()
        if opened.objects is not None:
            return self._put_as(opened.objects, name, content, max_length)
        atomic = opened.local is not None or has_atomic_create(opened.fs)
        source = content
        if not (
            self.allow_overwrite or opened.local is not None or _is_seekable(content)
        ):
            # The back-end may refuse the name only after reading the data;
            # keep a copy to retry with.
            source = self._spool(content)
        try:
            with django_errors(name):
                while True:
                    path = self._path(name)
                    try:
                        with self._creating(path, atomic):
                            self._write(opened, path, source)
                    except (FileExists, FileExistsError, FileExpected):
                        # Another writer (or a directory) took the name since
                        # get_available_name(): pick another one.
                        if self.allow_overwrite:
                            raise
                        name = self.get_available_name(name, max_length=max_length)
                        continue
                    return path
        finally:
            if source is not content:
                source.close()
            elif _is_seekable(content):
                content.seek(0)

    def _put_as(
        self, objects: ObjectStore, name: str, content: File, max_length: int | None
    ) -> str:
        """Save to an object store: one exclusive write per name tried.

        The store refuses a taken name atomically (no lock needed, in this
        process or across processes), after reading the data: content that
        cannot be read again, or reads as text, is spooled first.
        """
        exclusive = not self.allow_overwrite
        direct = not _is_text(content) and (_is_seekable(content) or not exclusive)
        source = content if direct else self._spool(content)
        try:
            with django_errors(name):
                while True:
                    path = self._path(name)
                    if _is_seekable(source):
                        source.seek(0)
                    try:
                        objects.put_object(path, source, exclusive=exclusive)
                    except FileExists:
                        name = self.get_available_name(name, max_length=max_length)
                        continue
                    return path
        finally:
            if source is not content:
                source.close()
            elif _is_seekable(content):
                content.seek(0)

    def _creating(self, path: str, atomic: bool) -> AbstractContextManager[None]:
        if self.allow_overwrite or atomic:
            return nullcontext()
        return creation_locks.hold((self.namespace, path))

    def _write(self, opened: _Opened, path: str, content: File) -> None:
        if opened.local is not None:
            destination = opened.local.create(path, overwrite=self.allow_overwrite)
        else:
            mode = "wb" if self.allow_overwrite else "xb"
            destination = self._open_creating(opened.fs, path, mode)
        with destination:
            for chunk in content.chunks():
                destination.write(_as_bytes(chunk))

    @staticmethod
    def _open_creating(fs: NamespaceFS, path: str, mode: str) -> IO[bytes]:
        # Directories are made only when missing, which saves a round trip
        # per save on remote back-ends.
        try:
            return fs.openbin(path, mode)
        except ResourceNotFound:
            parent = dirname(path)
            if parent in ("", "/"):
                raise
            fs.makedirs(parent, recreate=True)
            return fs.openbin(path, mode)

    @staticmethod
    def _spool(content: File) -> File:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)
        for chunk in content.chunks():
            spool.write(_as_bytes(chunk))
        spool.seek(0)
        return File(spool, content.name)

    # Reading and the rest of Django's Storage API.

    def _open(self, name: str, mode: str = "rb") -> PyFSFile:
        return PyFSFile(self._open_stream(name, mode), name, self, mode)

    def _open_stream(self, name: str, mode: str) -> IO[Any]:
        path = self._path(name)
        opened = self._open_namespace()
        if opened.local is not None:
            return opened.local.open(path, mode)
        fs = opened.fs
        with django_errors(name):
            if "r" in mode and "+" not in mode:
                return fs.openbin(path, mode) if "b" in mode else fs.open(path, mode)
            stream = self._open_creating(fs, path, mode.replace("t", "") + "b")
            if "b" in mode:
                return stream
            return io.TextIOWrapper(stream, encoding="utf-8")

    def delete(self, name: str) -> None:
        """Delete a file or an empty directory; a missing name is not an error."""
        if not name:
            raise ValueError("The name must be given to delete().")
        path = self._path(name)
        opened = self._open_namespace()
        if opened.local is not None:
            opened.local.remove(path)
            return
        if opened.objects is not None:
            with django_errors(name):
                opened.objects.delete_object(path)
            return
        fs = opened.fs
        with django_errors(name):
            try:
                fs.remove(path)
            except ResourceNotFound:
                pass
            except FileExpected:
                fs.removedir(path)

    def exists(self, name: str) -> bool:
        """Whether a file or a directory has this name."""
        path = self._path(name, allow_root=True)
        opened = self._open_namespace()
        if opened.local is not None:
            return opened.local.exists(path)
        with django_errors(name):
            return opened.fs.exists(path)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        directory = self._path(path, allow_root=True)
        directories: list[str] = []
        files: list[str] = []
        with django_errors(path):
            for info in self.fs.scandir(directory):
                (directories if info.is_dir else files).append(info.name)
        return directories, files

    def size(self, name: str) -> int:
        path = self._path(name)
        opened = self._open_namespace()
        if opened.local is not None:
            return opened.local.size(path)
        with django_errors(name):
            return opened.fs.getsize(path)

    def path(self, name: str) -> str:
        """The file's path on local disk, on back-ends that keep files there.

        Raises:
            NotImplementedError: the back-end does not store files on disk.
        """
        path = self._path(name, allow_root=True)
        try:
            return self.fs.getsyspath(path)
        except NoSysPath:
            raise NotImplementedError(
                f"The {conf.get_config().type!r} back-end does not keep files on "
                "local disk."
            ) from None

    def url(self, name: str | None) -> str:
        """The namespace's URL for ``name``, valid ``url_timeout`` seconds.

        Leading slashes are dropped, as ``FileSystemStorage`` does, so every
        name gives a URL below the storage's own.

        Raises:
            ValueError: ``name`` is None (a ``FieldFile`` without a file).
        """
        if name is None:
            raise ValueError("url() needs a file name.")
        path = self._path(str(name).replace("\\", "/").lstrip("/"))
        return self.fs.get_url(path, timeout=self.url_timeout)

    def expire(
        self, name: str, seconds: float = 0, days: float = 0, expires: bool = True
    ) -> None:
        """Mark a file for removal by ``djpyfs.expire_objects()``.

        Same rules as :meth:`NamespaceFS.expire`: ``expires=False`` keeps the
        file for good.
        """
        self.fs.expire(self._path(name), seconds=seconds, days=days, expires=expires)

    # Times: what the back-end records, or NotImplementedError.

    def _time(self, name: str, field: str) -> datetime:
        path = self._path(name)
        with django_errors(name):
            info = self.fs.getinfo(path, namespaces=["details"])
        timestamp = info.raw.get("details", {}).get(field)
        if not isinstance(timestamp, int | float):
            raise NotImplementedError(
                f"The {conf.get_config().type!r} back-end does not record the "
                f"{field} time of files."
            )
        # As FileSystemStorage: aware UTC with USE_TZ, naive local time without.
        return datetime.fromtimestamp(timestamp, tz=UTC if settings.USE_TZ else None)

    def get_accessed_time(self, name: str) -> datetime:
        return self._time(name, "accessed")

    def get_created_time(self, name: str) -> datetime:
        return self._time(name, "created")

    def get_modified_time(self, name: str) -> datetime:
        return self._time(name, "modified")
