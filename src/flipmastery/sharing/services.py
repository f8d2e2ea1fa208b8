"""Writes of share links: a section's teacher makes (or gets again) the link of an objective or playlist."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.domain.errors import NotFound
from flipmastery.sharing.models import ShareLink

# No 0/o, 1/l/i: a code read off the projector is typed without doubt.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8


def new_share_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def share_link_get_or_create(*, actor: User, section: Section, objective: Objective | None) -> ShareLink:
    """The link of this objective (or of the playlist, when None) in `section`; only its teachers make one.

    The same objective always gets the same link, so a link pasted last week keeps working."""
    if not section.teachers.filter(pk=actor.pk).exists():
        raise NotFound("section not found")
    if objective is not None and (objective.course_id != section.course_id or objective.retired):
        raise NotFound("objective not found")
    found = ShareLink.objects.filter(section=section, objective=objective).first()
    if found is not None:
        return found
    for _ in range(5):  # a taken code is rare (31⁸ of them); try another
        try:
            with transaction.atomic():
                return ShareLink.objects.create(
                    code=new_share_code(), section=section, objective=objective, created_by=actor
                )
        except IntegrityError:
            found = ShareLink.objects.filter(section=section, objective=objective).first()
            if found is not None:  # made at the same moment by another teacher of the section
                return found
    raise RuntimeError("no free share code after five tries")
