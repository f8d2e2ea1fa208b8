"""A school admin registers an LMS and reads the values to paste into it; our keys are published and
rotated. Teachers and students never reach these pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from flipmastery.accounts.models import Role
from flipmastery.lti import keys
from flipmastery.lti.models import Platform
from tests import factories

FORM = {
    "name": "School Moodle",
    "issuer": "https://moodle.school.test",
    "client_id": "abc123",
    "deployment_ids": "1\n2",
    "auth_login_url": "https://moodle.school.test/mod/lti/auth.php",
    "auth_token_url": "https://moodle.school.test/mod/lti/token.php",
    "key_set_url": "https://moodle.school.test/mod/lti/certs.php",
}


def test_a_school_admin_registers_an_lms_and_sees_what_to_paste(client: Client, db: None) -> None:
    client.force_login(factories.user(Role.ADMIN))
    page = client.get("/school/lms/").content.decode()
    for value in ("/lti/launch/", "/lti/login/", "/lti/jwks/"):
        assert f"http://testserver{value}" in page
    response = client.post("/school/lms/new/", FORM)
    assert response.status_code == 302
    platform = Platform.objects.get()
    assert (platform.issuer, platform.client_id, platform.deployment_ids) == (
        "https://moodle.school.test",
        "abc123",
        ["1", "2"],
    )
    assert "School Moodle" in client.get("/school/lms/").content.decode()
    changed = client.post(f"/school/lms/{platform.pk}/", {**FORM, "deployment_ids": "1, 2, 3"})
    assert changed.status_code == 302
    platform.refresh_from_db()
    assert platform.deployment_ids == ["1", "2", "3"]


def test_a_bad_registration_says_every_problem_and_saves_nothing(client: Client, db: None) -> None:
    client.force_login(factories.user(Role.ADMIN))
    response = client.post("/school/lms/new/", {**FORM, "client_id": "", "key_set_url": "not a url"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "client id is needed" in page and "must be a web address" in page
    assert not Platform.objects.exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT])
def test_only_a_school_admin_reaches_the_lms_pages(client: Client, db: None, role: str) -> None:
    client.force_login(factories.user(role))
    for url in ("/school/lms/", "/school/lms/new/", "/lti/register/"):
        assert client.get(url).status_code == 404
    assert client.post("/school/lms/new/", FORM).status_code == 404
    assert client.post("/school/lms/keys/rotate/").status_code == 404
    assert not Platform.objects.exists()


def test_a_student_never_reaches_the_sections_lms_page(client: Client, classroom: dict[str, Any]) -> None:
    section = classroom["section"]
    client.force_login(classroom["students"][0])
    assert client.get(f"/sections/{section.pk}/lms/").status_code == 404
    assert client.post(f"/sections/{section.pk}/lms/roster/").status_code == 404
    assert client.post(f"/sections/{section.pk}/lms/resend/").status_code == 404
    client.force_login(classroom["other_teacher"])
    assert client.get(f"/sections/{section.pk}/lms/").status_code == 404


def test_the_jwks_publishes_the_old_key_after_a_rotation_until_it_is_removed(
    client: Client, db: None
) -> None:
    first = keys.current()
    assert [k["kid"] for k in client.get("/lti/jwks/").json()["keys"]] == [first.kid]
    call_command("lti-keys", "rotate")
    second = keys.current()
    assert second.kid != first.kid
    assert [k["kid"] for k in client.get("/lti/jwks/").json()["keys"]] == [second.kid, first.kid]
    with pytest.raises(keys.KeyError_):
        keys.remove(second.kid)  # the signing key stays
    client.force_login(factories.user(Role.ADMIN))
    assert client.post(f"/school/lms/keys/{first.kid}/remove/").status_code == 302
    assert [k["kid"] for k in client.get("/lti/jwks/").json()["keys"]] == [second.kid]
    assert all(k["kty"] == "RSA" and "d" not in k for k in client.get("/lti/jwks/").json()["keys"])


def test_the_lms_pages_are_linked_from_the_school_and_the_sections_settings(
    client: Client, classroom: dict[str, Any]
) -> None:
    client.force_login(factories.user(Role.ADMIN))
    assert 'href="/school/lms/"' in client.get("/school/people/").content.decode()
    section = classroom["section"]
    client.force_login(classroom["teacher"])
    assert (
        f'href="/sections/{section.pk}/lms/"'
        in client.get(f"/sections/{section.pk}/settings/").content.decode()
    )
    assert "No LMS course is tied" in client.get(f"/sections/{section.pk}/lms/").content.decode()


def test_removing_a_key_takes_that_kid_only(client: Client, db: None) -> None:
    keys.current()
    old = keys.current()
    keys.rotate()
    client.force_login(factories.user(Role.ADMIN))
    client.post("/school/lms/keys/*/remove/")  # a kid is compared, never a pattern
    assert {k.kid for k in keys.published()} >= {old.kid, keys.current().kid}
