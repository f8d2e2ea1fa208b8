"""flipmastery demo [--port 8000] [--keep]: a fresh demo classroom on SQLite, served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from flipmastery.accounts.models import User
from flipmastery.demo.services import demo_load
from flipmastery.server.run import prepare, serve


class Command(BaseCommand):
    help = "Start the demo classroom: Gas Laws and Rational Numbers, a teacher and 60 students."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--keep", action="store_true", help="reuse the demo data dir from last time")
        parser.add_argument("--data-dir", type=Path, default=None, help="where the demo keeps its data")
        parser.add_argument("--no-serve", action="store_true", help="prepare the data and stop")

    def handle(self, *args: Any, port: int, host: str, keep: bool, no_serve: bool, **options: Any) -> None:
        prepare()
        if not User.objects.filter(username="teacher").exists():
            demo_load()
        url = f"http://{host}:{port}/"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "flipmastery demo classroom",
                    f"  data dir : {settings.DATA_DIR}",
                    f"  open     : {url}",
                    "  teacher  : teacher / teacher   (both sections)",
                    "  students : chem01 … chem30 / student   (Chemistry 11-A, Gas Laws)",
                    "             math01 … math30 / student   (Maths 7-B, Rational Numbers, Hindi)",
                    "",
                ]
            )
        )
        if not no_serve:
            serve(host, port, 8, self.stdout.write)
