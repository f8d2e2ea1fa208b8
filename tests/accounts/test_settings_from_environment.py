"""Sign-in settings read from the environment, each case in a fresh Python that imports the product's
settings module (not the tests')."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def product_settings(tmp_path: Path, names: list[str], **env: str) -> tuple[dict[str, Any], str]:
    """The values of `names` in flipmastery.settings under `env`; and the error output if it failed."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLIPMASTERY_", "DJANGO_"))}
    environment.update(
        FLIPMASTERY_DATA_DIR=str(tmp_path),
        FLIPMASTERY_SECRET_KEY="test-only",
        DJANGO_SETTINGS_MODULE="flipmastery.settings",
        **env,
    )
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    return (json.loads(done.stdout) if done.returncode == 0 else {}), done.stderr


def test_api_tokens_stop_working_after_30_idle_days_by_default(tmp_path: Path) -> None:
    assert product_settings(tmp_path, ["TOKEN_IDLE_DAYS"]) == ({"TOKEN_IDLE_DAYS": 30}, "")


def test_flipmastery_token_idle_days_sets_them(tmp_path: Path) -> None:
    values, _ = product_settings(tmp_path, ["TOKEN_IDLE_DAYS"], FLIPMASTERY_TOKEN_IDLE_DAYS=" 7 ")
    assert values == {"TOKEN_IDLE_DAYS": 7}


def test_token_idle_days_that_are_not_a_positive_number_stop_the_server_naming_it(
    tmp_path: Path,
) -> None:
    for wrong in ("0", "-3", "a month", "1.5"):
        values, error = product_settings(tmp_path, ["TOKEN_IDLE_DAYS"], FLIPMASTERY_TOKEN_IDLE_DAYS=wrong)
        assert values == {}
        assert (
            "ImproperlyConfigured: FLIPMASTERY_TOKEN_IDLE_DAYS must be a whole number of days, 1 or more "
            f"(it is {wrong!r})." in error
        )
