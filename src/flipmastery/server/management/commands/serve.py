"""flipmastery serve [--host] [--port] [--workers N] [--threads T]: the production server (migrates first
unless --no-migrate, and always gathers the static files)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from flipmastery.server.run import DEFAULT_THREADS, default_workers, prepare, serve


class Command(BaseCommand):
    help = (
        "Serve flipmastery for a class or a school: one process per core (gunicorn; waitress on Windows). "
        "Listens on all addresses by default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="0.0.0.0", help="address to listen on (default: all, for the LAN)"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="server processes (default: this machine's cores; always 1 on Windows)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help=f"requests each process serves at once (default {DEFAULT_THREADS})",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="do not apply database migrations first"
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        threads: int,
        no_migrate: bool,
        **options: Any,
    ) -> None:
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        prepare(migrate=not no_migrate)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"data dir: {settings.DATA_DIR}   database: {engine}")
        if settings.NODE_NAME and not os.environ.get("FLIPMASTERY_SECRET_KEY"):
            # Each machine's data dir makes its own key: a sign-in on one node would fail on the next.
            self.stderr.write(
                f"node {settings.NODE_NAME}: give every node the same FLIPMASTERY_SECRET_KEY "
                f"(this one uses the key in {settings.DATA_DIR})"
            )
        serve(host, port, threads, self.stdout.write, workers=workers)
