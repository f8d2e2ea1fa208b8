"""Chooses and prepares the demo's own data dir before Django starts, never wiping real data."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

MARKER = ".flipmastery-demo"


def default_demo_dir() -> Path:
    configured = os.environ.get("FLIPMASTERY_DATA_DIR")
    return Path(configured).expanduser() if configured else Path.home() / "flipmastery-demo"


def prepare_demo_environment(args: list[str]) -> None:
    """Point FLIPMASTERY_DATA_DIR at the demo dir; start it afresh unless --keep was given."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    known, _ = parser.parse_known_args(args)
    folder = (known.data_dir or default_demo_dir()).resolve()
    if folder.exists() and not known.keep:
        if any(folder.iterdir()) and not (folder / MARKER).exists():
            sys.stderr.write(
                f"{folder} holds data that the demo did not make; the demo will not wipe it.\n"
                "Choose another folder with --data-dir, or unset FLIPMASTERY_DATA_DIR.\n"
            )
            sys.exit(2)
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("This folder was made by `flipmastery demo` and is wiped by it.\n")
    os.environ["FLIPMASTERY_DATA_DIR"] = str(folder)
    os.environ.pop("FLIPMASTERY_DATABASE_URL", None)  # the demo always runs on its own SQLite file


def use_database_argument(args: list[str]) -> None:
    """`load-demo --database-url URL`: the school's database, chosen before Django reads its settings."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--database-url", default=None)
    known, _ = parser.parse_known_args(args)
    if known.database_url:
        os.environ["FLIPMASTERY_DATABASE_URL"] = known.database_url
