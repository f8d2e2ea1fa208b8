"""Sign-in cards with real threads and a real database: two teachers printing one student's card at once,
and a class of 60 signing in with their cards at once on one address."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.cards import CardNotWorking, card_issue, card_sign_in, cards_issue
from flipmastery.accounts.models import SignInCard, User
from flipmastery.classroom.models import Section
from tests import factories
from tests.concurrency.conftest import Crowd

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_db")]


def no_errors(crowd: Crowd) -> None:
    first = sorted(crowd.errors, key=lambda e: isinstance(e[1], threading.BrokenBarrierError))
    assert not first, f"{len(first)} threads failed; first: thread {first[0][0]}: {first[0][1]!r}"


def print_card(section: Section, student: User, teachers: list[User], n: int, c: Crowd) -> str:
    c.barrier.wait()
    with c.request():
        return card_issue(section=section, student=student, by=teachers[n], now=timezone.now()).code


def test_two_teachers_printing_one_students_card_at_once_leave_one_live_card(
    crowd: Callable[[int], Crowd],
) -> None:
    teachers = [factories.teacher(), factories.teacher()]
    students = [factories.student() for _ in range(4)]
    section = factories.section(teachers=teachers, students=students)
    for student in students:
        both = crowd(2)
        codes = both.run(partial(print_card, section, student, teachers))
        no_errors(both)

        assert SignInCard.objects.filter(user=student).count() == 2
        assert SignInCard.objects.filter(user=student, revoked_at__isnull=True).count() == 1
        assert sorted(_works(c) for c in codes) == [False, True]  # the later card replaced the other


def _works(code: str) -> bool:
    try:
        card_sign_in(text=code, address="10.1.1.1", now=timezone.now())
    except CardNotWorking:
        return False
    return True


def scan(codes: list[str], n: int, c: Crowd) -> tuple[int, str | None]:
    client = Client(REMOTE_ADDR="10.0.0.1")  # the whole class behind one address
    c.barrier.wait()
    with c.request():
        response = client.get(f"/c/{codes[n]}/")
    return response.status_code, client.session.get("_auth_user_id")


def test_a_class_of_sixty_signs_in_with_cards_at_once_each_as_themselves(
    crowd: Callable[[int], Crowd],
) -> None:
    teacher = factories.teacher()
    students = [factories.student() for _ in range(60)]
    section = factories.section(teachers=[teacher], students=students)
    issued = cards_issue(section=section, students=students, by=teacher, now=timezone.now())
    rush = crowd(60)

    answers = rush.run(partial(scan, [i.shown for i in issued]))

    no_errors(rush)
    assert answers == [(302, str(i.student.pk)) for i in issued]
    assert SignInCard.objects.filter(last_used_at__isnull=True).count() == 0
