"""Append-only events that move a student's state on an objective; the state is derived from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import LearningObject, Objective
from flipmastery.domain.mastery import State


class ProgressEvent(models.Model):
    """One step of a history on an objective; never edited or deleted: corrections are new events."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="progress_events")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_events"
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="progress_events")
    kind = models.CharField(max_length=30, help_text="What happened: override, opened, check_result, …")
    state = models.CharField(max_length=20, choices=[(s.value, s.value) for s in State])
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["section", "student", "objective", "at"])]

    def __str__(self) -> str:
        return f"{self.student} {self.objective.code} → {self.state} ({self.kind})"


class LearningObjectUse(models.Model):
    """A student marked a learning object as used (it counts toward correctives)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    learning_object = models.ForeignKey(LearningObject, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "student", "learning_object"], name="learning_object_used_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} used {self.learning_object}"
