"""A guardian's link: made by a teacher from the roster or by the child, it shows one child's progress (the
same states as the teacher's grid, the next step, recent checks' scores, never items or answers, nothing of
other students) with no sign-in, in the link's language; it is private (never stored, indexed or sent as a
referrer; a chat app's preview names no child), and once revoked it shows nothing. Its short code, typed at
/g/, opens the same page; wrong codes are limited per address."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.accounts.models import GuardianLink, User
from flipmastery.assessments.models import AttemptItem
from flipmastery.assessments.services import attempt_start, attempt_submit
from flipmastery.classroom.models import Section
from flipmastery.guardians.services import guardian_link_create
from flipmastery.guardians.throttle import WRONG_CODES_ALLOWED
from flipmastery.progress.standings import class_progress
from tests import factories

pytestmark = pytest.mark.django_db
HEAD = re.compile(r"<head>.*</head>", re.S)


def checked(section: Section, student: User, objective: Any, share: float, minutes_ago: int) -> None:
    """The student takes the objective's check and scores `share` on every item."""
    when = timezone.now() - timedelta(minutes=minutes_ago)
    attempt = attempt_start(section=section, student=student, objective=objective, now=when).attempt
    marks = dict.fromkeys(
        AttemptItem.objects.filter(attempt=attempt).values_list("position", flat=True), share
    )
    attempt_submit(attempt_id=attempt.pk, student=student, now=when, marks=marks)


@pytest.fixture
def history(school: dict[str, Any]) -> dict[str, Any]:
    """Asha passed GAS-1 (mastered) and then got "not yet" on GAS-2; Ben, her classmate, passed GAS-1."""
    factories.bank(school["a"], 6)
    factories.bank(school["b"], 6)
    asha, ben = school["students"]
    checked(school["section"], asha, school["a"], 1.0, 30)
    checked(school["section"], asha, school["b"], 0.0, 10)
    checked(school["section"], ben, school["a"], 1.0, 5)
    return school


def page(client: Client, school: dict[str, Any], **params: str) -> Any:
    return client.get(f"/g/{school['link'].secret}/", params)


