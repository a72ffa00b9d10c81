"""Contents of an S3 namespace's files: reading, writing, copying.

Reading is one ``GetObject`` whose body is streamed (see
:class:`djpyfs.s3.files.S3Reader`), with no ``HeadObject`` before it.
Writing is one listing (checking the parent directory and that the name is
not a directory; see :meth:`djpyfs.s3.base.S3PrefixFS._target`) and one
``PutObject``, multipart above 8 MiB.  Copies are made by S3 itself.  A mixin
of :class:`djpyfs.s3.filesystem.S3NamespaceFS`.
"""

from __future__ import annotations

import io
from typing import IO, Any

from botocore.exceptions import ClientError
from fs import errors
from fs.mode import Mode

from djpyfs.s3.base import S3PrefixFS
from djpyfs.s3.errors import error_code
from djpyfs.s3.files import S3Reader, S3Writer, new_spool
from djpyfs.s3.uploads import TRANSFER_CONFIG
from djpyfs.same_file import copy_onto_itself, move_onto_itself

#: Reads are buffered in blocks of this size (``read(10)`` transfers one).
READ_BUFFER = 64 * 1024

#: CopyObject copies at most 5 GiB; larger objects need a multipart copy.
_COPY_TOO_LARGE = frozenset({"InvalidRequest", "EntityTooLarge"})


