"""Short public links to an objective or a playlist, for chats, Google Classroom and the projector."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective


class ShareLink(models.Model):
    """/s/<code>/: one per section and objective, or per section's playlist (no objective)."""

    code = models.CharField(max_length=16, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="share_links")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="share_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "objective"], name="one_share_link_per_objective_of_a_section"
            ),
            models.UniqueConstraint(
                fields=["section"],
                condition=models.Q(objective__isnull=True),
                name="one_share_link_per_playlist",
            ),
        ]

    def __str__(self) -> str:
        return f"/s/{self.code}/"
