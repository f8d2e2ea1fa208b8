"""flipmastery load-demo [--database-url URL] [--wipe]: the demo classroom in the school's own database.

A school tries flipmastery on the database it will use (PostgreSQL, usually) before putting its own
courses in. The database is migrated first; one that already holds people, courses or sections is left as
it is unless --wipe says to empty it, so a typo in the URL never loads 61 demo logins into a real school.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Course
from flipmastery.demo.services import demo_load


def database_name() -> str:
    """The database as a person reads it: engine, host and name, never the password."""
    db = settings.DATABASES["default"]
    engine = str(db["ENGINE"]).rsplit(".", 1)[-1]
    where = f"{db.get('HOST')}:{db.get('PORT') or 5432}/" if db.get("HOST") else ""
    return f"{engine} {where}{db['NAME']}"


def what_is_there() -> dict[str, int]:
    """The rows that make a database someone's: people, courses, sections (only those there are)."""
    counts = {
        "people": User.objects.count(),
        "courses": Course.objects.count(),
        "sections": Section.objects.count(),
    }
    return {name: n for name, n in counts.items() if n}


class Command(BaseCommand):
    help = (
        "Load the demo classroom (Gas Laws and Rational Numbers, a teacher and 60 students) into this "
        "database, e.g. the school's PostgreSQL. Refuses a database that holds data unless --wipe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database-url",
            default=None,
            help="postgres://user:password@host:5432/name (default: FLIPMASTERY_DATABASE_URL, or SQLite)",
        )
        parser.add_argument(
            "--wipe",
            action="store_true",
            help="delete EVERYTHING in this database first (people, courses, sections, answers)",
        )

    def handle(self, *args: Any, wipe: bool, **options: Any) -> None:
        # --database-url was read by the `flipmastery` command before the settings (demo/datadir.py).
        name = database_name()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        there = what_is_there()
        if there and not wipe:
            found = ", ".join(f"{n} {what}" for what, n in there.items())
            raise CommandError(
                f"{name} already holds data ({found}); the demo was not loaded and nothing was changed. "
                "Give another database, or add --wipe to delete everything in this one first."
            )
        if there:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(f"emptied {name}")
        demo_load()
        self.stdout.write(
            "\n".join(
                [
                    f"the demo classroom is in {name}",
                    "  teacher  : teacher / teacher   (both sections)",
                    "  students : chem01 … chem30 / student   (Chemistry 11-A, Gas Laws)",
                    "             math01 … math30 / student   (Maths 7-B, Rational Numbers, Hindi)",
                    "  serve it : flipmastery serve (with the same FLIPMASTERY_DATABASE_URL)",
                ]
            )
        )
