"""``S3NamespaceFS``: a namespace's files in an S3 bucket, in few requests.

The namespace rooted at ``<root>`` keeps the file ``a/b.txt`` at the key
``<root>/a/b.txt``.  A directory is a key prefix: ``a`` exists as soon as any
key starts with ``<root>/a/``, so prefixes written by other tools (which make
no marker keys) are directories like any other.  ``makedir`` writes an empty
marker key ``<root>/a/`` so that an empty directory can exist; removing the
last file of a directory that has no marker makes the directory vanish.  The
namespace root always exists and is never asked for.

This subclasses fs-s3fs's ``S3FS`` for its key layout and settings, but sends
every request through the one boto3 *client* shared per configuration
(:func:`djpyfs.s3.client.get_client`) and reimplements the operations so that:

- ``exists``/``getinfo``/``isfile`` of a file is one ``HeadObject``, ``isdir``
  one ``ListObjectsV2``;
- reading is one ``GetObject`` whose body is streamed (see
  :mod:`djpyfs.s3.files`), with no preceding ``HeadObject``;
- writing is one listing (checking the parent directory and that the name is
  not a directory; skipped for the parent at the namespace root) and one
  ``PutObject`` (multipart above 8 MiB, in bounded memory: see
  :mod:`djpyfs.s3.uploads`); mode ``x`` is checked again by S3 as the
  object is stored (``If-None-Match``), so it is atomic across processes;
- :meth:`~djpyfs.s3.contents.ContentOperations.put_object` and
  :meth:`~djpyfs.s3.tree.TreeOperations.delete_object` are the one-request
  write and removal Django storages need (no directory checks);
- listing is one request per 1,000 entries, with no request per file.

The class is assembled from one module per concern: :mod:`djpyfs.s3.base`
(keys and single requests), :mod:`djpyfs.s3.tree` (information, listings,
directories, removal) and :mod:`djpyfs.s3.contents` (reading, writing,
copying; a file copied or moved onto itself is answered by
:mod:`djpyfs.same_file`).  Errors are translated by :mod:`djpyfs.s3.errors`.
"""

from __future__ import annotations

from typing import Any

from fs_s3fs import S3FS

from djpyfs.s3.contents import ContentOperations
from djpyfs.s3.tree import TreeOperations

__all__ = ["S3NamespaceFS"]


class S3NamespaceFS(ContentOperations, TreeOperations):
    """The files below one key prefix of the configured bucket.

    Arguments:
        config: the S3 configuration (bucket, endpoint, credentials).
        dir_path: the key prefix of this filesystem's root (slashes at either
            end are ignored; empty for the bucket's root).
        client: the boto3 S3 client to use; by default the one shared by
            every filesystem of ``config``.

    Opening a filesystem sends no request.
    """

    #: ``openbin(path, "x")`` fails if another writer, in any process,
    #: created the file first (see :mod:`djpyfs.creation`).
    _meta: dict[str, Any] = {**S3FS._meta, "atomic_exclusive_create": True}
