"""`flipmastery export-course CODE PATH`: importing what it writes changes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from flipmastery.courses.models import LearningObject, Objective
from flipmastery.courses.services import course_import_path
from flipmastery.courses.studio import course_spec
from flipmastery.courses.studio_edits import ObjectiveFields, course_create, objective_add, part_add, unit_add
from flipmastery.demo.services import CONTENT
from flipmastery.domain.course import (
    ActivitySpec,
    EnrichmentSpec,
    LearningObjectKind,
    LearningObjectSpec,
    Tier,
)
from flipmastery.questions.models import Question, QuestionVersion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def export(code: str, path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export-course", code, str(path), stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> list[Any]:
    return [
        list(Objective.objects.order_by("pk").values()),
        list(LearningObject.objects.order_by("pk").values()),
        list(QuestionVersion.objects.order_by("pk").values_list("pk", "question_id")),
    ]


@pytest.mark.parametrize("demo", ["gas-laws", "rational-numbers"])
@pytest.mark.parametrize("as_zip", [False, True])
def test_the_demo_course_goes_out_and_back_in_unchanged(
    demo: str, as_zip: bool, tmp_path: Path, media: Path
) -> None:
    first = course_import_path(path=CONTENT / demo)
    before = snapshot()
    target = tmp_path / ("out.zip" if as_zip else "out")

    code, out, err = export(first.course_code, target)

    assert (code, err) == (0, "")
    assert out.startswith(f"course {first.course_code}: ")
    again = course_import_path(path=target)
    assert (again.created, again.updated, again.retired) == ({}, {}, [])
    assert again.lines()[-1] == "  nothing was changed"
    assert all(", 0 changed" in note and " 0 new" in note for note in again.notes)
    assert len(again.notes) == Objective.objects.exclude(bank_file="").count()
    assert snapshot() == before


def test_a_course_built_in_the_studio_goes_out_and_back_in_unchanged(
    tmp_path: Path, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    course = course_create(
        actor=factories.teacher(), code="PHY9", title="Physics 9", threshold=0.75, language="en"
    )
    unit_add(course=course, code="MOT", title="Motion")
    for code, prerequisites in (("MOT-1", ()), ("MOT-2", ("MOT-1",))):
        values = ObjectiveFields(
            "MOT", code, f"Be able to {code}.", Tier.NICE_TO_KNOW, "PHY-9.1", 0.9, 25, prerequisites
        )
        objective_add(course=course, values=values)
    with django_capture_on_commit_callbacks(execute=True):
        part_add(
            course=course,
            objective_code="MOT-1",
            part="learn",
            item=LearningObjectSpec(LearningObjectKind.FILE, "Notes", minutes=5),
            upload=("Motion notes.pdf", b"%PDF-1.4 motion"),
        )
    part_add(
        course=course,
        objective_code="MOT-1",
        part="learn",
        item=LearningObjectSpec(LearningObjectKind.TEXT, "Text", body="Line one\n\nLine *two*: 5 m/s"),
    )
    part_add(
        course=course, objective_code="MOT-2", part="activities", item=ActivitySpec("Ramp lab", "Roll it.")
    )
    part_add(
        course=course,
        objective_code="MOT-2",
        part="enrichment",
        item=EnrichmentSpec("Bonus", url="https://phet.colorado.edu/"),
    )
    factories.bank(Objective.objects.get(code="MOT-2"), size=4)
    spec = course_spec(course)
    before = snapshot()

    assert export("PHY9", tmp_path / "phy9.zip")[0] == 0
    first = course_import_path(path=tmp_path / "phy9.zip")

    # Questions written on the bank pages have no bank file yet: the package names it, and the import
    # records that name. Nothing else changes, and from then on nothing at all.
    assert (first.created, first.updated, first.retired) == ({}, {"objective": 1}, [])
    assert Objective.objects.get(code="MOT-2").bank_file == "banks/mot-2.yaml"
    assert first.notes == ["banks/mot-2.yaml: questions of MOT-2: 0 new, 0 changed, 4 unchanged"]
    assert course_spec(course) == dataclass_bank(spec, "MOT-2", "banks/mot-2.yaml")
    assert snapshot()[1:] == before[1:]

    assert export("PHY9", tmp_path / "again")[0] == 0
    again = course_import_path(path=tmp_path / "again")
    assert (again.created, again.updated, again.retired) == ({}, {}, [])
    assert again.lines()[-1] == "  nothing was changed"
    assert Question.objects.count() == 4
    stored = LearningObject.objects.get(title="Notes").file
    assert stored.read() == b"%PDF-1.4 motion"


def dataclass_bank(spec: Any, code: str, bank: str) -> Any:
    import dataclasses

    return dataclasses.replace(
        spec,
        units=tuple(
            dataclasses.replace(
                u,
                objectives=tuple(
                    dataclasses.replace(o, bank=bank) if o.code == code else o for o in u.objectives
                ),
            )
            for u in spec.units
        ),
    )


def test_an_unknown_course_or_a_full_folder_writes_nothing(tmp_path: Path) -> None:
    assert export("NOPE", tmp_path / "x")[2] == "there is no course NOPE; nothing was written.\n"
    assert not (tmp_path / "x").exists()
    factories.course(code="C1")
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    code, _, err = export("C1", full)
    assert (code, err) == (1, f"{full} exists and is not an empty folder; nothing was written.\n")
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
