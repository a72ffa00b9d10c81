"""URLs for the tests: djpyfs's view, and osfs files served from url_root."""

import mimetypes
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import include, path, re_path
from django.utils._os import safe_join

from djpyfs import conf


def serve_osfs(request, path):
    # Stands in for the web server that serves DJFS['directory_root'] at
    # DJFS['url_root'] in production.  Not django.views.static.serve: on
    # Django 4.2 it fails on a file name with a newline (its header).
    file = Path(safe_join(conf.get_config().directory_root, path))
    if not file.is_file():
        raise Http404(path)
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return HttpResponse(file.read_bytes(), content_type=content_type)


urlpatterns = [
    path("djpyfs/", include("djpyfs.urls")),
    re_path(r"^osfs-files/(?P<path>[\s\S]*)$", serve_osfs),
]
