"""Reads of attempts: who may see one, what a student sees of it, and the key a teacher may read."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt, AttemptItem, PaperBatch
from flipmastery.assessments.rendering import feedback_html
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Activity
from flipmastery.domain.errors import NotFound
from flipmastery.domain.gating import Standing
from flipmastery.domain.generation import Variant, fill
from flipmastery.domain.grading import accepted_range, correct_response, shown_answer
from flipmastery.domain.mastery import State
from flipmastery.domain.question_codec import from_data
from flipmastery.progress.standings import student_standings
from flipmastery.questions.frozen import questions_of


def access_attempt(user: User, attempt_id: int, *, teacher_only: bool = False) -> Attempt:
    """The attempt if `user` owns it or teaches its section; "not found" for everyone else."""
    attempt = Attempt.objects.select_related("objective", "section").filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound("attempt not found")
    owner = attempt.student_id == user.pk
    teaches = (user.is_teacher or user.is_school_admin) and (
        user.is_school_admin or attempt.section.teachers.filter(pk=user.pk).exists()
    )
    if not teaches and (teacher_only or not owner):
        raise NotFound("attempt not found")
    return attempt


def attempt_view(attempt: Attempt, *, for_teacher: bool = False) -> dict[str, Any]:
    """The attempt as its student sees it: items and saved responses; once closed, the review.

    Open attempts carry no score, status or feedback; nothing here ever holds an answer key.
    """
    # A service that has just built or graded the items hands them over (prefetched): no re-read.
    items = list(attempt.items.all())
    closed = attempt.state == Attempt.State.SUBMITTED
    out_items = []
    for item in items:
        shown = dict(item.shown)
        entry: dict[str, Any] = {
            "id": item.position,
            "objective": item.objective_code,
            "review": item.review,
            **shown,
            "response": item.response,
            "saved_at": item.saved_at,
        }
        if closed:
            entry["score"] = item.score
            entry["status"] = item.status
            entry["feedback_html"] = list(item.shown.get("feedback_html") or [])
        out_items.append(entry)
    if closed:
        _add_feedback(attempt, items, out_items)
    return {
        "id": attempt.pk,
        "state": attempt.state,
        "kind": attempt.kind,
        "section": attempt.section_id,
        "objective": attempt.objective.code if attempt.objective else None,
        "thresholds": attempt.thresholds,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "items": out_items,
        "objectives": decided(attempt) if closed else [],
    }


def decided(attempt: Attempt) -> list[dict[str, Any]]:
    """Each objective of a submitted attempt: the check's verdict (`passed`) and what the domain's replay
    decides the student's standing is now (`state`; `mastered` only when it says MASTERED), with the
    required activities still to sign off after a pass. Read live, so a later sign-off shows here too."""
    outcomes = [dict(o) for o in (attempt.result or {}).get("objectives", [])]
    if not outcomes:
        return []
    kept: dict[str, Standing] | None = getattr(attempt, "standings", None)  # just decided by the submit
    if kept is None:
        facts, by_id = student_standings(attempt.section, attempt.student_id, timezone.now())
        kept = {f.code: by_id[f.id] for f in facts}
    waiting = {
        o["code"]: kept[o["code"]].activities_missing
        for o in outcomes
        if o.get("passed") and o["code"] in kept and kept[o["code"]].state is not State.MASTERED
    }
    wanted = {int(a) for ids in waiting.values() for a in ids}
    titles = dict(Activity.objects.filter(pk__in=wanted).values_list("id", "title")) if wanted else {}
    for o in outcomes:
        s = kept.get(o["code"])
        o["state"] = s.state.value if s is not None else ""
        o["mastered"] = s is not None and s.state is State.MASTERED
        o["activities_missing"] = [titles.get(int(a), "") for a in waiting.get(o["code"], ())]
    return outcomes


def next_step(view: dict[str, Any]) -> dict[str, Any] | None:
    """What the student does after a submitted check, from the domain's decision on each objective: the
    submit answer and the result page say the same."""
    objectives = view["objectives"]
    if not objectives:
        return None
    if any(o["pending"] for o in objectives):
        return {"kind": "wait", "message": _("Your teacher will grade your written answers.")}
    if view["kind"] == "pretest":
        gaps = [o["code"] for o in objectives if not o["passed"]]
        if gaps:
            return {
                "kind": "pretest_gaps",
                "message": _("Pre-teaching first: %(codes)s.") % {"codes": ", ".join(gaps)},
            }
        return {"kind": "mastered", "message": _("Ready for the unit: every prerequisite is mastered.")}
    if all(o["mastered"] for o in objectives):
        return {"kind": "mastered", "message": _("Mastered! Go on to your next objective.")}
    if all(o["passed"] for o in objectives):
        count = sum(len(o["activities_missing"]) for o in objectives)
        message = ngettext(
            "Check passed. %(count)d activity still to be signed off by your teacher.",
            "Check passed. %(count)d activities still to be signed off by your teacher.",
            count,
        ) % {"count": count}
        return {"kind": "signoff", "message": message}
    return {
        "kind": "not_yet",
        "message": _("Not yet. Learn it another way, talk with your teacher, then take a new version."),
    }


def _add_feedback(attempt: Attempt, items: list[AttemptItem], out_items: list[dict[str, Any]]) -> None:
    said = questions_of(i.version_id for i in items)
    for item, entry in zip(items, out_items, strict=True):
        value = said[item.version_id]
        lines = list(item.feedback or [])
        if value.general_feedback:
            lines.append(value.general_feedback)
        variant = Variant.from_json(item.variant)  # a worked solution may quote this item's numbers
        entry["feedback_html"] = feedback_html(value, [fill(line, value, variant) for line in lines])


def attempt_key(attempt: Attempt) -> dict[str, Any]:
    """For teachers: per item a response that scores full marks, and the answer as written on a board."""
    handed = getattr(attempt, "_prefetched_objects_cache", {}).get("items")  # a page's prefetch of many
    if handed is not None and all(AttemptItem.version.is_cached(i) for i in handed):
        items = list(handed)
    else:
        items = list(
            AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position")
        )
    out = []
    for item in items:
        value = from_data(item.version.data)
        variant = Variant.from_json(item.variant)
        out.append(
            {
                "id": item.position,
                "objective": item.objective_code,
                "question": item.question_id,
                "version": item.version.number,
                "type": value.type.value,
                "correct_response": correct_response(value, variant),
                "answer": shown_answer(value, variant),
                "accepted": accepted_range(value, variant),
                "points": item.points,
            }
        )
    return {"attempt": attempt.pk, "items": out}


def access_paper_batch(user: User, batch_id: int) -> PaperBatch:
    """A print run of paper copies, for the teachers of its section; "not found" for everyone else."""
    batch = PaperBatch.objects.select_related("section__course", "objective").filter(pk=batch_id).first()
    teaches = batch is not None and (
        user.is_school_admin or (user.is_teacher and batch.section.teachers.filter(pk=user.pk).exists())
    )
    if batch is None or not teaches:
        raise NotFound("paper copies not found")
    return batch


def paper_batches(section: Section, limit: int = 20) -> list[PaperBatch]:
    """The section's latest print runs, each with its number of copies and of copies entered."""
    return list(
        PaperBatch.objects.filter(section=section)
        .select_related("objective", "made_by")
        .annotate(
            copies_count=Count("copies"),
            entered=Count("copies", filter=Q(copies__state=Attempt.State.SUBMITTED)),
        )[:limit]
    )
