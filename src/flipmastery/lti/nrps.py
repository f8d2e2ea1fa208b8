"""Names and Role Provisioning: the LMS course's roster, brought into the section with one click. Learners
become students of the section (made at need, tied to their LMS id); nobody is ever taken off, no work is
ever touched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from flipmastery.accounts.models import Role
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.services import writable
from flipmastery.cockpit.versions import section_changed
from flipmastery.lti.launch import learns, person_for, teaches
from flipmastery.lti.models import Context
from flipmastery.lti.toolconf import registration_of


@dataclass(frozen=True)
class Synced:
    added: int  # students newly enrolled
    known: int  # students already there
    teachers: int  # teachers of the LMS course who teach the section now


def _members(context: Context) -> list[dict[str, Any]]:
    connector = ServiceConnector(registration_of(context.platform))
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": context.memberships_url})
    return [dict(m) for m in service.get_members()]


def roster_sync(*, section: Section, now: datetime) -> Synced:
    """Every LMS course tied to the section: its active learners enrolled, its instructors its teachers."""
    writable(section)
    contexts = [
        c for c in Context.objects.filter(section=section).select_related("platform") if c.memberships_url
    ]
    if not contexts:
        raise LookupError(_("The LMS has not offered its roster (NRPS) in a launch of this course yet."))
    fetched = [(c, _members(c)) for c in contexts]  # every HTTP call before the first write
    added = known = teachers = 0
    with transaction.atomic():
        for context, members in fetched:
            for m in members:
                if str(m.get("status", "Active")) != "Active" or not m.get("user_id"):
                    continue
                roles = [str(r) for r in m.get("roles", [])]
                claims = {
                    "sub": str(m["user_id"]),
                    "given_name": m.get("given_name"),
                    "family_name": m.get("family_name"),
                    "name": m.get("name"),
                    "email": m.get("email"),
                }
                if teaches(roles):
                    section.teachers.add(person_for(context.platform, claims, Role.TEACHER))
                    teachers += 1
                elif learns(roles):
                    user = person_for(context.platform, claims, Role.STUDENT)
                    _e, made = Enrollment.objects.get_or_create(section=section, student=user)
                    added, known = added + made, known + (not made)
        section_changed(section.pk)  # the roster the grid shows, on every server
    return Synced(added, known, teachers)
