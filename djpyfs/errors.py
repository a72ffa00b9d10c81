"""Translation of pyfilesystem errors into the exceptions Django code expects.

Django's storage API speaks Python's OS errors (``FileNotFoundError``,
``FileExistsError``...) and ``SuspiciousFileOperation``; pyfilesystem speaks
``fs.errors``.  Code that exposes a filesystem through Django's API wraps its
calls in :func:`django_errors` so that callers never see an ``fs.errors``
exception.  (The opposite direction, botocore to ``fs.errors``, lives in
:mod:`djpyfs.s3.errors`.)
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from fs import errors

from djpyfs.exceptions import SuspiciousPath

#: ``fs.errors`` classes and the OS error that stands for each, most specific
#: first (``FileExpected`` is a ``ResourceInvalid``...).
_OS_ERRORS: tuple[tuple[type[errors.FSError], type[OSError], int], ...] = (
    (errors.ResourceNotFound, FileNotFoundError, errno.ENOENT),
    (errors.FileExists, FileExistsError, errno.EEXIST),
    (errors.DestinationExists, FileExistsError, errno.EEXIST),
    (errors.DirectoryExists, FileExistsError, errno.EEXIST),
    (errors.FileExpected, IsADirectoryError, errno.EISDIR),
    (errors.DirectoryExpected, NotADirectoryError, errno.ENOTDIR),
    (errors.DirectoryNotEmpty, OSError, errno.ENOTEMPTY),
    (errors.PermissionDenied, PermissionError, errno.EACCES),
    (errors.ResourceReadOnly, PermissionError, errno.EROFS),
    (errors.ResourceLocked, BlockingIOError, errno.EAGAIN),
    (errors.OperationTimeout, TimeoutError, errno.ETIMEDOUT),
    (errors.RemoteConnectionError, ConnectionError, errno.ECONNREFUSED),
    (errors.InsufficientStorage, OSError, errno.ENOSPC),
)


def to_os_error(
    exc: errors.FSError | errors.IllegalBackReference, name: str = ""
) -> Exception:
    """Return the exception Django code expects in place of ``exc``.

    Arguments:
        exc: a pyfilesystem error.
        name: the file name as the caller gave it, shown in the message.

    Returns:
        An ``OSError`` subclass with ``errno`` and ``filename`` set, or
        :class:`~djpyfs.exceptions.SuspiciousPath` for a path that leaves its
        root.  Errors without a closer match become a plain ``OSError``.
    """
    if isinstance(exc, SuspiciousPath):
        return exc
    if isinstance(exc, errors.IllegalBackReference):
        return SuspiciousPath(name or str(exc), "A file name may not leave its root")
    for fs_class, os_class, code in _OS_ERRORS:
        if isinstance(exc, fs_class):
            return os_class(code, str(exc), name or None)
    return OSError(errno.EIO, str(exc), name or None)


@contextmanager
def django_errors(name: str = "") -> Iterator[None]:
    """Re-raise ``fs.errors`` exceptions as the OS errors Django expects.

    The original exception is kept as ``__cause__``.
    """
    try:
        yield
    except (errors.FSError, errors.IllegalBackReference) as exc:
        translated = to_os_error(exc, name)
        if translated is exc:
            raise
        raise translated from exc


__all__ = ["django_errors", "to_os_error"]
