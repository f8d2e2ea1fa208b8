"""Several nodes share everything a request needs: the cache and uploads chosen from the environment, the
database cache counting atomically, uploads answered through the storage, the node's name on every answer,
and load-demo never loading into a database that holds a school's data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Course
from flipmastery.server import stores
from flipmastery.server.media import policy_with_media, stored_file_response
from flipmastery.server.middleware import NODE_HEADER, ProxiedAddress
from flipmastery.web.middleware import POLICY
from tests import factories

POSTGRES = "postgres://someone:secret@db.school.example:5432/flipmastery"  # parsed, never connected to


def settings_with(tmp_path: Path, *names: str, **env: str) -> dict[str, Any]:
    """The settings `names` as a fresh Python reads them from this environment (and nothing else)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLIPMASTERY_", "DJANGO_"))}
    environment.update(
        FLIPMASTERY_DATA_DIR=str(tmp_path / "data"),
        FLIPMASTERY_SECRET_KEY="test-only",
        DJANGO_SETTINGS_MODULE="flipmastery.settings",
        **env,
    )
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1]}
    values: dict[str, Any] = json.loads(done.stdout)
    return values


# -- the shared cache ------------------------------------------------------------------------------------


def backend(env: dict[str, str], on_postgresql: bool) -> str:
    return str(stores.caches(env, Path("/data"), on_postgresql)["default"]["BACKEND"]).rsplit(".", 1)[-1]


def test_the_cache_is_redis_when_given_else_postgresql_s_table_else_the_data_dir_s_files() -> None:
    redis = {"FLIPMASTERY_REDIS_URL": "redis://127.0.0.1:6379/0"}

    assert backend(redis, on_postgresql=True) == "RedisCache"
    assert backend(redis, on_postgresql=False) == "RedisCache"
    assert backend({}, on_postgresql=True) == "SharedDatabaseCache"
    assert backend({}, on_postgresql=False) == "SharedFileCache"
    assert stores.caches({}, Path("/data"), False)["default"]["LOCATION"] == "/data/cache"


def test_flipmastery_cache_chooses_and_a_wrong_choice_is_named() -> None:
    assert backend({"FLIPMASTERY_CACHE": "file"}, on_postgresql=True) == "SharedFileCache"
    assert backend({"FLIPMASTERY_CACHE": "Database"}, on_postgresql=False) == "SharedDatabaseCache"
    with pytest.raises(stores.StoreError, match="must be one of redis, database, file"):
        stores.caches({"FLIPMASTERY_CACHE": "memcached"}, Path("/data"), True)
    with pytest.raises(stores.StoreError, match="needs FLIPMASTERY_REDIS_URL"):
        stores.caches({"FLIPMASTERY_CACHE": "redis"}, Path("/data"), True)


def test_settings_use_postgresql_s_table_for_the_cache_and_the_media_dir_for_uploads(tmp_path: Path) -> None:
    chosen = settings_with(
        tmp_path,
        "CACHES",
        "DATABASES",
        "DATABASE_ROUTERS",
        "MEDIA_ROOT",
        "STORAGES",
        FLIPMASTERY_DATABASE_URL=POSTGRES,
        FLIPMASTERY_MEDIA_DIR=str(tmp_path / "shared"),
    )

    assert chosen["CACHES"]["default"]["BACKEND"] == "flipmastery.server.shared_cache.SharedDatabaseCache"
    assert chosen["CACHES"]["default"]["LOCATION"] == "flipmastery_cache"
    # on a connection of its own to the same database: outside the requests' transactions
    cache_db, db = chosen["DATABASES"]["cache"], chosen["DATABASES"]["default"]
    assert (cache_db["HOST"], cache_db["NAME"]) == (db["HOST"], db["NAME"])
    assert cache_db["TEST"] == {"MIRROR": "default"}
    assert chosen["DATABASE_ROUTERS"] == ["flipmastery.server.shared_cache.CacheRouter"]
    assert chosen["MEDIA_ROOT"] == str(tmp_path / "shared")
    assert chosen["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_without_the_database_cache_there_is_one_connection_and_no_router(tmp_path: Path) -> None:
    chosen = settings_with(
        tmp_path,
        "DATABASES",
        "DATABASE_ROUTERS",
        FLIPMASTERY_DATABASE_URL=POSTGRES,
        FLIPMASTERY_REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert list(chosen["DATABASES"]) == ["default"]
    assert chosen["DATABASE_ROUTERS"] == []


def test_a_wrong_cache_setting_stops_the_server_with_its_message(tmp_path: Path) -> None:
    chosen = settings_with(tmp_path, "CACHES", FLIPMASTERY_CACHE="memcached")

    assert chosen["error"].startswith("django.core.exceptions.ImproperlyConfigured: FLIPMASTERY_CACHE must")


@pytest.fixture
def table_cache(db: None) -> Any:
    """SharedDatabaseCache in its own table of the test database."""
    both = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "flipmastery.server.shared_cache.SharedDatabaseCache",
            "LOCATION": "test_cache",
        },
    }
    with override_settings(CACHES=both):
        call_command("createcachetable", verbosity=0)
        yield caches["shared"]


