"""The SQLite backend's cursor turns Django's placeholders into SQLite's as Django's own does, once per
statement text."""

from __future__ import annotations

import pytest
from django.db import connection

from flipmastery.sqlite.base import _qmark

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backend's own cursor")


def test_placeholders_and_a_literal_percent_are_converted_as_django_converts_them() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s || '%%', %s", ["50", 7])
        assert cursor.fetchone() == ("50%", 7)
        cursor.execute("SELECT 'it''s 100%%'")  # no params: left exactly as written, as Django leaves it
        assert cursor.fetchone() == ("it's 100%%",)
        cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})  # named, as Django supports
        assert cursor.fetchone() == (5,)
        cursor.execute("CREATE TEMP TABLE percents (label TEXT)")
        cursor.executemany("INSERT INTO percents VALUES (%s || '%%')", [("10",), ("20",)])
        cursor.execute("SELECT label FROM percents ORDER BY label")
        assert cursor.fetchall() == [("10%",), ("20%",)]


def test_a_statement_is_converted_once() -> None:
    _qmark.cache_clear()
    with connection.cursor() as cursor:
        for n in range(3):
            cursor.execute("SELECT %s + 1", [n])
            assert cursor.fetchone() == (n + 1,)
    assert _qmark.cache_info().misses == 1 and _qmark.cache_info().hits == 2
