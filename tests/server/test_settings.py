"""Settings read from the environment (FLIPMASTERY_*), each case in a fresh Python that imports them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

NAMES = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
]
YEAR = 365 * 24 * 60 * 60


def settings_with(tmp_path: Path, **env: str) -> dict[str, Any]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLIPMASTERY_", "DJANGO_"))}
    environment.update(
        FLIPMASTERY_DATA_DIR=str(tmp_path),
        FLIPMASTERY_SECRET_KEY="test-only",
        DJANGO_SETTINGS_MODULE="flipmastery.settings",
        **env,
    )
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    values: dict[str, Any] = json.loads(done.stdout)
    return values


def test_without_https_cookies_work_over_plain_http_and_no_hsts(tmp_path: Path) -> None:
    assert settings_with(tmp_path) == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "LANGUAGE_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    }


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_flipmastery_https_makes_cookies_secure_trusts_the_proxy_and_sends_hsts(
    tmp_path: Path, value: str
) -> None:
    assert settings_with(tmp_path, FLIPMASTERY_HTTPS=value) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": YEAR,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    }


def test_hsts_covers_subdomains_only_when_asked(tmp_path: Path) -> None:
    chosen = settings_with(tmp_path, FLIPMASTERY_HTTPS="1", FLIPMASTERY_HSTS_INCLUDE_SUBDOMAINS="1")
    assert chosen["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    alone = settings_with(tmp_path, FLIPMASTERY_HSTS_INCLUDE_SUBDOMAINS="1")
    assert alone["SECURE_HSTS_SECONDS"] == 0 and alone["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False


@pytest.mark.django_db
def test_behind_the_proxy_a_login_sets_secure_cookies_and_hsts() -> None:
    https = {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_HSTS_SECONDS": YEAR,
    }
    with override_settings(**https):
        response = Client().get("/login/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == f"max-age={YEAR}"
    assert response.cookies["csrftoken"]["secure"] is True


def database_with(tmp_path: Path, **env: str) -> dict[str, Any]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLIPMASTERY_", "DJANGO_"))}
    environment.update(
        FLIPMASTERY_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="flipmastery.settings", **env
    )
    code = "import json; from django.conf import settings as s; print(json.dumps(s.DATABASES['default']))"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    database: dict[str, Any] = json.loads(done.stdout)
    return database


def database_options_with(tmp_path: Path, **env: str) -> dict[str, Any]:
    options: dict[str, Any] = database_with(tmp_path, **env).get("OPTIONS", {})
    return options


def test_postgresql_runs_on_our_backend_and_sqlite_on_ours(tmp_path: Path) -> None:
    url = "postgres://someone@db.school.example:5432/flipmastery"
    assert database_with(tmp_path, FLIPMASTERY_DATABASE_URL=url)["ENGINE"] == "flipmastery.postgresql"
    assert database_with(tmp_path)["ENGINE"] == "flipmastery.sqlite"


def test_on_postgresql_statements_are_prepared_unless_a_pooler_forbids_it(tmp_path: Path) -> None:
    url = "postgres://someone@db.school.example:5432/flipmastery"
    prepared = database_options_with(tmp_path, FLIPMASTERY_DATABASE_URL=url)
    assert prepared == {"server_side_binding": True, "prepare_threshold": 2}
    plain = database_options_with(tmp_path, FLIPMASTERY_DATABASE_URL=url, FLIPMASTERY_DATABASE_PREPARED="0")
    assert "server_side_binding" not in plain and "prepare_threshold" not in plain
    assert "server_side_binding" not in database_options_with(tmp_path)  # SQLite


@pytest.mark.django_db
def test_a_statement_run_twice_is_prepared_on_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    sql = "SELECT COUNT(*) FROM progress_progressevent WHERE section_id = %s AND student_id = %s"
    with connection.cursor() as cursor:
        for n in range(3):
            cursor.execute(sql, [n, n])
            assert cursor.fetchone() == (0,)
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert sql.replace("%s", "$1", 1).replace("%s", "$2") in statements
