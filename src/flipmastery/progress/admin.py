from typing import Any

from django.contrib import admin

from flipmastery.progress.models import LearningObjectUse, ProgressEvent


@admin.register(ProgressEvent)
class ProgressEventAdmin(admin.ModelAdmin):
    """The history is append-only: it can be read here, never edited (corrections are new events)."""

    list_display = ("at", "student", "objective", "state", "kind", "actor")
    list_filter = ("section", "state", "kind")
    search_fields = ("student__username", "objective__code", "reason")
    date_hierarchy = "at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LearningObjectUse)
class LearningObjectUseAdmin(admin.ModelAdmin):
    list_display = ("at", "student", "learning_object", "section")
    list_filter = ("section",)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
