"""Namespaces and file names: validation and normalisation.

A namespace is a relative, ``/``-separated path below the configured root,
e.g. ``animationxblock..animation..d0..u0/settings__fs/NONE.NONE``.  ``..`` may
appear inside a level's name but never as a level of its own.
"""

from __future__ import annotations

from fs.errors import IllegalBackReference
from fs.path import normpath, relpath

from djpyfs.exceptions import SuspiciousPath

_FORBIDDEN_CHARS = ("\0", "\\")


def validate_namespace(namespace: str) -> str:
    """Return ``namespace`` normalised (no empty or trailing levels).

    Raises:
        SuspiciousPath: if the namespace is empty, absolute, has a ``.`` or
            ``..`` level, a NUL or a backslash.
        TypeError: if it is not a string.
    """
    if not isinstance(namespace, str):
        raise TypeError(f"A namespace must be a str, not {type(namespace).__name__}.")
    if not namespace.strip("/"):
        raise SuspiciousPath(namespace, "A namespace may not be empty")
    if namespace.startswith("/"):
        raise SuspiciousPath(namespace, "A namespace must be relative")
    for char in _FORBIDDEN_CHARS:
        if char in namespace:
            raise SuspiciousPath(namespace, f"A namespace may not contain {char!r}")
    levels = [level for level in namespace.split("/") if level]
    if any(level in (".", "..") for level in levels):
        raise SuspiciousPath(namespace, "A namespace may not have '.' or '..' levels")
    return "/".join(levels)


def normalize_filename(filename: str) -> str:
    """Return ``filename`` relative to its namespace, e.g. ``/a/./b`` -> ``a/b``.

    ``a.png`` and ``/a.png`` name the same file.

    Raises:
        SuspiciousPath: if the name climbs out of the namespace, contains a
            NUL, or names the namespace itself.
    """
    if not isinstance(filename, str):
        raise TypeError(f"A file name must be a str, not {type(filename).__name__}.")
    if "\0" in filename:
        raise SuspiciousPath(filename, "A file name may not contain NUL")
    try:
        normalized = relpath(normpath(filename))
    except IllegalBackReference:
        raise SuspiciousPath(
            filename, "A file name may not leave its namespace"
        ) from None
    if not normalized:
        raise SuspiciousPath(filename, "A file name may not be empty")
    return normalized
