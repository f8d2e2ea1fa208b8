"""Django's database sessions, with the read every signed-in page makes prepared (flipmastery/prepared.py):
the ORM no longer builds the same query on each request. The table, the cookie and what is stored are
Django's (SESSION_ENGINE names this module)."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from flipmastery.prepared import Prepared

_BY_KEY = Prepared(lambda key: Session.objects.filter(session_key=key).order_by()[:1], str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        """As Django's: the session under this key unless it has expired; else none, and a new key."""
        key = self.session_key
        found = _BY_KEY.first(key) if isinstance(key, str) and key else None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
