"""A course as a package (course.yaml, YAML banks, its files): what export-course and the studio's download
write, and what import-course reads back with no change."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from flipmastery.courses.models import Course
from flipmastery.courses.packages import COURSE_FILE
from flipmastery.courses.studio import STORED, course_spec
from flipmastery.domain.course import LearningObjectSpec, ObjectiveSpec
from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.formats.course_package_write import write_course
from flipmastery.questions.selectors import bank_questions


def package_files(course: Course) -> dict[str, bytes]:
    """The course as a package: course.yaml, a YAML bank per objective with questions, the stored files.

    Importing it again changes nothing: banks keep their file names where they are YAML, and a stored file
    goes in under its own name and content, which is what the import names it by."""
    from django.core.files.storage import default_storage

    from flipmastery.domain.formats.bank import write_bank

    spec = course_spec(course)
    questions: dict[str, list[Any]] = {}
    for code, value in bank_questions(course_code=course.code):
        questions.setdefault(code, []).append(value)
    files: dict[str, bytes] = {}
    missing: list[Problem] = []

    def objective(o: ObjectiveSpec) -> ObjectiveSpec:
        bank = ""
        if questions.get(o.code):
            yaml_name = o.bank.lower().endswith((".yaml", ".yml"))
            bank = o.bank if yaml_name else f"banks/{o.code.lower()}.yaml"
            files[bank] = write_bank(questions[o.code], "yaml").encode()
        return dataclasses.replace(o, bank=bank, learn=tuple(learn(lo) for lo in o.learn))

    def learn(lo: LearningObjectSpec) -> LearningObjectSpec:
        if not lo.file:
            return lo
        inside = "files/" + lo.file.removeprefix(STORED)
        try:
            with default_storage.open(lo.file, "rb") as handle:
                files[inside] = handle.read()
        except OSError:
            missing.append(Problem(f"the file of '{lo.title}' is missing from this server ({lo.file})"))
        return dataclasses.replace(lo, file=inside)

    spec = dataclasses.replace(
        spec,
        units=tuple(
            dataclasses.replace(u, objectives=tuple(objective(o) for o in u.objectives)) for u in spec.units
        ),
    )
    if missing:
        raise Invalid(missing)
    files[COURSE_FILE] = write_course(spec).encode()
    return files


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """The package as a .zip, as import-course and the school's import read it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()
