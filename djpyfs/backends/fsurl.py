"""``fsurl``: any pyfilesystem opened from an FS URL (``ftp://``, ``temp://``...).

The root filesystem is opened once per configuration and kept for the life of
the process, so ``temp://`` gives one temporary directory, not one per call.
It is closed when the interpreter exits, while the modules it needs still
exist, so a ``temp://`` directory is removed then (left to ``__del__`` at
shutdown, ``TempFS.close`` fails and the directory stays).

A resource that exists is opened as it is, and one that does not is created.
The difference matters for archives: pyfilesystem opens an existing
``zip://`` or ``tar://`` archive read-only, but asked to create one it opens
a new, empty archive that replaces the old one when it is closed.  So an
existing archive is served read-only (writes raise ``ResourceReadOnly``) and
never rewritten; a missing one is written when the process exits.
"""

from __future__ import annotations

import atexit
import os
import threading

from django.core.exceptions import ImproperlyConfigured
from fs import open_fs
from fs.base import FS
from fs.errors import CreateFailed
from fs.opener.errors import OpenerError
from fs.opener.parse import parse_fs_url

from djpyfs.backends.base import Backend
from djpyfs.conf import FSURLConfig


class FSURLBackend(Backend):
    config: FSURLConfig

    def __init__(self, config: FSURLConfig) -> None:
        super().__init__(config)
        self._root: FS | None = None
        self._lock = threading.Lock()

    @property
    def root(self) -> FS:
        with self._lock:
            if self._root is None:
                try:
                    self._root = self._open()
                except OpenerError as exc:
                    raise ImproperlyConfigured(
                        f"DJFS['fs_url']: cannot open {self.config.fs_url!r}: {exc}"
                    ) from exc
                atexit.register(self._root.close)
            return self._root

    def _open(self) -> FS:
        url = self.config.fs_url
        try:
            return open_fs(url, create=False)
        except CreateFailed as exc:
            path, archive = _local_resource(url)
            if path is not None and os.path.exists(path):
                # There, but not what the URL says (a corrupt archive, a text
                # file named as a zip): creating it would replace it.
                raise ImproperlyConfigured(
                    f"DJFS['fs_url']: cannot open {url!r}: {exc}"
                ) from exc
            parent = os.path.dirname(path or "")
            if archive and not os.path.isdir(parent):
                # An archive is written only at exit: that would fail, losing
                # everything written to it.
                raise ImproperlyConfigured(
                    f"DJFS['fs_url']: cannot create {url!r}: {parent!r} is not "
                    "a directory."
                ) from exc
        # Not there yet (or unreachable, which this second try reports).
        return open_fs(url, create=True)

    def open_namespace(self, namespace: str) -> FS:
        """The namespace's directory, made if missing.

        Raises:
            fs.errors.ResourceNotFound: the filesystem is read-only (an
                existing archive) and has no such directory.
        """
        if self.root.getmeta().get("read_only", False):
            return self.root.opendir(namespace)
        return self.root.makedirs(namespace, recreate=True)


#: Protocols whose resource is one file, written when the filesystem closes.
_ARCHIVE_PROTOCOLS = frozenset({"zip", "tar"})

#: Protocols whose resource is a path on local disk.
_LOCAL_PROTOCOLS = frozenset({"osfs", "file"}) | _ARCHIVE_PROTOCOLS


def _local_resource(url: str) -> tuple[str | None, bool]:
    """The local path an FS URL names (None for remote or virtual ones), and
    whether it is an archive."""
    parsed = parse_fs_url(url)
    if parsed.protocol not in _LOCAL_PROTOCOLS:
        return None, False
    # Expanded as pyfilesystem's openers expand it.
    path = os.path.abspath(os.path.expandvars(os.path.expanduser(parsed.resource)))
    return path, parsed.protocol in _ARCHIVE_PROTOCOLS
