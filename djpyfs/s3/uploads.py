"""Uploads to S3 in bounded memory, optionally only where no object is yet.

Every upload of djpyfs's S3 namespaces goes through this module's settings:
files up to :data:`MULTIPART_THRESHOLD` go up in one ``PutObject``, larger
ones in parts of :data:`PART_SIZE`, at most :data:`CONCURRENCY` parts in
memory (being sent) at a time.  boto3's defaults keep ten threads and ten
8 MiB parts read ahead per upload: saving a 1 GiB file grew memory by about
115 MiB.  With these settings (3 parts of 5 MiB) it grows by 35-55 MiB,
HTTP buffers and reading the file back included (``tests/storage/
test_streaming.py``).

An upload is *exclusive* when it must create the object and fail if the key
is taken: S3 then gets ``If-None-Match: *`` on the request that makes the
object visible (``PutObject``, or ``CompleteMultipartUpload`` after the
parts) and answers ``412 Precondition Failed`` if an object is there, which
:mod:`djpyfs.s3.errors` translates to :class:`fs.errors.FileExists`.  The
check and the write are one step on S3's side, so two processes creating
the same key cannot both succeed.  boto3's managed transfer does not pass
that condition to ``CompleteMultipartUpload``, hence
:func:`upload_parts_exclusive`, with the same part size and concurrency.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

from boto3.s3.transfer import TransferConfig

logger = logging.getLogger(__name__)

MiB = 1024 * 1024

#: Files larger than this go up in parts (S3's smallest part is 5 MiB).
MULTIPART_THRESHOLD = 8 * MiB

#: The size of each part of a multipart upload or copy.
PART_SIZE = 5 * MiB

#: Parts sent at the same time, hence held in memory, per upload.
CONCURRENCY = 3

#: S3 accepts at most this many parts per upload.
MAX_PARTS = 10_000


def _transfer_config() -> TransferConfig:
    config = TransferConfig(
        multipart_threshold=MULTIPART_THRESHOLD,
        multipart_chunksize=PART_SIZE,
        max_concurrency=CONCURRENCY,
        # The settings below apply to boto3's own (classic) transfer code
        # only; the optional CRT client would ignore them.
        preferred_transfer_client="classic",
    )
    # s3transfer reads parts ahead of the threads sending them, up to this
    # many (default 10).  boto3's constructor does not take it, but the
    # transfer manager reads it from the config (s3transfer's
    # TransferConfig documents it); reading no further ahead than there
    # are senders is what bounds memory.
    config.max_in_memory_upload_chunks = CONCURRENCY
    return config


#: boto3's managed transfers (``upload_fileobj``, ``copy``) with the bounds above.
TRANSFER_CONFIG = _transfer_config()


def read_exactly(file: IO[bytes], size: int) -> bytes:
    """Read ``size`` bytes, fewer only at the end of ``file``.

    A raw file's ``read`` may return less than asked before the end; S3
    parts other than the last must be full.
    """
    data = file.read(size)
    if data is None or len(data) >= size or not data:
        return data or b""
    pieces = [data]
    missing = size - len(data)
    while missing:
        piece = file.read(missing)
        if not piece:
            break
        pieces.append(piece)
        missing -= len(piece)
    return b"".join(pieces)


def _part_size(file: IO[bytes]) -> int:
    """:data:`PART_SIZE`, or more when the file would need over MAX_PARTS parts."""
    try:
        if not file.seekable():
            return PART_SIZE
        start = file.tell()
        remaining = file.seek(0, 2) - start
        file.seek(start)
    except (AttributeError, OSError, ValueError):
        return PART_SIZE
    return max(PART_SIZE, -(-remaining // MAX_PARTS))


def upload_parts_exclusive(
    client: Any,
    bucket: str,
    key: str,
    file: IO[bytes],
    extra_args: Mapping[str, Any],
) -> None:
    """Upload ``file`` from its position in parts, creating ``key`` only if free.

    Parts are read in order and sent by up to :data:`CONCURRENCY` threads;
    the next part is read only once fewer are in flight.  The object appears
    when ``CompleteMultipartUpload`` (sent with ``If-None-Match: *``)
    succeeds; on any failure the upload is aborted, so no parts are left
    behind to be billed.

    Arguments:
        client: the boto3 S3 client.
        bucket: the bucket to write to.
        key: the key to create.
        file: a binary file object, read to its end (at least one byte).
        extra_args: further ``CreateMultipartUpload`` parameters
            (content type, ACL...).

    Raises:
        botocore.exceptions.ClientError: ``PreconditionFailed`` when ``key``
            exists at completion, or whatever else S3 answered.
    """
    part_size = _part_size(file)
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=key, **extra_args)[
        "UploadId"
    ]
    try:
        parts = _send_parts(client, bucket, key, upload_id, file, part_size)
        client.complete_multipart_upload(
            Bucket=bucket,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": parts},
            IfNoneMatch="*",
        )
    except BaseException:
        try:
            client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        except Exception:
            # The original error matters more; S3's lifecycle rules (or a
            # later ListMultipartUploads) clean up what remains.
            logger.warning("Could not abort the upload of %r", key, exc_info=True)
        raise


def _send_parts(
    client: Any,
    bucket: str,
    key: str,
    upload_id: str,
    file: IO[bytes],
    part_size: int,
) -> list[dict[str, Any]]:
    def send(number: int, data: bytes) -> dict[str, Any]:
        response = client.upload_part(
            Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
        )
        return {"PartNumber": number, "ETag": response["ETag"]}

    parts: list[dict[str, Any]] = []
    pending: deque[Future[dict[str, Any]]] = deque()
    with ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="djpyfs-s3") as pool:
        try:
            number = 0
            while True:
                if len(pending) >= CONCURRENCY:
                    parts.append(pending.popleft().result())
                data = read_exactly(file, part_size)
                if not data and number:
                    break
                number += 1
                pending.append(pool.submit(send, number, data))
            while pending:
                parts.append(pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()
    return parts
