"""Uploaded files, kept in djpyfs's ``uploads`` namespace through PyFSStorage."""

from __future__ import annotations

from django.db import models

#: The namespace of uploaded files, shared by the storage and the expiry.
UPLOADS_NAMESPACE = "uploads"


def upload_storage():
    """The storage of :attr:`Upload.file` (a callable keeps migrations stable)."""
    from djpyfs.storage import PyFSStorage

    return PyFSStorage(namespace=UPLOADS_NAMESPACE)


class Upload(models.Model):
    title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="files/", storage=upload_storage)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    #: When the file expires (None: kept); the sweep removes it after that.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.file.name
