"""Version tokens of sections and courses, kept where every server process sees a change: in the shared
cache (Redis, the database) or, with the file cache of one machine, in a file every process maps into its
memory beside it (token_map.py), which costs no file written per change.

A write that changes what a section's grid shows (evidence, an attempt, the roster, the plan, the section's
policy) calls `section_changed`; an edit of a course calls `course_changed`, which changes its sections'
tokens too. A token is a random word, never a counter: a token the cache dropped (a restart of Redis, the
file cache culling entries) comes back as a new word, so nothing kept under an old one is ever taken for
current. The token is replaced once, when the write's transaction commits (at once outside one): a
reader that read the token before the commit read the old rows too, and keeps what it built under a token
the commit replaces; a poll in between is answered 304 for rows not yet committed, which is what it would
read. One write of the token per write in the database.

The grid's poll answers 304 from the token alone (`poll_tag`, `poll_is_current`): no query at all. Its
ETag is bound to the teacher's session, the way they look at the grid and the minute, so a tag cannot be
replayed by anyone else, and a change no write reported is still seen when the minute turns (the page
rebuilds each minute anyway: it shows times since the last activity).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from flipmastery.cockpit.token_map import TokenMap

SECTION = "cockpit:section:{}"
COURSE = "cockpit:course:{}"


def _new() -> str:
    return secrets.token_hex(8)


def _mapped() -> TokenMap | None:
    """With the file cache (one machine), the tokens live in a map of its own beside it (token_map.py)."""
    global _MAP
    if _MAP is None:
        backend = settings.CACHES["default"]
        _MAP = TokenMap(backend["LOCATION"]) if backend["BACKEND"].endswith(".SharedFileCache") else False
    return _MAP if isinstance(_MAP, TokenMap) else None


_MAP: TokenMap | bool | None = None  # False: the cache is shared beyond this machine (Redis, the database)


def _replace(keys: Sequence[str]) -> None:
    mapped = _mapped()
    if mapped is not None:
        mapped.replace(keys)
    elif keys:
        cache.set_many({key: _new() for key in keys}, timeout=None)


def _bump(keys: Sequence[str]) -> None:
    transaction.on_commit(lambda: _replace(keys))


def section_changed(*section_ids: int) -> None:
    """What these sections' grids show has changed (call it where the change is written)."""
    _bump([SECTION.format(pk) for pk in section_ids])


def course_changed(course_id: int) -> None:
    """The course's objectives, prerequisites, ways to learn or activities changed: so did every section
    of it (one query, for their ids)."""
    from flipmastery.classroom.models import Section

    sections = list(Section.objects.filter(course_id=course_id).values_list("pk", flat=True))
    _bump([COURSE.format(course_id), *(SECTION.format(pk) for pk in sections)])


def tokens(keys: Iterable[str]) -> dict[str, str]:
    """The current token of each key (one cache read; a missing one is made, and stays unless replaced)."""
    wanted = list(keys)
    mapped = _mapped()
    if mapped is not None:
        return mapped.tokens(wanted)
    found: dict[str, str] = cache.get_many(wanted)
    for key in wanted:
        if key not in found:
            made = _new()
            found[key] = made if cache.add(key, made, timeout=None) else str(cache.get(key) or made)
    return found


def section_token(section_id: int) -> str:
    key = SECTION.format(section_id)
    return tokens([key])[key]


def course_tokens(course_ids: Iterable[int]) -> dict[int, str]:
    ids = list(course_ids)
    found = tokens(COURSE.format(pk) for pk in ids)
    return {pk: found[COURSE.format(pk)] for pk in ids}


# ---- the grid's ETag --------------------------------------------------------------------------------------


def _seal(section_id: int, session: str, view: str) -> str:
    """Binds a tag to one session's look at one section: nobody else can send it back for a 304."""
    message = f"{section_id}|{session}|{view}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]


def poll_tag(section_id: int, token: str, minute: int, session: str, view: str, fingerprint: str) -> str:
    """The grid's ETag: the section's token (read before anything the page is built from), the minute,
    the seal of who looks and how, and a fingerprint of the rows it was built from."""
    return f'W/"{token}.{minute}.{_seal(section_id, session, view)}.{fingerprint}"'


def poll_is_current(if_none_match: str, section_id: int, minute: int, session: str, view: str) -> str:
    """The tag sent, when it is still current for this session and view (one cache read), else ""."""
    sent = if_none_match.strip().removeprefix("W/").strip('"')
    parts = sent.split(".")
    if len(parts) != 4 or not session or parts[1] != str(minute):
        return ""
    if not hmac.compare_digest(parts[2], _seal(section_id, session, view)):
        return ""
    mapped = _mapped()
    key = SECTION.format(section_id)
    current = mapped.get(key) if mapped is not None else cache.get(key)
    return f'W/"{sent}"' if current is not None and hmac.compare_digest(parts[0], str(current)) else ""
