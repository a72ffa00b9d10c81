"""URLconf of djpyfs's serving view; ``include('djpyfs.urls')`` in a site.

The prefix is the site's choice (e.g. ``path("files/", include("djpyfs.urls"))``);
signed URLs are made with :func:`django.urls.reverse`, so they follow it.
"""

from django.urls import re_path

from djpyfs import views

app_name = "djpyfs"

urlpatterns = [
    # <source> is base64url (namespaces contain "/"); <path> is the file name,
    # which may hold any character but NUL, newlines included (hence not
    # Django's <path:>, whose ".+" stops at a newline).
    re_path(r"^(?P<source>[^/]+)/(?P<path>[\s\S]+)\Z", views.serve, name="serve"),
]
