"""Playwright (sync API) driving Debian's chromium against pytest-django's live_server; never downloads it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _one_request_at_a_time() -> Iterator[None]:
    """The live server's threads share the test database's one in-memory SQLite connection (Django shares
    it so they see the test's data); two requests at once, such as a page's queued autosaves resent after a
    dropped connection, would interleave their transactions on it ("no such savepoint"). The real server
    gives each thread its own connection; here each request runs alone, whole."""
    from django.core.handlers.wsgi import WSGIHandler

    lock = threading.Lock()
    original = WSGIHandler.__call__

    def alone(self: Any, environ: Any, start_response: Any) -> Any:
        with lock:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = alone  # type: ignore[method-assign]
    yield
    WSGIHandler.__call__ = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt install chromium); these tests never download a browser")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


class Visit:
    """One browser tab on the live server that records requests leaving it and console errors."""

    def __init__(self, context: Any, base_url: str) -> None:
        self.base_url = base_url
        self.page = context.new_page()
        self.external: list[str] = []
        self.console_errors: list[str] = []
        ours = urlsplit(base_url).netloc
        context.route("**/*", lambda route: self._route(route, ours))
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def _route(self, route: Any, ours: str) -> None:
        url = route.request.url
        if urlsplit(url).netloc == ours:
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def go(self, path: str) -> Any:
        self.page.goto(self.base_url + path)
        return self.page

    def log_in(self, username: str, password: str) -> Any:
        page = self.go("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]:has-text('Log in')")
        return page

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        # caret="initial": hiding the caret means an inline style, which our CSP refuses (and logs).
        self.page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    def has_horizontal_scroll(self) -> bool:
        return bool(self.page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


@pytest.fixture
def visit(browser: Any, live_server: Any) -> Iterator[Any]:
    """`visit(width, height)` → a Visit in a fresh context (its own cookies) of that viewport."""
    contexts: list[Any] = []

    def open_tab(width: int = 1280, height: int = 800) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
        contexts.append(context)
        return Visit(context, live_server.url)

    yield open_tab
    for context in contexts:
        context.close()
