"""URLs for the tests: djpyfs's view, and osfs files served from url_root."""

from django.urls import include, path, re_path
from django.views.static import serve

from djpyfs import conf


def serve_osfs(request, path):
    # Stands in for the web server that serves DJFS['directory_root'] at
    # DJFS['url_root'] in production.
    return serve(request, path, document_root=conf.get_config().directory_root)


urlpatterns = [
    path("djpyfs/", include("djpyfs.urls")),
    re_path(r"^osfs-files/(?P<path>[\s\S]*)$", serve_osfs),
]
