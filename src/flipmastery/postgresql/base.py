"""Django's PostgreSQL backend, checking a kept connection's health without a query when it can.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` on a kept connection at the start of every request that
uses it, so that a connection the server dropped (PostgreSQL restarted, a pooler closed it) is replaced
before the request's first query fails on it. That is a round trip, and a statement for PostgreSQL to
run, on every request: two of them with the database cache, which has its own connection.

A server that drops a connection says so on its socket: it sends its last message (FATAL: terminating
connection…) and closes, and the socket turns readable. A healthy idle connection has nothing to read.
So the socket is looked at first (select with no wait, no round trip): nothing to read means the
connection is as it was; anything to read, or a socket that cannot be looked at, and the `SELECT 1` is
run as before and decides. A peer that vanished without a word (a cable pulled) leaves the socket quiet;
the `SELECT 1` would have waited on it just as long as the request's first query now does.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            readable = [True]  # cannot tell: ask the server
        return True if not readable else bool(super().is_usable())
