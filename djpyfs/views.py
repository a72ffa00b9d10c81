"""The view that serves files through signed URLs (see :mod:`djpyfs.signed_urls`)."""

from __future__ import annotations

import mimetypes

from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponseForbidden
from django.views.decorators.http import require_safe
from fs.errors import FileExpected, ResourceNotFound

from djpyfs.filesystem import get_filesystem
from djpyfs.namespaces import normalize_filename
from djpyfs.signed_urls import verify


@require_safe
def serve(
    request: HttpRequest, namespace: str, path: str
) -> FileResponse | HttpResponseForbidden:
    try:
        granted = verify(namespace, path, request.GET.dict())
        filename = normalize_filename(granted.path)
    except (signing.BadSignature, SuspiciousFileOperation):
        # The signature is checked before the file is looked up, so a bad
        # URL tells nothing about which files exist.
        return HttpResponseForbidden("Invalid or expired link.")
    fs = get_filesystem(granted.namespace)
    try:
        handle = fs.openbin(filename)
    except (ResourceNotFound, FileExpected):
        raise Http404("No such file.") from None
    content_type, _encoding = mimetypes.guess_type(filename)
    return FileResponse(
        handle,
        as_attachment=granted.attachment,
        filename=filename.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
