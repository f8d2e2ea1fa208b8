"""A person who uses flipmastery, with one role, and the API tokens they hold."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

from flipmastery.accounts.names import shown_name


class Role(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    STUDENT = "student", "Student"
    ADMIN = "admin", "School admin"


class User(AbstractUser):
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STUDENT)
    display_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="How the name is shown to the class; defaults to the first and last name.",
    )

    class Meta:
        ordering = ["username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_school_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def shown_name(self) -> str:
        """How the class knows this person (accounts.names.shown_name)."""
        return shown_name(self.username, self.display_name, self.first_name, self.last_name)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a copied database leaks no usable token. It expires
    when unused for a while (sliding) and when its person's password changes (`password_stamp`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True, help_text='Where it is used, e.g. "my phone".')
    password_stamp = models.CharField(
        max_length=128, blank=True, help_text="Taken from the password when issued; a new password voids it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"token of {self.user} created {self.created_at:%Y-%m-%d}"

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)


class SignInCard(models.Model):
    """A printed sign-in card: its QR code (a link) or its short code signs one student in. Only the
    code's digest is stored; a revoked card opens nothing, and printing a new one revokes the old."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_cards")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_live_card_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"sign-in card of {self.user}"


class GuardianLink(models.Model):
    """A private, revocable link (or code) that shows a guardian one child's progress, read-only."""

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_links")
    digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text="SHA-256 of the short code a guardian may type at /g/ instead of opening the link.",
    )
    label = models.CharField(max_length=100, blank=True, help_text='Who holds it, e.g. "Mother".')
    language = models.CharField(max_length=10, default="en", help_text='"en" or "hi".')
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"guardian link of {self.student}"


class SignInFailures(models.Model):
    """Wrong passwords given for one username from one address, or (address "") from all addresses together:
    what the sign-in throttle counts (accounts/throttle.py). A class shares one address behind NAT, so
    nothing is ever counted per address alone. A right password or a teacher's unlock deletes the rows."""

    username = models.CharField(max_length=150, help_text="As typed: it may name nobody.")
    address = models.CharField(max_length=45, blank=True, help_text='The client\'s IP address; "" for all.')
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "wrong passwords"
        verbose_name_plural = "wrong passwords"
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="one_count_per_username_and_address")
        ]
        indexes = [models.Index(fields=["last_failure_at"], name="sign_in_failures_by_time")]

    def __str__(self) -> str:
        return f"{self.failures} wrong passwords for {self.username} from {self.address or 'all addresses'}"