def text_of(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- making a link --------------------------------------------------------------------------------------


def test_a_teacher_makes_a_link_from_the_roster_and_sees_its_secret_and_code_once(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    teacher = as_role("teacher")
    asha = school["students"][0]
    roster = teacher.get(f"/sections/{school['section'].pk}/roster/").content.decode()
    url = f"/sections/{school['section'].pk}/students/{asha.pk}/guardian-links/"
    assert f'href="{url}"' in roster

    response = teacher.post(url, {"label": "Papa", "language": "hi"})

    page_html = response.content.decode()
    assert response.status_code == 200
    secret = re.search(r'value="http://testserver/g/([A-Za-z0-9_-]+)/"', page_html)
    code = re.search(r'id="guardian-code">([0-9A-Z]{5})-([0-9A-Z]{5})<', page_html)
    assert secret is not None and code is not None
    assert len(secret.group(1)) >= 22  # 22 URL-safe characters are 132 bits
    link = GuardianLink.objects.get(label="Papa")
    assert (link.student, link.created_by, link.language, link.revoked_at) == (
        asha,
        school["teacher"],
        "hi",
        None,
    )
    assert link.digest == hashlib.sha256(secret.group(1).encode()).hexdigest()
    assert link.code_digest == hashlib.sha256((code.group(1) + code.group(2)).encode()).hexdigest()
    listed = teacher.get(url).content.decode()
    assert "Papa" in listed and secret.group(1) not in listed and code.group(1) not in listed


def test_a_student_makes_their_own_link_and_sees_who_made_each(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    student = as_role("student")
    playlist = student.get(f"/sections/{school['section'].pk}/playlist/").content.decode()
    assert 'href="/me/guardian-links/"' in playlist

    made = student.post("/me/guardian-links/", {"label": "Nani", "language": "en"})
    listed = student.get("/me/guardian-links/").content.decode()

    assert made.status_code == 200
    own = GuardianLink.objects.get(label="Nani")
    assert own.created_by == school["students"][0]
    assert f'id="revoke-{own.pk}"' in listed  # hers to revoke
    assert f'id="revoke-{school["link"].link.pk}"' not in listed  # her teacher's: only a teacher revokes it
    assert "Only your teacher can revoke it." in listed and "by ms_rao" in listed


def test_a_label_too_long_or_an_unknown_language_is_refused_and_nothing_is_made(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    before = GuardianLink.objects.count()

    response = as_role("student").post("/me/guardian-links/", {"label": "x" * 101, "language": "fr"})

    assert response.status_code == 422
    assert GuardianLink.objects.count() == before


# --- what the guardian sees -----------------------------------------------------------------------------


def test_the_guardian_sees_the_childs_states_as_the_teacher_grid_does(history: dict[str, Any]) -> None:
    response = page(Client(), history)

    shown = dict(
        re.findall(
            r'<span class="code">(GAS-\d)</span> <span class="badge state-(\w+)">', response.content.decode()
        )
    )
    _facts, rows = class_progress(history["section"], timezone.now())
    grid = {code: s.state.value for code, s in next(r for r in rows if r.username == "asha").states.items()}
    assert shown == grid == {"GAS-1": "MASTERED", "GAS-2": "NOT_YET"}


def test_the_guardian_sees_the_next_step_and_the_recent_checks_never_items_or_answers(
    history: dict[str, Any],
) -> None:
    words = text_of(page(Client(), history))

    assert "Progress of asha" in words
    assert "Mastered 1 of 2 objectives" in words
    assert "Next step Not yet on GAS-2: learning it another way, then a talk with the teacher." in words
    checks = words[words.index("Recent checks") :]
    assert re.search(r"GAS-2 · \d+ \w+ \d{4} 0 % · not yet GAS-1 · \d+ \w+ \d{4} 100 % · passed", checks)
    for secret in ("which law", "Charles", "Q0", "Q1", "kPa"):
        assert secret not in words


def test_the_guardian_sees_nothing_of_other_students(history: dict[str, Any]) -> None:
    content = page(Client(), history).content.decode()

    for other in ("ben", "zed", "Chem 11-B", "mr_other", " students"):
        assert other not in content
    assert content.count("Mastered ") == 1  # the child's own count, no class figures


def test_the_page_is_private_and_its_preview_names_no_child(history: dict[str, Any]) -> None:
    response = page(Client(), history)

    head = HEAD.search(response.content.decode())
    assert head is not None
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in head.group(0)
    assert '<meta property="og:title" content="Progress in flipmastery">' in head.group(0)
    assert "<title>Progress in flipmastery</title>" in head.group(0)
    assert "asha" not in head.group(0) and "Chem" not in head.group(0)
    assert not response.cookies  # no session, no CSRF cookie: a guardian is nobody here


def test_the_page_speaks_the_links_language_with_a_switch(school: dict[str, Any]) -> None:
    hindi = guardian_link_create(
        student=school["students"][0], by=school["teacher"], label="", language="hi", now=timezone.now()
    )
    client = Client()

    in_hindi = client.get(f"/g/{hindi.secret}/")
    in_english = client.get(f"/g/{hindi.secret}/", {"lang": "en"})

    assert '<html lang="hi">' in in_hindi.content.decode()
    assert "अगला कदम" in text_of(in_hindi) and "Next step" not in text_of(in_hindi)
    assert 'href="?lang=en"' in in_hindi.content.decode()
    assert '<html lang="en">' in in_english.content.decode() and "Next step" in text_of(in_english)
    assert in_hindi["Content-Language"] == "hi"


def test_a_revoked_link_shows_that_it_no_longer_works_and_nothing_else(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    link = school["link"]
    url = f"/sections/{school['section'].pk}/students/{school['students'][0].pk}/guardian-links/"
    assert as_role("co_teacher").post(f"{url}{link.link.pk}/revoke/").status_code == 302

    response = page(Client(), school)
    by_code = Client().get(f"/g/{link.code}/")

    for gone in (response, by_code):
        assert gone.status_code == 404
        assert "This link no longer works." in text_of(gone)
        assert "asha" not in gone.content.decode() and "GAS-1" not in gone.content.decode()
        assert gone["Cache-Control"] == "no-store"


def test_a_link_shows_nothing_once_its_child_has_left(school: dict[str, Any]) -> None:
    User.objects.filter(pk=school["students"][0].pk).update(is_active=False)

    assert page(Client(), school).status_code == 404


def test_a_link_never_shows_another_child_nor_last_years_sections(school: dict[str, Any]) -> None:
    asha = school["students"][0]
    old = factories.section(school["course"], teachers=[school["teacher"]], students=[asha], name="Chem 10-A")
    Section.objects.filter(pk=old.pk).update(archived_at=timezone.now())
    math = factories.course(code="MATH", title="Maths")
    factories.objective(factories.unit(math), code="RAT-1")
    factories.section(math, students=[asha, school["outsider"]], name="Maths 7-B")
    zeds = guardian_link_create(
        student=school["outsider"], by=school["other_teacher"], label="", language="en", now=timezone.now()
    )

    hers = page(Client(), school).content.decode()
    his = Client().get(f"/g/{zeds.secret}/").content.decode()

    assert re.findall(r'<h2 id="section-\d+">([^<]+)</h2>', hers) == ["Chem 11-A", "Maths 7-B"]
    assert re.findall(r'<h2 id="section-\d+">([^<]+)</h2>', his) == ["Chem 11-B", "Maths 7-B"]
    assert "Progress of zed" in his and "asha" not in his


def test_opening_a_link_notes_when_it_was_last_used(school: dict[str, Any]) -> None:
    assert school["link"].link.last_used_at is None

    page(Client(), school)

    school["link"].link.refresh_from_db()
    assert school["link"].link.last_used_at is not None


def test_the_guardian_page_reads_in_a_fixed_number_of_queries(history: dict[str, Any]) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(Client(), history).status_code == 200
        return len(captured)

    page(Client(), history)  # the first opening also notes when the link was used: one write more
    one = queries()
    asha = history["students"][0]
    for n in range(3):
        course = factories.course(code=f"MORE{n}")
        first = factories.objective(factories.unit(course))
        second = factories.objective(first.unit, prerequisites=[first])
        factories.bank(second, 4)
        section = factories.section(course, teachers=[factories.teacher()], students=[asha])
        factories.mastered(section, asha, first)
        checked(section, asha, second, 0.5, 1)

    assert queries() == one == 9  # the link, then eight flat reads of the child's progress


# --- the code, typed at /g/ -----------------------------------------------------------------------------


def test_the_code_typed_forgivingly_opens_the_childs_page(school: dict[str, Any]) -> None:
    code = school["link"].code
    typed = f" {code[:5].lower()} - {code[5:]} "

    response = Client().get("/g/", {"code": typed, "lang": "en"})

    assert response.status_code == 302 and response.url == f"/g/{code}/?lang=en"
    opened = Client().get(response.url)
    assert opened.status_code == 200 and "Progress of asha" in text_of(opened)


def test_a_wrong_code_says_so_and_the_address_is_stopped_after_thirty(school: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    wrong = "K7QM2XPD9A" if school["link"].code != "K7QM2XPD9A" else "K7QM2XPD9B"

    first = client.get("/g/", {"code": wrong})
    for _ in range(WRONG_CODES_ALLOWED - 1):
        client.get(f"/g/{wrong}/")
    blocked = client.get("/g/", {"code": school["link"].code})

    assert first.status_code == 404
    assert "No link has this code. Check it and type it again." in text_of(first)
    assert blocked.status_code == 429 and blocked["Retry-After"] == "600"
    assert "Too many wrong codes were typed on this network. Try again in 10 minutes." in text_of(blocked)
    assert "asha" not in blocked.content.decode()
    assert page(client, school).status_code == 200  # the link's secret cannot be guessed: never stopped
    assert Client(REMOTE_ADDR="198.51.100.7").get(f"/g/{school['link'].code}/").status_code == 200


def test_the_code_page_is_private_too(school: dict[str, Any]) -> None:
    response = Client().get("/g/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    assert 'name="code"' in response.content.decode()


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_answers_the_guardian_view_in_the_links_language(history: dict[str, Any]) -> None:
    body = Client().get(f"/api/v1/guardian/{history['link'].secret}", {"lang": "hi"}).json()

    assert body["student"] == "asha" and body["language"] == "hi"
    [section] = body["sections"]
    assert (section["name"], section["course"], section["mastered"]) == ("Chem 11-A", "Chemistry", 1)
    assert [(o["code"], o["state"]) for o in section["objectives"]] == [
        ("GAS-1", "MASTERED"),
        ("GAS-2", "NOT_YET"),
    ]
    assert section["next"]["kind"] == "not_yet" and section["next"]["objective"] == "GAS-2"
    assert "GAS-2" in section["next"]["message"] and re.search(r"[\u0900-\u097F]", section["next"]["message"])
    assert [(c["objective"], c["score"], c["result"]) for c in section["checks"]] == [
        ("GAS-2", 0.0, "not_yet"),
        ("GAS-1", 1.0, "passed"),
    ]
    assert set(section["checks"][0]) == {"objective", "at", "score", "result"}


def test_the_api_makes_a_link_whose_secret_opens_the_view_and_lists_no_secrets(
    school: dict[str, Any],
) -> None:
    from flipmastery.api.tokens import api_token_issue

    teacher = Client(headers={"Authorization": f"Bearer {api_token_issue(user=school['teacher'])}"})
    asha = school["students"][0].pk

    made = teacher.post(
        f"/api/v1/students/{asha}/guardian-links",
        {"label": "Papa", "language": "hi"},
        content_type="application/json",
    ).json()
    listed = teacher.get(f"/api/v1/students/{asha}/guardian-links")

    assert made["url"] == f"http://testserver/g/{made['secret']}/"
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", made["code"])
    assert Client().get(f"/api/v1/guardian/{made['secret']}").json()["language"] == "hi"
    assert [g["label"] for g in listed.json()] == ["Papa", "Amma"]
    assert made["secret"] not in listed.content.decode() and made["code"] not in listed.content.decode()
    assert Client().get(f"/api/v1/guardian/{made['code']}").status_code == 404  # a code opens only /g/


def test_a_revoked_link_says_so_in_the_language_it_was_made_for(school: dict[str, Any]) -> None:
    hindi = guardian_link_create(
        student=school["students"][0], by=school["teacher"], label="", language="hi", now=timezone.now()
    )
    GuardianLink.objects.filter(pk=hindi.link.pk).update(revoked_at=timezone.now())

    response = Client().get(f"/g/{hindi.secret}/")
    unknown = Client().get("/g/not-a-link-at-all-not-a-link-at-all/")

    assert response.status_code == 404 and "यह लिंक अब काम नहीं करता।" in text_of(response)
    assert unknown.status_code == 404 and "This link no longer works." in text_of(unknown)
