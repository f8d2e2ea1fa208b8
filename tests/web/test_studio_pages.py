"""The course studio's pages over HTTP: who may use them, each form's happy path and its refusals."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from flipmastery.courses.models import Activity, Course, LearningObject, Objective, Unit
from flipmastery.courses.packages import Package
from flipmastery.courses.services import course_import
from flipmastery.progress.models import ProgressEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    """The small classroom, with its teacher assigned to the course (who may build it)."""
    classroom["course"].teachers.add(classroom["teacher"])
    return classroom


def objective_data(
    code: str, unit: str = "GAS", prerequisites: tuple[str, ...] = (), **more: str
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": unit,
        "code": code,
        "statement": f"Be able to do {code}.",
        "tier": "essential",
        "threshold": "",
        "estimated_minutes": "",
        "outcome_code": "",
        "check_items": "2",
        "check_written": "0",
        "prerequisites": list(prerequisites),
    }
    data.update(more)
    return data


def state() -> list[Any]:
    return [
        list(Course.objects.order_by("pk").values()),
        list(Unit.objects.order_by("pk").values()),
        list(Objective.objects.order_by("pk").values()),
        sorted(Objective.prerequisites.through.objects.values_list("from_objective_id", "to_objective_id")),
        list(LearningObject.objects.order_by("pk").values()),
        list(Activity.objects.order_by("pk").values()),
    ]


def test_a_teacher_of_the_course_sees_its_studio_pages(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    course, a = room["course"], room["a"]

    home = client.get(reverse("studio"))
    sections = client.get(reverse("sections"))
    page = client.get(reverse("studio_course", args=[course.pk]))
    objective = client.get(reverse("studio_objective", args=[course.pk, a.pk]))

    assert 'id="studio-link"' in sections.content.decode()
    assert f'id="course-{course.pk}"' in home.content.decode()
    text = page.content.decode()
    assert text.index(">GAS-1<") < text.index(">GAS-2<")
    assert reverse("bank", args=[room["b"].pk]) in text
    text = objective.content.decode()
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in text  # the video as a student sees it
    assert "<strong>Pressure</strong> is force per area." in text  # the text section, rendered


def test_the_course_page_costs_the_same_queries_for_a_bigger_course(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    url = reverse("studio_course", args=[room["course"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(5):
        more = factories.objective(room["unit"], prerequisites=[room["a"]])
        factories.learning_object(more)
        factories.activity(more)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big) == len(small)


@pytest.mark.parametrize("who", ["student", "other_teacher", "section_teacher_only"])
def test_a_student_or_a_teacher_not_of_the_course_is_refused_everything(
    room: dict[str, Any], as_user: Callable[[Any], Client], who: str
) -> None:
    person = {
        "student": room["students"][0],
        "other_teacher": factories.teacher(),
        "section_teacher_only": room["other_teacher"],  # teaches a section, was not assigned the course
    }[who]
    client = as_user(person)
    course, a, unit = room["course"], room["a"], room["unit"]
    before = state()
    lo = room["primary"]
    gets = [
        reverse("studio_course", args=[course.pk]),
        reverse("studio_objective", args=[course.pk, a.pk]),
        reverse("studio_objective_new", args=[course.pk]),
        reverse("studio_export", args=[course.pk]),
    ]
    posts = [
        (reverse("studio_course", args=[course.pk]), {"title": "Mine", "threshold": "50", "language": "en"}),
        (reverse("studio_unit_new", args=[course.pk]), {"unit-code": "X", "unit-title": "X"}),
        (reverse("studio_unit_move", args=[course.pk, unit.pk]), {"step": "down"}),
        (reverse("studio_objective", args=[course.pk, a.pk]), objective_data("GAS-1", statement="Mine")),
        (reverse("studio_objective_move", args=[course.pk, a.pk]), {"step": "down"}),
        (reverse("studio_objective_retire", args=[course.pk, room["b"].pk]), {}),
        (reverse("studio_part_new", args=[course.pk, a.pk, "activities"]), {"activities-new-title": "Lab"}),
        (reverse("studio_part_retire", args=[course.pk, a.pk, "learn", lo.pk]), {}),
        (reverse("studio_part_move", args=[course.pk, a.pk, "learn", lo.pk]), {"step": "down"}),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert state() == before
    if who == "student":
        assert client.get(reverse("studio")).status_code == 404
    else:
        assert f'id="course-{course.pk}"' not in client.get(reverse("studio")).content.decode()


def test_a_teacher_makes_a_course_and_builds_it_by_forms(as_user: Callable[[Any], Client], db: None) -> None:
    maker = factories.teacher()
    client = as_user(maker)
    made = client.post(
        reverse("studio"),
        {"new-code": "PHY9", "new-title": "Physics 9", "new-threshold": "80", "new-language": "en"},
    )
    course = Course.objects.get(code="PHY9")
    assert made.url == reverse("studio_course", args=[course.pk])
    assert list(course.teachers.all()) == [maker]

    assert (
        client.post(
            reverse("studio_unit_new", args=[course.pk]), {"unit-code": "MOT", "unit-title": "Motion"}
        ).status_code
        == 302
    )
    new = reverse("studio_objective_new", args=[course.pk])
    assert client.post(new, objective_data("MOT-1", unit="MOT")).status_code == 302
    assert client.post(new, objective_data("MOT-2", unit="MOT", prerequisites=("MOT-1",))).status_code == 302
    first = Objective.objects.get(code="MOT-1")
    added = client.post(
        reverse("studio_part_new", args=[course.pk, first.pk, "learn"]),
        {
            "learn-new-kind": "video",
            "learn-new-title": "Speed",
            "learn-new-url": "https://youtu.be/dQw4w9WgXcQ",
            "learn-new-minutes": "7",
        },
    )
    assert added.status_code == 302
    lo = LearningObject.objects.get(objective=first)
    assert (lo.kind, lo.url, lo.minutes, lo.is_primary) == ("video", "https://youtu.be/dQw4w9WgXcQ", 7, True)
    assert [p.code for p in Objective.objects.get(code="MOT-2").prerequisites.all()] == ["MOT-1"]


def test_a_cycle_is_refused_with_the_importers_message_next_to_the_prerequisites(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    before = state()

    refused = client.post(
        reverse("studio_objective", args=[room["course"].pk, room["a"].pk]),
        objective_data("GAS-1", prerequisites=("GAS-2",)),
    )

    assert refused.status_code == 422
    error = re.search(r'id="prerequisites-error">([^<]*)<', refused.content.decode())
    assert error is not None
    assert error.group(1) == "prerequisites form a cycle: GAS-1 → GAS-2 → GAS-1"
    assert state() == before


def test_an_unknown_code_or_a_bad_link_says_what_and_where(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    course, a = room["course"], room["a"]
    before = state()
    bad_code = client.post(reverse("studio_objective_new", args=[course.pk]), objective_data("GAS 9"))
    bad_link = client.post(
        reverse("studio_part_new", args=[course.pk, a.pk, "learn"]),
        {"learn-new-kind": "link", "learn-new-title": "Sneaky", "learn-new-url": "javascript:alert(1)"},
    )
    assert (bad_code.status_code, bad_link.status_code) == (422, 422)
    assert "code &#x27;GAS 9&#x27; of an objective may use only letters" in bad_code.content.decode()
    assert "url of &#x27;Sneaky&#x27; must start with http:// or https://" in bad_link.content.decode()
    assert state() == before


def test_an_upload_is_stored_and_a_too_large_one_is_refused(
    room: dict[str, Any],
    as_user: Callable[[Any], Client],
    media_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(room["teacher"])
    course, a = room["course"], room["a"]
    url = reverse("studio_part_new", args=[course.pk, a.pk, "learn"])
    with django_capture_on_commit_callbacks(execute=True):
        stored = client.post(
            url,
            {
                "learn-new-kind": "worksheet",
                "learn-new-title": "Sheet",
                "learn-new-upload": SimpleUploadedFile("sheet 1.pdf", b"%PDF sheet"),
            },
        )
    assert stored.status_code == 302
    row = LearningObject.objects.get(title="Sheet")
    assert row.file.name.endswith("/sheet_1.pdf") and row.file.read() == b"%PDF sheet"

    monkeypatch.setattr("flipmastery.web.studio_forms.MAX_UPLOAD_BYTES", 5)
    before = state()
    refused = client.post(
        url,
        {
            "learn-new-kind": "file",
            "learn-new-title": "Big",
            "learn-new-upload": SimpleUploadedFile("big.pdf", b"123456"),
        },
    )
    assert refused.status_code == 422
    assert "The file is larger than 100 MB" in refused.content.decode()
    assert state() == before


def test_reorder_and_take_out_by_buttons(room: dict[str, Any], as_user: Callable[[Any], Client]) -> None:
    client = as_user(room["teacher"])
    course, a, b = room["course"], room["a"], room["b"]
    client.post(reverse("studio_objective_move", args=[course.pk, b.pk]), {"step": "up"})
    assert list(Objective.objects.filter(course=course).order_by("order").values_list("code", flat=True)) == [
        "GAS-2",
        "GAS-1",
    ]

    alternate = room["alternate"]
    client.post(reverse("studio_part_move", args=[course.pk, a.pk, "learn", alternate.pk]), {"step": "up"})
    assert LearningObject.objects.get(objective=a, is_primary=True).pk == alternate.pk

    client.post(reverse("studio_part_retire", args=[course.pk, a.pk, "learn", room["primary"].pk]))
    assert LearningObject.objects.get(pk=room["primary"].pk).retired is True

    refused = client.post(reverse("studio_objective_retire", args=[course.pk, a.pk]))
    assert refused.status_code == 422 and "GAS-1 is a prerequisite of GAS-2" in refused.content.decode()
    client.post(reverse("studio_objective_retire", args=[course.pk, b.pk]))
    assert Objective.objects.get(pk=b.pk).retired is True


def test_the_download_is_a_package_that_imports_with_no_change(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    # The factories' rows are not numbered as an import numbers them: one save through the studio does.
    client.post(reverse("studio_objective_move", args=[room["course"].pk, room["a"].pk]), {"step": "up"})
    before = state()
    response = client.get(reverse("studio_export", args=[room["course"].pk]))
    assert response["Content-Disposition"] == 'attachment; filename="CHEM.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    report = course_import(package=Package(name="CHEM.zip", files=files))
    assert (report.created, report.updated, report.retired) == ({}, {}, [])
    assert state() == before


def test_a_taken_out_objective_is_listed_and_brought_back_with_its_history(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    course, b = room["course"], room["b"]
    factories.mastered(room["section"], room["students"][0], b)
    client.post(reverse("studio_objective_retire", args=[course.pk, b.pk]))
    page = client.get(reverse("studio_course", args=[course.pk])).content.decode()
    assert f'id="retired-{b.pk}"' in page and f'id="objective-{b.pk}"' not in page

    back = client.post(reverse("studio_objective_restore", args=[course.pk, b.pk]))

    assert back.status_code == 302
    b.refresh_from_db()
    assert b.retired is False
    assert [p.code for p in b.prerequisites.all()] == ["GAS-1"]
    assert ProgressEvent.objects.filter(objective=b).count() == 1
    assert LearningObject.objects.filter(objective=b, retired=False).count() == 1


def test_a_threshold_left_as_shown_keeps_its_exact_value(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    course = room["course"]
    Course.objects.filter(pk=course.pk).update(threshold=0.333)
    client = as_user(room["teacher"])
    page = client.get(reverse("studio_course", args=[course.pk])).content.decode()
    assert 'name="threshold" value="33"' in page
    client.post(
        reverse("studio_course", args=[course.pk]),
        {"title": "Chemistry 11", "threshold": "33", "language": "en", "description": ""},
    )
    course.refresh_from_db()
    assert (course.title, course.threshold) == ("Chemistry 11", 0.333)


def test_a_file_is_previewed_for_the_courses_teachers_only(
    room: dict[str, Any],
    as_user: Callable[[Any], Client],
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    course, a = room["course"], room["a"]
    maker = factories.teacher()
    course.teachers.add(maker)  # builds the course, teaches no section of it
    client = as_user(maker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("studio_part_new", args=[course.pk, a.pk, "learn"]),
            {
                "learn-new-kind": "file",
                "learn-new-title": "Notes",
                "learn-new-upload": SimpleUploadedFile("n.pdf", b"%PDF n"),
            },
        )
    row = LearningObject.objects.get(title="Notes")
    url = reverse("studio_file", args=[course.pk, row.pk])
    assert url in client.get(reverse("studio_objective", args=[course.pk, a.pk])).content.decode()
    assert b"".join(client.get(url).streaming_content) == b"%PDF n"
    client.force_login(room["students"][0])
    assert client.get(url).status_code == 404


def test_an_export_with_a_file_gone_from_the_server_says_which(
    room: dict[str, Any], as_user: Callable[[Any], Client], media_root: Path
) -> None:
    LearningObject.objects.filter(pk=room["primary"].pk).update(file="learning-objects/abc/gone.pdf")
    response = as_user(room["teacher"]).get(reverse("studio_export", args=[room["course"].pk]))
    assert response.status_code == 422
    assert (
        "the file of &#x27;Video 1&#x27; is missing from this server (learning-objects/abc/gone.pdf)"
        in response.content.decode()
    )


def test_a_file_can_be_taken_away_from_a_learning_object(
    room: dict[str, Any], as_user: Callable[[Any], Client], media_root: Path
) -> None:
    client = as_user(room["teacher"])
    course, a, primary = room["course"], room["a"], room["primary"]
    LearningObject.objects.filter(pk=primary.pk).update(file="learning-objects/abc/old.pdf")
    prefix = f"learn-{primary.pk}"
    fields = {f"{prefix}-kind": "video", f"{prefix}-title": "Video 1", f"{prefix}-url": primary.url}
    url = reverse("studio_part_edit", args=[course.pk, a.pk, "learn", primary.pk])

    client.post(url, {**fields, f"{prefix}-minutes": "4"})
    primary.refresh_from_db()
    assert (primary.file.name, primary.minutes) == ("learning-objects/abc/old.pdf", 4)

    client.post(url, {**fields, f"{prefix}-remove_file": "on"})
    primary.refresh_from_db()
    assert primary.file.name == "" and primary.retired is False


def test_the_objective_page_costs_the_same_queries_with_more_to_show(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    url = reverse("studio_objective", args=[room["course"].pk, room["a"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(4):
        factories.learning_object(room["a"], kind="link", url=f"https://example.org/{n}")
        factories.activity(room["a"])
        factories.objective(room["unit"])
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big) == len(small)


def test_a_new_objectives_unit_from_the_address_is_only_a_suggestion(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    new = reverse("studio_objective_new", args=[room["course"].pk])
    assert client.get(new + "?unit=abc").status_code == 200
    assert client.get(new + f"?unit={room['unit'].pk}").status_code == 200
    assert client.get(new + "?unit=999999").status_code == 200


def test_units_are_renamed_and_moved_and_a_taken_code_is_refused(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    course, gas = room["course"], room["unit"]
    client.post(reverse("studio_unit_new", args=[course.pk]), {"unit-code": "SOL", "unit-title": "Solutions"})
    sol = Unit.objects.get(course=course, code="SOL")

    client.post(reverse("studio_unit_move", args=[course.pk, sol.pk]), {"step": "up"})
    assert list(Unit.objects.filter(course=course).order_by("order").values_list("code", flat=True)) == [
        "SOL",
        "GAS",
    ]

    renamed = client.post(
        reverse("studio_unit_edit", args=[course.pk, gas.pk]),
        {f"u{gas.pk}-code": "GASES", f"u{gas.pk}-title": "Gases"},
    )
    assert renamed.status_code == 302
    gas.refresh_from_db()
    assert (gas.code, gas.title, gas.objectives.count()) == ("GASES", "Gases", 2)

    before = state()
    taken = client.post(
        reverse("studio_unit_edit", args=[course.pk, sol.pk]),
        {f"u{sol.pk}-code": "GASES", f"u{sol.pk}-title": "x"},
    )
    assert taken.status_code == 422
    assert "unit code GASES is used twice" in taken.content.decode()
    assert state() == before


def test_a_school_admin_builds_any_course_and_copies_it_by_the_form(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    admin = factories.user(role="admin")
    client = as_user(admin)
    course = room["course"]
    assert client.get(reverse("studio_course", args=[course.pk])).status_code == 200

    copied = client.post(
        reverse("studio"), {"copy-source": str(course.pk), "copy-code": "CHEM-B", "copy-title": "Chemistry B"}
    )
    copy = Course.objects.get(code="CHEM-B")
    assert copied.url == reverse("studio_course", args=[copy.pk])
    assert list(Objective.objects.filter(course=copy).order_by("order").values_list("code", flat=True)) == [
        "GAS-1",
        "GAS-2",
    ]
    refused = client.post(
        reverse("studio"), {"copy-source": str(course.pk), "copy-code": "CHEM-B", "copy-title": "Again"}
    )
    assert refused.status_code == 422
    assert "a course with code CHEM-B exists already; choose another code" in refused.content.decode()


def test_activities_and_enrichment_are_edited_in_place(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    client = as_user(room["teacher"])
    course, b, lab = room["course"], room["b"], room["lab"]
    client.post(
        reverse("studio_part_edit", args=[course.pk, b.pk, "activities", lab.pk]),
        {
            f"activities-{lab.pk}-title": "Boyle's law lab (syringe)",
            f"activities-{lab.pk}-description": "Pairs.",
        },
    )
    lab.refresh_from_db()
    assert (lab.title, lab.description, lab.retired) == ("Boyle's law lab (syringe)", "Pairs.", False)

    added = client.post(
        reverse("studio_part_new", args=[course.pk, b.pk, "enrichment"]),
        {"enrichment-new-title": "Scuba", "enrichment-new-url": "ftp://example.org"},
    )
    assert added.status_code == 422
    assert "url of an enrichment task must start with http:// or https://" in added.content.decode()
    assert client.get(reverse("studio_objective", args=[course.pk, b.pk])).status_code == 200
    assert client.post(reverse("studio_part_new", args=[course.pk, b.pk, "nonsense"]), {}).status_code == 404


def test_the_bank_is_linked_only_for_whoever_its_pages_let_in(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    course, a = room["course"], room["a"]
    bank = reverse("bank", args=[a.pk])
    teaching = as_user(room["teacher"])  # teaches a section of the course: the bank pages let her in
    assert bank in teaching.get(reverse("studio_objective", args=[course.pk, a.pk])).content.decode()
    assert teaching.get(bank).status_code == 200

    builder = factories.teacher()  # assigned to the course, no section yet: she builds its banks too
    course.teachers.add(builder)
    client = as_user(builder)
    assert bank in client.get(reverse("studio_objective", args=[course.pk, a.pk])).content.decode()
    assert bank in client.get(reverse("studio_course", args=[course.pk])).content.decode()
    assert client.get(bank).status_code == 200


def test_the_size_of_an_objectives_check_is_set_by_the_form_and_travels_in_the_package(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    course, a = room["course"], room["a"]
    client = as_user(room["teacher"])
    url = reverse("studio_objective", args=[course.pk, a.pk])
    assert 'name="check_items" value="2"' in client.get(url).content.decode()

    saved = client.post(url, objective_data("GAS-1", check_items="5", check_written="1"))
    assert saved.status_code in (200, 302), saved.content
    a.refresh_from_db()
    assert (a.check_items, a.check_written) == (5, 1)
    package = client.get(reverse("studio_export", args=[course.pk])).content
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        text = next(z.read(n).decode() for n in z.namelist() if n.endswith("course.yaml"))
    assert re.search(r"check:\s*\n\s*items: 5\s*\n\s*written: 1", text), text

    refused = client.post(url, objective_data("GAS-1", check_items="0"))
    assert refused.status_code == 422 or "aria-invalid" in refused.content.decode()
    a.refresh_from_db()
    assert a.check_items == 5


def test_a_worksheets_answers_are_written_in_the_studio_and_travel_in_the_package(
    room: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    course, a = room["course"], room["a"]
    client = as_user(room["teacher"])
    added = client.post(
        reverse("studio_part_new", args=[course.pk, a.pk, "learn"]),
        {
            "learn-new-kind": "worksheet",
            "learn-new-title": "Pressure sheet",
            "learn-new-body": "1. What is 2 N on 1 m²?",
            "learn-new-answers": "1. **2 Pa**, since $P = F/A$",
        },
    )
    assert added.status_code in (200, 302), added.content.decode()[:500]
    sheet = LearningObject.objects.get(objective=a, title="Pressure sheet")
    assert sheet.answers == "1. **2 Pa**, since $P = F/A$"
    package = client.get(reverse("studio_export", args=[course.pk])).content
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    text = next(data.decode() for name, data in files.items() if name.endswith("course.yaml"))
    assert "answers: 1. **2 Pa**, since $P = F/A$" in text
    before = state()
    report = course_import(package=Package(name="CHEM.zip", files=files))
    assert (report.updated, report.retired) == ({}, []) and state() == before  # the round trip holds

    student = as_user(room["students"][0])
    page = student.get(f"/sections/{room['section'].pk}/learn/{sheet.pk}/").content.decode()
    assert "Show answers" in page and "2 Pa" in page  # the section's default: when the student asks
