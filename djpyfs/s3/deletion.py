"""Deleting many keys: ``DeleteObjects``, 1,000 keys per request.

S3 deletes a missing key successfully, so a key already gone is no failure.
A request that fails as a whole (the bucket is missing, the connection
drops) fails every key of its batch; a key S3 refuses within a successful
request fails alone.  Either way each failure is the pyfilesystem error
:mod:`djpyfs.s3.errors` gives for it, naming the caller's path for the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from fs import errors

from djpyfs.exceptions import fs_message
from djpyfs.s3.errors import translate_client_error, translate_key_error
from djpyfs.s3.listing import PAGE_SIZE


def delete_keys(
    client: Any, bucket: str, paths: Mapping[str, str]
) -> dict[str, Exception]:
    """Delete keys with DeleteObjects, :data:`PAGE_SIZE` per request.

    Arguments:
        client: the boto3 S3 client.
        bucket: the bucket holding the keys.
        paths: the keys to delete, each with the path its error should name.

    Returns:
        The keys that could not be deleted, with the error for each.
    """
    keys = list(paths)
    failures: dict[str, Exception] = {}
    for start in range(0, len(keys), PAGE_SIZE):
        batch = keys[start : start + PAGE_SIZE]
        try:
            response = client.delete_objects(
                Bucket=bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
        except (ClientError, BotoCoreError, Boto3Error) as exc:
            for key in batch:
                failures[key] = translate_client_error(exc, bucket, paths[key])
            continue
        for entry in response.get("Errors", ()):
            key = entry["Key"]
            failures[key] = translate_key_error(
                entry, "DeleteObjects", bucket, paths.get(key, key)
            )
    return failures


def raise_for_failures(path: str, failures: Mapping[str, Exception]) -> None:
    """Raise ``OperationFailed`` for ``path`` if any key was not deleted.

    The message counts the failures and shows the first (the others are
    likely the same).
    """
    if not failures:
        return
    key, error = next(iter(failures.items()))
    raise errors.OperationFailed(
        path,
        exc=error,
        msg=fs_message(
            f"{len(failures)} keys could not be deleted, e.g. {key!r}: {error}"
        ),
    )
