"""URLconf of djpyfs's serving view; ``include('djpyfs.urls')`` in a site."""

from django.urls import path

from djpyfs import views

app_name = "djpyfs"

urlpatterns = [
    path("<str:namespace>/<path:path>", views.serve, name="serve"),
]
