from django.contrib import admin

from flipmastery.classroom.models import Enrollment, Section


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ("student",)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "course", "join_code")
    list_filter = ("course",)
    search_fields = ("name", "join_code")
    filter_horizontal = ("teachers",)
    readonly_fields = ("join_code",)
    inlines = [EnrollmentInline]
