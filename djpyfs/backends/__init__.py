"""Storage back-ends of ``get_filesystem``, one module each.

:func:`get_backend` maps a parsed ``DJFS`` configuration to its back-end,
built once per configuration and kept for the life of the process.
"""

from __future__ import annotations

from functools import cache

from djpyfs.backends.base import Backend
from djpyfs.conf import BackendConfig, FSURLConfig, MemoryConfig, OSFSConfig, S3Config


@cache
def get_backend(config: BackendConfig) -> Backend:
    if isinstance(config, OSFSConfig):
        from djpyfs.backends.local import OSFSBackend

        return OSFSBackend(config)
    if isinstance(config, S3Config):
        from djpyfs.backends.s3 import S3Backend

        return S3Backend(config)
    if isinstance(config, MemoryConfig):
        from djpyfs.backends.memory import MemoryBackend

        return MemoryBackend(config)
    if isinstance(config, FSURLConfig):
        from djpyfs.backends.fsurl import FSURLBackend

        return FSURLBackend(config)
    raise TypeError(f"No back-end for {config!r}")


__all__ = ["Backend", "get_backend"]
