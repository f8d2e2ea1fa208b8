"""Runs every benchmark and prints its figures: uv run python benchmarks/run_all.py"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["page_weight.py", "api_playlist.py"]


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"\n== {name}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / name)])  # noqa: S603
    return failed


if __name__ == "__main__":
    sys.exit(main())
