"""Append-only events that move a student's state on an objective; the state is derived from them."""

from __future__ import annotations

from typing import Any

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
    outcome = models.BooleanField(
        null=True, blank=True, help_text="Check or verbal check: passed or not yet."
    )
    ref = models.CharField(max_length=40, blank=True, help_text="The activity or learning object, by id.")
    note = models.TextField(blank=True)
    tags: Any = models.JSONField(default=list, blank=True, help_text="Misconception tags from the teacher.")
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


class QueueEntry(models.Model):
    """A student waiting for the teacher about one objective (or about nothing in particular), with every
    reason they wait: help, a check to approve, a conference after "not yet", activities to sign off after
    a passed check. One open entry per student and objective; it is resolved when no reason is left."""

    class Kind(models.TextChoices):
        HELP = "help", "help"
        CHECK = "check", "check request"
        CONFERENCE = "conference", "conference after a check"
        SIGNOFF = "signoff", "activities to sign off"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="queue")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="The first reason still open.")
    reasons: Any = models.JSONField(default=list, blank=True, help_text="Every open reason, oldest first.")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Asking twice (two taps, two tabs, help after a "not yet") keeps one place in the queue.
            models.UniqueConstraint(
                fields=["section", "student", "objective"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_waiting_entry_per_objective",
            ),
            # NULLs are distinct in a unique index: help about nothing in particular needs its own.
            models.UniqueConstraint(
                fields=["section", "student"],
                condition=models.Q(resolved_at__isnull=True, objective__isnull=True),
                name="one_waiting_entry_without_objective",
            ),
        ]
        indexes = [models.Index(fields=["section", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.student} waits ({self.kind})"


class VideoWatch(models.Model):
    """What a student has played of an uploaded video: the union of the stretches, in seconds.
    Enough of it (domain/watching.py) marks the learning object used."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    learning_object = models.ForeignKey(LearningObject, on_delete=models.CASCADE, related_name="watches")
    duration = models.FloatField(default=0.0, help_text="The video's length in seconds, as the player said.")
    spans: Any = models.JSONField(default=list, blank=True, help_text="[[from, to], …] in seconds, merged.")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "student", "learning_object"], name="video_watch_once")
        ]

    def __str__(self) -> str:
        return f"{self.student} watched {self.learning_object_id}"
