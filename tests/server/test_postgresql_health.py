"""A kept PostgreSQL connection's health check (flipmastery/postgresql): no statement while the connection
is quiet, and a connection the server dropped is replaced before a request uses it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept() -> Iterator[Any]:
    """A connection of its own to the test database, as a server thread keeps one between requests."""
    if connection.vendor != "postgresql":
        pytest.skip("the socket check is PostgreSQL's backend")
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def backend_pid(wrapper: Any) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def last_statement(pid: int) -> str:
    """What PostgreSQL says the backend ran last, seen from the test's own connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def health_check(wrapper: Any) -> None:
    """What Django does at the start of each request for a kept connection."""
    wrapper.health_check_done = False
    wrapper.close_if_health_check_failed()


def test_a_quiet_connection_passes_without_a_statement(kept: Any) -> None:
    pid = backend_pid(kept)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the last request' AS marker")
    health_check(kept)
    assert kept.connection is not None and backend_pid_unchanged(kept, pid)
    assert "the last request" in last_statement(pid)  # no SELECT 1 was sent after it


def backend_pid_unchanged(wrapper: Any, pid: int) -> bool:
    return bool(wrapper.connection.info.backend_pid == pid)


def test_a_connection_the_server_dropped_is_replaced_before_a_query_fails_on_it(kept: Any) -> None:
    pid = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 10
    while last_statement(pid) and time.monotonic() < deadline:  # until the backend is gone
        time.sleep(0.05)

    health_check(kept)

    assert kept.connection is None  # closed, so the next query opens a new one
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert backend_pid(kept) != pid


def test_a_closed_connection_is_not_usable(kept: Any) -> None:
    kept.connection.close()
    assert kept.is_usable() is False
