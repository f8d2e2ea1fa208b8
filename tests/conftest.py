"""Shared test setup. Settings come from tests/settings.py; the database from FLIPMASTERY_DATABASE_URL."""
