"""The course studio's edits: checked as a package import checks, stored as it stores, never deleting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from flipmastery.courses.models import Activity, Course, LearningObject, Objective, Unit
from flipmastery.courses.studio import StudioInvalid, course_spec, upload_name
from flipmastery.courses.studio_edits import (
    ObjectiveFields,
    course_copy,
    course_create,
    objective_add,
    objective_move,
    objective_retire,
    objective_save,
    part_add,
    part_move,
    part_retire,
    part_save,
    unit_add,
)
from flipmastery.domain.course import (
    ActivitySpec,
    Graph,
    LearningObjectKind,
    LearningObjectSpec,
    PrerequisiteEdge,
    Tier,
    graph_problems,
)
from flipmastery.domain.errors import NotFound
from flipmastery.progress.models import ProgressEvent
from flipmastery.questions.models import Question
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fields(code: str, unit: str = "GAS", prerequisites: tuple[str, ...] = (), **more: Any) -> ObjectiveFields:
    values: dict[str, Any] = {
        "unit": unit,
        "code": code,
        "statement": f"Be able to do {code}.",
        "tier": Tier.ESSENTIAL,
        "outcome_code": "",
        "threshold": None,
        "estimated_minutes": None,
        "prerequisites": prerequisites,
    }
    values.update(more)
    return ObjectiveFields(**values)


def built() -> tuple[Course, Any]:
    maker = factories.teacher(username="maker")
    course = course_create(
        actor=maker, code="CHEM11", title="Class 11 Chemistry", threshold=0.8, language="en"
    )
    unit_add(course=course, code="GAS", title="Gas Laws")
    objective_add(course=course, values=fields("GAS-1"))
    objective_add(course=course, values=fields("GAS-2", prerequisites=("GAS-1",)))
    return course, maker


def test_a_new_course_is_taught_by_its_maker_and_its_code_is_its_own() -> None:
    course, maker = built()
    assert list(course.teachers.all()) == [maker]
    assert [o.code for o in Objective.objects.filter(course=course).order_by("order")] == ["GAS-1", "GAS-2"]
    assert [p.code for p in Objective.objects.get(code="GAS-2").prerequisites.all()] == ["GAS-1"]

    with pytest.raises(StudioInvalid) as refused:
        course_create(actor=maker, code="CHEM11", title="Another", threshold=0.8, language="en")
    assert refused.value.fields == {"code": ["a course with code CHEM11 exists already; choose another code"]}
    assert Course.objects.count() == 1


def test_a_cycle_is_refused_with_the_importers_words_next_to_the_prerequisites() -> None:
    course, _ = built()
    graph = Graph(
        {"GAS-1", "GAS-2"}, [PrerequisiteEdge("GAS-2", "GAS-1"), PrerequisiteEdge("GAS-1", "GAS-2")]
    )
    importers_words = graph_problems(graph)[0].message

    with pytest.raises(StudioInvalid) as refused:
        objective_save(course=course, code="GAS-1", values=fields("GAS-1", prerequisites=("GAS-2",)))

    assert refused.value.fields == {"prerequisites": [importers_words]}
    assert importers_words == "prerequisites form a cycle: GAS-1 → GAS-2 → GAS-1"
    assert list(Objective.objects.get(code="GAS-1").prerequisites.all()) == []


def test_bad_values_are_refused_with_the_readers_words_next_to_their_field() -> None:
    course, _ = built()
    with pytest.raises(StudioInvalid) as refused:
        objective_add(course=course, values=fields("GAS 3!"))
    assert refused.value.fields == {
        "code": ["code 'GAS 3!' of an objective may use only letters, digits, '-', '_' and '.' (at most 40)"]
    }
    with pytest.raises(StudioInvalid) as refused:
        part_add(
            course=course,
            objective_code="GAS-1",
            part="learn",
            item=LearningObjectSpec(LearningObjectKind.VIDEO, "Video 1", url="javascript:alert(1)"),
        )
    assert refused.value.fields == {"url": ["url of 'Video 1' must start with http:// or https://"]}
    assert not LearningObject.objects.exists()
    assert Objective.objects.count() == 2


def test_renaming_an_objective_keeps_its_row_and_history_and_its_dependents_follow() -> None:
    course, _ = built()
    first = Objective.objects.get(code="GAS-1")
    section = factories.section(course)
    learner = factories.student()
    factories.mastered(section, learner, first)

    objective_save(course=course, code="GAS-1", values=fields("GAS-1a", statement="Explain pressure."))

    first.refresh_from_db()
    assert (first.code, first.statement, first.retired) == ("GAS-1a", "Explain pressure.", False)
    assert ProgressEvent.objects.get().objective_id == first.pk
    assert [p.code for p in Objective.objects.get(code="GAS-2").prerequisites.all()] == ["GAS-1a"]


def test_retiring_hides_and_keeps_and_a_prerequisite_cannot_be_retired() -> None:
    course, _ = built()
    with pytest.raises(StudioInvalid) as refused:
        objective_retire(course=course, code="GAS-1")
    assert "GAS-1 is a prerequisite of GAS-2" in refused.value.fields[""][0]

    objective_retire(course=course, code="GAS-2")
    assert Objective.objects.get(code="GAS-2").retired is True
    assert [o.code for o in course_spec(course).objectives] == ["GAS-1"]

    # Adding it again brings back the same row, history and all.
    objective_add(course=course, values=fields("GAS-2"))
    assert Objective.objects.filter(code="GAS-2").count() == 1
    assert Objective.objects.get(code="GAS-2").retired is False


def test_learning_objects_reorder_rename_and_retire_by_title_as_an_import_matches_them() -> None:
    course, _ = built()
    video = LearningObjectSpec(
        LearningObjectKind.VIDEO, "Video 1", url="https://youtu.be/dQw4w9WgXcQ", minutes=9
    )
    text = LearningObjectSpec(LearningObjectKind.TEXT, "Text 1", body="**Pressure** is force per area.")
    part_add(course=course, objective_code="GAS-1", part="learn", item=video)
    part_add(course=course, objective_code="GAS-1", part="learn", item=text)
    rows = {lo.title: lo for lo in LearningObject.objects.all()}
    assert (rows["Video 1"].is_primary, rows["Text 1"].is_primary) == (True, False)

    part_move(course=course, objective_code="GAS-1", part="learn", title="Text 1", step=-1)
    primary = LearningObject.objects.get(is_primary=True)
    assert primary.pk == rows["Text 1"].pk

    renamed = LearningObjectSpec(LearningObjectKind.VIDEO, "Boyle video", url="https://youtu.be/dQw4w9WgXcQ")
    part_save(course=course, objective_code="GAS-1", part="learn", title="Video 1", item=renamed)
    assert LearningObject.objects.get(pk=rows["Video 1"].pk).title == "Boyle video"

    part_retire(course=course, objective_code="GAS-1", part="learn", title="Boyle video")
    assert LearningObject.objects.get(pk=rows["Video 1"].pk).retired is True
    assert LearningObject.objects.count() == 2

    with pytest.raises(StudioInvalid) as refused:
        part_add(course=course, objective_code="GAS-1", part="learn", item=dataclass_copy(text))
    assert refused.value.fields == {"title": ["GAS-1 already has 'TEXT 1'; give this one another title"]}


def dataclass_copy(spec: LearningObjectSpec) -> LearningObjectSpec:
    return LearningObjectSpec(spec.kind, spec.title.upper(), body="other")


def test_objectives_move_within_their_unit() -> None:
    course, _ = built()
    objective_move(course=course, code="GAS-2", step=-1)
    assert [o.code for o in course_spec(course).objectives] == ["GAS-2", "GAS-1"]
    objective_move(course=course, code="GAS-2", step=-1)  # at the top already: nothing moves
    assert [o.code for o in course_spec(course).objectives] == ["GAS-2", "GAS-1"]


def test_an_uploaded_file_is_stored_under_a_safe_name(
    media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    course, _ = built()
    item = LearningObjectSpec(LearningObjectKind.FILE, "Notes")
    with django_capture_on_commit_callbacks(execute=True):
        part_add(
            course=course,
            objective_code="GAS-1",
            part="learn",
            item=item,
            upload=("../../etc/pass wd<>.PDF", b"%PDF-1.4 notes"),
        )
    stored = LearningObject.objects.get().file.name
    assert stored.startswith("learning-objects/") and stored.endswith("/pass_wd.pdf")
    assert default_storage.open(stored).read() == b"%PDF-1.4 notes"
    assert upload_name("..") == "file"


def test_a_copy_has_everything_and_shares_no_row(
    media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    course, _ = built()
    part_add(course=course, objective_code="GAS-2", part="activities", item=ActivitySpec("Boyle's Law Lab"))
    factories.bank(Objective.objects.get(code="GAS-1"), size=3)
    with django_capture_on_commit_callbacks(execute=True):
        part_add(
            course=course,
            objective_code="GAS-1",
            part="learn",
            item=LearningObjectSpec(LearningObjectKind.FILE, "Notes"),
            upload=("notes.pdf", b"%PDF notes"),
        )
    other = factories.teacher()

    copy = course_copy(actor=other, source=course, code="CHEM11-B", title="Chemistry (copy)")

    assert list(copy.teachers.all()) == [other]
    assert [o.code for o in course_spec(copy).objectives] == ["GAS-1", "GAS-2"]
    assert Activity.objects.filter(objective__course=copy).count() == 1
    assert Question.objects.filter(objective__course=copy).count() == 3
    original = LearningObject.objects.get(objective__course=course)
    copied = LearningObject.objects.get(objective__course=copy)
    assert copied.pk != original.pk and copied.file.name == original.file.name
    assert Unit.objects.filter(course=course).count() == 1


def test_a_missing_objective_is_not_found() -> None:
    course, _ = built()
    with pytest.raises(NotFound):
        objective_move(course=course, code="NOPE", step=1)


def test_saving_an_imported_course_unchanged_changes_nothing(media: Path) -> None:
    from flipmastery.courses.services import course_import_path
    from flipmastery.demo.services import CONTENT

    course_import_path(path=CONTENT / "gas-laws")
    course = Course.objects.get()
    before = [list(m.objects.order_by("pk").values()) for m in (Objective, LearningObject, Activity, Unit)]
    for o in course_spec(course).objectives:
        row = Objective.objects.get(code=o.code)
        values = ObjectiveFields(
            row.unit.code,
            o.code,
            o.statement,
            o.tier,
            o.outcome_code,
            o.threshold,
            o.estimated_minutes,
            o.prerequisites,
        )
        saved = objective_save(course=course, code=o.code, values=values)
        assert (saved.report.created, saved.report.updated, saved.report.retired) == ({}, {}, [])
    after = [list(m.objects.order_by("pk").values()) for m in (Objective, LearningObject, Activity, Unit)]
    assert after == before


def test_a_code_used_twice_is_said_without_a_line_of_a_file_nobody_saw() -> None:
    course, _ = built()
    with pytest.raises(StudioInvalid) as refused:
        objective_save(course=course, code="GAS-2", values=fields("GAS-1"))
    assert refused.value.fields == {"code": ["objective code GAS-1 is used twice"]}
