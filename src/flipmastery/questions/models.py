"""Question banks: a question per objective, and its versions; a version shown in an attempt is frozen."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from flipmastery.courses.models import Objective
from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.domain.questions import QuestionType


class Question(models.Model):
    """One question of an objective's bank; what it says lives in its versions."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(
        max_length=200, blank=True, help_text="Stable name in its bank file; imports update questions by it."
    )
    current = models.ForeignKey(
        "QuestionVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text="No longer asked; kept because attempts refer to it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["objective", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "key"], condition=~models.Q(key=""), name="question_key_unique_in_bank"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective.code} {self.key or self.pk}"


class QuestionVersion(models.Model):
    """What a question said at one time. Never edited once an attempt has shown it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    type = models.CharField(
        max_length=30, choices=[(t.value, t.value.replace("_", " ")) for t in QuestionType]
    )
    title = models.CharField(max_length=300, blank=True)
    data: Any = models.JSONField(help_text="The question as the domain stores it (see question_codec).")
    variants = models.PositiveBigIntegerField(
        default=1, help_text="Distinct number sets a calculated item can take."
    )
    shown = models.BooleanField(default=False, help_text="Appeared in an attempt: frozen from then on.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"

    @property
    def value(self) -> QuestionValue:
        return from_data(self.data)
