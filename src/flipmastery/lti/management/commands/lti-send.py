"""`flipmastery lti-send`: send the grades waiting for the LMS (cron it every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from flipmastery.lti.ags import send_due


class Command(BaseCommand):
    help = "Send grades waiting for the LMS (LTI AGS); a failure waits longer each time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Send those whose next try is later too.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent, failed = send_due(timezone.now(), everything=options["all"])
        self.stdout.write(f"{sent} sent, {failed} not accepted (tried again later)")
