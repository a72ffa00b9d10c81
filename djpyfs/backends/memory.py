"""``mem``: files in this process's memory, for tests and development.

The files live as long as the back-end, which is built once per configuration
and kept for the life of the process: ``get_filesystem("x")`` called twice
sees the same files.  Other processes (and so other workers of a web server)
do not see them.
"""

from __future__ import annotations

import threading

from fs.base import FS
from fs.memoryfs import MemoryFS

from djpyfs.backends.base import Backend
from djpyfs.conf import BackendConfig


class MemoryBackend(Backend):
    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.root = MemoryFS()
        self._lock = threading.Lock()

    def open_namespace(self, namespace: str) -> FS:
        with self._lock:
            return self.root.makedirs(namespace, recreate=True)