class ContentOperations(S3PrefixFS):
    """Opening, reading, writing, uploading and copying files of S3."""

    def openbin(
        self, path: str, mode: str = "r", buffering: int = -1, **options: Any
    ) -> IO[bytes]:
        """Open a file.

        Reading streams one GetObject (ranged GETs after a seek).  Writing
        checks the parent directory with one listing, keeps the data in a
        spooled temporary file and uploads it on ``close()``.  ``a`` and ``r+``
        download the current contents first.

        Mode ``x`` is atomic: the upload on ``close()`` is conditional
        (``If-None-Match``), so if another writer created the file after it
        was opened, ``close()`` raises ``FileExists`` and nothing is stored.
        """
        _mode = Mode(mode)
        _mode.validate_bin()
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            raise errors.FileExpected(path)

        def store(spool: IO[bytes]) -> None:
            # Mode "x" is re-checked by S3 as the object is created: another
            # process may have taken the name since the listing below.
            self._store(path, _path, spool, exclusive=_mode.exclusive)

        if _mode.create:
            target = self._target(path, _path)
            if target.is_dir:
                raise errors.FileExpected(path)
            if target.is_file and _mode.exclusive:
                raise errors.FileExists(path)
            spool = None
            if _mode.appending and target.is_file:
                spool = self._download_to_spool(path, _path)
                spool.seek(0, io.SEEK_END)
            changed = _mode.truncate or not target.is_file
            return S3Writer(path, _mode, store, spool, changed=changed)  # type: ignore[return-value]

        if _mode.writing:
            spool = self._download_to_spool(path, _path)
            return S3Writer(path, _mode, store, spool, changed=False)  # type: ignore[return-value]

        response = self._get(path, _path)
        key = self._path_to_key(_path)
        reader = S3Reader(self.client, self._bucket_name, key, path, response)
        return io.BufferedReader(reader, READ_BUFFER)  # type: ignore[return-value]

    def _download_to_spool(self, path: str, _path: str) -> IO[bytes]:
        spool = new_spool()
        self._download(path, _path, spool)
        spool.seek(0)
        return spool

    def _download(
        self, path: str, _path: str, file: IO[bytes], chunk_size: int | None = None
    ) -> None:
        response = self._get(path, _path)
        with self._errors(path):
            for chunk in response["Body"].iter_chunks(chunk_size or READ_BUFFER):
                file.write(chunk)

    def readbytes(self, path: str) -> bytes:
        """One GetObject."""
        self.check()
        _path = self.validatepath(path)
        response = self._get(path, _path)
        with self._errors(path):
            return response["Body"].read()

    def download(
        self, path: str, file: IO[bytes], chunk_size: int | None = None, **options: Any
    ) -> None:
        """Copy a file to a binary file object: one streamed GetObject."""
        self.check()
        self._download(path, self.validatepath(path), file, chunk_size)

    def writebytes(self, path: str, contents: bytes) -> None:
        """One PutObject, after one listing checking the parent (see ``_target``)."""
        if not isinstance(contents, bytes):
            raise TypeError("contents must be bytes")
        self._put(path, self._file_to_write(path), contents)

    def upload(
        self, path: str, file: IO[bytes], chunk_size: int | None = None, **options: Any
    ) -> None:
        """Store a binary file object, from its current position.

        Over 8 MiB this is a multipart upload reading ``file`` part by part.
        ``file`` is left open.
        """
        self._upload(path, self._file_to_write(path), file)

    def put_object(
        self, path: str, file: IO[bytes], *, exclusive: bool = False
    ) -> None:
        """Store a whole file at ``path``, with no check beforehand.

        The lower-level write for callers that, like Django storages, treat
        directories as implicit: unlike ``upload()``, the parent directory
        need not exist (there is none to make on S3) and nothing is listed
        first.  One ``PutObject`` up to 8 MiB, a multipart upload above.  A
        directory of the same name is not looked for: S3 then holds both,
        and this filesystem shows the name as a file.

        Arguments:
            path: the file's path.
            file: a binary file object, read from its current position to
                its end and left open.
            exclusive: create the file only if no file has this name; S3
                checks that as it stores the object (``If-None-Match``), so
                concurrent writers cannot both succeed.

        Raises:
            fs.errors.FileExists: ``exclusive`` and the file exists.
            fs.errors.FileExpected: ``path`` is the root.
        """
        self.check()
        _path = self.validatepath(path)
        if _path == "/":
            raise errors.FileExpected(path)
        self._store(path, _path, file, exclusive=exclusive)

    def _file_to_write(self, path: str) -> str:
        """The validated path of a file about to be replaced whole.

        Raises:
            fs.errors.FileExpected: ``path`` is the root or a directory.
            fs.errors.ResourceNotFound: its parent directory does not exist.
        """
        self.check()
        _path = self.validatepath(path)
        if _path == "/" or self._target(path, _path).is_dir:
            raise errors.FileExpected(path)
        return _path

    # Copies ---------------------------------------------------------------

    def copy(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        """Copy a file within the bucket (CopyObject; S3 does the transfer).

        A copy onto itself, which S3 refuses, is answered as on every other
        filesystem (:mod:`djpyfs.same_file`).

        ``preserve_time`` is accepted for compatibility and has no effect: S3
        sets an object's modification time itself.
        """
        self.check()
        if copy_onto_itself(self, src_path, dst_path, overwrite):
            return
        _src = self.validatepath(src_path)
        _dst = self.validatepath(dst_path)
        if _dst == "/":
            raise errors.DestinationExists(dst_path)
        target = self._target(dst_path, _dst)
        if (target.is_file or target.is_dir) and not overwrite:
            raise errors.DestinationExists(dst_path)
        if target.is_dir:
            raise errors.FileExpected(dst_path)
        if _src == "/":
            raise errors.FileExpected(src_path)
        self._copy_object(src_path, _src, _dst)

    def _copy_object(self, src_path: str, _src: str, _dst: str) -> None:
        source = {"Bucket": self._bucket_name, "Key": self._path_to_key(_src)}
        dst_key = self._path_to_key(_dst)
        try:
            with self._errors(src_path):
                try:
                    self.client.copy_object(
                        Bucket=self._bucket_name, Key=dst_key, CopySource=source
                    )
                except ClientError as exc:
                    if error_code(exc) not in _COPY_TOO_LARGE:
                        raise
                    # Over 5 GiB: boto3's managed copy does it in parts.
                    self.client.copy(
                        source, self._bucket_name, dst_key, Config=TRANSFER_CONFIG
                    )
        except errors.ResourceNotFound:
            self._raise_not_a_file(src_path, _src)

    def move(
        self,
        src_path: str,
        dst_path: str,
        overwrite: bool = False,
        preserve_time: bool = False,
    ) -> None:
        """Copy, then delete the source (S3 has no rename)."""
        if move_onto_itself(self, src_path, dst_path, overwrite):
            return
        _src = self.validatepath(src_path)
        self.copy(src_path, dst_path, overwrite=overwrite, preserve_time=preserve_time)
        with self._errors(src_path):
            self.client.delete_object(
                Bucket=self._bucket_name, Key=self._path_to_key(_src)
            )
