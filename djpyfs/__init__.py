"""djpyfs: Django file storage and PyFilesystem2, bridged both ways.

The public API is importable from the package itself::

    import djpyfs

    fs = djpyfs.get_filesystem("charts")
    fs.writebytes("today.png", png)
    fs.expire("today.png", seconds=300)
    url = fs.get_url("today.png", timeout=60)

The names are resolved on first use so that listing ``djpyfs`` in
``INSTALLED_APPS`` does not import models before Django's app registry is
ready.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "1.0.0"

__all__ = ["NamespaceFS", "expire_objects", "get_filesystem"]

_LAZY = {
    "get_filesystem": "djpyfs.filesystem",
    "NamespaceFS": "djpyfs.filesystem",
    "expire_objects": "djpyfs.expiry",
}

if TYPE_CHECKING:
    from djpyfs.expiry import expire_objects
    from djpyfs.filesystem import NamespaceFS, get_filesystem


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'djpyfs' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
