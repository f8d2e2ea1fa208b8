"""Admin pages for courses, laid out for a teacher: a course shows its units, an objective all of it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from flipmastery.courses.models import Activity, Course, Enrichment, LearningObject, Objective, Unit
from flipmastery.courses.selectors import prerequisite_problems


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("order", "code", "title", "grading_period")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "language", "threshold")
    search_fields = ("code", "title")
    inlines = [UnitInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ("order", "code", "statement", "tier")
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "course", "order")
    list_filter = ("course",)
    search_fields = ("code", "title")
    inlines = [ObjectiveInline]


class LearningObjectInline(admin.StackedInline):
    model = LearningObject
    extra = 0
    fields = (("order", "is_primary"), ("kind", "title", "minutes"), "url", "file", "body")


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ("order", "title", "description")


class EnrichmentInline(admin.TabularInline):
    model = Enrichment
    extra = 0
    fields = ("order", "title", "url", "description")


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = (
            "course",
            "unit",
            "order",
            "code",
            "statement",
            "tier",
            "outcome_code",
            "prerequisites",
            "threshold",
            "check_items",
            "estimated_minutes",
            "bank_file",
            "retired",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course, prerequisites = data.get("course"), data.get("prerequisites")
        unit = data.get("unit")
        if course and unit and unit.course_id != course.pk:
            self.add_error("unit", "This unit belongs to another course.")
        if course and prerequisites is not None:
            for problem in prerequisite_problems(
                course, self.instance, data.get("code", ""), list(prerequisites)
            ):
                self.add_error("prerequisites", problem.message)
        return data


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    form = ObjectiveForm
    list_display = ("code", "statement", "tier", "unit", "course")
    list_filter = ("course", "tier", "unit")
    search_fields = ("code", "statement", "outcome_code")
    filter_horizontal = ("prerequisites",)
    inlines = [LearningObjectInline, ActivityInline, EnrichmentInline]
    fieldsets = (
        (None, {"fields": ("course", "unit", "order", "code", "statement", "tier", "outcome_code")}),
        (
            "Mastery",
            {
                "fields": (
                    "prerequisites",
                    "threshold",
                    "check_items",
                    "check_written",
                    "estimated_minutes",
                    "bank_file",
                )
            },
        ),
        ("Retire", {"fields": ("retired",), "classes": ("collapse",)}),
    )
