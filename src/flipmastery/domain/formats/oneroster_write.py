"""Results for the SIS as OneRoster 1.2 CSV: categories.csv, lineItems.csv (one per objective of a class's
course, and one for the class's letter grade) and results.csv (one per student and line item), with the
manifest.csv that says so. Pure: the caller gives what the gradebook decided; nothing is computed here but
the words and numbers OneRoster wants.

Every sourcedId we make is a UUID derived from what it stands for (uuid5), so exporting again gives the same
ids and the SIS updates its rows instead of adding new ones. A cell a person typed (a title, a comment) that
starts like a spreadsheet formula is written with a leading apostrophe, so a spreadsheet never runs it.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6f6e6572-6f73-7465-722e-666c69706d61")  # fixed: ids must not change between exports
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CATEGORY_HEADERS = ("sourcedId", "status", "dateLastModified", "title", "weight")
LINE_ITEM_HEADERS = (
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "description",
    "assignDate",
    "dueDate",
    "classSourcedId",
    "categorySourcedId",
    "academicSessionSourcedId",
    "resultValueMin",
    "resultValueMax",
    "schoolSourcedId",
)
RESULT_HEADERS = (
    "sourcedId",
    "status",
    "dateLastModified",
    "lineItemSourcedId",
    "studentSourcedId",
    "scoreStatus",
    "score",
    "scoreDate",
    "comment",
    "textScore",
    "classSourcedId",
    "inProgress",
    "incomplete",
    "late",
    "missing",
)
WRITTEN = ("categories", "lineItems", "results")
ABSENT = (
    "academicSessions",
    "classes",
    "courses",
    "demographics",
    "enrollments",
    "orgs",
    "roles",
    "userProfiles",
    "users",
    "scoreScales",
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "resultLearningObjectiveIds",
    "resultScoreScales",
    "resources",
    "classResources",
    "courseResources",
    "userResources",
)


def derived_id(*parts: str) -> str:
    """A stable sourcedId for something that has none from the SIS (a line item, a result, a section or
    student that did not come from a roster import)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


OBJECTIVES_CATEGORY = derived_id("category", "objectives")
GRADE_CATEGORY = derived_id("category", "grade")


@dataclass(frozen=True)
class ObjectiveResult:
    """One student on one objective, as the gradebook shows it (the replay's decision)."""

    state: str  # the state word of DESIGN §2, e.g. MASTERED, NOT_YET
    mastered: bool
    attempts: int
    pending: bool  # a check waits for the teacher's grading


@dataclass(frozen=True)
class StudentResults:
    sourced_id: str
    objectives: dict[str, ObjectiveResult]  # objective code → result
    percent: float
    letter: str


@dataclass(frozen=True)
class ObjectiveColumn:
    code: str
    statement: str


@dataclass(frozen=True)
class ClassResults:
    sourced_id: str  # the class's sourcedId (the SIS's, or derived)
    school_sourced_id: str  # "" when the SIS never told us
    session_sourced_id: str  # the class's term in the SIS; "" when it never told us
    title: str
    objectives: tuple[ObjectiveColumn, ...]
    students: tuple[StudentResults, ...]
    assign_date: str  # YYYY-MM-DD: when the section opened
    due_date: str  # YYYY-MM-DD: the day of the export (mastery is never "late")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will show as text: one starting like a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def _score(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def objective_line_item(klass: ClassResults, code: str) -> str:
    return derived_id("lineItem", klass.sourced_id, "objective", code)


def grade_line_item(klass: ClassResults) -> str:
    return derived_id("lineItem", klass.sourced_id, "grade")


def _objective_status(result: ObjectiveResult) -> tuple[str, str]:
    """(scoreStatus, score): mastered is 1 and fully graded; a check waiting for the teacher is submitted;
    work under way is partially graded at 0; nothing yet is not submitted."""
    if result.mastered:
        return "fully graded", "1"
    if result.pending:
        return "submitted", "0"
    if result.attempts or result.state not in ("LOCKED", "READY"):
        return "partially graded", "0"
    return "not submitted", "0"


def results_files(classes: Sequence[ClassResults], *, today: str, source: str) -> dict[str, str]:
    """The CSV files of a results bundle, by file name. Bulk files: status and dateLastModified are left
    empty, as the binding asks."""
    categories = [
        (OBJECTIVES_CATEGORY, "", "", "Objectives (mastery: 1 mastered, 0 not yet)", "0"),
        (GRADE_CATEGORY, "", "", "Course grade (percent, letter as text)", "1"),
    ]
    line_items: list[tuple[str, ...]] = []
    results: list[tuple[str, ...]] = []
    for klass in classes:
        grade_item = grade_line_item(klass)
        for column in klass.objectives:
            item = objective_line_item(klass, column.code)
            line_items.append(
                (
                    item,
                    "",
                    "",
                    f"{column.code}: {column.statement}"[:255],
                    column.statement,
                    klass.assign_date,
                    klass.due_date,
                    klass.sourced_id,
                    OBJECTIVES_CATEGORY,
                    klass.session_sourced_id,
                    "0",
                    "1",
                    klass.school_sourced_id,
                )
            )
            for student in klass.students:
                result = student.objectives.get(column.code)
                if result is None:
                    continue
                status, score = _objective_status(result)
                results.append(
                    (
                        derived_id("result", item, student.sourced_id),
                        "",
                        "",
                        item,
                        student.sourced_id,
                        status,
                        score,
                        today,
                        "",
                        result.state,
                        klass.sourced_id,
                        "false",
                        "false" if result.mastered else "true",
                        "false",
                        "false",
                    )
                )
        line_items.append(
            (
                grade_item,
                "",
                "",
                f"Grade: {klass.title}"[:255],
                "The school's letter grade from the grade scale; score is the percent.",
                klass.assign_date,
                klass.due_date,
                klass.sourced_id,
                GRADE_CATEGORY,
                klass.session_sourced_id,
                "0",
                "100",
                klass.school_sourced_id,
            )
        )
        for student in klass.students:
            results.append(
                (
                    derived_id("result", grade_item, student.sourced_id),
                    "",
                    "",
                    grade_item,
                    student.sourced_id,
                    "fully graded",
                    _score(student.percent),
                    today,
                    "",
                    student.letter,
                    klass.sourced_id,
                    "false",
                    "false",
                    "false",
                    "false",
                )
            )
    return {
        "manifest.csv": manifest(source),
        "categories.csv": _csv(CATEGORY_HEADERS, categories),
        "lineItems.csv": _csv(LINE_ITEM_HEADERS, line_items),
        "results.csv": _csv(RESULT_HEADERS, results),
    }


def manifest(source: str) -> str:
    rows = [("manifest.version", "1.0"), ("oneroster.version", "1.2")]
    rows += [(f"file.{name}", "bulk") for name in WRITTEN]
    rows += [(f"file.{name}", "absent") for name in ABSENT]
    rows += [("source.systemName", source), ("source.systemCode", "flipmastery")]
    return _csv(("propertyName", "value"), rows)
