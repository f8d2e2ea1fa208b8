"""Attempts at a check: what was asked (a snapshot that never drifts), what was answered, what it scored."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective, Unit
from flipmastery.questions.models import Question, QuestionVersion


class PaperBatch(models.Model):
    """Printed versions of a check made together for a class without devices; one attempt per student."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paper_batches")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"paper copies of {self.objective} for {self.section}"


class Attempt(models.Model):
    """One sitting of a check. Its items, seed and threshold are fixed when it starts."""

    class Kind(models.TextChoices):
        CHECK = "check", "mastery check"
        UNIT_TEST = "unit_test", "unit test"
        PRETEST = "pretest", "diagnostic pre-test"

    class State(models.TextChoices):
        OPEN = "open", "open"
        SUBMITTED = "submitted", "submitted"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
        help_text="The objective a mastery check is for (empty for a unit test).",
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHECK)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    seed = models.BigIntegerField()
    thresholds: Any = models.JSONField(
        default=dict, help_text="Objective code → threshold, as shown at the start."
    )
    result: Any = models.JSONField(null=True, blank=True, help_text="Per-objective scores once submitted.")
    started_at = models.DateTimeField()
    paper_code = models.CharField(
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        help_text="The version code printed on a paper copy (see domain/paper.py); empty on a screen.",
    )
    paper_batch = models.ForeignKey(
        PaperBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The teacher who entered a paper copy's answers or marks.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # A double click or two tabs can never open two attempts at the same check.
            models.UniqueConstraint(
                fields=["section", "student", "objective"],
                condition=models.Q(state="open"),
                name="one_open_attempt_per_check",
            ),
            models.UniqueConstraint(
                fields=["section", "student", "unit"],
                condition=models.Q(state="open", kind="unit_test"),
                name="one_open_unit_test",
            ),
            models.UniqueConstraint(
                fields=["section", "student", "unit"],
                condition=models.Q(state="open", kind="pretest"),
                name="one_open_pretest",
            ),
        ]
        indexes = [models.Index(fields=["student", "section", "objective"])]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.student} ({self.state})"


class AttemptItem(models.Model):
    """One item of an attempt: the version shown, its variant and rendered text, and the response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(help_text="1, 2, 3 … : the item's id within its attempt.")
    objective_code = models.CharField(max_length=40)
    review = models.BooleanField(default=False, help_text="A spaced-review item from a mastered objective.")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    variant: Any = models.JSONField(default=dict)
    shown: Any = models.JSONField(default=dict, help_text="What the student sees: rendered text and options.")
    points = models.FloatField(default=1.0)
    response: Any = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)
    feedback: Any = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt} item {self.position}"
