"""What a verified launch does: who the person is (made at their first launch), which section the LMS
course is, and where they land. The id_token was already checked (signature by kid, nonce, state,
deployment, expiry) by PyLTI1p3 in views.py; here are the rules of our side."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.services import section_create, writable
from flipmastery.cockpit.versions import section_changed
from flipmastery.courses.models import Course, Objective, Unit
from flipmastery.domain.errors import DomainError
from flipmastery.lti.models import Context, Person, Placement, Platform, UsedLaunch

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
ROLES = CLAIM + "roles"
CONTEXT = CLAIM + "context"
RESOURCE_LINK = CLAIM + "resource_link"
CUSTOM = CLAIM + "custom"
MESSAGE_TYPE = CLAIM + "message_type"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
TEACHING = ("#Instructor", "#ContentDeveloper", "#Administrator", "/Instructor", "/ContentDeveloper")
LEARNING = ("#Learner", "/Learner")
# Sub-roles name their role: membership/Instructor#TeachingAssistant (a Canvas TA) teaches.
TEACHING_SUB = ("/membership/Instructor#", "/membership/ContentDeveloper#", "/membership/Administrator#")
LEARNING_SUB = ("/membership/Learner#",)


def teaches(roles: list[str]) -> bool:
    return any(r.endswith(TEACHING) or any(s in r for s in TEACHING_SUB) for r in roles)


def learns(roles: list[str]) -> bool:
    return any(r.endswith(LEARNING) or any(s in r for s in LEARNING_SUB) for r in roles)


class Refused(DomainError):
    """A launch we will not act on; its message is said on the page inside the LMS."""

    code = "lti_refused"


def role_of(claims: dict[str, Any]) -> str:
    """teacher or student, by the LMS's roles in this course (teaching wins over learning)."""
    roles = [str(r) for r in claims.get(ROLES, []) or []]
    if teaches(roles):
        return Role.TEACHER
    if learns(roles):
        return Role.STUDENT
    raise Refused(_("The LMS gave you no role we know in this course (teacher or learner)."))


def check_audience(platform: Platform, claims: dict[str, Any]) -> None:
    """Our client id is the audience, and with several audiences the authorized party (OIDC core 3.1.3.7)."""
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if platform.client_id not in audiences:
        raise Refused(_("This launch was meant for another tool."))
    if len(audiences) > 1 and claims.get("azp") != platform.client_id:
        raise Refused(_("This launch was meant for another tool."))


def use_nonce(platform: Platform, claims: dict[str, Any], now: datetime) -> None:
    """A launch signs in once: the same id_token posted again is refused."""
    try:
        with transaction.atomic():
            UsedLaunch.objects.create(platform=platform, nonce=str(claims.get("nonce", ""))[:255], at=now)
    except IntegrityError:
        raise Refused(_("This launch was already used. Open the link again from your course.")) from None


_USERNAME = re.compile(r"[^\w.@+-]", re.ASCII)


def _username(platform: Platform, sub: str) -> str:
    clean = _USERNAME.sub("", sub)
    if clean != sub or len(clean) > 100:
        clean = hashlib.sha256(sub.encode()).hexdigest()[:20]
    base = f"lti{platform.pk}-{clean}"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def person_for(platform: Platform, claims: dict[str, Any], role: str) -> User:
    """Our person for the LMS's user id (sub), made at their first launch; names follow the LMS.
    A learner who now teaches becomes a teacher; nobody is ever made a school admin or demoted."""
    sub = str(claims.get("sub") or "")
    if not sub:
        raise Refused(_("The LMS did not say who you are (anonymous launches are not supported)."))
    link = Person.objects.select_related("user").filter(issuer=platform.issuer, sub=sub).first()
    names = {
        "first_name": str(claims.get("given_name") or "")[:150],
        "last_name": str(claims.get("family_name") or "")[:150],
        "display_name": str(claims.get("name") or "")[:150],
        "email": str(claims.get("email") or "")[:254],
    }
    if link is None:
        user = User(username=_username(platform, sub), role=role, **names)
        user.set_unusable_password()  # they sign in through their LMS
        user.save()
        Person.objects.create(issuer=platform.issuer, sub=sub, user=user)
        return user
    user = link.user
    if not user.is_active:
        raise Refused(_("Your account here is switched off. Ask your school admin."))
    changed = [k for k, v in names.items() if v and getattr(user, k) != v]
    for k in changed:
        setattr(user, k, names[k])
    if role == Role.TEACHER and user.role == Role.STUDENT:
        user.role = Role.TEACHER
        changed.append("role")
    if changed:
        user.save(update_fields=changed)
    return user


