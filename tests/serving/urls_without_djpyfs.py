"""A URLconf that does not include djpyfs.urls."""

urlpatterns: list = []
