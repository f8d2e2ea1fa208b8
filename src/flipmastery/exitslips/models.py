"""An exit slip, its items (snapshotted when it starts) and the students' answers, from a device or paper.

Evidence for the teacher only: nothing here is read by gating, and no progress event is ever written.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.domain.generation import Variant
from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.questions.models import QuestionVersion


class ExitSlip(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="exit_slips")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section} {self.objective.code} {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SlipItem(models.Model):
    """One question of a slip, frozen when it starts: the question, its variant and what students see."""

    slip = models.ForeignKey(ExitSlip, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(
        QuestionVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a question typed on the spot.",
    )
    data: Any = models.JSONField(help_text="The question as the domain stores it (see question_codec).")
    variant: Any = models.JSONField(default=dict)
    shown: Any = models.JSONField(help_text="What a student sees: never an answer.")
    tags: Any = models.JSONField(
        default=dict, help_text='Misconception tags of wrong answers: choice index → tag, "*" → any wrong.'
    )

    class Meta:
        ordering = ["slip", "position"]
        constraints = [models.UniqueConstraint(fields=["slip", "position"], name="slip_item_position_unique")]

    def __str__(self) -> str:
        return f"{self.slip} #{self.position}"

    @property
    def value(self) -> QuestionValue:
        return from_data(self.data)

    @property
    def the_variant(self) -> Variant:
        return Variant.from_json(self.variant)

    @property
    def tag_list(self) -> list[str]:
        return sorted({t.strip() for t in self.tags.values() if t.strip()})


class SlipAnswer(models.Model):
    """A student's answer to one item; a later one replaces it until the slip closes."""

    class Source(models.TextChoices):
        DEVICE = "device"
        PAPER = "paper"

    item = models.ForeignKey(SlipItem, on_delete=models.CASCADE, related_name="answers")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response: Any = models.JSONField(null=True, blank=True)
    correct = models.BooleanField()
    tag = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DEVICE)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "student"]
        constraints = [models.UniqueConstraint(fields=["item", "student"], name="slip_answer_once_per_item")]

    def __str__(self) -> str:
        return f"{self.item} {self.student_id} {'right' if self.correct else 'wrong'}"
