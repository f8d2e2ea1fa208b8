"""Grades back to the LMS: a student passes a check inside the LMS and the LMS's gradebook gets the placed
objective's score (1.0, "MASTERED") and the letter grade, exactly as our gradebook decides; when the LMS is
down nothing is lost: the failure waits, shows on the teacher's page, and goes when the LMS is back."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_key
from flipmastery.assessments.services import response_save
from flipmastery.cockpit.selectors import class_board
from flipmastery.lti.ags import send_due
from flipmastery.lti.models import Context, GradeOutbox, Person, Placement, Platform
from tests import factories
from tests.lti.conftest import Launch
from tests.lti.platform import LEARNER, TestPlatform


def take_check(client: Client, section_id: int, student: Any, code: str, right: bool) -> Attempt:
    response = client.post(f"/sections/{section_id}/objectives/{code}/check/")
    assert response.status_code == 302, response.content[:300]
    attempt = Attempt.objects.filter(objective__code=code, student=student).order_by("-id").first()
    assert attempt is not None
    if right:
        for item in attempt_key(attempt)["items"]:
            response_save(
                attempt_id=attempt.pk,
                student=student,
                position=item["id"],
                response=item["correct_response"],
                now=timezone.now(),
            )
    assert client.post(f"/attempts/{attempt.pk}/submit/").status_code == 302
    return attempt


def setup(classroom: dict[str, Any], registered: Platform, launch: Launch) -> tuple[Any, Any]:
    section, a = classroom["section"], classroom["a"]
    factories.bank(a, 12)
    context = Context.objects.create(
        platform=registered, context_id="course-7", section=section, updated_at=section.created_at
    )
    Placement.objects.create(context=context, kind="objective", target_id=a.pk)  # placed by deep linking
    launch(sub="s-1", role=LEARNER, custom={"flipmastery_target": f"objective:{a.pk}"})
    return section, Person.objects.get(sub="s-1").user


def test_a_passed_check_sends_mastery_and_the_letter_grade(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section, student = setup(classroom, registered, launch)
    take_check(client, section.pk, student, "GAS-1", right=True)
    waiting = GradeOutbox.objects.filter(sent_at__isnull=True)
    assert sorted((w.objective_id or 0) for w in waiting) == [0, classroom["a"].pk]

    call_command("lti-send")

    assert not GradeOutbox.objects.filter(sent_at__isnull=True).exists()
    assert lms.tokens_issued == 1  # one client_credentials token for the run, our assertion checked
    items = {i["resourceId"]: i for i in lms.line_items}
    assert set(items) == {f"objective:{classroom['a'].pk}", "flipmastery:grade"}
    scores = {line: s for line, s in lms.scores}
    mastery = scores[items[f"objective:{classroom['a'].pk}"]["id"]]
    assert (mastery["userId"], mastery["scoreGiven"], mastery["scoreMaximum"]) == ("s-1", 1.0, 1.0)
    assert (mastery["comment"], mastery["activityProgress"], mastery["gradingProgress"]) == (
        "MASTERED",
        "Completed",
        "FullyGraded",
    )
    # One truth: the letter the LMS gets is the gradebook's.
    row = next(r for r in class_board(section, timezone.now()).rows if r.id == student.pk)
    letter = scores[items["flipmastery:grade"]["id"]]
    assert (letter["comment"], letter["scoreGiven"], letter["scoreMaximum"]) == (
        row.grade.letter,
        row.grade.percent,
        100.0,
    )


def test_a_submit_reads_whether_its_section_is_on_an_lms_with_its_state_and_still_queues_the_grades(
    client: Client, launch: Launch, registered: Platform, classroom: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section, student = setup(classroom, registered, launch)
    with CaptureQueriesContext(connection) as ran:
        take_check(client, section.pk, student, "GAS-1", right=False)

    asked_apart = [q["sql"] for q in ran.captured_queries if q["sql"].startswith("SELECT 1 FROM lti_context")]
    assert asked_apart == []  # read inside the submit's one read of its transaction (assessments/services)
    waiting = GradeOutbox.objects.filter(section=section, student=student, sent_at__isnull=True)
    assert sorted((w.objective_id or 0) for w in waiting) == [0, classroom["a"].pk]


def test_a_not_yet_sends_the_best_score_with_the_students_words(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section, student = setup(classroom, registered, launch)
    take_check(client, section.pk, student, "GAS-1", right=False)
    send_due(timezone.now())
    [score] = [s for li, s in lms.scores if li.endswith("/1")]
    assert score["scoreGiven"] == 0.0 and score["comment"] in ("NOT YET", "READY TO RETAKE")
    assert score["activityProgress"] == "InProgress"


def test_when_the_lms_is_down_nothing_is_lost_and_the_teacher_sees_it(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section, student = setup(classroom, registered, launch)
    take_check(client, section.pk, student, "GAS-1", right=True)
    lms.down = True
    now = timezone.now()
    assert send_due(now) == (0, 2)
    failed = list(GradeOutbox.objects.filter(sent_at__isnull=True))
    assert len(failed) == 2 and all(f.tries == 1 and f.next_try_at > now and "503" in f.error for f in failed)
    assert send_due(now + timedelta(seconds=5)) == (0, 0)  # not due again yet: it waits

    teacher = Client()
    teacher.force_login(classroom["teacher"])
    page = teacher.get(f"/sections/{section.pk}/lms/").content.decode()
    assert 'id="grade-failures"' in page and "GAS-1" in page and "letter grade" in page

    lms.down = False
    assert teacher.post(f"/sections/{section.pk}/lms/resend/").status_code == 302
    assert not GradeOutbox.objects.filter(sent_at__isnull=True).exists()
    assert {s["comment"] for _l, s in lms.scores} >= {"MASTERED"}
    assert 'id="grade-failures"' not in teacher.get(f"/sections/{section.pk}/lms/").content.decode()


def test_a_section_on_no_lms_writes_nothing_to_the_outbox(client: Client, classroom: dict[str, Any]) -> None:
    factories.bank(classroom["a"], 12)
    student = classroom["students"][0]
    client.force_login(student)
    take_check(client, classroom["section"].pk, student, "GAS-1", right=True)
    assert not GradeOutbox.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_grade_goes_right_after_the_commit_without_the_command(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section, student = setup(classroom, registered, launch)
    take_check(client, section.pk, student, "GAS-1", right=True)
    for thread in threading.enumerate():
        if thread.name == "lti-send":
            thread.join(timeout=30)
    assert not GradeOutbox.objects.filter(sent_at__isnull=True).exists()
    assert "MASTERED" in {s["comment"] for _l, s in lms.scores}


def test_a_change_that_moves_no_grade_sends_nothing_again(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section, student = setup(classroom, registered, launch)
    take_check(client, section.pk, student, "GAS-1", right=True)
    send_due(timezone.now())
    posted = len(lms.scores)
    used = client.post(f"/sections/{section.pk}/learn/{classroom['alternate'].pk}/used/")
    assert used.status_code in (200, 204, 302), used.content[:300]
    assert GradeOutbox.objects.filter(sent_at__isnull=True).exists()  # noted, as every change is
    send_due(timezone.now())
    assert len(lms.scores) == posted and not GradeOutbox.objects.filter(sent_at__isnull=True).exists()


def test_the_lms_question_written_out_names_the_models_table_and_column() -> None:
    from flipmastery.lti.models import Context
    from flipmastery.lti.outbox import ON_AN_LMS

    section = Context._meta.get_field("section").column
    assert f"FROM {Context._meta.db_table} WHERE {section} = %s" in ON_AN_LMS
