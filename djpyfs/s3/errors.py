"""Translation of botocore errors into pyfilesystem's vocabulary.

Every S3 call in djpyfs goes through :func:`translate_client_error` or the
:func:`s3_errors` context manager (and each key a bulk request fails for
through :func:`translate_key_error`), so no raw botocore exception escapes:

- a missing key is :class:`fs.errors.ResourceNotFound` for the caller's path;
- a missing bucket is :class:`BucketNotFound`, naming the bucket.  It is *not*
  a ``ResourceNotFound``: code that treats "no such file" as a normal answer
  (``exists``, a sweep skipping files already gone) must not mistake a
  misconfigured bucket for an empty one;
- access denied (or credentials S3 rejects) is
  :class:`fs.errors.PermissionDenied`;
- a write refused because the key is taken (``If-None-Match: *`` failing on
  ``PutObject`` or ``CompleteMultipartUpload``) is
  :class:`fs.errors.FileExists`.  A failed condition on a read (a ranged
  GET pinned with ``If-Match`` to an object replaced since) stays an
  ``OperationFailed``: the file exists, it changed;
- anything else S3 answers is :class:`fs.errors.OperationFailed`, a broken
  connection :class:`fs.errors.RemoteConnectionError`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from boto3.exceptions import Boto3Error
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from fs import errors

from djpyfs.exceptions import fs_message

#: Error codes meaning "no such key".  HEAD requests have no body, so S3 (and
#: moto) only give the HTTP status there.
_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
_DENIED = frozenset(
    {
        "403",
        "AccessDenied",
        "AllAccessDisabled",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "InvalidToken",
    }
)

#: Operations whose failed precondition means "an object already has the key".
_CREATING = frozenset({"PutObject", "CompleteMultipartUpload"})

#: Codes of a failed ``If-None-Match: *``.  S3 answers 409
#: ``ConditionalRequestConflict`` when another conditional write to the key
#: is in progress: the key is not free to claim either.
_TAKEN = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict"})


class BucketNotFound(errors.OperationFailed):
    """The bucket a request was sent to does not exist.

    The message names the bucket only: it may come from ``DJFS['bucket']`` or
    from a Django storage's settings, which this module cannot tell apart.
    """

    def __init__(self, bucket: str, path: str = "", exc: Exception | None = None):
        self.bucket = bucket
        super().__init__(
            path=path, exc=exc, msg=fs_message(f"S3 bucket {bucket!r} does not exist")
        )


def error_code(exc: ClientError) -> str:
    """The S3 error code of a ``ClientError`` (``"404"`` for a bare HEAD)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def translate_client_error(exc: Exception, bucket: str, path: str = "") -> Exception:
    """Return the pyfilesystem error that stands for a botocore exception.

    Arguments:
        exc: the exception raised by boto3/botocore (others are returned as
            they are).
        bucket: the bucket the request was for, named if it is missing.
        path: the pyfilesystem path the caller asked about.
    """
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code == "NoSuchBucket":
            # Callers going through a storage's own API may not know the
            # bucket; S3 names it in the error.
            named = bucket or exc.response.get("Error", {}).get("BucketName", "")
            return BucketNotFound(named, path, exc)
        if code in _NOT_FOUND:
            return errors.ResourceNotFound(path, exc=exc)
        if code in _TAKEN and exc.operation_name in _CREATING:
            return errors.FileExists(path, exc=exc)
        if code in _DENIED:
            message = exc.response.get("Error", {}).get("Message") or code
            return errors.PermissionDenied(
                path, exc=exc, msg=fs_message(f"S3: {message}")
            )
        return errors.OperationFailed(
            path, exc=exc, msg=fs_message(f"S3 error {code}: {exc}")
        )
    if isinstance(exc, EndpointConnectionError | ConnectionError | ReadTimeoutError):
        return errors.RemoteConnectionError(path, exc=exc, msg=fs_message(str(exc)))
    if isinstance(exc, BotoCoreError | Boto3Error):
        return errors.OperationFailed(path, exc=exc, msg=fs_message(str(exc)))
    return exc


def translate_key_error(
    entry: Mapping[str, Any], operation: str, bucket: str, path: str = ""
) -> Exception:
    """Return the pyfilesystem error for one key's entry in a bulk answer.

    ``DeleteObjects`` reports keys it could not delete as entries of its
    ``Errors`` list (``Key``, ``Code``, ``Message``) in a successful
    response; they map as the same error for a single request would.
    """
    error = {"Code": entry.get("Code", ""), "Message": entry.get("Message", "")}
    return translate_client_error(
        ClientError({"Error": error}, operation), bucket, path
    )


@contextmanager
def s3_errors(bucket: str, path: str = "") -> Iterator[None]:
    """Re-raise botocore exceptions as pyfilesystem errors (see module doc)."""
    try:
        yield
    except (ClientError, BotoCoreError, Boto3Error) as exc:
        raise translate_client_error(exc, bucket, path) from exc
