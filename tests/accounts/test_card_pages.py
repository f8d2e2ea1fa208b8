"""Sign-in cards through the pages: the QR link /c/<code>/ and the typed code sign a student in for this
browser session only, after signing out whoever was signed in on the device; a card that does not work says
so plainly; a teacher prints (all or one), reprints and revokes from the section's cards page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from flipmastery.accounts import cards
from flipmastery.accounts.cards import CardLimit, card_issue
from flipmastery.accounts.models import SignInCard, hash_token
from flipmastery.courses.models import Course
from tests import factories

NOT_WORKING = "This card no longer works: ask your teacher for a new one."
SHOWN = re.compile(r'<p class="signin-card-code code">([0-9A-Z]{5}-[0-9A-Z]{5})</p>')


def issue(room: dict[str, Any], who: str = "asha") -> str:
    issued = card_issue(section=room["section"], student=room[who], by=room["teacher"], now=timezone.now())
    return issued.shown


def signed_in(client: Client) -> str | None:
    page = client.get("/sections/")
    if page.status_code != 200:
        return None
    found = re.search(r"Signed in as <strong>([^<]+)</strong>", page.content.decode())
    return found.group(1) if found else None


# --- a student signs in -------------------------------------------------------------------------------------


def test_the_qr_link_signs_the_student_in_until_the_browser_closes_and_lands_on_the_playlist(
    room: dict[str, Any],
) -> None:
    client = Client()
    code = issue(room)

    response = client.get(f"/c/{code}/")

    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").url == f"/sections/{room['section'].pk}/playlist/"
    assert signed_in(client) == "asha"
    assert client.session.get_expire_at_browser_close() is True
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    assert SignInCard.objects.get().last_used_at is not None


def test_a_student_of_several_sections_lands_on_their_sections(room: dict[str, Any]) -> None:
    room["other_section"].enrollments.create(student=room["asha"])
    client = Client()

    client.get(f"/c/{issue(room)}/")

    assert client.get("/").url == "/sections/"


def test_a_card_signs_out_whoever_was_signed_in_on_the_device_and_the_next_card_works_at_once(
    room: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(room["teacher"])
    teachers_session = client.session.session_key
    asha, ben = issue(room, "asha"), issue(room, "ben")

    client.get(f"/c/{asha}/")
    assert signed_in(client) == "asha"
    client.get(f"/c/{ben}/")

    assert signed_in(client) == "ben"
    assert not Session.objects.filter(session_key=teachers_session).exists()
    assert Session.objects.count() == 1


@pytest.mark.parametrize("path", ["/c/AAAAA-AAAAA/", "/c/not-a-code/", "/c/%3Cscript%3E/"])
def test_an_unknown_code_gets_a_clear_page_and_signs_nobody_in(room: dict[str, Any], path: str) -> None:
    client = Client()

    response = client.get(path)

    assert response.status_code == 404
    page = response.content.decode()
    assert f'<p class="errors" role="alert" id="card-problem">{NOT_WORKING}</p>' in page
    assert 'action="/c/"' in page and 'href="/login/"' in page
    assert "Traceback" not in page and "<script>" not in page
    assert "_auth_user_id" not in client.session


def test_a_revoked_card_gets_the_same_page_and_leaves_who_was_signed_in_as_they_were(
    room: dict[str, Any],
) -> None:
    code = issue(room)
    issue(room)  # reprinted: the first card is revoked
    client = Client()
    client.force_login(room["ben"])

    response = client.get(f"/c/{code}/")

    assert response.status_code == 404
    assert NOT_WORKING in response.content.decode()
    assert signed_in(client) == "ben"


def test_the_sign_in_page_has_a_field_for_the_cards_code_that_signs_in(room: dict[str, Any]) -> None:
    client = Client()
    page = client.get("/login/").content.decode()
    assert '<h2 id="card-way-h">Sign in with my card</h2>' in page
    assert '<form method="post" action="/c/" hx-boost="false" class="card-sign-in">' in page
    assert 'name="code" id="id_card_code"' in page
    code = issue(room).replace("-", " ").lower()

    response = client.post("/c/", {"code": code})

    assert response.status_code == 302 and response.url == "/"
    assert signed_in(client) == "asha"
    assert client.session.get_expire_at_browser_close() is True


def test_a_mistyped_code_is_said_and_kept_in_the_field_to_fix(room: dict[str, Any]) -> None:
    client = Client()

    response = client.post("/c/", {"code": "K7QM2-XPD9"})

    assert response.status_code == 404
    page = response.content.decode()
    assert NOT_WORKING in page
    assert 'value="K7QM2-XPD9"' in page and 'aria-invalid="true" aria-describedby="card-problem"' in page
    assert "_auth_user_id" not in client.session


def test_the_field_alone_at_c(room: dict[str, Any]) -> None:
    response = Client().get("/c/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Sign in with my card</h1>" in page and "autofocus" in page
    assert 'role="alert"' not in page


def test_a_password_sign_in_still_lasts_beyond_the_browser(room: dict[str, Any]) -> None:
    client = Client()
    client.post("/login/", {"username": "asha", "password": factories.PASSWORD})

    assert client.session.get_expire_at_browser_close() is False


def test_past_the_limit_of_wrong_codes_even_the_right_code_waits_and_the_page_says_so(
    room: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cards, "LIMIT", CardLimit(wrong_codes=2))
    code = issue(room)
    client = Client()
    client.get("/c/AAAAA-AAAAA/")
    client.post("/c/", {"code": "BBBBB-BBBBB"})

    for response in (client.get(f"/c/{code}/"), client.post("/c/", {"code": code})):
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 600
        assert "Too many wrong card codes were typed here. Wait" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Client(REMOTE_ADDR="10.9.9.9").get(f"/c/{code}/").status_code == 302  # another network


def test_the_card_pages_in_hindi(room: dict[str, Any]) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"

    page = client.get("/c/AAAAA-AAAAA/").content.decode()
    login = client.get("/login/").content.decode()

    assert '<html lang="hi">' in page
    assert "यह कार्ड अब काम नहीं करता: अपने शिक्षक से नया कार्ड माँगें।" in page
    assert "<h1>अपने कार्ड से लॉग इन करें</h1>" in page
    assert "अपने कार्ड से लॉग इन करें" in login and "मेरे कार्ड पर लिखा कोड" in login


# --- a teacher prints and revokes -------------------------------------------------------------------------


def test_the_roster_leads_to_the_cards_page_which_lists_each_students_card(
    room: dict[str, Any],
) -> None:
    issue(room, "ben")
    client = Client()
    client.force_login(room["teacher"])

    roster = client.get(f"/sections/{room['section'].pk}/roster/").content.decode()
    page = client.get(f"/sections/{room['section'].pk}/cards/").content.decode()

    assert f'href="/sections/{room["section"].pk}/cards/"' in roster
    assert "Print sign-in cards for all 2 students" in page
    assert "shown only" in page
    asha = page.split('id="student-')[1]
    ben = page.split('id="student-')[2]
    assert "none" in asha and ">Print <span" in asha and "Revoke card" not in asha
    assert "not used yet" in ben and ">Reprint <span" in ben and "Revoke card" in ben


def test_printing_for_the_class_makes_new_cards_shown_once_with_their_qr_code(room: dict[str, Any]) -> None:
    old = issue(room)
    client = Client()
    client.force_login(room["teacher"])

    response = client.post(f"/sections/{room['section'].pk}/cards/print/")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    shown = SHOWN.findall(page)
    assert len(shown) == 2
    live = SignInCard.objects.filter(revoked_at__isnull=True).order_by("user__username")
    assert [c.digest for c in live] == [hash_token(s.replace("-", "")) for s in shown]
    assert [c.user.username for c in live] == ["asha", "ben"]
    assert page.count('class="qr"><title>') == 2
    for code in shown:
        assert f"<title>{code}: http://testserver/c/{code}/</title>" in page
    assert "Print this page now" in page and "shown only here" in page
    assert page.count("Scan the QR code with a camera, or open testserver/c/ and type this code:") == 2
    assert page.count('<article class="signin-card"') == 2 and page.count('<div class="signin-page">') == 1
    assert 'id="loopback"' not in page
    assert Client().get(f"/c/{old}/").status_code == 404


def test_printing_one_students_card_leaves_the_others(room: dict[str, Any]) -> None:
    asha = issue(room)
    client = Client()
    client.force_login(room["teacher"])

    page = client.post(
        f"/sections/{room['section'].pk}/cards/print/", {"student": room["ben"].pk}
    ).content.decode()

    assert len(SHOWN.findall(page)) == 1 and "ben" in page.split('class="signin-card-name"')[1][:40]
    assert Client().get(f"/c/{asha}/").status_code == 302


def test_eight_cards_a_page(room: dict[str, Any]) -> None:
    for n in range(7):
        room["section"].enrollments.create(student=factories.student(username=f"kid{n}"))
    client = Client()
    client.force_login(room["teacher"])

    page = client.post(f"/sections/{room['section'].pk}/cards/print/").content.decode()

    sheets = page.split('<div class="signin-page">')[1:]
    assert [s.count('<article class="signin-card"') for s in sheets] == [8, 1]


def test_printed_from_localhost_the_page_warns_that_phones_cannot_open_them(room: dict[str, Any]) -> None:
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(room["teacher"])

    page = client.post(f"/sections/{room['section'].pk}/cards/print/").content.decode()

    assert 'id="loopback"' in page and "<code>localhost:8000</code>" in page


def test_a_hindi_courses_cards_print_in_hindi(room: dict[str, Any]) -> None:
    Course.objects.filter(pk=room["course"].pk).update(language="hi")
    client = Client()
    client.force_login(room["teacher"])

    page = client.post(f"/sections/{room['section'].pk}/cards/print/").content.decode()

    assert '<article class="signin-card" lang="hi"' in page
    assert "QR कोड कैमरे से स्कैन करें, या testserver/c/ खोलकर यह कोड लिखें:" in page
    assert "<h1>2 sign-in cards to print</h1>" in page  # the teacher's own words stay English


def test_revoking_a_card_from_the_page(room: dict[str, Any]) -> None:
    code = issue(room)
    client = Client()
    client.force_login(room["teacher"])

    response = client.post(f"/sections/{room['section'].pk}/cards/{room['asha'].pk}/revoke/")

    assert response.status_code == 302
    assert response.url == f"/sections/{room['section'].pk}/cards/?revoked={room['asha'].pk}"
    assert "asha’s card no longer works." in client.get(response.url).content.decode()
    assert SignInCard.objects.get().revoked_at is not None
    assert NOT_WORKING in Client().get(f"/c/{code}/").content.decode()
