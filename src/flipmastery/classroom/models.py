"""A Section: a class of students taking a Course with its teachers, joined with a code."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models

from flipmastery.courses.models import Course

JOIN_CODE_ALPHABET = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: it is read aloud and copied from a board
)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sections")
    name = models.CharField(max_length=120, help_text='e.g. "Chemistry 11-A".')
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    threshold = models.FloatField(null=True, blank=True, help_text="Leave empty to use the course threshold.")
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teaching_sections", blank=True)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrollment", related_name="enrolled_sections", blank=True
    )
    policy: Any = models.JSONField(
        default=dict,
        blank=True,
        help_text='Mastery policy settings, e.g. {"check_mode": "approval", "retake_cooldown_minutes": 30}.',
    )

    class JoinMode(models.TextChoices):
        CLOSED = "closed", "closed: the code joins nobody"
        APPROVE = "approve", "students wait until a teacher accepts them"
        OPEN = "open", "students are in at once"

    join_mode = models.CharField(max_length=10, choices=JoinMode.choices, default=JoinMode.APPROVE)

    class WorksheetAnswers(models.TextChoices):
        ASK = "ask", "when the student asks"
        TEACHER = "teacher", "after the teacher allows"
        NEVER = "never", "never"

    worksheet_answers = models.CharField(
        max_length=10,
        choices=WorksheetAnswers.choices,
        default=WorksheetAnswers.ASK,
        help_text="When students see a learning object's answers (a worksheet's key, worked solutions).",
    )
    answers_allowed: Any = models.JSONField(
        default=list,
        blank=True,
        help_text="Learning objects (ids) whose answers the teacher allows.",
    )
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Set at the end of the year: kept for the record, read-only."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "student"], name="enrolled_once")]

    def __str__(self) -> str:
        return f"{self.student} in {self.section}"


class JoinRequest(models.Model):
    """A student who entered the section's join code and waits for a teacher to accept them."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="join_requests")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "student"],
                condition=models.Q(decided_at__isnull=True),
                name="one_waiting_join_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} asks to join {self.section}"