def context_for(platform: Platform, claims: dict[str, Any], now: datetime) -> Context:
    """The LMS course of this launch, with the service URLs it offers this time."""
    raw = claims.get(CONTEXT) or {}
    context_id = str(raw.get("id") or "")
    if not context_id:
        raise Refused(_("This link is not inside a course of the LMS."))
    context, _made = Context.objects.get_or_create(
        platform=platform, context_id=context_id, defaults={"updated_at": now}
    )
    ags = claims.get(AGS) or {}
    nrps = claims.get(NRPS) or {}
    context.title = str(raw.get("title") or raw.get("label") or context.title)[:255]
    context.lineitems_url = str(ags.get("lineitems") or context.lineitems_url)
    context.ags_scopes = [str(s) for s in ags.get("scope") or []] or context.ags_scopes
    context.memberships_url = str(nrps.get("context_memberships_url") or context.memberships_url)
    context.updated_at = now
    context.save()
    return context


def placement_for(context: Context, claims: dict[str, Any]) -> Placement | None:
    """The link placed by deep linking (its custom target), remembered by its resource link id."""
    link_id = str((claims.get(RESOURCE_LINK) or {}).get("id") or "")
    target = str((claims.get(CUSTOM) or {}).get("flipmastery_target") or "")
    kind, _sep, raw_id = target.partition(":")
    if link_id:
        known = Placement.objects.filter(context=context, resource_link_id=link_id).first()
        if known:
            return known
    if kind not in Placement.Kind.values or not raw_id.isdigit():
        return None
    lineitem = str((claims.get(AGS) or {}).get("lineitem") or "")
    placed = Placement.objects.filter(context=context, kind=kind, target_id=int(raw_id), resource_link_id="")
    found = placed.first()  # placed by deep linking, launched for the first time
    if found is not None:
        found.resource_link_id, found.lineitem_url = link_id, lineitem or found.lineitem_url
        found.save(update_fields=["resource_link_id", "lineitem_url"])
        return found
    return Placement.objects.create(
        context=context, resource_link_id=link_id, kind=kind, target_id=int(raw_id), lineitem_url=lineitem
    )


def join(section: Section, user: User, role: str) -> None:
    """The teacher teaches the section; the learner is enrolled in it."""
    writable(section)
    if role == Role.TEACHER:
        section.teachers.add(user)
    elif Enrollment.objects.get_or_create(section=section, student=user)[1]:
        section_changed(section.pk)  # a new row on every server's grid


@dataclass(frozen=True)
class Landing:
    """Where the launch goes: a page of ours (name and args), an anchor on it, or the course picker."""

    view: str
    args: tuple[Any, ...]
    anchor: str = ""


def landing(context: Context, placement: Placement | None, role: str) -> Landing:
    section = context.section
    if section is None:
        return (
            Landing("lti_pick_section", (context.pk,)) if role == Role.TEACHER else Landing("lti_waiting", ())
        )
    if role == Role.TEACHER:
        return Landing("cockpit_grid", (section.pk,))
    anchor = ""
    if placement is not None and placement.kind == Placement.Kind.OBJECTIVE:
        code = (
            Objective.objects.filter(pk=placement.target_id, course=section.course)
            .values_list("code", flat=True)
            .first()
        )
        anchor = f"obj-{code}" if code else ""
    elif placement is not None and placement.kind == Placement.Kind.UNIT:
        code = (
            Unit.objects.filter(pk=placement.target_id, course=section.course)
            .values_list("code", flat=True)
            .first()
        )
        anchor = f"unit-{code}" if code else ""
    return Landing("playlist", (section.pk,), anchor)


@transaction.atomic
def launched(platform: Platform, claims: dict[str, Any], now: datetime) -> tuple[User, Context, Landing]:
    """A verified resource link launch: the person, the course, the section and where they land."""
    check_audience(platform, claims)
    use_nonce(platform, claims, now)
    role = role_of(claims)
    user = person_for(platform, claims, role)
    context = context_for(platform, claims, now)
    placement = placement_for(context, claims)
    if context.section is not None:
        join(context.section, user, role)
    return user, context, landing(context, placement, role)


@transaction.atomic
def context_tie(
    *, context: Context, teacher: User, section: Section | None = None, course: Course | None = None
) -> Section:
    """A teacher says which section of ours the LMS course is: one they teach, or a new one of a course they
    may use (named as the LMS names the course). Once tied, every launch of the course lands there."""
    locked = Context.objects.select_for_update().get(pk=context.pk)
    if locked.section is not None:
        return locked.section
    if section is None:
        assert course is not None
        section = section_create(teacher=teacher, course=course, name=(locked.title or course.title)[:120])
    locked.section = section
    locked.save(update_fields=["section"])
    section.teachers.add(teacher)
    return section


def origins(*urls: str) -> list[str]:
    """The scheme://host[:port] of each URL given (those that have one)."""
    found = []
    for url in urls:
        parts = urlsplit(url or "")
        if parts.scheme in ("http", "https") and parts.netloc:
            found.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(found))
