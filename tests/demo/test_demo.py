"""The demo classroom is real: both courses, the logins of DESIGN §6, and students with history."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import authenticate

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.demo.datadir import MARKER, prepare_demo_environment
from flipmastery.demo.services import demo_load
from flipmastery.domain.mastery import State
from flipmastery.progress.selectors import student_playlist


@pytest.mark.django_db
def test_demo_has_both_sections_the_logins_and_history() -> None:
    demo_load()
    chem = Section.objects.get(name="Chemistry 11-A")
    maths = Section.objects.get(name="Maths 7-B")
    assert chem.course.code == "CHEM11" and maths.course.code == "MATH7"
    assert (
        [t.username for t in chem.teachers.all()] == ["teacher"] == [t.username for t in maths.teachers.all()]
    )
    assert chem.enrollments.count() == 30 and maths.enrollments.count() == 30
    assert authenticate(username="teacher", password="teacher") is not None
    assert authenticate(username="chem01", password="student") is not None
    assert authenticate(username="math30", password="student") is not None

    gas = list(Objective.objects.filter(course__code="CHEM11").order_by("order"))
    assert [o.code for o in gas] == [f"GAS-{n}" for n in range(1, 8)]
    assert {o.code for o in gas if o.tier == "nice_to_know"} == {"GAS-5", "GAS-7"}
    for objective in gas:
        kinds = [lo.kind for lo in objective.learning_objects.order_by("order")]
        assert kinds[:3] in (["video", "worksheet", "text"],), objective.code
    assert [a.title for a in Objective.objects.get(code="GAS-6").activities.all()] == [
        "Gas-Stoichiometry Lab"
    ]
    assert any("परिमेय" in o.statement for o in Objective.objects.filter(course__code="MATH7"))

    states = [
        {o.code: o.state for o in student_playlist(section=chem, student=s.student).objectives}
        for s in chem.enrollments.select_related("student")
    ]
    assert any(st["GAS-1"] is State.MASTERED for st in states)
    assert any(State.NOT_YET in st.values() for st in states)
    assert any(st["GAS-1"] is State.READY and st["GAS-2"] is State.LOCKED for st in states)


def test_demo_refuses_to_wipe_a_folder_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "school-data"
    precious.mkdir()
    (precious / "flipmastery.sqlite3").write_text("real data")
    monkeypatch.setenv("FLIPMASTERY_DATA_DIR", str(precious))
    monkeypatch.setenv("FLIPMASTERY_DATABASE_URL", "restored-after-the-test")
    with pytest.raises(SystemExit) as exit_:
        prepare_demo_environment([])
    assert exit_.value.code == 2
    assert (precious / "flipmastery.sqlite3").read_text() == "real data"


def test_demo_starts_afresh_in_its_own_folder_unless_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    monkeypatch.setenv("FLIPMASTERY_DATA_DIR", str(tmp_path / "ignored"))
    monkeypatch.setenv("FLIPMASTERY_DATABASE_URL", "restored-after-the-test")
    prepare_demo_environment(["--data-dir", str(folder)])
    (folder / "flipmastery.sqlite3").write_text("old demo")
    prepare_demo_environment(["--data-dir", str(folder), "--keep"])
    assert (folder / "flipmastery.sqlite3").exists()
    prepare_demo_environment(["--data-dir", str(folder)])
    assert not (folder / "flipmastery.sqlite3").exists() and (folder / MARKER).exists()


def test_the_demo_class_has_a_failed_check_with_a_waiting_conference_and_a_help_request(db: None) -> None:
    from django.utils import timezone

    from flipmastery.classroom.models import Section
    from flipmastery.demo.services import demo_load
    from flipmastery.progress.models import QueueEntry
    from flipmastery.progress.standings import class_progress

    demo_load()
    chemistry = Section.objects.get(name="Chemistry 11-A")
    kinds = set(QueueEntry.objects.filter(section=chemistry).values_list("kind", flat=True))
    assert kinds == {"conference", "help"}
    _, rows = class_progress(chemistry, timezone.now())
    states = {s.state.value for row in rows for s in row.states.values()}
    assert {"MASTERED", "LEARNING", "NOT_YET", "READY", "LOCKED"} <= states
