"""The sign-in throttle: wrong passwords slow down the username they were tried on, from one address (5) and
overall (20), never a whole address, so a class behind one NAT address keeps signing in. Every password check
goes through it: the sign-in page, POST /api/v1/auth/token and the admin's login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from django.test import Client

from flipmastery.accounts.models import SignInFailures
from flipmastery.accounts.throttle import OVERALL, PER_ADDRESS, wait_after
from tests import factories

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.7"  # the one address a whole school's NAT shows the server
TOKEN_URL = "/api/v1/auth/token"


def sign_in_page(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def token(client: Client, username: str, password: str) -> Any:
    body = {"username": username, "password": password}
    return client.post(TOKEN_URL, body, content_type="application/json")


def time_passes(seconds: float) -> None:
    """Every count's wrong passwords and waits move `seconds` into the past."""
    ago = timedelta(seconds=seconds)
    SignInFailures.objects.update(last_failure_at=F("last_failure_at") - ago)
    SignInFailures.objects.filter(locked_until__isnull=False).update(locked_until=F("locked_until") - ago)


def counts(username: str) -> dict[str, int]:
    rows = SignInFailures.objects.filter(username=username)
    return {row.address: row.failures for row in rows}


def assert_throttled_page(response: Any, wait: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(wait)
    html = response.content.decode()
    assert "Too many wrong passwords for this username." in html
    assert "or ask your teacher to unlock your account." in html
    assert "Traceback" not in html


def assert_throttled_api(response: Any, wait: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(wait)
    body = response.json()
    assert body["error"] == "throttled"
    assert body["details"] == {"retry_after": wait}
    assert body["message"].startswith("Too many wrong passwords for this username. Try again in ")


def test_the_waits_double_from_30_seconds_after_5_wrong_passwords_up_to_15_minutes() -> None:
    waits = [int(wait_after(n, PER_ADDRESS).total_seconds()) for n in range(1, 13)]
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]
    assert int(wait_after(19, OVERALL).total_seconds()) == 0
    assert int(wait_after(20, OVERALL).total_seconds()) == 30
    assert wait_after(10_000, OVERALL) == timedelta(minutes=15)


def test_30_wrong_passwords_for_one_student_are_throttled_while_30_classmates_sign_in_beside_them() -> None:
    asha = factories.student(username="asha")
    classmates = [factories.student(username=f"s{n:02d}") for n in range(30)]
    attacker = Client(REMOTE_ADDR=SCHOOL)

    answers = []
    for n, classmate in enumerate(classmates):
        answers.append(sign_in_page(attacker, "asha", f"guess {n}"))
        tab = Client(REMOTE_ADDR=SCHOOL)
        signed_in = sign_in_page(tab, classmate.username, factories.PASSWORD)
        assert signed_in.status_code == 302, classmate.username
        assert tab.session["_auth_user_id"] == str(classmate.pk)

    assert [a.status_code for a in answers] == [200] * 5 + [429] * 25
    assert "Please enter a correct username and password" in answers[4].content.decode()
    for answer in answers[5:]:
        assert 0 < int(answer["Retry-After"]) <= 30
    assert_throttled_page(answers[5], int(answers[5]["Retry-After"]))
    # while it waits, nothing more is counted, and even the right password opens nothing
    assert counts("asha") == {SCHOOL: 5, "": 5}
    her = Client(REMOTE_ADDR=SCHOOL)
    assert sign_in_page(her, "asha", factories.PASSWORD).status_code == 429
    assert "_auth_user_id" not in her.session
    assert counts("asha") == {SCHOOL: 5, "": 5}
    assert not SignInFailures.objects.exclude(username="asha").exists()
    assert asha.pk


def test_30_wrong_passwords_for_one_token_are_throttled_while_30_classmates_get_theirs() -> None:
    factories.student(username="asha")
    classmates = [factories.student(username=f"s{n:02d}") for n in range(30)]
    attacker = Client(REMOTE_ADDR=SCHOOL)

    answers = []
    for n, classmate in enumerate(classmates):
        answers.append(token(attacker, "asha", f"guess {n}"))
        assert token(Client(REMOTE_ADDR=SCHOOL), classmate.username, factories.PASSWORD).status_code == 201

    assert [a.status_code for a in answers] == [401] * 5 + [429] * 25
    assert_throttled_api(answers[5], int(answers[5]["Retry-After"]))
    assert 25 <= int(answers[5]["Retry-After"]) <= 30
    assert token(Client(REMOTE_ADDR=SCHOOL), "asha", factories.PASSWORD).status_code == 429
    assert counts("asha") == {SCHOOL: 5, "": 5}


def test_cycling_usernames_from_one_address_is_throttled_on_each_of_them() -> None:
    names = [factories.student(username=f"s{n:02d}").username for n in range(8)] + ["nobody", "admin"]
    bystander = factories.student(username="ben")
    attacker = Client(REMOTE_ADDR=SCHOOL)

    rounds = [[token(attacker, name, f"guess {r}").status_code for name in names] for r in range(7)]

    assert rounds[:5] == [[401] * len(names)] * 5
    assert rounds[5:] == [[429] * len(names)] * 2
    assert token(Client(REMOTE_ADDR=SCHOOL), bystander.username, factories.PASSWORD).status_code == 201


def test_each_wrong_password_after_a_wait_doubles_the_next_wait() -> None:
    factories.student(username="asha")
    client = Client(REMOTE_ADDR=SCHOOL)
    for n in range(5):
        token(client, "asha", f"guess {n}")
    assert_throttled_api(token(client, "asha", "again"), 30)

    waits = []
    for n in range(6):
        time_passes(int(token(client, "asha", "x")["Retry-After"]))
        assert token(client, "asha", f"after the wait {n}").status_code == 401
        waits.append(int(token(client, "asha", "too soon")["Retry-After"]))

    assert waits == [60, 120, 240, 480, 900, 900]
    assert counts("asha") == {SCHOOL: 11, "": 11}


def test_after_the_wait_the_right_password_signs_in_and_starts_the_count_afresh() -> None:
    factories.student(username="asha")
    client = Client(REMOTE_ADDR=SCHOOL)
    for n in range(5):
        sign_in_page(client, "asha", f"guess {n}")
    assert sign_in_page(client, "asha", factories.PASSWORD).status_code == 429

    time_passes(30)
    assert sign_in_page(client, "asha", factories.PASSWORD).status_code == 302

    assert counts("asha") == {}
    other = Client(REMOTE_ADDR=SCHOOL)
    assert [sign_in_page(other, "asha", f"typo {n}").status_code for n in range(5)] == [200] * 5
    assert sign_in_page(other, "asha", factories.PASSWORD).status_code == 429


def test_a_few_typos_are_forgotten_after_a_day() -> None:
    factories.student(username="asha")
    client = Client(REMOTE_ADDR=SCHOOL)
    for n in range(4):
        token(client, "asha", f"typo {n}")
    time_passes(25 * 60 * 60)

    assert token(client, "asha", "one more typo").status_code == 401
    assert token(client, "asha", factories.PASSWORD).status_code == 201
    assert counts("asha") == {}


def test_signing_in_at_school_leaves_the_count_of_someone_guessing_from_elsewhere() -> None:
    factories.student(username="asha")
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(5):
        token(elsewhere, "asha", f"guess {n}")

    assert token(Client(REMOTE_ADDR=SCHOOL), "asha", factories.PASSWORD).status_code == 201

    assert counts("asha") == {"198.51.100.9": 5}
    assert token(elsewhere, "asha", factories.PASSWORD).status_code == 429


def test_guessing_one_username_from_many_addresses_meets_the_overall_limit() -> None:
    factories.student(username="asha")
    for n in range(20):
        assert token(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), "asha", f"guess {n}").status_code == 401

    assert_throttled_api(token(Client(REMOTE_ADDR="192.0.2.200"), "asha", factories.PASSWORD), 30)
    assert token(Client(REMOTE_ADDR=SCHOOL), "ben", "whoever").status_code == 401


