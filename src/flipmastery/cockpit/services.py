"""Writes of the cockpit: a section's plan, the micro-groups a teacher accepts, edits or dismisses, and one
activity signed off for several students at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.cockpit.models import Group, SectionPlan
from flipmastery.cockpit.plans import read_periods, read_scale
from flipmastery.cockpit.versions import section_changed
from flipmastery.courses.models import Activity, Objective
from flipmastery.domain.errors import Invalid, NotFound, Problem
from flipmastery.progress.models import ProgressEvent
from flipmastery.progress.services import evidence_record

MAX_GROUP = 12  # a re-teaching group, not a class


@transaction.atomic
def section_plan_save(
    *,
    section: Section,
    actor: User,
    now: datetime,
    start: str,
    per_week: str,
    periods: str = "",
    scale: str = "",
) -> SectionPlan:
    """Save the section's pacing and grading plan from the teacher's words; every problem is reported."""
    problems: list[Problem] = []
    try:
        first_day = date.fromisoformat(start.strip())
    except ValueError:
        problems.append(Problem(_("the start date must be a date, e.g. 2025-06-02")))
        first_day = None
    try:
        pace = float(per_week.strip().replace(",", "."))
        if not 0.1 <= pace <= 50:
            raise ValueError(pace)
    except ValueError:
        problems.append(Problem(_("objectives per week must be a number from 0.1 to 50, e.g. 3.5")))
        pace = 0.0
    found_periods, period_problems = read_periods(periods)
    problems.extend(period_problems)
    scale = " ".join(scale.split())
    try:
        read_scale(scale)
    except Invalid as error:
        problems.extend(error.problems)
    if problems or first_day is None:
        raise Invalid(problems)
    plan, _made = SectionPlan.objects.update_or_create(
        section=section,
        defaults={
            "start": first_day,
            "per_week": pace,
            "periods": [{"name": p.name, "end": p.end.isoformat()} for p in found_periods],
            "scale": scale,
            "updated_at": now,
            "updated_by": actor,
        },
    )
    section_changed(section.pk)
    return plan


def _members(section: Section, students: Iterable[int]) -> list[int]:
    wanted = sorted(set(students))
    found = sorted(
        Enrollment.objects.filter(section=section, student_id__in=wanted).values_list("student_id", flat=True)
    )
    if found != wanted:
        raise Invalid([Problem(_("every member must be a student of this section"))])
    if not found:
        raise Invalid([Problem(_("a group needs at least one student; dismiss it instead"))])
    if len(found) > MAX_GROUP:
        raise Invalid([Problem(_("a group has at most %(max)s students") % {"max": MAX_GROUP})])
    return found


@transaction.atomic
def group_save(
    *,
    section: Section,
    objective: Objective,
    students: Iterable[int],
    reason: str,
    status: str,
    actor: User,
    now: datetime,
) -> Group:
    """Accept a suggested group (or record a dismissed suggestion, so that it is not suggested again)."""
    if status not in Group.Status.values:
        raise Invalid([Problem(f"status must be one of {', '.join(Group.Status.values)}")])
    if objective.course_id != section.course_id:
        raise Invalid([Problem(_("the objective is not in this section's course"))])
    members = _members(section, students)
    group = Group.objects.create(
        section=section,
        objective=objective,
        reason=reason[:80],
        status=status,
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    group.members.set(members)
    return group


@transaction.atomic
def group_members_set(*, section: Section, group: Group, students: Iterable[int], now: datetime) -> Group:
    """The teacher's choice of members (checkboxes) replaces the group's members."""
    members = _members(section, students)
    group.members.set(members)
    group.updated_at = now
    group.save(update_fields=["updated_at"])
    return group


@transaction.atomic
def group_dismiss(*, group: Group, now: datetime) -> Group:
    """The group is done (or was not wanted); it stays recorded, dismissed."""
    group.status = Group.Status.DISMISSED
    group.updated_at = now
    group.save(update_fields=["status", "updated_at"])
    return group


@dataclass(frozen=True)
class SignedOff:
    activity: Activity
    signed: tuple[int, ...]  # the students signed off now
    already: tuple[int, ...]  # ticked, but signed off before: nothing recorded again


def signed_off_already(section: Section, activity: Activity, students: Iterable[int]) -> set[int]:
    """The students whose sign-off of this activity is already recorded: one query."""
    return set(
        ProgressEvent.objects.filter(
            section=section,
            student_id__in=list(students),
            objective_id=activity.objective_id,
            kind="activity",
            ref=str(activity.pk),
        ).values_list("student_id", flat=True)
    )


@transaction.atomic
def activity_signoffs_record(
    *, section: Section, teacher: User, activity: Activity, students: Iterable[int], now: datetime
) -> SignedOff:
    """One required activity signed off for several students: every one through `evidence_record` (the
    queue's own service), all in one transaction: a student who is not in the section refuses the
    whole list, and nothing is written."""
    if activity.objective.course_id != section.course_id or activity.retired or activity.objective.retired:
        raise NotFound("activity not found in this course")
    wanted = sorted(set(students))
    if not wanted:
        raise Invalid([Problem(_("Tick at least one student to sign off."))])
    people = {
        e.student_id: e.student
        for e in Enrollment.objects.select_related("student").filter(section=section, student_id__in=wanted)
    }
    strangers = [pk for pk in wanted if pk not in people]
    if strangers:
        listed = ", ".join(map(str, strangers))
        raise Invalid(
            [Problem(_("Not a student of this section: %(id)s. Nobody was signed off.") % {"id": listed})]
        )
    before = signed_off_already(section, activity, wanted)
    signed = [pk for pk in wanted if pk not in before]
    for pk in signed:
        evidence_record(
            section=section,
            teacher=teacher,
            student=people[pk],
            objective=activity.objective,
            kind="activity",
            activity=activity.pk,
            now=now,
        )
    return SignedOff(activity, tuple(signed), tuple(sorted(before)))