def test_the_database_cache_adds_once_and_counts(table_cache: Any) -> None:
    assert table_cache.add("wrong-join-codes:10.0.0.1", 0, 60) is True
    assert table_cache.add("wrong-join-codes:10.0.0.1", 0, 60) is False

    counts = [table_cache.incr("wrong-join-codes:10.0.0.1") for _ in range(3)]

    assert counts == [1, 2, 3]
    assert table_cache.get("wrong-join-codes:10.0.0.1") == 3
    assert table_cache.incr("wrong-join-codes:10.0.0.1", 5) == 8


def test_counting_keeps_the_window_and_a_missing_or_ended_count_is_not_counted(table_cache: Any) -> None:
    table_cache.add("window", 1, 60)
    expires = _expiry("window")

    table_cache.incr("window")

    assert _expiry("window") == expires
    with pytest.raises(ValueError, match="not found"):
        table_cache.incr("never-counted")
    table_cache.add("ended", 1, 60)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE test_cache SET expires = %s", [timezone.now() - timedelta(seconds=1)])
    with pytest.raises(ValueError, match="not found"):
        table_cache.incr("ended")


def test_the_database_cache_is_culled_but_not_counted_on_every_write(table_cache: Any) -> None:
    """Counting the table on each write cost a query per token replaced; it is counted on one write in
    CULL_EVERY, and culled past MAX_ENTRIES then (PostgreSQL's one-statement set_many): it may grow past
    MAX_ENTRIES by a few CULL_EVERY writes, against a limit of many thousands."""
    from django.test.utils import CaptureQueriesContext

    from flipmastery.server.shared_cache import CULL_EVERY

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement set_many is PostgreSQL's")
    table_cache._max_entries = 10
    with CaptureQueriesContext(connection) as seen:
        for n in range(3 * CULL_EVERY):
            table_cache.set_many({f"token:{n}": n}, timeout=None)
    counts = [q for q in seen.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM test_cache")
        assert cursor.fetchone()[0] < 3 * CULL_EVERY  # some of the keys written were culled
    assert table_cache.get(f"token:{3 * CULL_EVERY - 1}") == 3 * CULL_EVERY - 1  # the newest is kept


def _expiry(key: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM test_cache WHERE cache_key LIKE %s", [f"%:{key}"])
        return cursor.fetchone()[0]


# -- uploads ----------------------------------------------------------------------------------------------


def test_uploads_go_to_the_media_dir_given_else_the_data_dir_s(tmp_path: Path) -> None:
    assert stores.media_dir({}, tmp_path) == tmp_path / "media"
    assert stores.media_dir({"FLIPMASTERY_MEDIA_DIR": str(tmp_path / "nfs")}, tmp_path) == tmp_path / "nfs"
    assert stores.media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_bucket_is_private_with_signed_links_and_the_connection_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stores.importlib.util, "find_spec", lambda name: object())
    env = {
        "FLIPMASTERY_S3_BUCKET": "uploads",
        "FLIPMASTERY_S3_ENDPOINT_URL": "https://minio.school.example:9000",
        "FLIPMASTERY_S3_ACCESS_KEY_ID": "key",
        "FLIPMASTERY_S3_SECRET_ACCESS_KEY": "secret",
        "FLIPMASTERY_S3_ADDRESSING_STYLE": "path",
    }

    chosen = stores.media_storage(env)

    assert chosen == {
        "BACKEND": "flipmastery.server.object_storage.BucketStorage",
        "OPTIONS": {
            "bucket_name": "uploads",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 6 * 60 * 60,
            "file_overwrite": False,
            "location": "",
            "endpoint_url": "https://minio.school.example:9000",
            "access_key": "key",
            "secret_key": "secret",
            "addressing_style": "path",
        },
    }


def test_an_s3_bucket_without_django_storages_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stores.importlib.util, "find_spec", lambda name: None)

    with pytest.raises(stores.StoreError, match=r"install flipmastery with its s3 extra"):
        stores.media_storage({"FLIPMASTERY_S3_BUCKET": "uploads"})


