"""Serves the WSGI app with waitress (pure Python, so it runs the same on Windows, macOS and Linux)."""

from __future__ import annotations

import socket
from collections.abc import Callable

from django.core.management import call_command


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, for the URL students type on the school LAN."""
    try:
        _, _, addresses = socket.gethostbyname_ex(socket.gethostname())
    except OSError:
        return []
    return sorted({a for a in addresses if not a.startswith("127.")})


def prepare() -> None:
    """Apply migrations and gather static files with their gzip copies, so phones load little."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def serve(host: str, port: int, threads: int, announce: Callable[[str], None]) -> None:
    from django.conf import settings
    from waitress import serve as waitress_serve

    # prepare() collected the static files with their .gz copies: serve those, not the app folders.
    settings.WHITENOISE_USE_FINDERS = False
    from flipmastery.wsgi import application

    urls = (
        [f"http://{host}:{port}/"]
        if host not in ("0.0.0.0", "::")
        else [f"http://{a}:{port}/" for a in (lan_addresses() or ["127.0.0.1"])]
    )
    announce("flipmastery is serving at " + "  ".join(urls) + "   (Ctrl+C stops it)")
    # Many students behind one school router share an address, and a class arrives at once: a deep
    # backlog and enough threads keep the first minute of a lesson from queueing.
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=threads,
        backlog=1024,
        connection_limit=1000,
        channel_timeout=120,
        ident="flipmastery",
    )
