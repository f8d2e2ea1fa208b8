"""Who reaches a question bank: the course's own teachers (builders and section teachers) and school admins;
a student or a teacher of another course finds nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def client_of(person: object) -> Client:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


def test_a_teacher_who_builds_the_course_manages_its_banks_without_a_section() -> None:
    builder = factories.teacher(username="ms_iyer")
    objective = factories.objective()
    objective.course.teachers.add(builder)
    question = factories.bank(objective, 1)[0]

    client = client_of(builder)
    assert client.get(f"/teach/objectives/{objective.pk}/bank/").status_code == 200
    assert client.get(f"/teach/questions/{question.pk}/edit/").status_code == 200


def test_a_teacher_of_another_course_and_a_student_find_no_bank() -> None:
    objective = factories.objective()
    question = factories.bank(objective, 1)[0]
    elsewhere = factories.teacher(username="mr_khan")
    factories.course(code="BIO9").teachers.add(elsewhere)

    for person in (elsewhere, factories.student(username="ravi")):
        client = client_of(person)
        assert client.get(f"/teach/objectives/{objective.pk}/bank/").status_code == 404
        assert client.get(f"/teach/questions/{question.pk}/edit/").status_code == 404
