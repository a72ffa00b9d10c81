"""StorageFS: any Django storage as a pyfilesystem ``FS``.

``StorageFS('default')`` (an alias of ``settings.STORAGES``) or
``StorageFS(storage)`` (a ``Storage`` instance) lets every pyfilesystem tool
work on a site's storages::

    fs.copy.copy_fs(OSFS("old/media"), StorageFS("default"))

Like :class:`~djpyfs.filesystem.NamespaceFS` it has :meth:`StorageFS.get_url`
and :meth:`StorageFS.expire`.  The storage primitives, directory markers and
error translation live in :mod:`djpyfs.storage_access`; the file objects in
:mod:`djpyfs.storage_files`.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import IO, Any, BinaryIO, cast

from django.core.files.storage import Storage, storages
from fs import errors
from fs.base import FS
from fs.enums import ResourceType
from fs.info import Info
from fs.mode import Mode
from fs.path import abspath, dirname, join, normpath
from fs.subfs import SubFS
from fs.walk import BoundWalker, Walker

from djpyfs.exceptions import URLUnavailable, fs_message
from djpyfs.same_file import SameFileGuard
from djpyfs.signed_urls import signed_url, url_lifetime
from djpyfs.storage_access import Entry, access_for, storage_errors, storage_name
from djpyfs.storage_files import ReadOnlyFile, SpooledWriteFile


class StorageWalker(Walker):
    """A walker that lists a whole StorageFS tree at once where that is cheaper.

    On S3 a walk then costs one request per 1,000 keys instead of at least
    one per directory.  The listing is taken when the walk starts and only
    when it has no ``max_depth``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tree: Mapping[str, list[Info]] | None = None

    @classmethod
    def bind(cls, fs: FS) -> BoundWalker:
        # Walker.bind() binds a plain Walker whatever the subclass.
        return BoundWalker(fs, walker_class=cls)

    def _scan(
        self, fs: FS, dir_path: str, namespaces: Collection[str] | None = None
    ) -> Iterator[Info]:
        if self._tree is None:
            tree = None
            if self.max_depth is None and isinstance(fs, StorageFS):
                tree = fs.scan_tree(dir_path, namespaces)
            self._tree = tree or {}
        if dir_path in self._tree:
            return iter(self._tree[dir_path])
        return super()._scan(fs, dir_path, namespaces)


