"""Reads of guardian links: who may make, list and revoke a child's links, and what a guardian sees.

A link is made and managed by the child themself or by a teacher of one of the child's sections this year
(co-teachers too; a school admin for every student): "not found" for anyone else, as for a section that is
not theirs. A student revokes only the links they made: a link their teacher made for a parent stays until a
teacher revokes it, so a bad result cannot be hidden from home by cutting the link.

`guardian_progress` is the read-only page of one child: per section of this year, each objective's state by
the same replay as every page (progress/standings.py), the next step, and the recent checks (objective, date,
score, verdict; never items or answers), and nothing about any other student. It fetches in eight queries
whatever the number of sections, objectives or checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _

from flipmastery.accounts.models import GuardianLink, Role, User
from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import Activity, LearningObject, Objective
from flipmastery.domain.errors import DomainError, NotFound
from flipmastery.domain.gating import Evidence, Standing, policy_from
from flipmastery.domain.mastery import State, next_objective
from flipmastery.progress.models import ProgressEvent
from flipmastery.progress.standings import ObjectiveFacts, policy_for, standings, to_evidence

RECENT_CHECKS = 10  # per section
StepKind = Literal[
    "learn", "not_yet", "retake", "approval", "checking", "signoff", "mastered_all", "nothing_open"
]
CheckResult = Literal["passed", "not_yet", "pending"]  # pending: written answers wait for the teacher


class NotYours(DomainError):
    code = "forbidden"


# --- who may make, list and revoke ----------------------------------------------------------------------


def access_student_for_links(user: User, student_id: int) -> User:
    """The student whose guardian links `user` may make and list: themself, a student of an active section
    they teach, any student for a school admin. NotFound for everyone else."""
    found = User.objects.filter(pk=student_id, role=Role.STUDENT).first()
    if found is None or not user.is_active:
        raise NotFound("no such student")
    if found.pk == user.pk or user.is_school_admin:
        return found
    teaches = (
        user.is_teacher
        and Enrollment.objects.filter(
            student=found, section__teachers=user, section__archived_at__isnull=True
        ).exists()
    )
    if not teaches:
        raise NotFound("no such student")
    return found


def access_link_to_revoke(user: User, link_id: int) -> GuardianLink:
    """A link `user` may revoke: any link of a student they may manage, but a student only those they made
    themself (NotYours for a link their teacher made; NotFound for any link they may not see)."""
    link = GuardianLink.objects.select_related("student", "created_by").filter(pk=link_id).first()
    if link is None:
        raise NotFound("no such guardian link")
    try:
        access_student_for_links(user, link.student_id)
    except NotFound:
        raise NotFound("no such guardian link") from None
    if user.pk == link.student_id and link.created_by_id != user.pk:
        raise NotYours(_("Only your teacher can revoke a link your teacher made."))
    return link


def links_of(student: User) -> list[GuardianLink]:
    """The student's links, working ones first, newest first; with who made each."""
    found = list(GuardianLink.objects.select_related("created_by").filter(student=student))
    return sorted(found, key=lambda g: (g.revoked_at is not None, -g.created_at.timestamp(), -g.pk))


# --- what a guardian sees -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveRow:
    code: str
    statement: str
    tier: str
    unit_title: str
    state: State
    check_passed: bool  # passed the check; an activity waits for the teacher's sign-off
    review_due: bool


@dataclass(frozen=True)
class Step:
    """The next step, in a guardian's words (`words`)."""

    kind: StepKind
    objective: str
    statement: str


@dataclass(frozen=True)
class CheckRow:
    objective: str
    statement: str
    at: datetime
    score: float
    result: CheckResult


@dataclass(frozen=True)
class SectionProgress:
    name: str
    course_title: str
    language: str
    teachers: list[str]
    objectives: list[ObjectiveRow]
    next: Step
    checks: list[CheckRow]

    @property
    def mastered(self) -> int:
        return sum(1 for o in self.objectives if o.state is State.MASTERED)


@dataclass(frozen=True)
class GuardianView:
    student_name: str
    sections: list[SectionProgress]


