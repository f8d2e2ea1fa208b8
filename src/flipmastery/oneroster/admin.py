from django.contrib import admin

from flipmastery.oneroster.models import SourcedId


@admin.register(SourcedId)
class SourcedIdAdmin(admin.ModelAdmin):
    """For repairs: which person, section or course an SIS sourcedId stands for."""

    list_display = ("kind", "sourced_id", "title", "user", "section", "course", "role", "updated_at")
    list_filter = ("kind",)
    search_fields = ("sourced_id", "title", "user__username", "section__name")
    raw_id_fields = ("user", "section", "course")
