"""Real threads against a real database: a file SQLite database like the product's, or PostgreSQL.

Django tests SQLite in memory with a shared cache, where a second writer is told "table is locked" at
once instead of waiting its turn: nothing like the WAL file a server runs on. So on SQLite each test here
gets a copy of the test database in a file, opened with the product's own settings (WAL, BEGIN
IMMEDIATE, a 30 s busy timeout), and every thread talks to that file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

# PostgreSQL allows 100 connections by default and other clients share the server, so at most this many
# threads hold one at a time, as a server's worker threads would; SQLite has no such limit.
PG_WORKERS = 40


@pytest.fixture
def real_db(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """The test database as threads see it in production: committed, shared, with its real locking."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)  # the migrated, empty test database, into a file
    copy.close()
    in_memory, settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {**settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        connections.settings["default"] = settings


class Crowd:
    """Runs one function per thread, all released together by a barrier, and keeps what each returned.

    Each call of `request()` plays one HTTP request: it holds a database connection only for its
    duration on PostgreSQL (through a pool of PG_WORKERS slots) and every thread closes its
    connections when it ends.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.barrier = threading.Barrier(size, timeout=120)
        pg = connection.vendor == "postgresql"
        self._slots = threading.BoundedSemaphore(PG_WORKERS) if pg else None
        self.results: list[Any] = [None] * size
        self.errors: list[tuple[int, BaseException]] = []

    @contextmanager
    def request(self) -> Iterator[None]:
        if self._slots is None:
            yield
            return
        with self._slots:
            try:
                yield
            finally:
                connections.close_all()

    def run(self, target: Callable[[int, Crowd], Any]) -> list[Any]:
        def one(n: int) -> None:
            try:
                self.results[n] = target(n, self)
            except BaseException as exc:  # every failure is a finding: keep it for the assertion
                self.errors.append((n, exc))
                self.barrier.abort()  # the others must not wait for a thread that is gone
            finally:
                connections.close_all()

        threads = [threading.Thread(target=one, args=(n,), name=f"crowd-{n}") for n in range(self.size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(t.is_alive() for t in threads), "a thread is stuck"
        return self.results


@pytest.fixture
def crowd() -> Callable[[int], Crowd]:
    return Crowd
