"""What a question version says, kept in memory once a student has been shown it.

A version an attempt has shown never changes again (an edit makes a new version: `question_save`), so
a start, a submit and its feedback need not read and decode its JSON every time. A version not yet shown
may still be edited in place: it is read from the database each time and never kept. Nor is what a
transaction reads: a version it marked shown would be editable again if it rolled back.

Each server process keeps its own copy of these immutable values; nothing here can differ between
processes or nodes, because what is kept is what the database holds for good.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.db import connection

from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import Question
from flipmastery.questions.models import QuestionVersion

KEPT_AT_MOST = 4096  # versions; a large school's live banks, at a few KiB each

_KEPT: OrderedDict[int, Question] = OrderedDict()
_LOCK = threading.Lock()

# tests/questions/test_frozen.py pins the table and columns
VERSION_DATA = "SELECT id, data, shown FROM questions_questionversion WHERE id IN ({ids})"


def questions_of(version_ids: Iterable[int]) -> dict[int, Question]:
    """Version id → the question it says: from memory for versions shown already, else one query."""
    wanted = set(version_ids)
    found: dict[int, Question] = {}
    with _LOCK:
        for pk in wanted:
            value = _KEPT.get(pk)
            if value is not None:
                _KEPT.move_to_end(pk)
                found[pk] = value
    missing = sorted(wanted - found.keys())
    if not missing:
        return found
    data = QuestionVersion._meta.get_field("data")
    with connection.cursor() as cursor:
        cursor.execute(VERSION_DATA.format(ids=", ".join(["%s"] * len(missing))), missing)
        rows = cursor.fetchall()
    committed = not connection.in_atomic_block  # what autocommit reads is committed for good
    for pk, raw, shown in rows:
        value = from_data(data.from_db_value(raw, None, connection))  # type: ignore[attr-defined,arg-type]
        found[int(pk)] = value
        if shown and committed:
            keep(int(pk), value)
    return found


def keep(version_id: int, value: Question) -> None:
    """Remember what a shown version says (read with its `shown` flag, committed)."""
    with _LOCK:
        _KEPT[version_id] = value
        _KEPT.move_to_end(version_id)
        while len(_KEPT) > KEPT_AT_MOST:
            _KEPT.popitem(last=False)


def forget_all() -> None:
    """For tests that rebuild the database under the same ids."""
    with _LOCK:
        _KEPT.clear()
