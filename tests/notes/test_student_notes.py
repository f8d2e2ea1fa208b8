"""A student fills guided notes beside the video: each part autosaves, only into their own notes."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from flipmastery.notes.models import NotesEntry
from flipmastery.notes.services import notes_template_remove, notes_template_save

HTMX = {"HTTP_HX_REQUEST": "true"}


def lo_url(room: dict[str, Any]) -> str:
    return reverse("learning_object", args=[room["section"].pk, room["primary"].pk])


def save_url(room: dict[str, Any], part: str, section: Any = None) -> str:
    return reverse("notes_part_save", args=[(section or room["section"]).pk, room["primary"].pk, part])


def test_the_page_shows_the_notes_beside_the_video(as_user: Any, classroom: dict[str, Any]) -> None:
    page = as_user(classroom["students"][0]).get(lo_url(classroom)).content.decode()
    assert 'class="lo-layout has-notes"' in page
    assert "What is pressure?" in page
    assert 'name="r1c2"' in page and 'name="r1c1"' not in page  # r1c1 is given: "pascal"
    assert "pascal" in page
    assert 'name="l1"' in page and 'name="l2"' in page
    assert "0/6 filled" in page


def test_a_part_saves_and_comes_back_after_a_reload(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["students"][0])
    answer = client.post(save_url(classroom, "1"), {"text": "Force per area"}, **HTMX)
    assert answer.status_code == 200
    assert "Saved" in answer.content.decode() and "data-saved-at" in answer.content.decode()
    client.post(save_url(classroom, "2"), {"r1c2": "Pa", "r2c1": "atmosphere"}, **HTMX)
    page = client.get(lo_url(classroom)).content.decode()
    assert "Force per area</textarea>" in page
    assert 'value="Pa"' in page and 'value="atmosphere"' in page
    assert "3/6 filled" in page
    entry = NotesEntry.objects.get()
    assert entry.answers == {"1": {"text": "Force per area"}, "2": {"r1c2": "Pa", "r2c1": "atmosphere"}}


def test_emptying_a_part_keeps_the_others(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["students"][0])
    client.post(save_url(classroom, "1"), {"text": "x"}, **HTMX)
    client.post(save_url(classroom, "3"), {"l1": "mercury"}, **HTMX)
    client.post(save_url(classroom, "1"), {"text": "  "}, **HTMX)
    assert NotesEntry.objects.get().answers == {"3": {"l1": "mercury"}}


def test_a_plain_form_post_goes_back_to_the_page(as_user: Any, classroom: dict[str, Any]) -> None:
    answer = as_user(classroom["students"][0]).post(save_url(classroom, "1"), {"text": "no js"})
    assert answer.status_code == 302 and answer["Location"].endswith("#notes-1")


def test_too_long_is_refused_and_nothing_changes(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["students"][0])
    client.post(save_url(classroom, "1"), {"text": "kept"}, **HTMX)
    answer = client.post(save_url(classroom, "1"), {"text": "a" * 4001}, **HTMX)
    assert answer.status_code == 422 and "at most 4000" in answer.content.decode()
    assert NotesEntry.objects.get().answers == {"1": {"text": "kept"}}


def test_hostile_text_is_escaped_everywhere(as_user: Any, classroom: dict[str, Any]) -> None:
    student = classroom["students"][0]
    client = as_user(student)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    client.post(save_url(classroom, "1"), {"text": hostile}, **HTMX)
    page = client.get(lo_url(classroom)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    args = [classroom["section"].pk, student.pk, classroom["a"].pk]
    read = as_user(classroom["teacher"]).get(reverse("notes_student", args=args)).content.decode()
    assert "<script>alert(1)" not in read and "&lt;img src=x onerror=alert(2)&gt;" in read


def test_unknown_part_and_other_sections_are_404(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["students"][0])
    assert client.post(save_url(classroom, "9"), {"text": "x"}, **HTMX).status_code == 404
    other = save_url(classroom, "1", classroom["other_section"])
    assert client.post(other, {"text": "x"}, **HTMX).status_code == 404
    assert not NotesEntry.objects.exists()


def test_a_teacher_cannot_write_notes(as_user: Any, classroom: dict[str, Any]) -> None:
    answer = as_user(classroom["teacher"]).post(save_url(classroom, "1"), {"text": "x"}, **HTMX)
    assert answer.status_code == 404
    assert not NotesEntry.objects.exists()


def test_logged_out_autosave_says_so(client: Any, classroom: dict[str, Any]) -> None:
    answer = client.post(save_url(classroom, "1"), {"text": "x"}, **HTMX)
    assert answer.status_code == 401 and "logged out" in answer.content.decode()
    assert not NotesEntry.objects.exists()


def test_each_student_sees_only_their_own_notes(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, ben = classroom["students"]
    as_user(asha).post(save_url(classroom, "1"), {"text": "asha's secret"}, **HTMX)
    page = as_user(ben).get(lo_url(classroom)).content.decode()
    assert "asha's secret" not in page and "asha&#x27;s secret" not in page
    args = [classroom["section"].pk, asha.pk, classroom["a"].pk]
    assert as_user(ben).get(reverse("notes_student", args=args)).status_code == 404


def test_notes_cost_the_page_one_query_more_whatever_their_size(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    """The page reads the template and the student's notes: one query more than the template lookup a page
    without notes makes, and the same for twenty parts as for three."""
    client = as_user(classroom["students"][0])
    client.post(save_url(classroom, "1"), {"text": "x"}, **HTMX)
    client.get(lo_url(classroom))  # warm the session
    with_notes = count(client, lo_url(classroom))
    big = [{"kind": "prompt", "question": f"Q{n}"} for n in range(20)]
    notes_template_save(learning_object=classroom["primary"], raw=big, images={}, now=timezone.now())
    assert count(client, lo_url(classroom)) == with_notes
    notes_template_remove(learning_object=classroom["primary"])
    assert count(client, lo_url(classroom)) == with_notes - 1


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_hostile_template_is_escaped_on_the_students_page(as_user: Any, classroom: dict[str, Any]) -> None:
    hostile = [
        {"kind": "prompt", "question": "<script>alert('q')</script>"},
        {"kind": "table", "columns": ['"><img src=x onerror=alert(1)>'], "rows": 1, "given": {}},
    ]
    notes_template_save(learning_object=classroom["primary"], raw=hostile, images={}, now=timezone.now())
    page = as_user(classroom["students"][0]).get(lo_url(classroom)).content.decode()
    assert "<script>alert('q')" not in page and "&lt;script&gt;alert(&#x27;q&#x27;)" in page
    assert "<img src=x" not in page


def test_a_teacher_sees_the_template_s_links_not_boxes(as_user: Any, classroom: dict[str, Any]) -> None:
    page = as_user(classroom["teacher"]).get(lo_url(classroom)).content.decode()
    assert "Students fill in 3 parts beside this." in page
    assert reverse("notes_blank", args=[classroom["section"].pk, classroom["primary"].pk]) in page
    assert 'name="text"' not in page
