"""The demo classes' last three weeks, made the way a class makes them: through the same services.

Students use learning objects, take checks (answering from the key, or with a plausible mistake),
get "not yet", do a corrective, talk with the teacher and retake a new version; the teacher signs off
labs, records conferences and verbal checks with misconception tags. Each service is called with `now`
set to the moment it happened, on school days from the start of the pacing plan until two days ago;
what is happening today (help requests, a check being taken, a conference to hold) is minutes old.
Every rule holds because the services enforce it: a service that refuses stops the demo loudly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key
from flipmastery.assessments.services import attempt_start, attempt_submit, response_save
from flipmastery.classroom.models import Section
from flipmastery.cockpit.models import DEFAULT_SCALE_TEXT
from flipmastery.cockpit.services import section_plan_save
from flipmastery.courses.models import Activity, LearningObject, Objective
from flipmastery.demo.answers import wrong_response
from flipmastery.demo.stories import Now, Story
from flipmastery.domain.generation import Variant
from flipmastery.domain.grading import clean_response, grade
from flipmastery.domain.question_codec import from_data
from flipmastery.progress.services import evidence_record, learning_object_done, request_create

WEEKS = 3  # the pacing plan started three weeks ago
PER_WEEK = "1"  # objective a week: three expected mastered by now, so a few are behind
CLASS_STARTS = time(9, 0)
CLASS_HOURS = 6.0
STUCK_DAYS = 4  # STUCK students opened their objective at least this many days ago (groups need 3)


@dataclass(frozen=True)
class Calendar:
    """School days (Monday to Friday) from the plan's start until two days ago, and the real now.

    A position is a school day's index plus the share of the class hours gone: 2.5 is noon on the third
    school day. Today's events are placed from `now` instead, so they are always minutes or hours old.
    """

    start: date
    days: tuple[date, ...]
    now: datetime

    @classmethod
    def of(cls, now: datetime) -> Calendar:
        today = timezone.localdate(now)
        start = today - timedelta(weeks=WEEKS)
        span = (today - start).days - 1  # until the day before yesterday
        days = tuple(d for d in (start + timedelta(n) for n in range(span)) if d.weekday() < 5)
        return cls(start, days, now)

    @property
    def end(self) -> float:
        return float(len(self.days))

    def at(self, position: float, minutes: float = 0.0) -> datetime:
        index = min(max(int(position), 0), len(self.days) - 1)
        share = min(max(position - index, 0.0), 0.99)
        moment = datetime.combine(self.days[index], CLASS_STARTS, tzinfo=timezone.get_current_timezone())
        return moment + timedelta(hours=share * CLASS_HOURS, minutes=minutes)

    def before(self, days_ago: int) -> float:
        """The position of the last school day at least `days_ago` days before today."""
        latest = timezone.localdate(self.now) - timedelta(days=days_ago)
        return float(max(i for i, d in enumerate(self.days) if d <= latest))

    def ago(self, **delta: float) -> datetime:
        return self.now - timedelta(**delta)


@dataclass(frozen=True)
class Unit:
    """The course as a student meets it: objectives in playlist order, ways to learn and activities."""

    order: list[Objective]
    ways: dict[int, list[LearningObject]]  # objective id → learning objects, primary first
    activities: dict[int, list[Activity]]
    hindi: bool

    @classmethod
    def of(cls, section: Section) -> Unit:
        objectives = list(
            Objective.objects.filter(course=section.course, retired=False)
            .prefetch_related("prerequisites")
            .order_by("unit__order", "order", "id")
        )
        ways: dict[int, list[LearningObject]] = {o.pk: [] for o in objectives}
        for lo in LearningObject.objects.filter(objective__in=objectives, retired=False).order_by(
            "-is_primary", "order", "id"
        ):
            ways[lo.objective_id].append(lo)
        activities: dict[int, list[Activity]] = {o.pk: [] for o in objectives}
        for activity in Activity.objects.filter(objective__in=objectives, retired=False).order_by(
            "order", "id"
        ):
            activities[activity.objective_id].append(activity)
        return cls(playlist_order(objectives), ways, activities, section.course.language == "hi")


def playlist_order(objectives: list[Objective]) -> list[Objective]:
    """Prerequisites first; among the open ones, essentials before nice-to-know, then course order."""
    done: set[int] = set()
    left = list(objectives)
    order = []
    while left:
        open_ = [o for o in left if {p.pk for p in o.prerequisites.all()} <= done]
        pick = next((o for o in open_ if o.tier == "essential"), open_[0] if open_ else left[0])
        order.append(pick)
        done.add(pick.pk)
        left.remove(pick)
    return order


def plan_start(*, section: Section, teacher: User, calendar: Calendar) -> None:
    """The teacher set the pace on the first morning of the unit."""
    section_plan_save(
        section=section,
        actor=teacher,
        now=datetime.combine(calendar.start, time(7, 45), tzinfo=timezone.get_current_timezone()),
        start=calendar.start.isoformat(),
        per_week=PER_WEEK,
        periods=f"Term 1: {(calendar.start + timedelta(weeks=13)).isoformat()}",
        scale=DEFAULT_SCALE_TEXT,
    )


def class_history(
    *, section: Section, teacher: User, students: list[User], stories: list[Story], now: datetime
) -> None:
    """Play every student's story, oldest moment first within each student."""
    calendar = Calendar.of(now)
    plan_start(section=section, teacher=teacher, calendar=calendar)
    unit = Unit.of(section)
    for student, story in zip(students, stories, strict=True):
        Student(section, teacher, student, story, calendar, unit).play()


