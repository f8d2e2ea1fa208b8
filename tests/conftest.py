"""Shared test setup. Settings come from tests/settings.py; the database from FLIPMASTERY_DATABASE_URL."""

import time

import pytest


@pytest.fixture
def steady_minute() -> None:
    """Start clear of a minute's turn. The queue's and the grid's poll versions turn with the minute (they
    show wait times), so a test that compares two versions must not straddle one."""
    into = time.time() % 60
    if into > 55:
        time.sleep(60.2 - into)
