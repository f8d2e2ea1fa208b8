"""Shared test setup. Settings come from tests/settings.py; the database from FLIPMASTERY_DATABASE_URL."""

import time

import pytest
from hypothesis import settings

# No per-example time limit: on a shared 2-core machine a busy moment made a fast property "too slow".
# Speed is measured in benchmarks/, never asserted by a test.
settings.register_profile("flipmastery", deadline=None)
settings.load_profile("flipmastery")


@pytest.fixture
def steady_minute() -> None:
    """Start clear of a minute's turn. The queue's and the grid's poll versions turn with the minute (they
    show wait times), so a test that compares two versions must not straddle one."""
    into = time.time() % 60
    if into > 55:
        time.sleep(60.2 - into)


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test() -> None:
    """A test database hands out ids again after a rollback or a fresh copy: what a process keeps by id —
    a question version's words (questions/frozen.py), a class's rows and replays (cockpit/replays.py) —
    must not outlive the test that read it."""
    from flipmastery.cockpit.replays import forget
    from flipmastery.questions.frozen import forget_all

    forget_all()
    forget()


@pytest.fixture(autouse=True)
def _english_unless_asked() -> object:
    """Each test starts in English: a page asked for in Hindi leaves its language active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
