"""Assignment and Grade Services: each placed objective's score and the letter grade, sent to the LMS with a
token from its token URL (client_credentials, a JWT assertion signed by our key).

One truth (DESIGN §8): the state and the letter are the gradebook's, read from the class board the
gradebook reads (`cockpit.selectors.class_board`); 1.0 when mastered, else the best check score, with the
state in the words the student reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import translation
from django.utils.translation import gettext as _
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Section
from flipmastery.cockpit.board import Board
from flipmastery.cockpit.selectors import class_board
from flipmastery.courses.models import Objective
from flipmastery.domain.mastery import State
from flipmastery.lti.models import Context, GradeOutbox, Person, Placement, SentGrade
from flipmastery.lti.toolconf import registration_of

SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
)
LETTER_RESOURCE = "flipmastery:grade"
MAX_WAIT = timedelta(hours=6)


def backoff(tries: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours."""
    return min(timedelta(minutes=2 ** max(tries - 1, 0)), MAX_WAIT)


@dataclass(frozen=True)
class Score:
    given: float
    maximum: float
    comment: str
    done: bool


def best_score(section: Section, student_id: int, code: str) -> float:
    best = 0.0
    for result in Attempt.objects.filter(
        section=section, student_id=student_id, submitted_at__isnull=False
    ).values_list("result", flat=True):
        for o in (result or {}).get("objectives", []) if isinstance(result, dict) else []:
            if o.get("code") == code and not o.get("pending"):
                best = max(best, float(o.get("score") or 0.0))
    return best


def objective_score(board: Board, section: Section, student_id: int, objective: Objective) -> Score:
    from flipmastery.web.templatetags.flipmastery import state_label

    row = next(r for r in board.rows if r.id == student_id)
    state = row.cells[objective.code].state if objective.code in row.cells else State.LOCKED
    mastered = state is State.MASTERED
    given = 1.0 if mastered else best_score(section, student_id, objective.code)
    return Score(given, 1.0, state_label(state.value), mastered)


def letter_score(board: Board, student_id: int) -> Score:
    row = next(r for r in board.rows if r.id == student_id)
    return Score(row.grade.percent, 100.0, row.grade.letter, False)


def _service(context: Context) -> AssignmentsGradesService:
    connector = ServiceConnector(registration_of(context.platform))
    scopes = list(context.ags_scopes) or list(SCOPES)
    return AssignmentsGradesService(connector, {"scope": scopes, "lineitems": context.lineitems_url})


def _post(
    service: AssignmentsGradesService, lineitem: LineItem, sub: str, score: Score, now: datetime
) -> None:
    grade = (
        Grade()
        .set_score_given(round(score.given, 4))
        .set_score_maximum(score.maximum)
        .set_comment(score.comment)
        .set_activity_progress("Completed" if score.done else "InProgress")
        .set_grading_progress("FullyGraded")
        .set_timestamp(now.isoformat())
        .set_user_id(sub)
    )
    if not lineitem.get_id():  # found by its resource id (ours), or made
        lineitem = service.find_or_create_lineitem(lineitem, find_by="resource_id")
    service.put_grade(grade, lineitem)


def _lineitem(context: Context, objective: Objective | None, section: Section) -> LineItem:
    if objective is None:
        return (
            LineItem()
            .set_label(f"{section.course.title}: mastery grade")
            .set_score_maximum(100)
            .set_resource_id(LETTER_RESOURCE)
        )
    placed = (
        Placement.objects.filter(context=context, kind=Placement.Kind.OBJECTIVE, target_id=objective.pk)
        .exclude(lineitem_url="")
        .first()
    )
    item = LineItem().set_label(f"{objective.code} {objective.statement}"[:100]).set_score_maximum(1)
    item.set_resource_id(f"objective:{objective.pk}")
    if placed is not None:
        item.set_id(placed.lineitem_url)
    return item


def send_due(
    now: datetime, *, section_id: int | None = None, student_id: int | None = None, everything: bool = False
) -> tuple[int, int]:
    """Send what waits (due now, or `everything`); (sent, failed)."""
    due = GradeOutbox.objects.filter(sent_at__isnull=True).select_related("section__course", "objective")
    if not everything:
        due = due.filter(next_try_at__lte=now)
    if section_id is not None:
        due = due.filter(section_id=section_id)
    if student_id is not None:
        due = due.filter(student_id=student_id)
    groups: dict[tuple[int, int, int | None], list[GradeOutbox]] = defaultdict(list)
    for row in due[:2000]:
        groups[(row.section_id, row.student_id, row.objective_id)].append(row)
    run = Run({}, {})
    sent = failed = 0
    for (_sid, uid, _oid), rows in groups.items():
        section, objective = rows[0].section, rows[0].objective
        try:
            with translation.override(section.course.language or "en"):
                _send_one(section, uid, objective, run, now)
        except Exception as e:  # the LMS down, a refused token, a missing line item: tried again later
            failed += 1
            for row in rows:
                row.tries += 1
                row.next_try_at = now + backoff(row.tries)
                row.error = str(e)[:2000] or e.__class__.__name__
                row.save(update_fields=["tries", "next_try_at", "error"])
            continue
        sent += 1
        GradeOutbox.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=now, error="")
    return sent, failed


@dataclass
class Run:
    """What one sending run reads once: each section's board, each LMS course's service (and its token)."""

    boards: dict[int, Board]
    services: dict[int, AssignmentsGradesService]


def _send_one(
    section: Section, student_id: int, objective: Objective | None, run: Run, now: datetime
) -> None:
    if section.pk not in run.boards:
        run.boards[section.pk] = class_board(section, now)
    board = run.boards[section.pk]
    if not any(r.id == student_id for r in board.rows):
        return  # no longer in the section: nothing to say
    contexts = list(
        Context.objects.filter(section=section).exclude(lineitems_url="").select_related("platform")
    )
    if not contexts:
        raise LookupError(_("The LMS has not offered its gradebook (AGS) in a launch of this course yet."))
    for context in contexts:
        sub = (
            Person.objects.filter(issuer=context.platform.issuer, user_id=student_id)
            .values_list("sub", flat=True)
            .first()
        )
        placed = objective is None or context.placements.filter(
            kind=Placement.Kind.OBJECTIVE, target_id=objective.pk
        )
        if sub is None or not placed:
            continue  # not from this LMS course, or the objective is not placed in it
        if context.pk not in run.services:
            run.services[context.pk] = _service(context)
        service = run.services[context.pk]
        score = (
            letter_score(board, student_id)
            if objective is None
            else objective_score(board, section, student_id, objective)
        )
        line = LETTER_RESOURCE if objective is None else f"objective:{objective.pk}"
        signature = f"{score.given:.4f}|{score.maximum:g}|{score.done}|{score.comment}"[:300]
        last = SentGrade.objects.filter(context=context, student_id=student_id, line=line).first()
        if last is not None and last.signature == signature:
            continue  # the LMS has this very score already
        _post(service, _lineitem(context, objective, section), sub, score, now)
        SentGrade.objects.update_or_create(
            context=context, student_id=student_id, line=line, defaults={"signature": signature, "at": now}
        )
