from django.contrib import admin

from flipmastery.cockpit.models import Group, SectionPlan


@admin.register(SectionPlan)
class SectionPlanAdmin(admin.ModelAdmin):
    list_display = ("section", "start", "per_week", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("section", "objective", "reason", "status", "created_at")
    list_filter = ("section", "status")
    filter_horizontal = ("members",)
