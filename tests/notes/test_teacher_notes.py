"""The section's teachers read a student's guided notes from the queue and the grid's cell; they build the
template in the studio; anyone else gets a 404 and changes nothing."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from flipmastery.notes.models import NotesEntry, NotesTemplate
from flipmastery.progress.services import request_create
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def fill(room: dict[str, Any], client: Any) -> None:
    url = reverse("notes_part_save", args=[room["section"].pk, room["primary"].pk, "1"])
    client.post(url, {"text": "Force per area"}, **HTMX)
    url = reverse("notes_part_save", args=[room["section"].pk, room["primary"].pk, "3"])
    client.post(url, {"l1": "mercury", "l2": "gas"}, **HTMX)


def notes_url(room: dict[str, Any], student: Any = None) -> str:
    who = student or room["students"][0]
    return reverse("notes_student", args=[room["section"].pk, who.pk, room["a"].pk])


def test_the_queue_row_links_to_the_notes_with_how_much_is_filled(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha = classroom["students"][0]
    fill(classroom, as_user(asha))
    request_create(
        section=classroom["section"],
        student=asha,
        kind="help",
        objective=classroom["a"],
        note="",
        now=timezone.now(),
    )
    page = (
        as_user(classroom["teacher"]).get(reverse("queue", args=[classroom["section"].pk])).content.decode()
    )
    assert "Guided notes (3/6 filled)" in page
    assert f'href="{notes_url(classroom)}"' in page


def test_the_cell_panel_links_to_the_notes(as_user: Any, classroom: dict[str, Any]) -> None:
    asha = classroom["students"][0]
    fill(classroom, as_user(asha))
    url = reverse("cockpit_cell", args=[classroom["section"].pk, asha.pk, classroom["a"].pk])
    page = as_user(classroom["teacher"]).get(url).content.decode()
    assert "Guided notes (3/6 filled)" in page and notes_url(classroom) in page
    other = reverse("cockpit_cell", args=[classroom["section"].pk, asha.pk, classroom["b"].pk])
    assert "Guided notes" not in as_user(classroom["teacher"]).get(other).content.decode()


def test_the_teacher_reads_the_notes_and_may_print_them(as_user: Any, classroom: dict[str, Any]) -> None:
    fill(classroom, as_user(classroom["students"][0]))
    page = as_user(classroom["teacher"]).get(notes_url(classroom))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Force per area" in text and "mercury" in text and "pascal" in text
    assert "3/6 filled" in text and "flipmastery-notes.css" in text
    assert 'name="text"' not in text  # read-only: no boxes to type in


def test_the_student_reads_their_own(as_user: Any, classroom: dict[str, Any]) -> None:
    asha = classroom["students"][0]
    fill(classroom, as_user(asha))
    assert "Force per area" in as_user(asha).get(notes_url(classroom)).content.decode()


def test_others_get_404(as_user: Any, classroom: dict[str, Any]) -> None:
    fill(classroom, as_user(classroom["students"][0]))
    for person in (classroom["students"][1], classroom["outsider"], classroom["other_teacher"]):
        assert as_user(person).get(notes_url(classroom)).status_code == 404
    # a student of another section, asked through the teacher's own section, is not found either
    assert as_user(classroom["teacher"]).get(notes_url(classroom, classroom["outsider"])).status_code == 404


def test_a_blank_copy_prints_for_the_section(as_user: Any, classroom: dict[str, Any]) -> None:
    url = reverse("notes_blank", args=[classroom["section"].pk, classroom["primary"].pk])
    for person in (classroom["teacher"], classroom["students"][1]):
        page = as_user(person).get(url).content.decode()
        assert "What is pressure?" in page and "Name:" in page and "notes-lines" in page
    assert as_user(classroom["outsider"]).get(url).status_code == 404


def test_the_learning_object_row_in_the_studio_links_to_the_editor(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    classroom["course"].teachers.add(classroom["teacher"])
    url = reverse("studio_objective", args=[classroom["course"].pk, classroom["a"].pk])
    page = as_user(classroom["teacher"]).get(url).content.decode()
    assert reverse("notes_editor", args=[classroom["course"].pk, classroom["primary"].pk]) in page


def editor_url(room: dict[str, Any], lo: Any = None) -> str:
    return reverse("notes_editor", args=[room["course"].pk, (lo or room["alternate"]).pk])


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return SimpleUploadedFile("apparatus.png", out.getvalue(), content_type="image/png")


def test_a_teacher_builds_a_template_by_form(
    as_user: Any, classroom: dict[str, Any], media_root: Any
) -> None:
    classroom["course"].teachers.add(classroom["teacher"])
    client = as_user(classroom["teacher"])
    page = client.post(editor_url(classroom), {"count": "0", "action": "add-table"}).content.decode()
    assert (
        'name="part-1-columns"' in page
        and not NotesTemplate.objects.filter(learning_object=classroom["alternate"]).exists()
    )
    answer = client.post(
        editor_url(classroom),
        {
            "count": "3",
            "action": "save",
            "part-1-kind": "prompt",
            "part-1-question": "Why does a balloon shrink in the cold?",
            "part-2-kind": "table",
            "part-2-columns": "Gas\nMolar mass (g/mol)",
            "part-2-rows": "2",
            "part-2-r1c1": "O2",
            "part-3-kind": "diagram",
            "part-3-labels": "10 20\n80 70",
            "part-3-upload": png(),
        },
    )
    assert answer.status_code == 302
    saved = NotesTemplate.objects.get(learning_object=classroom["alternate"])
    parts = saved.parts["parts"]
    assert [p["kind"] for p in parts] == ["prompt", "table", "diagram"]
    assert parts[1]["given"] == {"r1c1": "O2"} and parts[1]["columns"] == ["Gas", "Molar mass (g/mol)"]
    assert parts[2]["image"].startswith("guided-notes/") and parts[2]["labels"][1] == {"x": 80.0, "y": 70.0}
    image = reverse("notes_image", args=[saved.pk, parts[2]["id"]])
    assert client.get(image).status_code == 200
    assert as_user(classroom["students"][0]).get(image).status_code == 200
    assert as_user(factories.student()).get(image).status_code == 404


def test_a_refused_template_says_where_and_keeps_what_was_typed(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    classroom["course"].teachers.add(classroom["teacher"])
    before = NotesTemplate.objects.get(learning_object=classroom["primary"]).parts
    answer = as_user(classroom["teacher"]).post(
        editor_url(classroom, classroom["primary"]),
        {
            "count": "2",
            "action": "save",
            "part-1-kind": "prompt",
            "part-1-question": "<b>kept</b>",
            "part-2-kind": "diagram",
            "part-2-labels": "10 200",
            "part-2-image": "learning-objects/2026/someone-elses.pdf",
        },
    )
    text = answer.content.decode()
    assert answer.status_code == 422
    assert "Part 2 (diagram): label 1 needs two numbers 0-100" in text
    assert "&lt;b&gt;kept&lt;/b&gt;</textarea>" in text
    assert NotesTemplate.objects.get(learning_object=classroom["primary"]).parts == before


def test_a_diagram_cannot_point_at_another_file(as_user: Any, classroom: dict[str, Any]) -> None:
    classroom["course"].teachers.add(classroom["teacher"])
    answer = as_user(classroom["teacher"]).post(
        editor_url(classroom),
        {
            "count": "1",
            "action": "save",
            "part-1-kind": "diagram",
            "part-1-labels": "1 1",
            "part-1-image": "learning-objects/2026/secret.pdf",
        },
    )
    assert answer.status_code == 422 and "is not an image of these notes" in answer.content.decode()
    assert not NotesTemplate.objects.filter(learning_object=classroom["alternate"]).exists()


def test_only_the_courses_studio_teachers_edit(as_user: Any, classroom: dict[str, Any]) -> None:
    for person in (classroom["students"][0], classroom["other_teacher"]):
        client = as_user(person)
        assert client.get(editor_url(classroom)).status_code == 404
        answer = client.post(
            editor_url(classroom),
            {"count": "1", "action": "save", "part-1-kind": "prompt", "part-1-question": "hi"},
        )
        assert answer.status_code == 404
    assert not NotesTemplate.objects.filter(learning_object=classroom["alternate"]).exists()


def test_removing_the_template_takes_the_notes_too(as_user: Any, classroom: dict[str, Any]) -> None:
    classroom["course"].teachers.add(classroom["teacher"])
    fill(classroom, as_user(classroom["students"][0]))
    answer = as_user(classroom["teacher"]).post(
        editor_url(classroom, classroom["primary"]), {"action": "remove"}
    )
    assert answer.status_code == 302
    assert not NotesTemplate.objects.exists() and not NotesEntry.objects.exists()


def test_an_upload_that_is_not_an_image_is_refused(
    as_user: Any, classroom: dict[str, Any], media_root: Any
) -> None:
    classroom["course"].teachers.add(classroom["teacher"])
    fake = SimpleUploadedFile("diagram.png", b"<svg onload=alert(1)>", content_type="image/png")
    answer = as_user(classroom["teacher"]).post(
        editor_url(classroom),
        {
            "count": "1",
            "action": "save",
            "part-1-kind": "diagram",
            "part-1-labels": "5 5",
            "part-1-upload": fake,
        },
    )
    assert answer.status_code == 422
    assert "Part 1 (diagram): &#x27;diagram.png&#x27; is not an image" in answer.content.decode()
    assert not NotesTemplate.objects.filter(learning_object=classroom["alternate"]).exists()
    assert not list(media_root.rglob("*.png"))
