"""URLs of the example site: its pages, the admin and djpyfs's view."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("gallery.urls")),
    path("admin/", admin.site.urls),
    # Signed URLs of djpyfs (local files without url_root, memory) point here.
    path("files/", include("djpyfs.urls")),
]
