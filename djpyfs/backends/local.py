"""``osfs``: files on local disk, ``directory_root/<namespace>/<file>``."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured
from fs.errors import CreateFailed
from fs.osfs import OSFS

from djpyfs.backends.base import Backend
from djpyfs.conf import OSFSConfig


def directory_root_problem(root: str) -> str | None:
    """Why ``root`` cannot hold files, or None if it can (or can be made)."""
    if os.path.exists(root):
        if not os.path.isdir(root):
            return f"{root!r} exists and is not a directory"
        if not os.access(root, os.W_OK | os.X_OK):
            return f"{root!r} is not writable"
        return None
    parent = os.path.dirname(root)
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK | os.X_OK):
        return f"{root!r} does not exist and cannot be created under {parent!r}"
    return None


class OSFSBackend(Backend):
    config: OSFSConfig

    def open_namespace(self, namespace: str) -> OSFS:
        path = os.path.join(self.config.directory_root, namespace)
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as exc:
            root = self.config.directory_root
            problem = directory_root_problem(root)
            if problem is None and not os.path.isdir(root):
                # Permissions said yes, the file system said no (/proc, a
                # read-only mount, or running as root where access() is moot).
                problem = f"{root!r} cannot be created: {exc.strerror}"
            if problem is not None:
                raise ImproperlyConfigured(
                    f"DJFS['directory_root']: {problem}."
                ) from exc
            # The root is fine: this namespace cannot be made (a name too
            # long for the disk, a file in the way...).
            raise CreateFailed(
                f"cannot create namespace {namespace!r}: {exc.strerror}", exc=exc
            ) from exc
        return OSFS(path)
