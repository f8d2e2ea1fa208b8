"""flipmastery serve [--host] [--port]: the production server (migrates first unless --no-migrate, and
always gathers the static files)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from flipmastery.server.run import prepare, serve


class Command(BaseCommand):
    help = "Serve flipmastery for a class or a school (waitress). Listens on all addresses by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="0.0.0.0", help="address to listen on (default: all, for the LAN)"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=16)
        parser.add_argument(
            "--no-migrate", action="store_true", help="do not apply database migrations first"
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, no_migrate: bool, **options: Any
    ) -> None:
        prepare(migrate=not no_migrate)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"data dir: {settings.DATA_DIR}   database: {engine}")
        serve(host, port, threads, self.stdout.write)
