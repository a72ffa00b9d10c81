"""Exceptions raised by djpyfs itself.

Errors from storage back-ends are translated in :mod:`djpyfs.errors`; this
module holds the classes djpyfs defines, and the two helpers every message
of a pyfilesystem error goes through (:func:`fs_message`, :func:`error_text`).
"""

from django.core.exceptions import SuspiciousFileOperation
from fs.errors import IllegalBackReference


class SuspiciousPath(SuspiciousFileOperation, IllegalBackReference):
    """A namespace or file name that would reach outside its root.

    It is both Django's ``SuspiciousFileOperation`` (so Django code and its
    400 handling see a suspicious operation) and pyfilesystem's
    ``IllegalBackReference`` (so FS callers catching path errors see one).
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        SuspiciousFileOperation.__init__(self, f"{reason}: {path!r}")

    def __str__(self) -> str:
        return f"{self.reason}: {self.path!r}"


class URLUnavailable(Exception):
    """No external URL can be made for a file with the current settings."""


def fs_message(text: str) -> str:
    """Return ``text`` made safe as the ``msg`` of a pyfilesystem error.

    ``FSError.__str__`` and ``__repr__`` run ``msg.format(**error.__dict__)``,
    so a ``{`` or ``}`` in a message built from data (a file name, a bucket,
    botocore's text) makes ``str(error)`` raise ``KeyError`` or
    ``ValueError``.  Every ``msg=`` djpyfs builds passes through here: the
    braces are doubled and the message formats back to ``text``.
    """
    return text.replace("{", "{{").replace("}", "}}")


def error_text(exc: BaseException) -> str:
    """``str(exc)``, even for errors whose own ``__str__`` fails.

    Other libraries build pyfilesystem errors with data in ``msg`` too
    (fs-s3fs, ``OSFS``'s "root path ... does not exist"); a report of many
    errors (``djpyfs_copy``) must not die on one of them.
    """
    try:
        return str(exc)
    except Exception:  # any failure of a foreign __str__
        raw = getattr(exc, "_msg", None)
        text = raw if isinstance(raw, str) else Exception.__str__(exc)
        return f"{type(exc).__name__}: {text}"
