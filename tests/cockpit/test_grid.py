"""The class grid page: students × objectives, live by conditional polling, teachers only."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from flipmastery.cockpit.models import SectionPlan
from flipmastery.cockpit.versions import section_changed
from tests import factories
from tests.cockpit.conftest import event, failed, scored

HTMX = {"HX-Request": "true"}


def grid_url(room: dict[str, Any]) -> str:
    return f"/sections/{room['section'].pk}/grid/"


def row_of(page: str, username_or_name: str) -> str:
    found = re.search(rf"<tr[^>]*><th scope=\"row\"><a [^>]*>{username_or_name}</a>.*?</tr>", page, re.S)
    assert found, username_or_name
    return found.group(0)


def test_the_grid_shows_state_word_symbol_attempts_and_last_score(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, ben = classroom["students"]
    failed(classroom, asha, classroom["a"])
    scored(classroom, asha, classroom["a"], 0.5)
    factories.mastered(classroom["section"], ben, classroom["a"])
    response = as_user(classroom["teacher"]).get(grid_url(classroom))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<td class="c state-NOT_YET"' in row_of(page, "asha")
    assert "✗ not yet<small>1× 50%</small>" in row_of(page, "asha")
    # each cell is a link to its panel (the student on that objective)
    cell = r'<td class="c state-{}"><a class="cell" href="/sections/\d+/grid/cell/{}/{}/">{}</a></td>'
    ben, asha = classroom["students"][1].pk, classroom["students"][0].pk
    assert re.search(cell.format("MASTERED", ben, classroom["a"].pk, "✓ mastered"), row_of(page, "ben"))
    locked = cell.format("LOCKED", asha, classroom["b"].pk, "– locked")  # GAS-2 needs GAS-1
    assert re.search(locked, row_of(page, "asha"))
    # essentials and nice-to-know are told apart in the header, in words as well as by the border
    assert re.search(
        r'class="obj obj-essential"[^>]*><span class="code">GAS-1</span><small>● essential', page
    )
    assert re.search(r'class="obj obj-nice_to_know"[^>]*><span class="code">GAS-2</span><small>○ nice', page)
    assert response.headers["ETag"].startswith('W/"')
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_retake_gate_is_named_in_the_cell(as_user: Any, classroom: dict[str, Any]) -> None:
    failed(classroom, classroom["students"][0], classroom["a"])
    page = as_user(classroom["teacher"]).get(grid_url(classroom)).content.decode()
    assert 'title="needs: corrective, conference"' in row_of(page, "asha")


def test_time_since_last_activity_and_review_due(as_user: Any, classroom: dict[str, Any]) -> None:
    asha = classroom["students"][0]
    event(
        classroom,
        asha,
        classroom["a"],
        "override",
        "MASTERED",
        reason="seen in class",
        ago=timedelta(hours=3),
    )
    event(classroom, asha, classroom["b"], "check_started", "CHECKING", ago=timedelta(minutes=6))
    event(classroom, asha, classroom["b"], "check_result", "NOT_YET", outcome=False, ago=timedelta(minutes=5))
    event(classroom, asha, classroom["a"], "review_missed", "MASTERED", ago=timedelta(minutes=5))
    page = as_user(classroom["teacher"]).get(grid_url(classroom)).content.decode()
    assert "<small>5 min" in row_of(page, "asha")
    assert "⟲ review" in row_of(page, "asha")
    assert "<small>—" in row_of(page, "ben")  # never active


def test_a_teachers_action_does_not_make_the_student_active(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, ben = classroom["students"]
    failed(classroom, asha, classroom["a"], ago=timedelta(hours=3))
    teacher = as_user(classroom["teacher"])
    for kind in ("conference", "release"):
        answer = teacher.post(
            f"/api/v1/sections/{classroom['section'].pk}/evidence",
            {"student": asha.pk, "objective": "GAS-1", "kind": kind},
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content
    factories.mastered(classroom["section"], ben, classroom["a"])  # an override by the teacher, now
    page = teacher.get(grid_url(classroom)).content.decode()
    assert "<small>2 h" in row_of(page, "asha") or "<small>3 h" in row_of(page, "asha")
    assert "<small>—" in row_of(page, "ben")
    grid = teacher.get(f"/api/v1/sections/{classroom['section'].pk}/progress").json()
    rows = {r["student"]["username"]: r for r in grid["students"]}
    assert rows["ben"]["last_activity"] is None
    assert rows["asha"]["last_activity"] is not None


def test_behind_pace_is_flagged_from_the_plan(as_user: Any, classroom: dict[str, Any]) -> None:
    from django.utils import timezone

    SectionPlan.objects.create(
        section=classroom["section"],
        start=timezone.localdate() - timedelta(days=15),
        per_week=1,
        updated_at=timezone.now(),
    )  # two weeks in at one a week: both objectives expected
    factories.mastered(classroom["section"], classroom["students"][1], classroom["a"])
    page = as_user(classroom["teacher"]).get(grid_url(classroom)).content.decode()
    assert "⚑ 2 behind" in row_of(page, "asha")
    assert "⚑ 1 behind" in row_of(page, "ben")
    assert '<tr class="is-behind">' in page


def test_the_unit_filter_keeps_one_units_objectives(as_user: Any, classroom: dict[str, Any]) -> None:
    later = factories.unit(classroom["course"], code="STO", title="Stoichiometry", order=2)
    factories.objective(later, code="STO-1", statement="Use moles.")
    client = as_user(classroom["teacher"])
    everything = client.get(grid_url(classroom)).content.decode()
    assert all(f'<span class="code">{c}</span>' in everything for c in ("GAS-1", "GAS-2", "STO-1"))
    page = client.get(grid_url(classroom) + "?unit=STO").content.decode()
    assert '<span class="code">STO-1</span>' in page and '<span class="code">GAS-1</span>' not in page
    assert row_of(page, "asha").count("<td ") == 1
    assert f'hx-get="/sections/{classroom["section"].pk}/grid/rows/?unit=STO"' in page


@pytest.mark.usefixtures("steady_minute")
def test_the_poll_is_a_304_until_something_changes(
    as_user: Any, classroom: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(classroom["teacher"])
    page = client.get(grid_url(classroom))
    tag = page.headers["ETag"]
    rows_url = grid_url(classroom) + "rows/"
    unchanged = client.get(rows_url, headers={**HTMX, "If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["HX-Reswap"] == "none"
    with django_capture_on_commit_callbacks(execute=True):  # the token is replaced when the write commits
        failed(classroom, classroom["students"][0], classroom["a"])
    changed = client.get(rows_url, headers={**HTMX, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    body = changed.content.decode()
    assert body.startswith('<tbody id="grid-body"') and "✗ not yet" in body
    assert client.get(rows_url, headers={**HTMX, "If-None-Match": changed.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "change",
    ["queue", "attempt", "student", "plan"],
)
@pytest.mark.usefixtures("steady_minute")
def test_the_version_changes_with_the_queue_an_attempt_a_new_student_and_the_plan(
    as_user: Any, classroom: dict[str, Any], change: str, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from flipmastery.progress.models import QueueEntry

    client = as_user(classroom["teacher"])
    tag = client.get(grid_url(classroom)).headers["ETag"]
    asha = classroom["students"][0]
    if change == "queue":
        QueueEntry.objects.create(
            section=classroom["section"], student=asha, kind="help", created_at=timezone.now()
        )
    elif change == "attempt":
        scored(classroom, asha, classroom["a"], 0.4)
    elif change == "student":
        classroom["section"].students.add(factories.student())
    else:
        SectionPlan.objects.create(
            section=classroom["section"], start="2025-01-06", updated_at=timezone.now()
        )
    with django_capture_on_commit_callbacks(execute=True):  # the token is replaced when the write commits
        section_changed(classroom["section"].pk)  # as each of these writes' services does
    answer = client.get(grid_url(classroom) + "rows/", headers={**HTMX, "If-None-Match": tag})
    assert answer.status_code == 200


def test_a_change_no_service_reported_is_seen_when_the_minute_turns(
    as_user: Any, classroom: dict[str, Any], monkeypatch: Any
) -> None:
    """The 304 trusts the section's token for the rest of the minute only; then the database decides."""
    from datetime import timedelta

    from django.utils import timezone

    from flipmastery.progress.models import ProgressEvent

    client = as_user(classroom["teacher"])
    tag = client.get(grid_url(classroom)).headers["ETag"]
    rows_url = grid_url(classroom) + "rows/"
    ProgressEvent.objects.create(  # straight into the table: no service, no token replaced
        section=classroom["section"],
        student=classroom["students"][0],
        objective=classroom["a"],
        kind="override",
        state="MASTERED",
        reason="typed into the database",
        at=timezone.now(),
    )
    now = timezone.now()
    if client.get(rows_url, headers={**HTMX, "If-None-Match": tag}).status_code == 304:
        later = now + timedelta(minutes=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
    answer = client.get(rows_url, headers={**HTMX, "If-None-Match": tag})
    assert answer.status_code == 200 and "state-MASTERED" in answer.content.decode()


def test_only_the_sections_teachers_see_the_grid(client: Client, classroom: dict[str, Any]) -> None:
    section = classroom["section"]
    for path in (f"/sections/{section.pk}/grid/", f"/sections/{section.pk}/grid/rows/"):
        assert client.get(path).status_code == 302  # to the login page
        client.force_login(classroom["students"][0])
        assert client.get(path).status_code == 404
        client.force_login(classroom["other_teacher"])
        assert client.get(path).status_code == 404
        client.logout()
    client.force_login(classroom["teacher"])
    assert client.get("/sections/999999/grid/").status_code == 404
    assert client.get(f"/sections/{classroom['other_section'].pk}/grid/").status_code == 404


def test_the_plan_form_saves_and_says_what_is_wrong(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["teacher"])
    url = f"/sections/{classroom['section'].pk}/grid/plan/"
    bad = client.post(url, {"start": "soon", "per_week": "0", "periods": "Term 1 2025", "scale": "A = lots"})
    assert bad.status_code == 422
    page = bad.content.decode()
    for words in ("start date must be a date", "objectives per week", "grading period line 1", "cannot read"):
        assert words in page
    assert not SectionPlan.objects.exists()
    good = client.post(
        url,
        {
            "start": "2025-06-02",
            "per_week": "4",
            "periods": "Term 2: 2025-12-20\nTerm 1: 2025-09-30",
            "scale": "A = 100% + 90%; B = 100%",
            "unit": "GAS",
        },
    )
    assert good.status_code == 302 and good.headers["Location"].endswith("/grid/?unit=GAS#plan")
    plan = SectionPlan.objects.get(section=classroom["section"])
    assert (str(plan.start), plan.per_week, plan.scale) == ("2025-06-02", 4.0, "A = 100% + 90%; B = 100%")
    assert plan.periods == [{"name": "Term 1", "end": "2025-09-30"}, {"name": "Term 2", "end": "2025-12-20"}]
    assert plan.updated_by == classroom["teacher"]


def test_the_plan_form_needs_the_csrf_token_and_a_teacher_of_the_section(classroom: dict[str, Any]) -> None:
    url = f"/sections/{classroom['section'].pk}/grid/plan/"
    form = {"start": "2025-06-02", "per_week": "4", "scale": "A = 100%"}
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(classroom["teacher"])
    assert strict.post(url, form).status_code == 403
    other = Client()
    other.force_login(classroom["other_teacher"])
    assert other.post(url, form).status_code == 404
    other.force_login(classroom["students"][0])
    assert other.post(url, form).status_code == 404
    assert other.get(url).status_code == 405
    assert not SectionPlan.objects.exists()


@pytest.mark.usefixtures("steady_minute")
def test_a_teacher_removed_from_the_section_gets_no_304_from_an_old_tag(
    client: Client, classroom: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from flipmastery.classroom.services import section_teacher_add, section_teacher_remove

    section = classroom["section"]
    section_teacher_add(section=section, username="mr_other")
    client.force_login(classroom["other_teacher"])
    tag = client.get(grid_url(classroom)).headers["ETag"]
    rows_url = grid_url(classroom) + "rows/"
    assert client.get(rows_url, headers={**HTMX, "If-None-Match": tag}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        section_teacher_remove(section=section, username="mr_other")
    answer = client.get(rows_url, headers={**HTMX, "If-None-Match": tag})
    assert answer.status_code == 404 and b"asha" not in answer.content


def test_a_tag_is_sealed_to_the_session_that_was_given_it(client: Client, classroom: dict[str, Any]) -> None:
    """Sent from another session (another teacher of the section, or a student who copied it), the tag
    earns no 304 without the usual access check."""
    client.force_login(classroom["teacher"])
    tag = client.get(grid_url(classroom)).headers["ETag"]
    rows_url = grid_url(classroom) + "rows/"
    other = Client()
    other.force_login(classroom["students"][0])
    assert other.get(rows_url, headers={**HTMX, "If-None-Match": tag}).status_code == 404
    anonymous = Client()
    assert anonymous.get(rows_url, headers={**HTMX, "If-None-Match": tag}).status_code == 302


def test_a_name_that_looks_like_html_is_shown_as_text_in_its_row(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha = classroom["students"][0]
    asha.first_name, asha.last_name = '<img src=x onerror="alert(1)">', "& Co"
    asha.save()
    page = as_user(classroom["teacher"]).get(grid_url(classroom)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in page


@pytest.mark.usefixtures("steady_minute")
def test_a_look_again_reuses_the_class_rows_until_someone_joins_or_acts(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    teacher = as_user(classroom["teacher"])
    teacher.get(grid_url(classroom))
    with CaptureQueriesContext(connection) as again:
        teacher.get(grid_url(classroom))
    assert not any("GROUP BY section_id, student_id" in q["sql"] for q in again.captured_queries)

    newcomer = factories.student(username="zara", first_name="Zara")
    classroom["section"].enrollments.create(student=newcomer)
    assert "<small>—" in row_of(teacher.get(grid_url(classroom)).content.decode(), "Zara[^<]*")

    event(classroom, newcomer, classroom["a"], "check_started", "CHECKING", ago=timedelta(minutes=1))
    assert "<small>1 min" in row_of(teacher.get(grid_url(classroom)).content.decode(), "Zara[^<]*")
