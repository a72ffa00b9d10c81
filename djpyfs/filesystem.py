"""Namespaced filesystems: :func:`get_filesystem` and :class:`NamespaceFS`."""

from __future__ import annotations

from collections.abc import Iterable

from fs.base import FS
from fs.errors import NoURL
from fs.wrapfs import WrapFS

from djpyfs import conf, signed_urls
from djpyfs.backends import Backend, get_backend
from djpyfs.namespaces import normalize_filename, validate_namespace
from djpyfs.same_file import SameFileGuard


class NamespaceFS(SameFileGuard, WrapFS[FS]):
    """A filesystem rooted at one namespace, with URLs and expiry.

    Every pyfilesystem operation is delegated to the back-end's FS for the
    namespace; this class adds :meth:`get_url` and :meth:`expire`, and
    copies or moves a file onto itself alike on every back-end
    (:mod:`djpyfs.same_file`).
    """

    wrap_name = "djpyfs"

    def __init__(self, wrap_fs: FS, namespace: str, backend: Backend) -> None:
        super().__init__(wrap_fs)
        self.namespace = namespace
        self.backend = backend

    def __repr__(self) -> str:
        return f"NamespaceFS({self.namespace!r}, {self._wrap_fs!r})"

    def get_url(
        self, filename: str, timeout: float = 0, attachment: bool = False
    ) -> str:
        """Return an external URL for ``filename``.

        Arguments:
            filename: the file's path in this namespace.
            timeout: if greater than 0, the URL may stop working after that
                many seconds (rounded up); 0 asks for no expiry.
            attachment: ask browsers to download the file rather than show
                it (``Content-Disposition: attachment``); such URLs always go
                through djpyfs's serving view.

        Returns:
            The URL.  It is made whether or not the file exists.

        Raises:
            SuspiciousPath: if ``filename`` leaves the namespace.
            ValueError: if ``timeout`` is negative.
            URLUnavailable: the URL needs djpyfs's view and the site's
                URLconf does not include ``djpyfs.urls``.
        """
        path = normalize_filename(filename)
        seconds = signed_urls.url_lifetime(timeout)
        if not (self.backend.config.signed_urls or attachment):
            url = self.backend.native_url(self.namespace, path, seconds)
            if url is not None:
                return url
        return signed_urls.signed_url(
            self.namespace, path, seconds, attachment=attachment
        )

    def expire(
        self, filename: str, seconds: float = 0, days: float = 0, expires: bool = True
    ) -> None:
        """Mark ``filename`` for removal after ``days`` and ``seconds`` from now.

        ``expire_objects()`` removes it once that time has passed.  Calling
        again replaces the expiry; ``expires=False`` makes the file permanent.
        """
        from djpyfs.expiry import set_expiration

        set_expiration(
            self.namespace, filename, seconds=seconds, days=days, expires=expires
        )

    def remove_files(self, paths: Iterable[str]) -> dict[str, Exception]:
        """Remove several files at once (one request per 1,000 on S3).

        Returns:
            The files that could not be removed, with the error for each.  A
            file that is already gone is not an error.
        """
        return self.backend.remove_files(self.namespace, self._wrap_fs, paths)

    def geturl(self, path: str, purpose: str = "download") -> str:
        if purpose != "download":
            raise NoURL(path, purpose)
        return self.get_url(path)

    def hasurl(self, path: str, purpose: str = "download") -> bool:
        return purpose == "download"


def get_filesystem(namespace: str) -> NamespaceFS:
    """Return a filesystem for ``namespace``, configured by ``settings.DJFS``.

    Arguments:
        namespace: a relative, ``/``-separated path naming the namespace.

    Raises:
        SuspiciousPath: the namespace is empty, absolute or climbs out of
            the root.
        ImproperlyConfigured: ``DJFS`` is invalid.
    """
    namespace = validate_namespace(namespace)
    backend = get_backend(conf.get_config())
    return NamespaceFS(backend.open_namespace(namespace), namespace, backend)
