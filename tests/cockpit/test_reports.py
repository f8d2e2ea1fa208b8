"""The gradebook (page, CSV, XLSX), a student's audit trail and item analysis, over HTTP."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.services import attempt_start
from flipmastery.cockpit.models import SectionPlan
from flipmastery.progress.services import evidence_record
from tests import factories
from tests.cockpit.conftest import event, failed

# ---- the gradebook ---------------------------------------------------------------------------------------


@pytest.fixture
def graded(classroom: dict[str, Any]) -> dict[str, Any]:
    """asha mastered GAS-1 (a check) and GAS-2 (override); ben failed GAS-1; a third student did nothing;
    a fourth, whose name a spreadsheet would run as a formula."""
    asha, ben = classroom["students"]
    section = classroom["section"]
    section.students.add(factories.student(username="chen", display_name="Chen Li"))
    section.students.add(factories.student(username="eve", display_name='=HYPERLINK("x")'))
    classroom["unit"].grading_period = "Term 1"
    classroom["unit"].save()
    failed(classroom, asha, classroom["a"], ago=timedelta(days=2))
    event(classroom, asha, classroom["a"], "override", "MASTERED", reason="retook it on paper")
    factories.mastered(section, asha, classroom["b"])
    failed(classroom, ben, classroom["a"])
    return classroom


def book_url(room: dict[str, Any]) -> str:
    return f"/sections/{room['section'].pk}/gradebook/"


def test_the_gradebook_page_has_per_objective_mastery_and_the_grade(
    as_user: Any, graded: dict[str, Any]
) -> None:
    page = as_user(graded["teacher"]).get(book_url(graded)).content.decode()
    asha = page[page.index(">asha</a>") : page.index("</tr>", page.index(">asha</a>"))]
    assert asha.count('<td class="g is-m"><b>✓</b>') == 2
    assert "<small>1×</small>" in asha  # GAS-1 took one attempt before the override
    summary = '<td class="letter">A</td><td class="num">100.0%</td><td class="num">1/1</td>'
    assert summary + '<td class="num last-sum">1/1</td>' in asha
    ben = page[page.index(">ben</a>") : page.index("</tr>", page.index(">ben</a>"))]
    assert "✗ not yet" in ben and '<td class="letter">F</td>' in ben
    assert "A = 100% + 80%; B = 100% + 50%; C = 100%; D = 70%" in page  # the default scale, shown


def test_the_gradebook_follows_the_sections_grade_scale(as_user: Any, graded: dict[str, Any]) -> None:
    SectionPlan.objects.create(
        section=graded["section"],
        start="2025-01-06",
        scale="A = 100% + 100%; P = 0%",
        updated_at=timezone.now(),
    )
    page = as_user(graded["teacher"]).get(book_url(graded)).content.decode()
    ben = page[page.index(">ben</a>") : page.index("</tr>", page.index(">ben</a>"))]
    assert '<td class="letter">P</td>' in ben


def read_csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_one_row_per_student_and_one_column_per_objective_plus_the_grade(
    as_user: Any, graded: dict[str, Any]
) -> None:
    response = as_user(graded["teacher"]).get(book_url(graded) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="gradebook-chem-11-a-')
    rows = read_csv(response)
    assert rows[0] == ["Student", "Username", "GAS-1", "GAS-2", "Percent", "Grade"]
    assert len(rows) == 1 + 4
    by_user = {r[1]: r for r in rows[1:]}
    assert by_user["asha"] == ["asha", "asha", "MASTERED", "MASTERED", "100.0", "A"]
    assert by_user["ben"] == ["ben", "ben", "NOT_YET", "LOCKED", "0.0", "F"]
    assert by_user["chen"][0] == "Chen Li"
    assert by_user["eve"][0] == '\'=HYPERLINK("x")'  # never run as a formula


def test_the_xlsx_export_opens_with_one_row_per_student_and_one_column_per_objective_plus_the_grade(
    as_user: Any, graded: dict[str, Any]
) -> None:
    response = as_user(graded["teacher"]).get(book_url(graded) + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Gradebook"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Student", "Username", "GAS-1", "GAS-2", "Percent", "Grade"]
    assert len(rows) == 1 + 4
    by_user = {r[1]: r for r in rows[1:]}
    assert by_user["asha"] == ["asha", "asha", "MASTERED", "MASTERED", 100.0, "A"]
    assert by_user["ben"][2:] == ["NOT_YET", "LOCKED", 0.0, "F"]
    assert by_user["eve"][0] == '\'=HYPERLINK("x")'
    assert sheet["A5"].data_type == "s"  # text, not a formula
    objectives = [list(r) for r in book["Objectives"].iter_rows(values_only=True)]
    assert objectives[1][:3] == ["GAS-1", "Explain gas pressure.", "essential"]


def test_a_grading_period_keeps_its_units_objectives(as_user: Any, graded: dict[str, Any]) -> None:
    later = factories.unit(
        graded["course"], code="STO", title="Stoichiometry", order=2, grading_period="Term 2"
    )
    factories.objective(later, code="STO-1", statement="Use moles.")
    SectionPlan.objects.create(
        section=graded["section"],
        start="2025-01-06",
        periods=[{"name": "Term 1", "end": "2025-03-31"}, {"name": "Term 2", "end": "2025-06-30"}],
        updated_at=timezone.now(),
    )
    client = as_user(graded["teacher"])
    assert read_csv(client.get(book_url(graded) + "?format=csv"))[0][2:5] == ["GAS-1", "GAS-2", "STO-1"]
    term2 = read_csv(client.get(book_url(graded) + "?period=Term+2&format=csv"))
    assert term2[0] == ["Student", "Username", "STO-1", "Percent", "Grade"]
    page = client.get(book_url(graded) + "?period=Term+1").content.decode()
    assert "Term 1 (ends 31 Mar 2025)" in page and '<span class="code">STO-1</span>' not in page
    assert 'href="?period=Term 1&amp;format=xlsx"' in page


def test_only_the_sections_teachers_get_the_gradebook(client: Client, graded: dict[str, Any]) -> None:
    for wanted in ("", "?format=csv", "?format=xlsx"):
        client.force_login(graded["students"][0])
        assert client.get(book_url(graded) + wanted).status_code == 404
        client.force_login(graded["other_teacher"])
        assert client.get(book_url(graded) + wanted).status_code == 404


# ---- the audit trail ----------------------------------------------------------------------------------


def test_the_audit_trail_lists_every_event_with_who_why_and_the_state_after(
    as_user: Any, graded: dict[str, Any]
) -> None:
    section, asha = graded["section"], graded["students"][0]
    evidence_record(
        section=section,
        teacher=graded["teacher"],
        student=asha,
        objective=graded["a"],
        kind="override",
        now=timezone.now(),
        state="NOT_YET",
        reason="copied the answers",
        note="talked with her",
    )
    url = f"/sections/{section.pk}/students/{asha.pk}/history/"
    page = as_user(graded["teacher"]).get(url).content.decode()
    assert "5 events" in page
    newest = page[page.index("<tbody>") : page.index("</tr>", page.index("<tbody>"))]
    assert "override" in newest and "ms_rao" in newest and "copied the answers" in newest
    assert "talked with her" in newest and "state-NOT_YET" in newest
    assert "check result" in page and "not yet" in page
    only = as_user(graded["teacher"]).get(url + "?objective=GAS-2").content.decode()
    assert "1 event" in only and "GAS-1</span>" not in only


def test_the_audit_trail_is_for_the_sections_teachers_and_its_students_only(
    client: Client, graded: dict[str, Any]
) -> None:
    section, asha = graded["section"], graded["students"][0]
    url = f"/sections/{section.pk}/students/{asha.pk}/history/"
    client.force_login(asha)
    assert client.get(url).status_code == 404  # not even their own: it is the teacher's record
    client.force_login(graded["other_teacher"])
    assert client.get(url).status_code == 404
    client.force_login(graded["teacher"])
    outsider = f"/sections/{section.pk}/students/{graded['outsider'].pk}/history/"
    assert client.get(outsider).status_code == 404


# ---- item analysis -------------------------------------------------------------------------------------


@pytest.fixture
def answered(classroom: dict[str, Any]) -> dict[str, Any]:
    """Six students took GAS-1's check of six items; everyone missed the first question."""
    objective = classroom["a"]
    questions = factories.bank(objective, 6)
    objective.check_items = 6
    objective.save()
    section = classroom["section"]
    people = [*classroom["students"], *(factories.student() for _ in range(4))]
    for p in people[2:]:
        section.students.add(p)
    for n, p in enumerate(people):
        attempt = attempt_start(section=section, student=p, objective=objective, now=timezone.now()).attempt
        for item in AttemptItem.objects.filter(attempt=attempt):
            which = [q.pk for q in questions].index(item.question_id)
            good = which != 0 and (n + which) % 3 != 0  # two in three right; nobody gets the first
            item.score, item.status = (1.0 if good else 0.0), "graded"
            item.save()
        Attempt.objects.filter(pk=attempt.pk).update(state="submitted", submitted_at=timezone.now())
    classroom["questions"] = questions
    section.students.add(factories.student())  # has seen nothing yet
    return classroom


