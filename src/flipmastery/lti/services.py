"""A school admin's writes: registering an LMS (by hand or by dynamic registration) and taking it off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.lti.models import Platform


@dataclass(frozen=True)
class PlatformFields:
    name: str
    issuer: str
    client_id: str
    deployment_ids: str  # as typed: one per line, or separated by commas or spaces
    auth_login_url: str
    auth_token_url: str
    key_set_url: str


def deployment_list(typed: str) -> list[str]:
    return [d for d in re.split(r"[\s,]+", typed.strip()) if d]


def _problems(fields: PlatformFields) -> list[Problem]:
    problems = []
    if not fields.name.strip():
        problems.append(Problem(_("Give the LMS a name, e.g. School Moodle."), Location("name")))
    if not fields.client_id.strip():
        problems.append(
            Problem(
                _("The client id is needed: the LMS shows it after you add the tool."), Location("client_id")
            )
        )
    check = URLValidator(schemes=["http", "https"])
    for name in ("issuer", "auth_login_url", "auth_token_url", "key_set_url"):
        try:
            check(getattr(fields, name).strip())
        except ValidationError:
            problems.append(Problem(_("This must be a web address (https://…)."), Location(name)))
    return problems


@transaction.atomic
def platform_save(
    *, admin: User, fields: PlatformFields, now: datetime, platform: Platform | None = None
) -> Platform:
    """Register an LMS, or change its registration; all or nothing, every problem said at once."""
    problems = _problems(fields)
    clash = Platform.objects.filter(issuer=fields.issuer.strip(), client_id=fields.client_id.strip())
    if platform is not None:
        clash = clash.exclude(pk=platform.pk)
    if not problems and clash.exists():
        problems.append(
            Problem(_("This issuer and client id are registered already."), Location("client_id"))
        )
    if problems:
        raise Invalid(problems)
    target = platform or Platform(created_at=now, created_by=admin)
    target.name = fields.name.strip()[:120]
    target.issuer = fields.issuer.strip()  # exactly as the LMS writes it in its tokens
    target.client_id = fields.client_id.strip()
    target.deployment_ids = deployment_list(fields.deployment_ids)
    target.auth_login_url = fields.auth_login_url.strip()
    target.auth_token_url = fields.auth_token_url.strip()
    target.key_set_url = fields.key_set_url.strip()
    target.save()
    return target