def test_the_admin_login_is_throttled_too() -> None:
    factories.user(username="root", is_superuser=True, is_staff=True)
    client = Client(REMOTE_ADDR=SCHOOL)
    answers = [
        client.post("/admin/login/", {"username": "root", "password": f"guess {n}"}).status_code
        for n in range(6)
    ]

    assert answers == [200] * 5 + [429]
    assert_throttled_page(client.post("/admin/login/", {"username": "root", "password": "x"}), 30)
    assert counts("root") == {SCHOOL: 5, "": 5}


def test_the_throttled_page_keeps_the_username_and_says_how_long_to_wait() -> None:
    factories.student(username="asha")
    client = Client(REMOTE_ADDR=SCHOOL)
    for n in range(5):
        sign_in_page(client, "asha", f"guess {n}")
    time_passes(5)

    response = sign_in_page(client, "asha", "once more")

    assert_throttled_page(response, 25)
    html = response.content.decode()
    assert "Try again in 25 seconds, or ask your teacher to unlock your account." in html
    assert 'name="username" id="id_username" value="asha"' in html


# --- a teacher unlocks -----------------------------------------------------------------------------------


@pytest.fixture
def locked(classroom: dict[str, Any]) -> dict[str, Any]:
    """The small classroom, with asha shut out after wrong passwords from school and from home."""
    for address in (SCHOOL, "198.51.100.9"):
        client = Client(REMOTE_ADDR=address)
        for n in range(5):
            token(client, "asha", f"guess {n}")
    assert counts("asha") == {SCHOOL: 5, "198.51.100.9": 5, "": 10}
    return classroom


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def unlock_api(room: dict[str, Any], student_id: int | None = None) -> str:
    return f"/api/v1/sections/{room['section'].pk}/students/{student_id or room['students'][0].pk}/unlock"


