"""Django's file and database caches with `add` and `incr` made atomic across server processes and nodes.

The throttles count wrong codes with add + incr (accounts/address_limits.py, accounts/cards.py). Django's
file cache does each as a read and then a write, so several processes (or threads) counting at once lose
counts: 40 wrong join codes sent at once over two processes all passed a limit of 30. Here both run
under a lock: a process-local one for this process's threads, then an flock on a file in the cache
folder for the other processes (Windows has no flock; `serve` runs one process there). Redis
(FLIPMASTERY_REDIS_URL) counts atomically by itself. Django's database cache adds atomically (an INSERT
that a second node's loses), but increments as a read and then a write; here the row is locked between
them (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions lock the whole database).
"""

from __future__ import annotations

import base64
import itertools
import os
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


# The database cache counts its table (to cull it past MAX_ENTRIES) on one write in this many, not on each:
# between two counts it grows by this many writes at most.
CULL_EVERY = 50
_THREADS = threading.Lock()  # Django makes a cache object per thread: the lock is the process's
_LOCK_FILES: dict[str, tuple[int, int]] = {}  # cache folder → (pid that opened it, descriptor)


def _lock_file(folder: str) -> int:
    pid, fd = _LOCK_FILES.get(folder, (0, -1))
    if pid != os.getpid():  # a descriptor inherited across fork would share the parent's lock
        os.makedirs(folder, 0o700, exist_ok=True)
        fd = os.open(os.path.join(folder, "counting.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        _LOCK_FILES[folder] = (os.getpid(), fd)
    return fd


class SharedFileCache(FileBasedCache):
    @contextmanager
    def _counting(self) -> Iterator[None]:
        with _THREADS:
            if fcntl is None:
                yield
                return
            fd = _lock_file(self._dir)  # type: ignore[attr-defined]
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        with self._counting():
            return bool(super().add(key, value, timeout, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        with self._counting():
            return super().incr(key, delta, version)


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache, for nodes that share a PostgreSQL database and no Redis."""

    _sets = itertools.count()  # this process's set_many calls: the table is counted on every CULL_EVERY-th

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        name = connection.ops.quote_name
        table = name(self._table)  # type: ignore[attr-defined]
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Names quoted by the backend, the key a parameter.
        read = f"SELECT {name('value')}, {name('expires')} FROM {table} WHERE {name('cache_key')} = %s"  # noqa: S608
        write = f"UPDATE {table} SET {name('value')} = %s WHERE {name('cache_key')} = %s"  # noqa: S608
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(read + lock, [key])
            row = cursor.fetchone()
            if row is None or _expires(row[1], connection) < now():
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 - our own rows
            cursor.execute(write, [self._pickled(value), key])
        return value

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        """On PostgreSQL all of them in one statement: Django's sets them one by one, three queries each, and
        the grid keeps a class's replays here at once."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if not data or connection.vendor != "postgresql":
            return list(super().set_many(data, timeout, version))
        seconds = self.get_backend_timeout(timeout)
        # As Django's own set: no expiry is the largest date, naive; an expiry is in UTC with USE_TZ.
        zone = UTC if settings.USE_TZ else None
        ends = datetime.max if seconds is None else datetime.fromtimestamp(seconds, tz=zone)
        expires = connection.ops.adapt_datetimefield_value(ends.replace(microsecond=0))
        # In key order: two writers of overlapping keys lock their rows in the same order, never in a cycle.
        rows = sorted(
            (self.make_and_validate_key(key, version=version), self._pickled(value), expires)
            for key, value in data.items()
        )
        name = connection.ops.quote_name
        table = name(self._table)  # type: ignore[attr-defined]
        key, value, until = name("cache_key"), name("value"), name("expires")
        places = ", ".join(["(%s, %s, %s)"] * len(rows))
        upsert = (
            f"INSERT INTO {table} ({key}, {value}, {until}) VALUES {places} "  # noqa: S608 - quoted names
            f"ON CONFLICT ({key}) DO UPDATE SET {value} = EXCLUDED.{value}, {until} = EXCLUDED.{until}"
        )
        with connection.cursor() as cursor:
            if next(self._sets) % CULL_EVERY == 0:  # counting the table on every write cost a query each
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count > self._max_entries:  # type: ignore[attr-defined]
                    self._cull(db, cursor, now(), count)  # type: ignore[attr-defined]
            cursor.execute(upsert, [part for row in rows for part in row])
        return []

    def _pickled(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")


def _expires(value: Any, connection: Any) -> Any:
    """The row's expiry as Django's cache reads it (aware or naive as the database stores it)."""
    expression = models.Expression(output_field=models.DateTimeField())
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


class CacheRouter:
    """Sends the database cache's table to a connection of its own (`cache` in settings.DATABASES, the same
    database): a cache written inside a request's transaction would otherwise keep its rows locked, and
    hidden from the other nodes, until that transaction ends, where Redis would have them at once."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return "cache" if model._meta.app_label == "django_cache" else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return self.db_for_read(model, **hints)
