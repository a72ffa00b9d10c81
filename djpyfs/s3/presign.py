"""How long a presigned S3 URL may last: S3's seven-day limit, in one place.

Both bridges to S3 presign (djpyfs's own ``s3fs`` back-end and StorageFS over
django-storages' ``S3Storage``); a longer ``ExpiresIn`` gives a URL that S3
refuses outright, so a longer request is clamped, with a warning.
"""

from __future__ import annotations

import logging

from djpyfs.conf import S3_MAX_URL_AGE

logger = logging.getLogger(__name__)


def presign_lifetime(timeout: int, key: str) -> int:
    """Seconds a presigned URL for ``key`` should last when ``timeout`` is asked.

    ``0`` (no expiry asked) gives the longest S3 accepts; more than that is
    clamped to it and logged.
    """
    if timeout <= 0:
        return S3_MAX_URL_AGE
    if timeout > S3_MAX_URL_AGE:
        logger.warning(
            "S3 presigned URLs last at most %d seconds; %r asked for %d.",
            S3_MAX_URL_AGE,
            key,
            timeout,
        )
        return S3_MAX_URL_AGE
    return timeout
