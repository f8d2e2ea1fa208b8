"""What the cockpit keeps of its own: a section's plan (pacing and grade scale) and the teacher's groups.

The plan is not in `Section.policy`: that holds the mastery loop's policy, whose keys are checked
strictly (`policy_from`), and pacing or grading never change whether a student may take a check.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective

DEFAULT_SCALE_TEXT = "A = 100% + 80%; B = 100% + 50%; C = 100%; D = 70%"
DEFAULT_PER_WEEK = 3.5


class SectionPlan(models.Model):
    """Pacing and grading of one section: benchmarks at a steady pace from a start date, grading periods,
    and the school's grade scale ("A = 100% essentials + 80% nice-to-know; …")."""

    section = models.OneToOneField(Section, on_delete=models.CASCADE, related_name="plan")
    start = models.DateField(help_text="The first day of the course for this section.")
    per_week = models.FloatField(
        default=DEFAULT_PER_WEEK,
        validators=[MinValueValidator(0.1), MaxValueValidator(50)],
        help_text="Objectives expected mastered per week, e.g. 3.5.",
    )
    periods: Any = models.JSONField(
        default=list,
        blank=True,
        help_text='Grading periods in order: [{"name": "Term 1", "end": "2025-09-30"}, …].',
    )
    scale = models.TextField(
        default=DEFAULT_SCALE_TEXT,
        help_text="Letter = essentials mastered + nice-to-know mastered, best first; e.g. "
        f'"{DEFAULT_SCALE_TEXT}".',
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"plan of {self.section}"


class Group(models.Model):
    """A micro-group for re-teaching one objective: accepted from a suggestion (and maybe edited), or a
    suggestion the teacher dismissed (kept so that the same suggestion does not come back)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "accepted"
        DISMISSED = "dismissed", "dismissed"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="groups")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(
        max_length=80, blank=True, help_text='Why they were grouped: "objective" or "tag:<tag>".'
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cockpit_groups", blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["section", "status"])]

    def __str__(self) -> str:
        return f"group on {self.objective_id} in {self.section_id} ({self.status})"