CONFERENCE_NOTES = (
    "Went through the worked example together; ready for a new version.",
    "Talked it through at the board; the new version next lesson.",
)
CONFERENCE_NOTES_HI = (
    "बोर्ड पर दोबारा समझाया; अभ्यास-पत्रक के सवाल साथ में किए।",
    "उदाहरण साथ में हल किया; अगली कक्षा में नया संस्करण।",
)
HELP_ANSWERED = "Answered at the desk."


@dataclass
class Student:
    """One student's three weeks, played in time order."""

    section: Section
    teacher: User
    student: User
    story: Story
    calendar: Calendar
    unit: Unit
    used: set[int] = field(default_factory=set)
    rng: random.Random = field(init=False)
    versions: random.Random = field(init=False)  # apart, so the story's own draws stay as they were

    def __post_init__(self) -> None:
        self.rng = random.Random(f"flipmastery demo {self.student.username}")
        self.versions = random.Random(f"flipmastery demo versions {self.student.username}")

    # ---- the story ------------------------------------------------------------------------------

    def play(self) -> None:
        story, order = self.story, self.unit.order
        current = order[story.mastered] if story.mastered < len(order) else None
        opened = self._opened()
        if story.mastered:
            first, last = 0.15, opened - 0.25
            span = (last - first) / story.mastered
            for n, objective in enumerate(order[: story.mastered]):
                self._master(objective, first + n * span, span)
        if current is not None:
            self._today(current)

    def _opened(self) -> float:
        """Where the history of the mastered objectives must end: when the current one began."""
        end, now = self.calendar.end, self.story.now
        starts = {
            Now.STUCK: self.calendar.before(STUCK_DAYS) + 0.2,
            Now.NOT_YET: end - 3,
            Now.RETAKE: end - 4,
            Now.SIGN_OFF: end - 1.5,
            Now.CONFERENCE: end - 0.6,
            Now.CHECKING: end - 0.6,
        }
        return starts.get(now, end)

    def _master(self, objective: Objective, start: float, span: float) -> None:
        """Learn it, maybe ask for help, do its activities, pass its check (maybe after a "not yet")."""
        at = self.calendar.at
        ways = self.unit.ways[objective.pk]
        self._use(ways[0], at(start + 0.05 * span))
        if len(ways) > 1 and self.rng.random() < 0.25:
            self._use(ways[1], at(start + 0.25 * span))
        if self.rng.random() < 0.08:
            self._help_answered(objective, start + 0.3 * span)
        self._sign_activities(objective, start + 0.5 * span)
        if self.rng.random() < self.story.struggles:
            self._check(objective, start + 0.55 * span, passed=False)
            self._corrective(objective, at(start + 0.68 * span))
            self._conference(objective, at(start + 0.8 * span))
            self._check(objective, start + 0.92 * span, passed=True)
        else:
            self._check(objective, start + 0.85 * span, passed=True)

    def _today(self, objective: Objective) -> None:
        """Where the student stands now on the objective after the ones mastered."""
        at, end, ago, now = self.calendar.at, self.calendar.end, self.calendar.ago, self.story.now
        primary = self.unit.ways[objective.pk][0]
        if now in (Now.LEARNING, Now.HELP):
            hours = self.rng.uniform(2, 20)
            self._use(primary, ago(hours=hours))
            if now is Now.HELP:
                request_create(
                    section=self.section,
                    student=self.student,
                    kind="help",
                    objective=objective,
                    note=self.story.note,
                    now=ago(minutes=self.rng.uniform(3, 25)),
                )
        elif now is Now.STUCK:
            opened = self._opened()
            self._use(primary, at(opened))
            self._use(self.unit.ways[objective.pk][1], at(opened + 0.4))
            self._verbal(objective, at(end - 0.3))
        elif now is Now.NOT_YET:
            self._use(primary, at(end - 3))
            self._sign_activities(objective, end - 2)
            self._check(objective, end - 1.5, passed=False)
            self._verbal(objective, at(end - 0.5))  # talking it through counts as the conference
        elif now is Now.RETAKE:
            self._use(primary, at(end - 4))
            self._sign_activities(objective, end - 3.5)
            self._check(objective, end - 2.5, passed=False)
            self._corrective(objective, at(end - 1.8))
            self._conference(objective, at(end - 0.7))
        elif now is Now.SIGN_OFF:
            self._use(primary, at(end - 1.5))
            # Passed last night; the lab is done next lesson, so the sign-off waits in the queue.
            self._check_at(objective, ago(hours=self.rng.uniform(12, 20)), passed=True)
        elif now in (Now.CONFERENCE, Now.CHECKING):
            self._use(primary, at(end - 0.6))
            self._sign_activities(objective, end - 0.3)
            if now is Now.CONFERENCE:
                self._check_at(objective, ago(minutes=40), passed=False)  # the conference waits in the queue
            else:
                self._check_at(objective, ago(minutes=9), passed=None)

    # ---- what the student does ----------------------------------------------------------------------

    def _use(self, way: LearningObject, moment: datetime) -> None:
        learning_object_done(section=self.section, student=self.student, learning_object=way, now=moment)
        self.used.add(way.pk)

    def _corrective(self, objective: Objective, moment: datetime) -> None:
        """A way to learn it not used yet: the corrective the "not yet" prescribed."""
        unused = [w for w in self.unit.ways[objective.pk] if w.pk not in self.used]
        if unused:
            self._use(unused[0], moment)

    def _check(self, objective: Objective, position: float, *, passed: bool) -> None:
        self._check_at(objective, self.calendar.at(position), passed=passed)

    def _check_at(self, objective: Objective, moment: datetime, *, passed: bool | None) -> None:
        """Start the check, answer every item (a few minutes apart) and submit; `None`: still answering."""
        started = attempt_start(
            section=self.section,
            student=self.student,
            objective=objective,
            now=moment,
            seed=self.versions.getrandbits(62),  # the same demo every time, item analysis included
        )
        attempt = started.attempt
        items = {item.position: item for item in attempt.items.all()}
        responses = {entry["id"]: entry["correct_response"] for entry in attempt_key(attempt)["items"]}
        if passed is False:
            responses = self._failing(items, responses, attempt.thresholds[objective.code], attempt.seed)
        for n, position in enumerate(sorted(responses), start=1):
            if passed is None and n > 1:
                break  # one answer saved so far
            response_save(
                attempt_id=attempt.pk,
                student=self.student,
                position=position,
                response=responses[position],
                now=moment + timedelta(minutes=2 + 3 * n),
            )
        if passed is None:
            return
        done = attempt_submit(
            attempt_id=attempt.pk, student=self.student, now=moment + timedelta(minutes=3 + 3 * len(items))
        )
        _expect(done, objective, passed)

    def _failing(
        self, items: dict[int, AttemptItem], right: dict[int, Any], threshold: float, seed: int
    ) -> dict[int, Any]:
        """Responses that miss the threshold: some items wrong (a half-right answer may not be enough,
        then every item is wrong)."""
        wrong = self._misses(len(items))
        answers = random.Random(seed)
        for _ in range(20):
            tried = dict(right)
            for position in wrong:
                item = items[position]
                question, variant = from_data(item.version.data), Variant.from_json(item.variant)
                tried[position] = wrong_response(question, variant, right[position], answers)
            if _score(items, tried) < threshold - 1e-9:
                return tried
            wrong = set(items)
        raise StoryBroken(f"{self.student} could not get the check of {items[1].objective_code} wrong")

    def _misses(self, count: int) -> set[int]:
        """The items a "not yet" got wrong: one, or (less often) all of them."""
        how_many = count if self.rng.random() < 0.35 else 1
        return set(self.rng.sample(range(1, count + 1), min(how_many, count)))

    def _help_answered(self, objective: Objective, position: float) -> None:
        asked = self.calendar.at(position)
        request_create(
            section=self.section,
            student=self.student,
            kind="help",
            objective=objective,
            note="",
            now=asked,
        )
        self._teacher("verbal", objective, asked + timedelta(minutes=12), outcome=True, note=HELP_ANSWERED)

    # ---- what the teacher does ----------------------------------------------------------------------

    def _sign_activities(self, objective: Objective, position: float) -> None:
        for n, activity in enumerate(self.unit.activities[objective.pk]):
            self._teacher(
                "activity", objective, self.calendar.at(position, minutes=5 * n), activity=activity.pk
            )

    def _conference(self, objective: Objective, moment: datetime) -> None:
        notes = CONFERENCE_NOTES_HI if self.unit.hindi else CONFERENCE_NOTES
        self._teacher("conference", objective, moment, note=self.rng.choice(notes))

    def _verbal(self, objective: Objective, moment: datetime) -> None:
        """The teacher's verbal check found a misconception, tagged so that the groups page can use it."""
        self._teacher(
            "verbal", objective, moment, outcome=False, note=self.story.note, tags=list(self.story.tags)
        )

    def _teacher(self, kind: str, objective: Objective, moment: datetime, **fields: Any) -> None:
        evidence_record(
            section=self.section,
            teacher=self.teacher,
            student=self.student,
            objective=objective,
            kind=kind,
            now=moment,
            **fields,
        )


def _score(items: dict[int, AttemptItem], responses: dict[int, Any]) -> float:
    """The share of the check's points these responses would earn, graded as the service grades them."""
    earned = possible = 0.0
    for position, item in items.items():
        if item.review:
            continue
        question, variant = from_data(item.version.data), Variant.from_json(item.variant)
        result = grade(question, variant, clean_response(question, variant, responses[position]))
        earned += item.points * result.score
        possible += item.points
    return earned / possible if possible else 0.0


class StoryBroken(RuntimeError):
    """A check did not end the way the story says: the demo would tell something untrue."""


def _expect(attempt: Attempt, objective: Objective, passed: bool) -> None:
    # The check's verdict ("passed"; older results called it "mastered"); mastery is the replay's word.
    decided = {o["code"]: o.get("passed", o.get("mastered")) for o in attempt.result["objectives"]}
    if decided.get(objective.code) is not passed:
        raise StoryBroken(f"{attempt.student}'s check of {objective.code} came out {decided}, not {passed}")