def test_item_analysis_shows_difficulty_discrimination_exposure_and_flags(
    as_user: Any, answered: dict[str, Any]
) -> None:
    factories.bank(answered["b"], 1)  # a bank nobody has been asked from yet
    page = as_user(answered["teacher"]).get(f"/sections/{answered['section'].pk}/items/").content.decode()
    first = answered["questions"][0]
    row = page[page.index(f'href="/teach/questions/{first.pk}/edit/"') :]
    row = row[: row.index("</tr>")]
    assert "Q0: which law is PV = k?" in row
    assert "6 of 7 students" in row and ">0%<" in row and "⚑ everyone misses it" in row
    assert '<td class="num">100%</td>' in row  # exposure: in every GAS-1 check
    assert page.count("/edit/") == 7
    assert "1 item looks broken" in page
    assert "0 of 7 students" in page and "not asked yet" in page  # GAS-2's
    assert "The course has no questions yet." not in page


def test_item_analysis_reads_a_fixed_number_of_queries(
    client: Client, answered: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client.force_login(answered["teacher"])
    url = f"/sections/{answered['section'].pk}/items/"
    with django_assert_num_queries(6):  # session, user, section, students, graded items, bank questions
        client.get(url)
    for _ in range(5):
        extra = factories.student()
        answered["section"].students.add(extra)
        attempt = attempt_start(
            section=answered["section"], student=extra, objective=answered["a"], now=timezone.now()
        )
        Attempt.objects.filter(pk=attempt.attempt.pk).update(state="submitted", submitted_at=timezone.now())
        AttemptItem.objects.filter(attempt=attempt.attempt).update(score=1.0)
    with django_assert_num_queries(6):
        assert "11 of 12 students" in client.get(url).content.decode()


def test_only_the_sections_teachers_see_item_analysis(client: Client, answered: dict[str, Any]) -> None:
    url = f"/sections/{answered['section'].pk}/items/"
    client.force_login(answered["students"][0])
    assert client.get(url).status_code == 404
    client.force_login(answered["other_teacher"])
    assert client.get(url).status_code == 404
