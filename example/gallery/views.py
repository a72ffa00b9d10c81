"""The example's pages: a fresh chart, uploads, and the expiry table."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from djpyfs import get_filesystem
from djpyfs.expiry import sweep
from djpyfs.models import FSExpirations
from gallery.charts import random_chart
from gallery.forms import UploadForm
from gallery.models import Upload

CHARTS_NAMESPACE = "charts"


def chart(request: HttpRequest) -> HttpResponse:
    """Draw a chart for this visitor, store it for a few minutes, show it."""
    now = timezone.now()
    seconds = settings.CHART_SECONDS
    fs = get_filesystem(CHARTS_NAMESPACE)
    name = f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.png"
    fs.writebytes(name, random_chart(now))
    # The file is swept after `seconds`; its URL stops working at the same time.
    fs.expire(name, seconds=seconds)
    context = {
        "url": fs.get_url(name, timeout=seconds),
        "name": name,
        "seconds": seconds,
        "expires_at": now + timedelta(seconds=seconds),
    }
    return render(request, "gallery/chart.html", context)


@require_http_methods(["GET", "POST"])
def uploads(request: HttpRequest) -> HttpResponse:
    """An upload form, and the uploaded files with their URLs."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        lifetime = form.cleaned_data["lifetime"]
        upload = form.save(commit=False)
        if lifetime:
            upload.expires_at = timezone.now() + timedelta(seconds=lifetime)
        upload.save()
        if lifetime:
            upload.file.storage.expire(upload.file.name, seconds=lifetime)
        messages.success(request, f"Stored {upload.file.name}.")
        return redirect("gallery:uploads")

    rows = [
        {
            "upload": upload,
            # A swept file leaves its row behind; say so instead of a dead link.
            "exists": upload.file.storage.exists(upload.file.name),
            "url": upload.file.url,
        }
        for upload in Upload.objects.all()[:50]
    ]
    return render(request, "gallery/uploads.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "POST"])
def expiry(request: HttpRequest) -> HttpResponse:
    """The expiry table, and a button that sweeps expired files now."""
    if request.method == "POST":
        result = sweep()
        messages.success(
            request,
            f"Sweep done: {result.removed} files removed, {result.failed} failed.",
        )
        return redirect("gallery:expiry")
    rows = FSExpirations.objects.order_by("-expiration")[:200]
    return render(request, "gallery/expiry.html", {"rows": rows})
