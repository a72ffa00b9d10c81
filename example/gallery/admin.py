from django.contrib import admin

from gallery.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["file", "title", "uploaded_at", "expires_at"]
    search_fields = ["title", "file"]
