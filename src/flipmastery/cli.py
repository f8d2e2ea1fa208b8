"""The `flipmastery` command: our own commands (demo, serve, import-course, …) and every Django command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "demo":
        # The demo owns its data dir, chosen before Django reads its settings.
        from flipmastery.demo.datadir import prepare_demo_environment

        prepare_demo_environment(args[1:])
    if args and args[0] == "load-demo":
        from flipmastery.demo.datadir import use_database_argument

        use_database_argument(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipmastery.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["flipmastery", *args])


if __name__ == "__main__":
    main()
