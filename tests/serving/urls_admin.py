"""The test URLs plus Django's admin, for the admin's tests."""

from django.contrib import admin
from django.urls import path

from tests.urls import urlpatterns as base_urlpatterns

urlpatterns = [*base_urlpatterns, path("admin/", admin.site.urls)]
