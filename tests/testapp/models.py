"""Models used by the tests (FileFields on djpyfs storages)."""

from django.db import models

from djpyfs.storage import PyFSStorage


def avatar_storage() -> PyFSStorage:
    """A callable storage, resolved by Django when the field is built."""
    return PyFSStorage(namespace="tests/avatars")


class Document(models.Model):
    """A FileField on the default storage (``STORAGES['default']``)."""

    upload = models.FileField(upload_to="documents/", max_length=60)

    def __str__(self) -> str:
        return self.upload.name or ""


class Profile(models.Model):
    """FileFields on explicit PyFSStorages: an instance and a callable."""

    resume = models.FileField(
        storage=PyFSStorage(namespace="tests/resumes", url_timeout=600),
        upload_to="resumes/",
    )
    avatar = models.FileField(storage=avatar_storage, blank=True)

    def __str__(self) -> str:
        return self.resume.name or ""
