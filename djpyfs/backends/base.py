"""The contract every storage back-end of ``get_filesystem`` fulfils."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

from fs.base import FS
from fs.errors import FSError, ResourceNotFound

from djpyfs.conf import BackendConfig

logger = logging.getLogger(__name__)

#: What ``url_root`` URLs leave unencoded: the characters Django's
#: ``filepath_to_uri`` leaves, so these URLs match ``FileSystemStorage.url()``.
URL_SAFE = "/~!*()'"


class Backend:
    """One configured back-end, shared by all namespaces it serves.

    A back-end is built once per configuration (see :func:`djpyfs.backends.get_backend`)
    and must be safe to use from several threads.  Subclasses implement
    :meth:`open_namespace` and override the rest where they can do better.
    """

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    def open_namespace(self, namespace: str) -> FS:
        """Return an FS rooted at ``namespace`` (validated), creating it if needed."""
        raise NotImplementedError

    def native_url(self, namespace: str, path: str, timeout: int) -> str | None:
        """Return the back-end's own URL for a file, or None if it has none.

        ``path`` is normalised and relative to the namespace.  With None, the
        caller falls back to a URL signed for djpyfs's serving view.  The
        default uses ``url_root``: a permanent URL served by the web server.
        """
        if self.config.url_root is None:
            return None
        # Django's filepath_to_uri() would also turn a backslash into "/": a
        # legal character of a name here, so the URL would name another file.
        return self.config.url_root + quote(f"{namespace}/{path}", safe=URL_SAFE)

    def remove_files(
        self, namespace: str, fs: FS, paths: Iterable[str]
    ) -> dict[str, Exception]:
        """Remove files of one namespace; return the failures by path.

        A file that is already gone is not a failure.  Back-ends with a bulk
        delete (S3) override this to use it.
        """
        failures: dict[str, Exception] = {}
        for path in paths:
            try:
                fs.remove(path)
            except ResourceNotFound:
                pass
            except (FSError, OSError) as exc:
                failures[path] = exc
        return failures
