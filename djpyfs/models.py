"""The expiry bookkeeping table, ``djpyfs_fsexpirations``.

The table, its columns and its constraints are those openedx-django-pyfs
created, so a database that package used keeps working (see the README for
``migrate djpyfs --fake-initial``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

#: 382 characters: the unique index on (module, filename) then fits in
#: InnoDB's 3072-byte key limit with utf8mb4 (2 * 382 * 4 = 3056 bytes).
NAME_MAX_LENGTH = 382


class FSExpirationsQuerySet(models.QuerySet["FSExpirations"]):
    def expired(self, now=None) -> FSExpirationsQuerySet:
        """Rows whose files are due for removal at ``now`` (default: now)."""
        return self.filter(expires=True, expiration__lte=now or timezone.now())


class FSExpirations(models.Model):
    """When a file of a namespace should be removed.

    One row per (namespace, file).  ``expires=False`` keeps the row but makes
    the file permanent.
    """

    module = models.CharField(max_length=NAME_MAX_LENGTH)  # the namespace
    filename = models.CharField(max_length=NAME_MAX_LENGTH)
    expires = models.BooleanField()
    expiration = models.DateTimeField(db_index=True)

    objects = FSExpirationsQuerySet.as_manager()

    class Meta:
        app_label = "djpyfs"
        db_table = "djpyfs_fsexpirations"
        verbose_name = "file expiration"
        verbose_name_plural = "file expirations"
        unique_together = [("module", "filename")]
        # The sweep filters on expiration first, then expires.
        indexes = [models.Index(fields=["expiration", "expires"])]

    def __str__(self) -> str:
        when = "expires" if self.expires else "permanent"
        at = f"{self.expiration:%Y-%m-%d %H:%M:%S}"
        return f"{self.module}/{self.filename} ({when} {at})"

    @property
    def is_expired(self) -> bool:
        return self.expires and self.expiration <= timezone.now()

    @classmethod
    def expired(cls) -> FSExpirationsQuerySet:
        """The rows due for removal now (kept for openedx-django-pyfs callers)."""
        return cls.objects.expired()

    @classmethod
    def create_expiration(
        cls,
        module: str,
        filename: str,
        seconds: float,
        days: float = 0,
        expires: bool = True,
    ) -> None:
        """Set the expiry of a file (kept for openedx-django-pyfs callers)."""
        from djpyfs.expiry import set_expiration

        set_expiration(module, filename, seconds=seconds, days=days, expires=expires)
