"""What an LMS (an LTI 1.3 platform) is to us: its registration, its courses (contexts) tied to our sections,
its people tied to ours, the links its teachers placed, and the grades waiting to go back to it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective


class Platform(models.Model):
    """One registration of this tool in an LMS: the values its admin gave us (or dynamic registration did)."""

    name = models.CharField(max_length=120, help_text='e.g. "School Moodle".')
    issuer = models.URLField(
        max_length=400, help_text="The platform's issuer (iss), e.g. https://moodle.school.in"
    )
    client_id = models.CharField(max_length=200)
    deployment_ids: Any = models.JSONField(
        default=list, blank=True, help_text="The deployment ids it may use."
    )
    auth_login_url = models.URLField(max_length=400, help_text="Its OIDC authentication request URL.")
    auth_token_url = models.URLField(max_length=400, help_text="Its OAuth2 token URL (grades, roster).")
    key_set_url = models.URLField(max_length=400, help_text="Its public keys (JWKS) URL.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"


class Context(models.Model):
    """A course of the LMS; the section of ours it is, once a teacher said which (or made one)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    section = models.ForeignKey(Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lineitems_url = models.URLField(max_length=600, blank=True, help_text="AGS: where its line items are.")
    ags_scopes: Any = models.JSONField(default=list, blank=True, help_text="AGS: what the LMS lets us do.")
    memberships_url = models.URLField(max_length=600, blank=True, help_text="NRPS: its roster.")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "context_id"], name="lti_context_once")]

    def __str__(self) -> str:
        return f"{self.title or self.context_id} on {self.platform.name}"


class Person(models.Model):
    """The LMS's user id (sub) of one of our people. A sub is the LMS's (its issuer's), not a registration's:
    two registrations of one Moodle, or one removed and registered again, know the same people."""

    issuer = models.CharField(max_length=400)
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_ids")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"], name="lti_person_once_per_issuer")]

    def __str__(self) -> str:
        return f"{self.user} is {self.sub} on {self.issuer}"


class Placement(models.Model):
    """A link a teacher placed in the LMS course (deep linking): what of ours it opens."""

    class Kind(models.TextChoices):
        COURSE = "course", "course"
        UNIT = "unit", "unit"
        OBJECTIVE = "objective", "objective"

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="placements")
    resource_link_id = models.CharField(max_length=255, blank=True, help_text="Known from its first launch.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField()
    lineitem_url = models.URLField(max_length=600, blank=True)

    class Meta:
        indexes = [models.Index(fields=["context", "kind", "target_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id} in {self.context}"


class UsedLaunch(models.Model):
    """A launch's nonce, kept after its first use so the same id_token cannot sign anyone in twice."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=255)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "nonce"], name="lti_nonce_used_once")]

    def __str__(self) -> str:
        return f"launch {self.nonce} used"


class GradeOutbox(models.Model):
    """A student's standing on an objective (or, objective empty, their letter grade) to send to the LMS.
    Written in the transaction that records the evidence, sent after it commits or by `flipmastery
    lti-send`; a failure waits longer each time (`next_try_at`) and shows on the teacher's page."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    next_try_at = models.DateTimeField()
    tries = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["sent_at", "next_try_at"]),
            models.Index(fields=["section", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"grade of {self.student} in {self.section} ({self.objective_id or 'letter'})"


class SentGrade(models.Model):
    """What the LMS last accepted on one line item for one student: the same score is not sent twice (a
    learning object marked used changes no grade, and the LMS hears nothing)."""

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    line = models.CharField(max_length=60, help_text='"objective:<id>" or "flipmastery:grade".')
    signature = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["context", "student", "line"], name="lti_one_sent_grade_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.line} of {self.student} sent {self.at:%Y-%m-%d %H:%M}"
