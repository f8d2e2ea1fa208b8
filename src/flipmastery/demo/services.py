"""Loads the demo classroom: both course packages, the two sections, and three weeks of class history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import Course
from flipmastery.courses.services import course_import_path
from flipmastery.demo.history import class_history
from flipmastery.demo.stories import CHEMISTRY, MATHS

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
        section.course.teachers.add(teacher)  # so she may open new sections of both courses too
    # One hash for the well-known demo password: hashing it 60 times would take half a minute.
    hashed = make_password("student")
    chem_students = _students(chem, "chem", CHEM_NAMES, hashed)
    math_students = _students(maths, "math", MATH_NAMES, hashed)
    now = timezone.now()
    class_history(section=chem, teacher=teacher, students=chem_students, stories=CHEMISTRY, now=now)
    class_history(section=maths, teacher=teacher, students=math_students, stories=MATHS, now=now)
    return DemoLogins()


def _course_id(code: str) -> int:
    return Course.objects.get(code=code).pk


def _students(section: Section, prefix: str, names: list[str], hashed: str) -> list[User]:
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
