"""Grades waiting to go back to the LMS. `note_changed` is called where evidence is recorded, inside its
transaction: the rows commit with the evidence or not at all, so a grade is never lost to a crash or an LMS
that is down. They are sent after the commit (a thread, so the student never waits for the LMS) and by
`flipmastery lti-send`; what is sent is decided then, by the domain (ags.py), never stored here."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.lti.models import Context, GradeOutbox, Person, Placement

log = logging.getLogger(__name__)
ON_AN_LMS = "SELECT 1 FROM lti_context WHERE section_id = %s LIMIT 1"


def note_changed(
    *,
    section: Section,
    student: User,
    objectives: Iterable[Objective],
    now: datetime,
    on_an_lms: bool | None = None,
) -> None:
    """The student's standing on these objectives may have changed: queue what the LMS must hear (each
    placed objective's score and the section's letter grade). One small query when the section is on no
    LMS, written out since every piece of evidence asks it (tests/lti pin the table and column); none when
    the caller read `on_an_lms` in this transaction (a submit, with the attempt's state)."""
    if on_an_lms is None:
        with connection.cursor() as cursor:
            cursor.execute(ON_AN_LMS, [section.pk])
            on_an_lms = cursor.fetchone() is not None
    if not on_an_lms:
        return
    contexts = list(
        Context.objects.filter(
            section=section, platform__issuer__in=Person.objects.filter(user=student).values("issuer")
        ).values_list("pk", flat=True)
    )
    if not contexts:
        return
    wanted = {o.pk for o in objectives}
    placed = set(
        Placement.objects.filter(
            context__in=contexts, kind=Placement.Kind.OBJECTIVE, target_id__in=wanted
        ).values_list("target_id", flat=True)
    )
    waiting = set(
        GradeOutbox.objects.filter(
            section=section, student=student, sent_at__isnull=True, tries=0
        ).values_list("objective_id", flat=True)
    )
    rows = [
        GradeOutbox(section=section, student=student, objective_id=o, created_at=now, next_try_at=now)
        for o in [*sorted(placed), None]
        if o not in waiting  # one waiting row says it all: the grade is decided when it is sent
    ]
    GradeOutbox.objects.bulk_create(rows)
    transaction.on_commit(lambda: send_soon(section.pk, student.pk))


def send_soon(section_id: int, student_id: int) -> None:
    threading.Thread(target=_send, args=(section_id, student_id), daemon=True, name="lti-send").start()


def _send(section_id: int, student_id: int) -> None:
    from django.utils import timezone

    from flipmastery.lti.ags import send_due

    try:
        send_due(timezone.now(), section_id=section_id, student_id=student_id)
    except Exception:  # the command and the next change try again; the teacher's page shows the failure
        log.exception("sending grades to the LMS failed")
    finally:
        connection.close()
