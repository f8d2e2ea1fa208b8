"""The floor, run beside flipmastery: a bare Django + ninja app doing the same writes, on the same machine.

The floor is a folder of its own (`floor_run.py`, its Django project `proj/`; see its README): it starts
gunicorn with 3 sync processes, drives it with N closed-loop clients doing start → submit, and prints one
JSON line. Its throughput and server CPU per pair, measured in the same minutes as ours, are what our
figures are divided by: this machine is shared and noisy, so only ratios measured back to back mean
anything. `class_load.py --floor DIR` runs it before and after each of its own runs.

The folder is copied once to a working copy beside the temporary files (the original may be read-only),
with its own virtualenv (Django 5.2, django-ninja, gunicorn, psycopg, aiohttp from the package index),
and migrated on SQLite, and on PostgreSQL when that is measured (its database `calib_perf` is made on the
PostgreSQL server at 127.0.0.1:5432 that its settings name).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ["django>=5.2,<5.3", "django-ninja", "gunicorn", "psycopg[binary]", "aiohttp"]
FLOOR_DATABASE = "calib_perf"


@dataclass(frozen=True)
class FloorRun:
    pairs_per_s: float
    cpu_ms: float  # the floor's server processes' CPU per start + submit pair
    postgres_ms: float  # PostgreSQL's processes' (0 on SQLite)
    p50_ms: float
    p99_ms: float
    load: float
    errors: int

    def line(self) -> str:
        return (
            f"the floor: {self.pairs_per_s:.1f} pairs/s, server CPU {self.cpu_ms:.2f} ms per pair"
            + (f" (PostgreSQL's {self.postgres_ms:.2f} ms)" if self.postgres_ms else "")
            + ", "
            f"p50 {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, errors {self.errors} (load {self.load:.1f})"
        )


def working_copy(source: Path, postgres: bool) -> Path:
    """The floor ready to run: copied, its virtualenv made and its databases migrated (once per source)."""
    if not (source / "floor_run.py").is_file():
        raise SystemExit(f"--floor {source}: no floor_run.py there (give the floor's folder)")
    tag = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:10]
    target = Path(tempfile.gettempdir()) / f"flipmastery-floor-{tag}"
    python = target / "venv" / "bin" / "python"
    if not python.exists():
        print(f"preparing the floor in {target} (once: a virtualenv from the package index)", flush=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("venv", "logs", "*.sqlite3*"))
        uv = shutil.which("uv")
        if uv:
            run([uv, "venv", "-q", "--python", sys.executable, str(target / "venv")])
            run([uv, "pip", "install", "-q", "--python", str(python), *PACKAGES])
        else:
            run([sys.executable, "-m", "venv", str(target / "venv")])
            run([str(python), "-m", "pip", "install", "-q", *PACKAGES])
    migrate(target, "sqlite")
    if postgres:
        make_floor_database()
        migrate(target, "pg")
    return target


def make_floor_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [FLOOR_DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{FLOOR_DATABASE}"')


def migrate(target: Path, database: str) -> None:
    env = dict(os.environ, CALIB_DB=database, DJANGO_SETTINGS_MODULE="calib.settings")
    python = str(target / "venv" / "bin" / "python")
    run([python, "manage.py", "migrate", "-v0"], cwd=target / "proj", env=env)


def measure(target: Path, postgres: bool, seconds: float, clients: int) -> FloorRun:
    """One run of the floor: `clients` students back to back for `seconds`, then its own extra phases."""
    database = "pg" if postgres else "sqlite"
    command = [str(target / "venv" / "bin" / "python"), "floor_run.py", database, "sync3"]
    done = run([*command, str(max(1, round(seconds))), str(clients)], cwd=target)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    closed = figures[f"w{clients}"]
    return FloorRun(
        pairs_per_s=closed["subs_per_s"],
        cpu_ms=closed["server_cpu_ms_per_sub"],
        # the floor counts PostgreSQL's processes on SQLite too: another database's, idle or busy elsewhere
        postgres_ms=closed.get("pg_cpu_ms_per_sub", 0.0) if postgres else 0.0,
        p50_ms=closed["p50_ms"],
        p99_ms=closed["p99_ms"],
        load=figures["load1"],
        errors=closed["n_errors"],
    )


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]  # noqa: S603
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SystemExit(f"the floor: {' '.join(command[:3])} … failed:\n" + "\n".join(tail))
    return done  # type: ignore[no-any-return]
