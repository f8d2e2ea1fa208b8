"""Our PostgreSQL backend (flipmastery/postgresql): a kept connection's health check sends no statement
while the connection is quiet and replaces one the server dropped before a request uses it; and times are
read by psycopg's compiled loader exactly as Django's own loader reads them."""

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


TIMES = [
    "2026-12-07 19:52:58.462486+00",
    "2026-03-29 01:30:00+05:30",
    "1999-12-31 23:59:59.999999-08",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59+00",
]


def test_times_are_read_by_the_compiled_loader_as_django_reads_them() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the loader is PostgreSQL's backend")
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    from flipmastery.postgresql.base import CompiledTimestamps

    connection.ensure_connection()
    oid = connection.connection.adapters.types["timestamptz"].oid
    assert issubclass(connection.connection.adapters.get_loader(oid, Format.TEXT), CompiledTimestamps)
    sql = "SELECT " + ", ".join(f"'{t}'::timestamptz" for t in TIMES)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        ours = cursor.fetchone()
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own loader, on this cursor
        cursor.execute(sql)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert [t.tzinfo for t in ours] == [connection.timezone] * len(TIMES)
    assert [t.utcoffset() for t in ours] == [t.utcoffset() for t in djangos]


def test_a_time_goes_in_and_comes_back_the_same() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the loader is PostgreSQL's backend")
    from datetime import UTC, datetime, timedelta, timezone

    from flipmastery.accounts.models import User

    joined = datetime(2026, 12, 7, 19, 52, 58, 462486, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    person = User.objects.create(username="timekeeper", date_joined=joined)
    back = User.objects.get(pk=person.pk).date_joined
    assert back == joined and back.tzinfo is UTC


def test_the_socket_is_quiet_only_with_nothing_to_read_and_no_hang_up() -> None:
    import socket

    from flipmastery.postgresql.base import _quiet

    ours, servers = socket.socketpair()
    with ours, servers:
        assert _quiet(ours.fileno()) is True
        servers.sendall(b"E")  # the server's last message before it closes
        assert _quiet(ours.fileno()) is False
        ours.recv(1)
        assert _quiet(ours.fileno()) is True
        servers.close()  # the server hung up
        assert _quiet(ours.fileno()) is False
    assert _quiet(ours.fileno()) is False  # a closed socket cannot be looked at: ask the server