class LinkedStorage(Storage):
    """A storage with no local path, as object storage: its files are reached through signed links."""

    files: ClassVar[dict[str, bytes]] = {}

    def _save(self, name: str, content: Any) -> str:
        self.files[name] = content.read()
        return name

    def exists(self, name: str) -> bool:
        return name in self.files

    def url(self, name: str | None) -> str:
        return f"/media/{name}"

    def signed_url(self, name: str) -> str:
        return f"https://bucket.school.example/{name}?signature=abc"


def test_a_file_in_object_storage_is_answered_with_its_signed_link_and_a_missing_one_is_404() -> None:
    linked = {
        "default": {"BACKEND": f"{__name__}.LinkedStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    request = RequestFactory().get("/media/learning-objects/2026/boyle.mp4")
    with override_settings(STORAGES=linked):
        name = default_storage.save("learning-objects/2026/boyle.mp4", ContentFile(b"video"))
        response = stored_file_response(request, name)
        with pytest.raises(Exception, match="file not found"):
            stored_file_response(request, "learning-objects/2026/gone.mp4")

    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.school.example/{name}?signature=abc"
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_in_a_folder_is_streamed_by_the_node_with_ranges(tmp_path: Path) -> None:
    request = RequestFactory().get("/media/x", headers={"Range": "bytes=1-2"})
    with override_settings(MEDIA_ROOT=tmp_path):
        name = default_storage.save("learning-objects/2026/notes.pdf", ContentFile(b"abcdef"))
        response = stored_file_response(request, name)

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == b"bc"  # type: ignore[attr-defined]


def test_pages_may_show_media_from_the_bucket_s_origin_and_nothing_else_changes() -> None:
    policy = policy_with_media(POLICY, "https://bucket.school.example")

    assert "img-src 'self' data: https://bucket.school.example;" in policy
    assert "media-src 'self' https://bucket.school.example;" in policy
    assert policy.replace(" https://bucket.school.example", "") == POLICY
    assert policy_with_media(POLICY, "") == POLICY


# -- behind nginx --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_answer_names_its_node_when_the_node_has_a_name() -> None:
    with override_settings(NODE_NAME="school-2-8001"):
        page = Client().get("/login/")
        missing = Client().get("/no-such-page/")
    unnamed = Client().get("/login/")

    assert page[NODE_HEADER] == "school-2-8001"
    assert missing.status_code == 404 and missing[NODE_HEADER] == "school-2-8001"
    assert NODE_HEADER not in unnamed


def test_the_client_address_comes_from_nginx_only_when_asked() -> None:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request.META["REMOTE_ADDR"])
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    with override_settings(PROXY_REAL_IP=True):
        ProxiedAddress(view)(request)
    with override_settings(PROXY_REAL_IP=False), pytest.raises(MiddlewareNotUsed):
        ProxiedAddress(view)

    assert seen == ["203.0.113.7"]


# -- load-demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_refuses_a_database_with_data_and_changes_nothing() -> None:
    factories.teacher(username="ms_rao")

    with pytest.raises(CommandError, match=r"already holds data \(1 people\); the demo was not loaded"):
        call_command("load-demo")

    assert list(User.objects.values_list("username", flat=True)) == ["ms_rao"]
    assert not Course.objects.exists() and not Section.objects.exists()


@pytest.mark.django_db
def test_load_demo_with_wipe_empties_the_database_and_loads_the_classroom() -> None:
    factories.teacher(username="ms_rao")

    call_command("load-demo", "--wipe", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not User.objects.filter(username="ms_rao").exists()
    assert User.objects.filter(username="teacher").exists()
    assert sorted(Section.objects.values_list("name", flat=True)) == ["Chemistry 11-A", "Maths 7-B"]
    assert User.objects.filter(username__startswith="chem").count() == 30
