"""Guided notes: a template on a learning object, and each student's filled-in notes (per section)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import LearningObject


class NotesTemplate(models.Model):
    """The parts a student fills beside a learning object; `parts` is domain.guided_notes.template_data."""

    learning_object = models.OneToOneField(
        LearningObject, on_delete=models.CASCADE, related_name="notes_template"
    )
    parts = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Guided notes for {self.learning_object}"


class NotesImage(models.Model):
    """An image a teacher uploaded for a diagram part; served only to the course's people."""

    template = models.ForeignKey(NotesTemplate, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to="guided-notes/%Y/")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.file.name)


class NotesEntry(models.Model):
    """One student's notes on one template in one section: {part id: {box: text}}."""

    template = models.ForeignKey(NotesTemplate, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    part_saved_at = models.JSONField(default=dict)  # part id -> when it was last saved (a timestamp)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "section", "student"], name="one_notes_entry_per_student"
            )
        ]
        verbose_name_plural = "notes entries"

    def __str__(self) -> str:
        return f"Notes of student {self.student_id} on template {self.template_id}"
