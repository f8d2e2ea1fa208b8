"""Passwords are hashed with Argon2id at OWASP's minimum; older hashes still verify and are rehashed at the
next sign-in. The test suite hashes with MD5 for speed (tests/settings.py), so these tests put the product's
own setting back, read from the settings module itself."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.test import Client, override_settings

from flipmastery import settings as product_settings
from flipmastery.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

ARGON2ID_AT_OWASP_MINIMUM = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def with_password(person: User, hashed: str) -> User:
    """The person with this stored hash, as an older version of the product left it."""
    User.objects.filter(pk=person.pk).update(password=hashed)
    person.refresh_from_db()
    return person


def test_the_product_hashes_with_argon2id_at_owasps_minimum_and_still_knows_pbkdf2() -> None:
    assert product_settings.PASSWORD_HASHERS == [
        "flipmastery.accounts.hashers.Argon2idHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=product_settings.PASSWORD_HASHERS):
        hashed = make_password("student")

        assert hashed.startswith(ARGON2ID_AT_OWASP_MINIMUM)
        assert check_password("student", hashed)
        assert not check_password("Student", hashed)
        assert not get_hasher("default").must_update(hashed)


@pytest.mark.parametrize("where", ["web", "api"])
def test_a_pbkdf2_hash_still_signs_in_and_becomes_argon2id(where: str) -> None:
    with override_settings(PASSWORD_HASHERS=product_settings.PASSWORD_HASHERS):
        old = make_password("student", hasher="pbkdf2_sha256")
        asha = with_password(factories.student(username="asha"), old)
        assert asha.password.startswith("pbkdf2_sha256$")

        if where == "web":
            response = Client().post("/login/", {"username": "asha", "password": "student"})
            assert response.status_code == 302
        else:
            credentials = {"username": "asha", "password": "student"}
            response = Client().post("/api/v1/auth/token", credentials, content_type="application/json")
            assert response.status_code == 201

        asha.refresh_from_db()
        assert asha.password.startswith(ARGON2ID_AT_OWASP_MINIMUM)
        assert check_password("student", asha.password)


def test_a_wrong_password_leaves_an_old_hash_as_it_was() -> None:
    with override_settings(PASSWORD_HASHERS=product_settings.PASSWORD_HASHERS):
        old = make_password("student", hasher="pbkdf2_sha256")
        asha = with_password(factories.student(username="asha"), old)

        response = Client().post("/login/", {"username": "asha", "password": "not it"})

        assert response.status_code == 200
        asha.refresh_from_db()
        assert asha.password == old
