"""Django's SQLite backend, with the writers of one server process taking turns in arrival order.

SQLite lets one writer in at a time; a writer that finds the database locked sleeps and polls
(sqlite3_busy_timeout), while the thread that just committed can take the lock straight back. Under a
steady stream of writes (a class autosaving) a waiting submit can be starved for seconds, or fail with
"database is locked". Here every transaction of this process (Django starts them with BEGIN IMMEDIATE)
first takes a ticket in a first-come, first-served queue and hands the turn on at COMMIT or ROLLBACK,
so nobody waits for more than the writers ahead of them.

With several server processes (`serve --workers N`) the thread whose turn it is also takes an exclusive
flock on a file beside the database (`<name>.writers`) before BEGIN and lets go after COMMIT or ROLLBACK:
one thread per process waits there, asleep in the kernel and woken the moment the lock is free, instead
of polling SQLite's busy handler, which a busy neighbour can starve past its timeout. The kernel releases
the lock of a process that dies. Windows has no flock; there `serve` runs one process and the busy
timeout covers anything else that writes.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import deque
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: one server process, the in-process turns suffice
    fcntl = None  # type: ignore[assignment]

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

WAIT_SECONDS = 30.0


class FairLock:
    """A lock handed to its waiters in arrival order (threading.Lock lets the releaser barge back in)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locked = False
        self._waiters: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._locked and not self._waiters:
                self._locked = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ran out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # the lock passes straight to the next in line
            else:
                self._locked = False


WRITERS: dict[str, FairLock] = {}
_REGISTRY = threading.Lock()


def writers_for(name: str) -> FairLock:
    with _REGISTRY:
        return WRITERS.setdefault(name, FairLock())


class ProcessTurn:
    """The writers' flock shared by every process using one database file (held by one thread at a time:
    the one holding its process's FairLock). Opened per process: a descriptor inherited across fork
    would share the lock with the parent."""

    def __init__(self, path: str) -> None:
        self.path, self._pid, self._fd = path, 0, -1

    def _file(self) -> int:
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self) -> None:
        fcntl.flock(self._file(), fcntl.LOCK_EX)  # sleeps with the GIL released

    def release(self) -> None:
        fcntl.flock(self._file(), fcntl.LOCK_UN)


PROCESS_TURNS: dict[str, ProcessTurn] = {}


def process_turn_for(name: str) -> ProcessTurn | None:
    """The cross-process turn of a database file; None in memory or without flock."""
    if fcntl is None or not name or name == ":memory:" or "mode=memory" in name:
        return None
    with _REGISTRY:
        return PROCESS_TURNS.setdefault(name, ProcessTurn(f"{name}.writers"))


@functools.lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    """Django's "%s" placeholders as SQLite's "?", worked out once per statement text: the regex cost
    more than many of the hot path's statements take to run."""
    return str(base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%"))


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_turn = False

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)

    def _turns(self) -> FairLock:
        return writers_for(str(self.settings_dict["NAME"]))

    def _process_turn(self) -> ProcessTurn | None:
        return process_turn_for(str(self.settings_dict["NAME"]))

    def _start_transaction_under_autocommit(self) -> None:
        if not self._turns().acquire(WAIT_SECONDS):
            raise OperationalError(f"database is locked: no turn to write within {WAIT_SECONDS:.0f} s")
        self._holds_turn = True
        try:
            shared = self._process_turn()
            if shared is not None:
                shared.acquire()
                self._holds_process_turn = shared
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._give_turn()
            raise

    _holds_process_turn: ProcessTurn | None = None

    def _give_turn(self) -> None:
        if self._holds_turn:
            self._holds_turn = False
            shared, self._holds_process_turn = self._holds_process_turn, None
            try:
                if shared is not None:
                    shared.release()
            finally:
                self._turns().release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._give_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._give_turn()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._give_turn()
