"""Runs every benchmark and prints its figures: uv run python benchmarks/run_all.py [--floor DIR]

With --floor (the bare-stack floor's folder) the class load also runs 40 students against the floor,
before and after, and prints the ratios (see class_load.py)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["page_weight.py"],
    ["api_playlist.py"],
    ["checks.py"],
    # quick (~20 s); the figures: --students 40 --burst 60 --seconds 10 (and --database-url …)
    ["class_load.py", "--students", "10", "--burst", "20", "--seconds", "3", "--poll-every", "0.5"],
    ["sign_in_rush.py"],  # 60 students through the sign-in form at once (~1 min, most of it the demo load)
    ["grid.py"],  # class grid 40 × 50 and a 2,000-student school report (~1 min to build the school)
    # the cockpit at district size: report cold (a fresh process) and warm, grid warm, poll 304, grid while
    # students write (~1 min to build the school)
    ["cockpit_scale.py", "--seconds", "5"],
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--floor", metavar="DIR", default="", help="the floor's folder: a class beside it")
    floor = parser.parse_args().floor
    benchmarks = list(BENCHMARKS)
    if floor:
        against = ["--mode", "closed", "--bare", "--poll-every", "0", "--students", "40", "--floor", floor]
        benchmarks.insert(4, ["class_load.py", *against])
    failed = 0
    for name, *args in benchmarks:
        print(f"\n== {' '.join([name, *args])}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / name), *args])  # noqa: S603
    return failed


if __name__ == "__main__":
    sys.exit(main())
