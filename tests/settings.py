"""Settings for the test suite: the product's own, with a throw-away data dir chosen before they load."""

import atexit
import os
import shutil
import tempfile

if "FLIPMASTERY_DATA_DIR" not in os.environ:  # made here, so removed here when the test run ends
    os.environ["FLIPMASTERY_DATA_DIR"] = tempfile.mkdtemp(prefix="flipmastery-test-")
    atexit.register(shutil.rmtree, os.environ["FLIPMASTERY_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("FLIPMASTERY_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
# Fixtures clear the cache outside any test's database access: files, on PostgreSQL too.
os.environ.setdefault("FLIPMASTERY_CACHE", "file")

from flipmastery.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests only
