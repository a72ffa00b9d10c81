"""Django admin for the expiry table: browse, filter and expire files now."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from djpyfs.models import FSExpirations


class ExpiredFilter(admin.SimpleListFilter):
    """Rows whose expiry has passed (due for the next sweep), or not."""

    title = "expired"
    parameter_name = "expired"

    def lookups(self, request, model_admin):
        return [("yes", "Expired"), ("no", "Not expired")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.expired()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.expired().values("pk"))
        return queryset


@admin.register(FSExpirations)
class FSExpirationsAdmin(admin.ModelAdmin):
    list_display = ["filename", "namespace", "expires", "expiration", "is_expired"]
    list_filter = [ExpiredFilter, "module", "expires"]
    search_fields = ["filename"]
    date_hierarchy = "expiration"
    ordering = ["expiration"]
    actions = ["expire_now"]

    @admin.display(description="namespace", ordering="module")
    def namespace(self, obj: FSExpirations) -> str:
        return obj.module

    @admin.display(boolean=True, description="expired")
    def is_expired(self, obj: FSExpirations) -> bool:
        return obj.is_expired

    @admin.action(description="Expire now (the next sweep removes the files)")
    def expire_now(
        self, request: HttpRequest, queryset: QuerySet[FSExpirations]
    ) -> None:
        count = queryset.update(expires=True, expiration=timezone.now())
        self.message_user(
            request,
            f"{count} files will be removed by the next sweep.",
            messages.SUCCESS,
        )
