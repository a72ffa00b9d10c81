"""Exceptions raised by djpyfs itself.

Errors from storage back-ends are translated in :mod:`djpyfs.errors`; this
module only holds the classes djpyfs defines.
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