class StorageFS(SameFileGuard, FS):
    """A pyfilesystem over a Django storage.

    Arguments:
        storage: a ``Storage`` instance, or the alias of a ``STORAGES`` entry.

    Raises:
        InvalidStorageError: (an ``ImproperlyConfigured``) the alias is not
            in ``STORAGES``.
        TypeError: ``storage`` is neither a ``Storage`` nor a ``str``.

    Empty directories are kept with a marker (see :mod:`djpyfs.storage_access`),
    and files are written under exactly the name asked for, never renamed.
    Names with a backslash are refused (``InvalidCharsInPath``): storages
    would take it for a directory separator.
    """

    walker_class = StorageWalker

    _meta = {
        # Storages key files by exact name (S3, memory, Linux disks).
        "case_insensitive": False,
        # Django's storages read a backslash as a separator: FileSystemStorage
        # reports a file saved as a\b as "a/b", S3Storage writes x\..\f to
        # the key "f".  Such a name would reach another file than the one
        # asked for, so it is refused up front.
        "invalid_path_chars": "\0\\",
        "max_path_length": None,
        "max_sys_path_length": None,
        "network": True,
        "read_only": False,
        "supports_rename": False,
        "thread_safe": True,
        "unicode_paths": True,
        "virtual": False,
    }

    def __init__(self, storage: Storage | str) -> None:
        super().__init__()
        if isinstance(storage, str):
            self.alias: str | None = storage
            self.storage = storages[storage]
        else:
            if not isinstance(storage, Storage):
                raise TypeError(
                    "StorageFS takes a Django Storage or the alias of a "
                    f"settings.STORAGES entry, not {type(storage).__name__}."
                )
            self.alias = None
            self.storage = storage
        self._access = access_for(self.storage)

    def __repr__(self) -> str:
        if self.alias is not None:
            return f"StorageFS({self.alias!r})"
        return f"StorageFS({self.storage!r})"

    def __str__(self) -> str:
        return f"<storagefs '{self.alias or type(self.storage).__name__}'>"

    # ------------------------------------------------------------ helpers

    def _name(self, path: str) -> str:
        return storage_name(self.validatepath(path))

    def _stat(self, path: str, name: str, details: bool = False) -> Entry:
        entry = self._access.stat(name, details)
        if entry is None:
            raise errors.ResourceNotFound(path)
        return entry

    def _check_parent(self, path: str, name: str) -> None:
        """Raise ResourceNotFound unless the directory holding ``name`` exists."""
        parent = self._access.stat(dirname(name))
        if parent is None or not parent.is_dir:
            raise errors.ResourceNotFound(path)

    def _info(self, entry: Entry, namespaces: Collection[str] | None) -> Info:
        raw: dict[str, dict[str, Any]] = {
            "basic": {"name": entry.name, "is_dir": entry.is_dir}
        }
        if namespaces and "details" in namespaces:
            raw["details"] = {
                "type": int(
                    ResourceType.directory if entry.is_dir else ResourceType.file
                ),
                "size": entry.size or 0,
                "modified": entry.modified.timestamp() if entry.modified else None,
                "accessed": None,
                "created": None,
                "metadata_changed": None,
            }
        return Info(raw)

    # ------------------------------------------------------------ reading

    def getinfo(self, path: str, namespaces: Collection[str] | None = None) -> Info:
        self.check()
        name = self._name(path)
        details = bool(namespaces and "details" in namespaces)
        return self._info(self._stat(path, name, details), namespaces)

    def listdir(self, path: str) -> list[str]:
        self.check()
        with storage_errors(path):
            return [entry.name for entry in self._access.scandir(self._name(path))]

    def scandir(
        self,
        path: str,
        namespaces: Collection[str] | None = None,
        page: tuple[int, int] | None = None,
    ) -> Iterator[Info]:
        self.check()
        details = bool(namespaces and "details" in namespaces)
        with storage_errors(path):
            entries = self._access.scandir(self._name(path), details)
        infos = (self._info(entry, namespaces) for entry in entries)
        if page is not None:
            return itertools.islice(infos, *page)
        return infos

    def scan_tree(
        self, path: str, namespaces: Collection[str] | None = None
    ) -> dict[str, list[Info]] | None:
        """Everything below directory ``path``, by directory, from one listing.

        Returns:
            A mapping of absolute directory paths to the ``Info`` of their
            contents (with ``details``), or None where the storage lists
            one directory at a time (the walker then uses :meth:`scandir`).
        """
        self.check()
        root = abspath(normpath(path))
        tree = self._access.scan_tree(storage_name(root))
        if tree is None:
            return None
        namespaces = {"details", *(namespaces or ())}
        return {
            abspath(join(root, directory)): [self._info(e, namespaces) for e in entries]
            for directory, entries in tree.items()
        }

    def openbin(
        self, path: str, mode: str = "r", buffering: int = -1, **options: Any
    ) -> BinaryIO:
        """Open a file; writes reach the storage when the file is closed."""
        _mode = Mode(mode)
        _mode.validate_bin()
        self.check()
        name = self._name(path)
        if not name:
            raise errors.FileExpected(path)
        if _mode.create:
            self._check_parent(path, name)
            entry = self._access.stat(name)
            if entry is not None and entry.is_dir:
                raise errors.FileExpected(path)
            if entry is not None and _mode.exclusive:
                raise errors.FileExists(path)
            keep = entry is not None and _mode.appending
            initial = self._open_read(path, name) if keep else None
            return cast(BinaryIO, SpooledWriteFile(self._access, name, _mode, initial))
        current = self._open_read(path, name)
        if _mode.writing:  # r+
            return cast(BinaryIO, SpooledWriteFile(self._access, name, _mode, current))
        return cast(BinaryIO, ReadOnlyFile(current, path))

    def _open_read(self, path: str, name: str) -> IO[bytes]:
        try:
            return self._access.open_read(name)
        except errors.ResourceNotFound:
            # Opening is tried first so reading a file costs no extra
            # request; only a failure needs to know whether it is a directory.
            entry = self._access.stat(name)
            if entry is not None and entry.is_dir:
                raise errors.FileExpected(path) from None
            raise errors.ResourceNotFound(path) from None
        except errors.FileExpected:
            raise errors.FileExpected(path) from None

    # ------------------------------------------------------------ writing

    def upload(
        self, path: str, file: IO[bytes], chunk_size: int | None = None, **options: Any
    ) -> None:
        """Save ``file`` to ``path``, streamed straight to the storage."""
        self.check()
        name = self._name(path)
        self._check_parent(path, name)
        entry = self._access.stat(name)
        if (entry is not None and entry.is_dir) or not name:
            raise errors.FileExpected(path)
        self._access.save(name, file)

    def makedir(
        self, path: str, permissions: Any = None, recreate: bool = False
    ) -> SubFS[FS]:
        self.check()
        name = self._name(path)
        if name:
            self._check_parent(path, name)
            entry = self._access.stat(name)
            if entry is None:
                self._access.make_dir(name)
            elif not (entry.is_dir and recreate):
                raise errors.DirectoryExists(path)
        elif not recreate:
            raise errors.DirectoryExists(path)
        return self.opendir(path)

    def remove(self, path: str) -> None:
        self.check()
        name = self._name(path)
        if self._stat(path, name).is_dir:
            raise errors.FileExpected(path)
        self._access.delete(name)

    def removedir(self, path: str) -> None:
        self.check()
        name = self._name(path)
        if not name:
            raise errors.RemoveRootError(path)
        if not self._stat(path, name).is_dir:
            raise errors.DirectoryExpected(path)
        if self._access.scandir(name):
            raise errors.DirectoryNotEmpty(path)
        self._access.remove_dir(name)

    def removetree(self, dir_path: str) -> None:
        self.check()
        name = self._name(dir_path)
        if not self._stat(dir_path, name).is_dir:
            raise errors.DirectoryExpected(dir_path)
        if not self._access.remove_tree(name):
            super().removetree(dir_path)

    def setinfo(self, path: str, info: Mapping[str, Mapping[str, object]]) -> None:
        # Storages have no writable metadata; only the existence check holds.
        self.getinfo(path)

    # ------------------------------------------------------------ djpyfs API

    def get_url(self, path: str, timeout: float = 0) -> str:
        """Return the storage's URL for ``path``.

        Arguments:
            path: the file's path.
            timeout: if above 0, asks for a URL that stops working after that
                many seconds (rounded up), from storages whose ``url()``
                takes ``expire`` (django-storages' S3); other storages' URLs
                do not expire.  A URL of djpyfs's view stops working then.

        Returns:
            The storage's own URL; for a storage that makes none, a URL
            signed for djpyfs's serving view, if the storage is an entry of
            ``STORAGES`` (the view must find it again from the URL alone).

        Raises:
            NoURL: ``path`` is the root, or the storage makes no URLs and is
                not in ``STORAGES``, or the site's URLconf does not include
                ``djpyfs.urls``.
            ValueError: ``timeout`` is negative.
        """
        self.check()
        name = self._name(path)
        if not name:
            raise errors.NoURL(path, "download", msg="the root directory has no URL")
        lifetime = url_lifetime(timeout)
        url = self._access.url(name, lifetime)
        if url is not None:
            return url
        alias = self.storage_alias()
        reason = "the storage makes none and is not an entry of settings.STORAGES"
        if alias is not None:
            from djpyfs.expiry import storage_module

            try:
                return signed_url(storage_module(alias), name, lifetime)
            except URLUnavailable:
                reason = "the storage makes none and djpyfs.urls is not included"
        raise errors.NoURL(
            path,
            "download",
            msg=fs_message(
                f"{self!r} has no URL for {path!r}: {reason} "
                "(for FileSystemStorage/InMemoryStorage, set base_url or "
                "MEDIA_URL)"
            ),
        )

    def geturl(self, path: str, purpose: str = "download") -> str:
        if purpose != "download":
            raise errors.NoURL(path, purpose)
        return self.get_url(path)

    def hasurl(self, path: str, purpose: str = "download") -> bool:
        try:
            self.geturl(path, purpose)
        except errors.NoURL:
            return False
        return True

    def expire(
        self, path: str, seconds: float = 0, days: float = 0, expires: bool = True
    ) -> None:
        """Mark ``path`` for removal after ``days`` and ``seconds`` from now.

        ``expire_objects()`` (``manage.py djpyfs_expire``) removes it once that
        time has passed, from any process: the row names the ``STORAGES``
        alias.  Calling again replaces the expiry; ``expires=False`` keeps
        the file.

        Raises:
            Unsupported: the storage is not one of ``STORAGES`` (open the
                StorageFS by alias, or with the very instance
                ``storages[alias]`` returns).
        """
        from djpyfs.expiry import set_expiration, storage_module

        alias = self.storage_alias()
        if alias is None:
            raise errors.Unsupported(
                msg=fs_message(
                    f"{self!r} cannot expire files: its storage is not an entry "
                    "of settings.STORAGES, so a later sweep could not find it "
                    "again. Open it as StorageFS('<alias>') or with "
                    "storages['<alias>']."
                )
            )
        set_expiration(
            storage_module(alias),
            self._name(path).lstrip("/"),
            seconds=seconds,
            days=days,
            expires=expires,
        )

    def storage_alias(self) -> str | None:
        """The ``STORAGES`` alias of this storage, or None if it has none."""
        if self.alias is not None:
            return self.alias
        for alias in storages.backends:
            try:
                candidate = storages[alias]
            except Exception:
                # An entry that cannot be built (staticfiles without
                # STATIC_URL, a missing package...) is not this storage; its
                # own users get its error.
                continue
            if candidate is self.storage or self.storage == candidate:
                return alias
        return None

    def remove_files(self, paths: Iterable[str]) -> dict[str, Exception]:
        """Remove several files at once (one request per 1,000 on S3).

        Returns:
            The paths that could not be removed, with the error for each.
            A file that is already gone is not an error.
        """
        self.check()
        by_name: dict[str, str] = {}
        failures: dict[str, Exception] = {}
        for path in paths:
            try:
                by_name[self._name(path)] = path
            except errors.FSError as exc:
                failures[path] = exc
        for name, error in self._access.delete_many(by_name).items():
            failures[by_name[name]] = error
        return failures
