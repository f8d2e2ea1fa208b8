"""`flipmastery lti-keys [list | rotate | remove KID]`: our LTI signing keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from flipmastery.lti import keys


class Command(BaseCommand):
    help = "List, rotate or remove our LTI keys: the newest signs, older ones stay published until removed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="list", choices=["list", "rotate", "remove"])
        parser.add_argument("kid", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "rotate":
                self.stdout.write(f"signs now: {keys.rotate().kid}")
            elif options["action"] == "remove":
                if not options["kid"]:
                    raise CommandError("Say which key: flipmastery lti-keys remove KID")
                keys.remove(options["kid"])
                self.stdout.write(f"removed: {options['kid']}")
        except keys.KeyError_ as e:
            raise CommandError(str(e)) from None
        signing = keys.current().kid
        for k in keys.published():
            self.stdout.write(f"{k.kid}{'  (signs)' if k.kid == signing else ''}")
