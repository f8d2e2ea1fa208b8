"""Writes of guardian links: make one (its secret and short code are shown once; only their SHA-256 digests
are stored), revoke one, and open one by its secret or code (noting when it was last used).

Who may make, list and revoke a child's links is decided in guardians/selectors.py
(`access_student_for_links`, `access_link_to_revoke`); the services trust their callers to have asked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from flipmastery.accounts.models import GuardianLink, Role, User, hash_token
from flipmastery.domain.card_codes import BITS, card_code, read_card_code, shown_card_code
from flipmastery.domain.errors import DomainError, Invalid, Location, NotFound, Problem
from flipmastery.guardians.throttle import codes_blocked, wrong_code

LANGUAGES = ("en", "hi")
LABEL_MAX = GuardianLink._meta.get_field("label").max_length or 100
SECRET_BYTES = 24  # 192 bits, shown as 32 URL-safe characters
# Noting every view would turn each read into a write; a minute is precise enough to see a link in use.
TOUCH_EVERY = timedelta(minutes=1)
NO_LONGER_WORKS = gettext_lazy("This link no longer works.")


class LinkNotWorking(NotFound):
    """An unknown, mistyped or revoked link or code, or a child who has left: all read the same. A link that
    existed keeps its `language`, so its guardian reads that it no longer works in the language they chose."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language if language in LANGUAGES else None
        super().__init__(str(NO_LONGER_WORKS))


class WrongCode(NotFound):
    def __init__(self) -> None:
        super().__init__(gettext("No link has this code. Check it and type it again."))


class CodesThrottled(DomainError):
    code = "throttled"

    def __init__(self) -> None:
        super().__init__(gettext("Too many wrong codes were typed on this network. Try again in 10 minutes."))


@dataclass(frozen=True)
class IssuedLink:
    link: GuardianLink
    secret: str  # for the link /g/<secret>/: shown once
    code: str  # ten symbols, no dash: shown once

    @property
    def shown_code(self) -> str:
        return shown_card_code(self.code)


def _fresh_code() -> str:
    """A random code no stored link has (a repeat in 2**50 is unlikely, not impossible)."""
    while True:
        code = card_code(secrets.randbits(BITS))
        if not GuardianLink.objects.filter(code_digest=hash_token(code)).exists():
            return code


@transaction.atomic
def guardian_link_create(*, student: User, by: User, label: str, language: str, now: datetime) -> IssuedLink:
    """A new link to `student`'s progress for a guardian; `label` says who holds it (e.g. "Mother")."""
    label = " ".join(label.split())
    problems = []
    if len(label) > LABEL_MAX:
        problems.append(
            Problem(gettext("Write at most %(max)d characters.") % {"max": LABEL_MAX}, Location("label"))
        )
    if language not in LANGUAGES:
        problems.append(Problem(gettext("Choose English or Hindi."), Location("language")))
    if problems:
        raise Invalid(problems)
    secret, code = secrets.token_urlsafe(SECRET_BYTES), _fresh_code()
    link = GuardianLink.objects.create(
        student=student,
        digest=hash_token(secret),
        code_digest=hash_token(code),
        label=label,
        language=language,
        created_at=now,
        created_by=by,
    )
    return IssuedLink(link, secret, code)


def guardian_link_revoke(*, link: GuardianLink, now: datetime) -> GuardianLink:
    """The link and its code open nothing from now on. Revoking twice changes nothing."""
    if link.revoked_at is None:
        GuardianLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now)
        link.refresh_from_db(fields=["revoked_at"])
    return link


def _working(link: GuardianLink | None) -> bool:
    return (
        link is not None
        and link.revoked_at is None
        and link.student.is_active
        and link.student.role == Role.STUDENT
    )


def _touch(link: GuardianLink, now: datetime) -> None:
    if link.last_used_at is None or now - link.last_used_at >= TOUCH_EVERY:
        GuardianLink.objects.filter(pk=link.pk).update(last_used_at=now)
        link.last_used_at = now


def guardian_link_open(*, secret: str, now: datetime) -> GuardianLink:
    """The working link whose secret this is (LinkNotWorking otherwise). Secrets are never counted: 192 bits
    cannot be guessed, and a parent's mangled link must not count against their network."""
    link = GuardianLink.objects.select_related("student").filter(digest=hash_token(secret)).first()
    if link is None or not _working(link):
        raise LinkNotWorking(link.language if link is not None else None)
    _touch(link, now)
    return link


def reads_as_code(text: str) -> str | None:
    """The code a typed text is, when it can be one (case, spaces and dashes do not matter)."""
    return read_card_code(text)


def guardian_code_open(*, text: str, address: str, now: datetime) -> GuardianLink:
    """The working link whose short code was typed. A code that opens nothing counts against `address`
    (guardians/throttle.py); past the limit no code is even looked up (CodesThrottled). A revoked link's code
    reads "no longer works" and is not counted: it is not a guess."""
    if codes_blocked(address):
        raise CodesThrottled()
    code = read_card_code(text)
    link = (
        GuardianLink.objects.select_related("student").filter(code_digest=hash_token(code)).first()
        if code
        else None
    )
    if link is None:
        wrong_code(address)
        raise WrongCode()
    if not _working(link):
        raise LinkNotWorking(link.language)
    _touch(link, now)
    return link
