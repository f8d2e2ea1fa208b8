"""Loads the demo classroom: both course packages, the two sections and students with some history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import Course, LearningObject, Objective
from flipmastery.courses.services import course_import_path
from flipmastery.domain.mastery import State
from flipmastery.progress.models import LearningObjectUse, ProgressEvent, QueueEntry

CONTENT = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class DemoLogins:
    teacher: str = "teacher / teacher"
    chemistry: str = "chem01 … chem30 / student"
    maths: str = "math01 … math30 / student"


def _person(username: str, password: str, role: str, **fields: str) -> User:
    user = User(username=username, role=role, **fields)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def demo_load() -> DemoLogins:
    course_import_path(path=CONTENT / "gas-laws")
    course_import_path(path=CONTENT / "rational-numbers")
    teacher = _person("teacher", "teacher", Role.TEACHER, first_name="Meera", last_name="Sharma")
    chem = Section.objects.create(course_id=_course_id("CHEM11"), name="Chemistry 11-A", join_code="CHEM11")
    maths = Section.objects.create(course_id=_course_id("MATH7"), name="Maths 7-B", join_code="MATH7B")
    for section in (chem, maths):
        section.teachers.add(teacher)
    chem_students = _students(chem, "chem", CHEM_NAMES)
    math_students = _students(maths, "math", MATH_NAMES)
    _history(chem, chem_students, teacher)
    _history(maths, math_students, teacher)
    return DemoLogins()


def _course_id(code: str) -> int:
    return Course.objects.get(code=code).pk


def _students(section: Section, prefix: str, names: list[str]) -> list[User]:
    # One hash for the well-known demo password: hashing it 60 times would take half a minute.
    hashed = make_password("student")
    people = User.objects.bulk_create(
        User(
            username=f"{prefix}{i:02d}",
            role=Role.STUDENT,
            password=hashed,
            first_name=name.partition(" ")[0],
            last_name=name.partition(" ")[2],
        )
        for i, name in enumerate(names, start=1)
    )
    Enrollment.objects.bulk_create(Enrollment(section=section, student=person) for person in people)
    return people


def _history(section: Section, students: list[User], teacher: User) -> None:
    """Spread the class over the unit: a few ahead, most in the first objectives, some not yet."""
    objectives = list(
        Objective.objects.filter(course=section.course, retired=False).order_by("unit__order", "order")
    )
    primaries = {
        lo.objective_id: lo for lo in LearningObject.objects.filter(objective__in=objectives, is_primary=True)
    }
    now = timezone.now()
    events: list[ProgressEvent] = []
    uses: list[LearningObjectUse] = []
    queue: list[QueueEntry] = []
    for i, student in enumerate(students):
        mastered = [0, 0, 1, 1, 1, 2, 2, 2, 3, 4][i % 10]
        for n, objective in enumerate(objectives[:mastered]):
            at = now - timedelta(days=14 - n * 2, minutes=i)
            events.append(
                _event(
                    section,
                    student,
                    objective,
                    "override",
                    State.MASTERED,
                    at,
                    teacher,
                    "Demo history: mastered before the demo began.",
                )
            )
        if mastered < len(objectives):
            current = objectives[mastered]
            if current.pk in primaries and i % 3 != 2:
                uses.append(
                    LearningObjectUse(
                        section=section,
                        student=student,
                        learning_object=primaries[current.pk],
                        at=now - timedelta(hours=i),
                    )
                )
                events.append(
                    _event(
                        section,
                        student,
                        current,
                        "used",
                        State.LEARNING,
                        now - timedelta(hours=i),
                        student,
                        "Used the primary learning object.",
                    )
                )
                events[-1].ref = str(primaries[current.pk].pk)
            if i % 10 == 5:
                failed = _event(
                    section,
                    student,
                    current,
                    "check_result",
                    State.NOT_YET,
                    now - timedelta(minutes=40 + i),
                    None,
                    "Demo history: scored 60 % on the mastery check (80 % needed).",
                )
                failed.outcome = False
                events.append(failed)
                # "Set up an appointment before the retake": the conference waits in the teacher's queue.
                queue.append(
                    QueueEntry(
                        section=section,
                        student=student,
                        objective=current,
                        kind=QueueEntry.Kind.CONFERENCE,
                        created_at=now - timedelta(minutes=40 + i),
                    )
                )
            elif i % 10 == 7:
                queue.append(
                    QueueEntry(
                        section=section,
                        student=student,
                        objective=current,
                        kind=QueueEntry.Kind.HELP,
                        note="Demo: stuck on the worksheet.",
                        created_at=now - timedelta(minutes=5 + i),
                    )
                )
    ProgressEvent.objects.bulk_create(events)
    LearningObjectUse.objects.bulk_create(uses)
    QueueEntry.objects.bulk_create(queue)


def _event(
    section: Section,
    student: User,
    objective: Objective,
    kind: str,
    state: State,
    at: datetime,
    actor: User | None,
    reason: str,
) -> ProgressEvent:
    return ProgressEvent(
        section=section,
        student=student,
        objective=objective,
        kind=kind,
        state=state.value,
        at=at,
        actor=actor,
        reason=reason,
    )


CHEM_NAMES = [
    "Aarav Patel",
    "Ananya Iyer",
    "Ben Carter",
    "Chloe Nguyen",
    "Devansh Rao",
    "Emma Johnson",
    "Farhan Khan",
    "Gauri Deshmukh",
    "Hannah Lee",
    "Ishaan Mehta",
    "Jasmine Ortiz",
    "Kabir Singh",
    "Lily Chen",
    "Mohit Verma",
    "Nora Williams",
    "Omar Haddad",
    "Priya Nair",
    "Quinn Murphy",
    "Riya Kapoor",
    "Sam Brooks",
    "Tara Joshi",
    "Uday Kulkarni",
    "Vera Novak",
    "Wen Li",
    "Xavier Diaz",
    "Yash Agarwal",
    "Zara Ahmed",
    "Aditi Bose",
    "Leo Martin",
    "Sneha Pillai",
]
MATH_NAMES = [
    "आरव शर्मा",
    "अनन्या गुप्ता",
    "ईशान वर्मा",
    "कविता यादव",
    "रोहन सिंह",
    "सिया मिश्रा",
    "अर्जुन पटेल",
    "दिव्या जोशी",
    "कार्तिक नायर",
    "मीरा रेड्डी",
    "निखिल चौहान",
    "पूजा तिवारी",
    "राहुल मेहता",
    "साक्षी पांडे",
    "तन्मय दास",
    "उर्वशी बंसल",
    "विवेक कुमार",
    "यामिनी राव",
    "ज़ैद ख़ान",
    "अदिति सक्सेना",
    "भरत पिल्लै",
    "चारु अग्रवाल",
    "देव मल्होत्रा",
    "गीता बोस",
    "हर्ष ठाकुर",
    "इरा कपूर",
    "जय भट्ट",
    "लता मेनन",
    "मानव सेठ",
    "नेहा शुक्ला",
]
