"""What a OneRoster import remembers: which of our people, sections and courses each SIS sourcedId stands
for, so that importing the same bundle again changes nothing and a delta finds what it changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Course


class SourcedId(models.Model):
    class Kind(models.TextChoices):
        ORG = "orgs", "school or district"
        SESSION = "academicSessions", "term or school year"
        COURSE = "courses", "SIS course"
        CLASS = "classes", "class (our section)"
        USER = "users", "person"
        ENROLLMENT = "enrollments", "enrolment"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    sourced_id = models.CharField(max_length=255, help_text="The SIS's id, kept exactly as it sent it.")
    title = models.CharField(max_length=255, blank=True, help_text="The SIS's name for it, for the record.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For an SIS course: the course of ours its classes take (none: its classes are skipped).",
    )
    role = models.CharField(max_length=20, blank=True, help_text="An enrolment's role: student or teacher.")
    school = models.CharField(
        max_length=255, blank=True, help_text="A class's schoolSourcedId: its results go back with it."
    )
    term = models.CharField(
        max_length=255, blank=True, help_text="A class's first termSourcedId: its results go back with it."
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "OneRoster sourcedId"
        constraints = [models.UniqueConstraint(fields=["kind", "sourced_id"], name="one_link_per_sourced_id")]
        indexes = [models.Index(fields=["kind", "user"], name="oneroster_link_by_user")]

    def __str__(self) -> str:
        return f"{self.kind} {self.sourced_id}"
