"""The import path used by openedx-django-pyfs and the XBlocks built on it.

``from djpyfs import djpyfs; djpyfs.get_filesystem(namespace)`` keeps working
unchanged; new code should import from :mod:`djpyfs` directly.
"""

from djpyfs.expiry import expire_objects
from djpyfs.filesystem import get_filesystem

__all__ = ["expire_objects", "get_filesystem"]