def unlock_page(room: dict[str, Any], student_id: int | None = None) -> str:
    return f"/sections/{room['section'].pk}/students/{student_id or room['students'][0].pk}/unlock/"


def test_the_teacher_unlocks_a_student_through_the_api(locked: dict[str, Any]) -> None:
    teacher = Client()
    teacher.force_login(locked["teacher"])

    response = teacher.post(unlock_api(locked))

    assert response.status_code == 204
    assert counts("asha") == {}
    assert token(Client(REMOTE_ADDR=SCHOOL), "asha", factories.PASSWORD).status_code == 201


def test_the_teacher_unlocks_a_student_on_the_roster_page(locked: dict[str, Any]) -> None:
    teacher = Client()
    teacher.force_login(locked["teacher"])

    response = teacher.post(unlock_page(locked))

    assert response.status_code == 302
    assert response.url == f"/sections/{locked['section'].pk}/roster/"
    assert counts("asha") == {}
    assert sign_in_page(Client(REMOTE_ADDR=SCHOOL), "asha", factories.PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["other_teacher", "outsider", "ben", "asha"])
def test_nobody_else_may_unlock(locked: dict[str, Any], who: str) -> None:
    person = {"ben": locked["students"][1], "asha": locked["students"][0]}.get(who) or locked[who]
    client = Client()
    client.force_login(person)

    api = client.post(unlock_api(locked))
    page = client.post(unlock_page(locked))

    assert api.status_code == 404
    assert api.json()["error"] == "not_found"
    assert page.status_code == 404
    assert counts("asha") == {SCHOOL: 5, "198.51.100.9": 5, "": 10}


def test_anonymous_may_not_unlock(locked: dict[str, Any]) -> None:
    api = Client().post(unlock_api(locked))
    page = Client().post(unlock_page(locked))

    assert api.status_code == 401
    assert page.status_code == 302 and page.url.startswith("/login/")
    assert counts("asha") == {SCHOOL: 5, "198.51.100.9": 5, "": 10}


def test_a_teacher_may_not_unlock_a_student_of_another_section(locked: dict[str, Any]) -> None:
    outsider = locked["outsider"]
    for n in range(5):
        token(Client(REMOTE_ADDR=SCHOOL), outsider.username, f"guess {n}")
    teacher = Client()
    teacher.force_login(locked["teacher"])

    assert teacher.post(unlock_api(locked, outsider.pk)).status_code == 404
    assert teacher.post(unlock_page(locked, outsider.pk)).status_code == 404
    assert counts(outsider.username) == {SCHOOL: 5, "": 5}


def test_the_roster_offers_to_let_a_waiting_student_in_and_only_them(locked: dict[str, Any]) -> None:
    teacher = Client()
    teacher.force_login(locked["teacher"])
    asha, ben = locked["students"]
    roster = f"/sections/{locked['section'].pk}/roster/"

    page = teacher.get(roster).content.decode()

    assert f'action="{unlock_page(locked)}"' in page
    assert f'id="unlock-{asha.pk}"' in page
    assert "After wrong passwords, signing in waits" in page
    assert f'id="unlock-{ben.pk}"' not in page

    response = teacher.post(unlock_page(locked), follow=True)

    assert response.redirect_chain == [(roster, 302)]
    assert 'id="unlock-' not in response.content.decode()
    assert counts("asha") == {}
