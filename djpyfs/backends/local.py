"""``osfs``: files on local disk, ``directory_root/<namespace>/<file>``."""

from __future__ import annotations

import os

from fs.osfs import OSFS

from djpyfs.backends.base import Backend
from djpyfs.conf import OSFSConfig


class OSFSBackend(Backend):
    config: OSFSConfig

    def open_namespace(self, namespace: str) -> OSFS:
        path = os.path.join(self.config.directory_root, namespace)
        os.makedirs(path, exist_ok=True)
        return OSFS(path)
