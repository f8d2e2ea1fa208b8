from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from flipmastery.accounts.models import ApiToken, User


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "display_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password", "role")}),
        ("Name", {"fields": ("first_name", "last_name", "display_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser"), "classes": ("collapse",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at")
    readonly_fields = ("user", "digest", "created_at", "last_used_at")
    search_fields = ("user__username",)

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are made through POST /api/v1/auth/token, which shows the secret once
