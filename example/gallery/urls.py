from django.urls import path

from gallery import views

app_name = "gallery"

urlpatterns = [
    path("", views.chart, name="chart"),
    path("uploads/", views.uploads, name="uploads"),
    path("expiry/", views.expiry, name="expiry"),
]
