"""Where the state that every server node must agree on lives: the shared cache and the uploaded files.

Read from the environment once, by settings.py (kept free of Django so that the choice can be tested as a
plain function). A node keeps nothing a request needs in its own memory or on its own disk: sessions,
tokens and sign-in throttles are database rows; the counts of wrong codes are in this cache; uploads are
in this storage. Several nodes behind a load balancer therefore need:

- a cache they all reach: Redis (FLIPMASTERY_REDIS_URL), else the database itself when it is PostgreSQL
  (a table every node reaches already), else files in the data dir (the processes of one machine);
- uploads in one place: a folder every node mounts (FLIPMASTERY_MEDIA_DIR, by default `media/` in the
  data dir), or an S3-compatible bucket (FLIPMASTERY_S3_BUCKET, through django-storages).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CACHE_TABLE = "flipmastery_cache"
CACHE_ENTRIES = 20000
CACHE_KINDS = ("redis", "database", "file")
# A signed link to a stored file works this long: a lesson's video, seeked in near its end, still plays.
S3_LINK_SECONDS = 6 * 60 * 60


class StoreError(ValueError):
    """A setting that names no store we can use; its message says which and what to do."""


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def cache_kind(env: Mapping[str, str], on_postgresql: bool) -> str:
    """redis, database or file: FLIPMASTERY_CACHE if given, else the most shared store at hand."""
    chosen = _get(env, "FLIPMASTERY_CACHE").lower()
    if chosen and chosen not in CACHE_KINDS:
        raise StoreError(f"FLIPMASTERY_CACHE must be one of {', '.join(CACHE_KINDS)} (it is {chosen!r}).")
    if chosen == "redis" and not _get(env, "FLIPMASTERY_REDIS_URL"):
        raise StoreError("FLIPMASTERY_CACHE=redis needs FLIPMASTERY_REDIS_URL (redis://host:6379/0).")
    if chosen:
        return chosen
    if _get(env, "FLIPMASTERY_REDIS_URL"):
        return "redis"
    return "database" if on_postgresql else "file"


def caches(env: Mapping[str, str], data_dir: Path, on_postgresql: bool) -> dict[str, dict[str, Any]]:
    """Django's CACHES for the chosen store; every backend here counts atomically (add, incr)."""
    kind = cache_kind(env, on_postgresql)
    if kind == "redis":
        backend: dict[str, Any] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _get(env, "FLIPMASTERY_REDIS_URL"),
            "KEY_PREFIX": "flipmastery",
        }
    elif kind == "database":
        backend = {
            "BACKEND": "flipmastery.server.shared_cache.SharedDatabaseCache",
            "LOCATION": CACHE_TABLE,  # made by `serve` (createcachetable) before it serves
            "OPTIONS": {"MAX_ENTRIES": CACHE_ENTRIES},
        }
    else:
        backend = {
            "BACKEND": "flipmastery.server.shared_cache.SharedFileCache",
            "LOCATION": str(data_dir / "cache"),
            "OPTIONS": {"MAX_ENTRIES": CACHE_ENTRIES},
        }
    return {"default": backend}


def media_dir(env: Mapping[str, str], data_dir: Path) -> Path:
    """The uploads' folder: FLIPMASTERY_MEDIA_DIR (a folder every node mounts), else the data dir's."""
    configured = _get(env, "FLIPMASTERY_MEDIA_DIR")
    return Path(configured).expanduser().resolve() if configured else data_dir / "media"


def media_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """STORAGES["default"]: the media folder (MEDIA_ROOT), or the S3-compatible bucket of
    FLIPMASTERY_S3_BUCKET."""
    bucket = _get(env, "FLIPMASTERY_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if importlib.util.find_spec("storages") is None:
        raise StoreError(
            "FLIPMASTERY_S3_BUCKET needs django-storages: install flipmastery with its s3 extra "
            "(uv sync --extra s3, or pip install 'flipmastery[s3]')."
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,  # the bucket stays private: files are reached through signed links only
        "querystring_auth": True,
        "querystring_expire": S3_LINK_SECONDS,
        "file_overwrite": False,  # as on a folder: a second upload of a name gets a name of its own
        "location": _get(env, "FLIPMASTERY_S3_PREFIX"),
    }
    for name, option in (
        ("FLIPMASTERY_S3_ENDPOINT_URL", "endpoint_url"),  # MinIO, Ceph, Garage, a cloud's S3 API
        ("FLIPMASTERY_S3_REGION", "region_name"),
        ("FLIPMASTERY_S3_ACCESS_KEY_ID", "access_key"),
        ("FLIPMASTERY_S3_SECRET_ACCESS_KEY", "secret_key"),
        ("FLIPMASTERY_S3_ADDRESSING_STYLE", "addressing_style"),  # "path" for most self-hosted stores
    ):
        if _get(env, name):
            options[option] = _get(env, name)
    return {"BACKEND": "flipmastery.server.object_storage.BucketStorage", "OPTIONS": options}
