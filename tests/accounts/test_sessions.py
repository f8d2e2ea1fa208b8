"""A student stays signed in on their own device for 30 days; on a shared device, "This is a shared device"
ends the session when the browser closes. Signing out is a POST from every page's header."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests import factories
from tests.accounts.test_settings_from_environment import product_settings

pytestmark = pytest.mark.django_db

THIRTY_DAYS = 30 * 24 * 60 * 60


def test_the_product_keeps_a_session_30_days(tmp_path: Path) -> None:
    values, _ = product_settings(tmp_path, ["SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE"])
    assert values == {"SESSION_COOKIE_AGE": THIRTY_DAYS, "SESSION_EXPIRE_AT_BROWSER_CLOSE": False}


def test_on_my_own_device_the_session_lasts_30_days() -> None:
    asha = factories.student(username="asha")
    client = Client()

    response = client.post("/login/", {"username": "asha", "password": factories.PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == THIRTY_DAYS
    assert cookie["expires"]
    assert client.session["_auth_user_id"] == str(asha.pk)
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == THIRTY_DAYS


def test_on_a_shared_device_the_session_ends_when_the_browser_closes() -> None:
    asha = factories.student(username="asha")
    client = Client()
    form = {"username": "asha", "password": factories.PASSWORD, "shared_device": "1"}

    response = client.post("/login/", form)

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session["_auth_user_id"] == str(asha.pk)
    assert client.session.get_expire_at_browser_close()
    assert client.get("/sections/").status_code == 200


def test_a_wrong_password_keeps_the_shared_device_box_as_it_was() -> None:
    factories.student(username="asha")
    client = Client()

    ticked = client.post("/login/", {"username": "asha", "password": "no", "shared_device": "1"})
    unticked = client.post("/login/", {"username": "asha", "password": "no"})

    assert 'id="id_shared_device" value="1" checked>' in ticked.content.decode()
    assert 'id="id_shared_device" value="1">' in unticked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_offers_the_shared_device_box() -> None:
    html = Client().get("/login/").content.decode()
    assert (
        '<input type="checkbox" name="shared_device" id="id_shared_device" value="1">'
        '<label for="id_shared_device">This is a shared device (sign me out when the browser closes)</label>'
    ) in html


def test_every_page_signs_out_with_one_post_button_in_its_header() -> None:
    asha = factories.student(username="asha")
    client = Client()
    client.force_login(asha)

    html = client.get("/sections/").content.decode()

    header = html[html.index('<header class="top">') : html.index("</header>")]
    assert '<form method="post" action="/logout/" hx-boost="false">' in header
    assert '<button type="submit">Log out</button>' in header
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_token_read_is_one_query_joining_the_person_and_gives_what_the_orm_gives() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from flipmastery.accounts.api_tokens import _BY_DIGEST, find_token
    from flipmastery.accounts.models import ApiToken, hash_token

    student = factories.student()
    raw = ApiToken.new_raw()
    made = ApiToken.objects.create(user=student, digest=hash_token(raw), password_stamp="stamp")
    with CaptureQueriesContext(connection) as read:
        found = find_token(raw)
    assert len(read) == 1 and "JOIN" in _BY_DIGEST.sql()
    assert found is not None and found.pk == made.pk and found.user == student
    orm = ApiToken.objects.select_related("user").get(pk=made.pk)
    for name in ("digest", "password_stamp", "created_at", "last_used_at", "user_id"):
        assert getattr(found, name) == getattr(orm, name)
    for name in ("username", "role", "is_active", "password", "date_joined", "last_login"):
        assert getattr(found.user, name) == getattr(orm.user, name)
    assert find_token("not a token") is None


def signed_out(client: Client) -> bool:
    answer = client.get("/sections/")
    return answer.status_code == 302 and str(answer["Location"]).startswith("/login/")


def test_a_signed_in_page_reads_the_session_and_the_person_as_django_does() -> None:
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    asha = factories.student(username="asha")
    client = Client()
    assert client.post("/login/", {"username": "asha", "password": factories.PASSWORD}).status_code == 302
    with CaptureQueriesContext(connection) as read:
        page = client.get("/sections/")
    assert page.status_code == 200 and page.context["user"] == asha
    sql = [q["sql"] for q in read.captured_queries]
    assert sum("django_session" in q for q in sql) == 1 and sum('FROM "accounts_user"' in q for q in sql) == 1

    key = client.cookies["sessionid"].value
    asha.is_active = False  # a person who may no longer sign in is signed out, as Django's backend says
    asha.save()
    assert signed_out(client)
    asha.is_active = True
    asha.save()
    assert client.get("/sections/").status_code == 200

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert signed_out(client)  # expired: signed out, though the row is still there
    other = Client()
    other.cookies["sessionid"] = "x" * 32  # a key no session has
    assert signed_out(other)


def test_the_session_engine_is_djangos_database_sessions() -> None:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore as Django

    from flipmastery.accounts.sessions import SessionStore

    assert settings.SESSION_ENGINE == "flipmastery.accounts.sessions" and issubclass(SessionStore, Django)
    store = SessionStore()
    store["x"] = 1
    store.create()
    again = SessionStore(store.session_key)
    assert again["x"] == 1 and again.session_key == store.session_key
    assert SessionStore("no such key").load() == {}
