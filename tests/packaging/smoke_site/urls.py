from django.urls import include, path

urlpatterns = [path("djpyfs/", include("djpyfs.urls"))]
