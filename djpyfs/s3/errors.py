"""Translation of botocore errors into pyfilesystem's and Django's vocabulary.

Every S3 call in djpyfs goes through :func:`translate_client_error` or the
:func:`s3_errors` context manager, so no raw botocore exception escapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError
from fs import errors

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_DENIED = {
    "403",
    "AccessDenied",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
}


class BucketNotFound(errors.ResourceNotFound):
    """The configured bucket does not exist."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        super().__init__(bucket, msg=f"S3 bucket {bucket!r} does not exist")


def translate_client_error(exc: Exception, bucket: str, path: str = "") -> Exception:
    """Return the pyfilesystem error that stands for a botocore exception."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code == "NoSuchBucket":
            return BucketNotFound(bucket)
        if code in _NOT_FOUND:
            return errors.ResourceNotFound(path, exc=exc)
        if code in _DENIED:
            return errors.PermissionDenied(path, exc=exc)
        return errors.OperationFailed(path, exc=exc, msg=f"S3 error {code}: {exc}")
    if isinstance(exc, EndpointConnectionError):
        return errors.RemoteConnectionError(path, exc=exc, msg=str(exc))
    if isinstance(exc, BotoCoreError):
        return errors.OperationFailed(path, exc=exc, msg=str(exc))
    return exc


@contextmanager
def s3_errors(bucket: str, path: str = "") -> Iterator[None]:
    """Re-raise botocore exceptions as pyfilesystem errors."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise translate_client_error(exc, bucket, path) from exc
