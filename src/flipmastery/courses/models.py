"""The course model of DESIGN §1: Course → Unit → Objective, with learning objects, activities, enrichment."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from flipmastery.domain.course import LearningObjectKind, Tier

FRACTION = [MinValueValidator(0.01), MaxValueValidator(1.0)]


def new_facts_version() -> int:
    """Random rather than counted: a course made again with a used id (a restored backup, a test's
    rollback) never meets an old cache entry."""
    return secrets.randbits(62)


class Course(models.Model):
    code = models.CharField(max_length=40, unique=True, help_text='Short and stable, e.g. "CHEM11".')
    title = models.CharField(max_length=200, help_text='Subject and grade, e.g. "Class 11 Chemistry".')
    description = models.TextField(blank=True)
    language = models.CharField(max_length=10, default="en", help_text='"en", "hi", …')
    threshold = models.FloatField(
        default=0.8, validators=FRACTION, help_text="Mastery threshold as a fraction: 0.8 means 80 %."
    )
    policy: Any = models.JSONField(
        default=dict,
        blank=True,
        help_text='Mastery policy settings, e.g. {"check_mode": "approval", "retake_cooldown_minutes": 30}.',
    )
    grade_level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Class 1–12; videos longer than 90 seconds per grade level are flagged.",
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="courses_taught",
        blank=True,
        help_text="Teachers a school admin assigned to this course: they may open sections of it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    facts_version = models.BigIntegerField(
        default=new_facts_version,
        editable=False,
        help_text="Drawn anew at every change the mastery loop reads: the key of its cached facts.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class Unit(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    grading_period = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "code"], name="unit_code_unique_in_course")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Objective(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=40, help_text='Stable code used by imports and the API, e.g. "GAS-3".')
    statement = models.TextField(help_text='"Be able to …"')
    tier = models.CharField(
        max_length=20,
        choices=[(t.value, t.value.replace("_", " ")) for t in Tier],
        default=Tier.ESSENTIAL.value,
    )
    outcome_code = models.CharField(
        max_length=60, blank=True, help_text="NCERT/CBSE learning outcome, optional."
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="unlocks",
        blank=True,
        help_text="Objectives a student must master first (same course).",
    )
    threshold = models.FloatField(
        null=True, blank=True, validators=FRACTION, help_text="Leave empty to use the course threshold."
    )
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    check_written = models.PositiveIntegerField(
        default=0, help_text="Free-response items in its check, graded by a teacher before the decision."
    )
    check_items = models.PositiveIntegerField(
        default=2, help_text="Items of this objective in its mastery check."
    )
    bank_file = models.CharField(
        max_length=300, blank=True, help_text="Bank file named by the course package."
    )
    order = models.PositiveIntegerField(default=0)
    policy: Any = models.JSONField(
        default=dict, blank=True, help_text="Policy settings for this objective only."
    )
    retired = models.BooleanField(
        default=False, help_text="Hidden from students; kept because history refers to it."
    )

    class Meta:
        ordering = ["course", "unit__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="objective_code_unique_in_course")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.statement[:60]}"

    def effective_threshold(self) -> float:
        return self.threshold if self.threshold is not None else self.course.threshold


VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".webm", ".ogg", ".ogv"})


def is_video_name(name: str) -> bool:
    """A file a browser plays in a <video> element, by its name."""
    return PurePosixPath(name).suffix.lower() in VIDEO_SUFFIXES


class LearningObject(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="learning_objects")
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in LearningObjectKind])
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="learning-objects/%Y/", blank=True)
    body = models.TextField(blank=True, help_text="Markdown, for a text section written here.")
    answers = models.TextField(
        blank=True,
        help_text="Markdown: a worksheet's answer key or worked solutions (the section says when).",
    )
    minutes = models.PositiveIntegerField(null=True, blank=True)
    is_primary = models.BooleanField(
        default=False, help_text="The first way offered; the others are alternates."
    )
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text="Hidden from students; kept because history refers to it."
    )

    class Meta:
        ordering = ["objective", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective"], condition=models.Q(is_primary=True), name="one_primary_learning_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.kind})"

    @property
    def is_uploaded_video(self) -> bool:
        """A video file on this server (its playing is counted), not a link to a host."""
        return bool(self.file) and is_video_name(self.file.name or "")


class Activity(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text="Hidden from students; kept because history refers to it."
    )

    class Meta:
        ordering = ["objective", "order", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title


class Enrichment(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="enrichments")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text="Hidden from students; kept because history refers to it."
    )

    class Meta:
        ordering = ["objective", "order", "id"]
        verbose_name_plural = "enrichment tasks"

    def __str__(self) -> str:
        return self.title
