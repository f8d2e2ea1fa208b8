"""Where flipmastery keeps its data and how it reads its environment (kept free of Django)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DATA_DIR_ENV = "FLIPMASTERY_DATA_DIR"


def data_dir() -> Path:
    """The folder holding the SQLite database, uploads and the secret key."""
    configured = os.environ.get(DATA_DIR_ENV)
    path = Path(configured).expanduser() if configured else Path.home() / "flipmastery-data"
    return path.resolve()


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def secret_key(folder: Path) -> str:
    """FLIPMASTERY_SECRET_KEY, or a random key generated once for this data dir (never a built-in one)."""
    configured = os.environ.get("FLIPMASTERY_SECRET_KEY")
    if configured:
        return configured
    path = folder / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key)
    return key