def guardian_progress(link: GuardianLink, now: datetime) -> GuardianView:
    """One child's progress in each of their sections of this year, for the holder of `link`."""
    student = link.student
    sections = list(
        Section.objects.select_related("course")
        .filter(enrollments__student=student, archived_at__isnull=True)
        .order_by("name", "id")
    )
    course_ids = {s.course_id for s in sections}
    objectives = list(
        Objective.objects.filter(course__in=course_ids, retired=False)
        .order_by("unit__order", "unit_id", "order", "id")
        .values_list("id", "course_id", "code", "statement", "tier", "unit__title", "threshold", "policy")
    )
    ids = [row[0] for row in objectives]
    prerequisites = _pairs(
        Objective.prerequisites.through.objects.filter(from_objective__in=ids).values_list(
            "from_objective_id", "to_objective_id"
        )
    )
    ways = _pairs(
        LearningObject.objects.filter(objective__in=ids, retired=False)
        .order_by("objective_id", "-is_primary", "order", "id")
        .values_list("objective_id", "id")
    )
    activities = _pairs(
        Activity.objects.filter(objective__in=ids, retired=False)
        .order_by("order", "id")
        .values_list("objective_id", "id")
    )
    history: dict[int, dict[int, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for section_id, objective_id, kind, state, outcome, ref, reason, at in (
        ProgressEvent.objects.filter(student=student, section__in=sections)
        .order_by("at", "id")
        .values_list("section_id", "objective_id", "kind", "state", "outcome", "ref", "reason", "at")
    ):
        item = to_evidence(kind, state, outcome, ref, reason, at)
        if item is not None:
            history[section_id][objective_id].append(item)
    attempts: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for section_id, submitted_at, result in (
        Attempt.objects.filter(
            student=student,
            section__in=sections,
            state=Attempt.State.SUBMITTED,
            kind__in=[Attempt.Kind.CHECK, Attempt.Kind.UNIT_TEST],  # a pre-test is diagnostic, not a check
        )
        .order_by("-submitted_at", "-id")
        .values_list("section_id", "submitted_at", "result")
    ):
        attempts[section_id].append((submitted_at, result))
    teachers: dict[int, list[str]] = defaultdict(list)
    for through in Section.teachers.through.objects.select_related("user").filter(section__in=sections):
        teachers[through.section_id].append(through.user.shown_name())
    by_course: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for objective in objectives:
        by_course[objective[1]].append(objective)
    shown = []
    for section in sections:
        rows = by_course.get(section.course_id, [])
        facts = [
            ObjectiveFacts(
                o_id,
                code,
                tuple(prerequisites.get(o_id, ())),
                tuple(str(i) for i in ways.get(o_id, ())),
                tuple(str(i) for i in activities.get(o_id, ())),
                policy_for(section, threshold, policy),
            )
            for o_id, _course, code, _statement, _tier, _unit, threshold, policy in rows
        ]
        standing_of = standings(facts, history.get(section.pk, {}), now)
        items = [
            ObjectiveRow(
                code,
                statement,
                tier,
                unit,
                standing_of[o_id].state,
                standing_of[o_id].check_passed and standing_of[o_id].state is not State.MASTERED,
                standing_of[o_id].review_due,
            )
            for o_id, _course, code, statement, tier, unit, _threshold, _policy in rows
        ]
        by_code = {row[2]: (row, standing_of[row[0]]) for row in rows}
        essentials_first = policy_from(section.course.policy, section.policy).essentials_first
        shown.append(
            SectionProgress(
                section.name,
                section.course.title,
                section.course.language,
                sorted(teachers.get(section.pk, []), key=str.casefold),
                items,
                _next(items, by_code, essentials_first),
                _checks(attempts.get(section.pk, []), {o.code: o.statement for o in items}),
            )
        )
    return GuardianView(student.shown_name(), shown)


def _pairs(rows: Any) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for key, value in rows:
        found[key].append(value)
    return found


def _next(
    items: list[ObjectiveRow], by_code: dict[str, tuple[Any, Standing]], essentials_first: bool
) -> Step:
    """The student's next step as their playlist decides it (progress/selectors.py), said for a guardian."""
    essential = [o.code for o in items if o.tier == "essential"] if essentials_first else None
    code = next_objective(((o.code, o.state) for o in items), essential)
    if code is None:
        if items and all(o.state is State.MASTERED for o in items):
            return Step("mastered_all", "", "")
        return Step("nothing_open", "", "")
    row, s = by_code[code]
    statement = row[3]
    kind: StepKind
    if s.state is State.NOT_YET:
        kind = "not_yet"
    elif s.state is State.READY_TO_RETAKE:
        kind = "retake"
    elif s.state is State.CHECK_REQUESTED and not s.may_start_check:
        kind = "approval"
    elif s.state is State.CHECKING:
        kind = "checking"
    elif s.check_passed:
        kind = "signoff"
    else:
        kind = "learn"
    return Step(kind, code, statement)


def _checks(attempts: list[tuple[Any, Any]], statements: dict[str, str]) -> list[CheckRow]:
    """The latest checks' verdicts per objective, newest first: scores only, never items or answers."""
    rows = []
    for submitted_at, result in attempts:
        for o in (result or {}).get("objectives", []):
            code = o.get("code", "")
            if code not in statements:
                continue  # retired since
            verdict: CheckResult = (
                "pending" if o.get("pending") else ("passed" if o.get("passed") else "not_yet")
            )
            rows.append(CheckRow(code, statements[code], submitted_at, float(o.get("score") or 0.0), verdict))
            if len(rows) == RECENT_CHECKS:
                return rows
    return rows


def step_words(step: Step) -> str:
    """The next step in the active language, for a guardian."""
    code = {"code": step.objective}
    words = {
        "learn": _("Next: learning %(code)s."),
        "not_yet": _("Not yet on %(code)s: learning it another way, then a talk with the teacher."),
        "retake": _("Ready to take a new version of the %(code)s check."),
        "approval": _("Ready for the %(code)s check: waiting for the teacher to approve it."),
        "checking": _("Taking the %(code)s check now."),
        "signoff": _("Passed the %(code)s check: an activity waits for the teacher's sign-off."),
        "mastered_all": _("Every objective is mastered."),
        "nothing_open": _("Nothing is open yet: the teacher opens the next objectives."),
    }
    return words[step.kind] % code if "%(code)s" in words[step.kind] else words[step.kind]
