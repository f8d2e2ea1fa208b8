"""The file cache's tokens: a map every process of the machine shares (cockpit/token_map.py)."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

from flipmastery.cockpit.token_map import TokenMap


def _replace_in_another_process(folder: str, key: str) -> None:
    TokenMap(folder).replace([key])


def test_a_token_is_made_once_and_kept_until_replaced(tmp_path: Path) -> None:
    tokens = TokenMap(str(tmp_path))
    assert tokens.get("cockpit:section:1") is None  # nobody has asked yet
    made = tokens.tokens(["cockpit:section:1", "cockpit:course:1"])
    assert tokens.tokens(["cockpit:section:1"]) == {"cockpit:section:1": made["cockpit:section:1"]}
    assert tokens.get("cockpit:section:1") == made["cockpit:section:1"]
    tokens.replace(["cockpit:section:1"])
    assert tokens.get("cockpit:section:1") not in (None, made["cockpit:section:1"])
    assert tokens.get("cockpit:course:1") == made["cockpit:course:1"]


def test_another_process_sees_a_replacement_at_once(tmp_path: Path) -> None:
    tokens = TokenMap(str(tmp_path))
    before = tokens.tokens(["cockpit:section:7"])["cockpit:section:7"]
    other = multiprocessing.get_context("spawn").Process(
        target=_replace_in_another_process, args=(str(tmp_path), "cockpit:section:7")
    )
    other.start()
    other.join(60)
    assert other.exitcode == 0
    assert tokens.get("cockpit:section:7") not in (None, before)


def test_a_removed_folder_is_mapped_anew_by_every_process(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    here, there = TokenMap(str(folder)), TokenMap(str(folder))
    here.tokens(["cockpit:section:1"])
    shutil.rmtree(folder)  # someone cleaned the data folder while the server ran
    made = there.tokens(["cockpit:section:1"])["cockpit:section:1"]
    assert here.get("cockpit:section:1") == made  # not the memory of a file that is gone
    here.replace(["cockpit:section:1"])
    assert there.get("cockpit:section:1") != made
