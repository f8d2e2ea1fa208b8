"""`serve --workers N`: several processes on one SQLite file lose no answer and count throttles together.

One real server of two worker processes is started for the module (a fresh demo data dir, a free port)
and stopped at the end; the writers' cross-process turn is also tested on its own with two plain
processes and a busy timeout far too short to cover for it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.server.test_restart import GIFT, flipmastery, free_port

ANSWERS = {"single_choice": "a", "numeric": "101.3 kPa", "true_false": False, "short_text": "Dalton"}
DRAFTS = {"single_choice": "b", "numeric": "99", "true_false": True, "short_text": "Boyle"}


# -- the command, without serving -------------------------------------------------------------------


def test_serve_runs_the_processes_and_threads_asked_for(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gunicorn.app.base import BaseApplication

    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = True
    ran: dict[str, Any] = {}
    monkeypatch.setattr(BaseApplication, "run", lambda self: ran.update(cfg=self.cfg))

    call_command(
        "serve", "--no-migrate", "--host", "127.0.0.1", "--port", "8124", "--workers", "3", "--threads", "4"
    )

    cfg = ran["cfg"]
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (3, 4, "gthread")
    assert cfg.bind == ["127.0.0.1:8124"]
    assert "3 processes (gunicorn), 4 threads each\n" in capsys.readouterr().out


def test_serve_refuses_no_processes() -> None:
    with pytest.raises(CommandError, match="--workers and --threads must be at least 1"):
        call_command("serve", "--no-migrate", "--workers", "0")


# -- the writers' turn across processes -------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    import django
    from django.conf import settings

    settings.configure(DATABASES={"default": {
        "ENGINE": "flipmastery.sqlite", "NAME": sys.argv[1],
        # 20 ms: far shorter than a neighbour's writes add up to, so only the turn can keep order
        "OPTIONS": {"timeout": 0.02, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20;"},
    }})
    django.setup()
    from django.db import connection, transaction

    for _ in range(int(sys.argv[2])):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            n = cursor.fetchone()[0]
            time.sleep(0.003)  # work inside the transaction, as grading is
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
    """
)


def test_writers_of_two_processes_take_turns_and_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE counter (n INTEGER)")
        db.execute("INSERT INTO counter VALUES (0)")
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, str(script), str(path), "60"], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    failures = [w.communicate(timeout=120)[1] for w in writers]

    assert [w.returncode for w in writers] == [0, 0], failures
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT n FROM counter").fetchone() == (120,)


# -- a real server of two processes -----------------------------------------------------------------


class Server:
    """`flipmastery serve --workers 2` on a free port; requests open a new connection each, so that both
    worker processes take them."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        command = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-migrate", "--workers", "2"]
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "flipmastery.cli", *command, "--threads", "4"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(self.workers()) < 2:
            time.sleep(0.2)
        while time.monotonic() < deadline:
            try:  # the master listens: requests wait in its backlog until a worker takes them
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start:\n" + log.read_text())

    def workers(self) -> list[int]:
        try:
            found = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in found.split()]

    def cpu(self) -> dict[int, float]:
        """Each worker's CPU seconds so far."""
        used = {}
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used

    def call(self, method: str, path: str, body: Any = None, token: str = "") -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.loads(response.read() or b"null")

    def status(self, method: str, path: str, body: Any, token: str) -> int:
        try:
            self.call(method, path, body, token)
        except urllib.error.HTTPError as refused:
            return refused.code
        return 200

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # what Ctrl+C sends: gunicorn stops its workers
        return self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not sys.platform.startswith("linux"):
        pytest.skip("reads the worker processes from /proc")
    tmp = tmp_path_factory.mktemp("workers")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLIPMASTERY_", "DJANGO_"))}
    data = tmp / "data"
    env.update(FLIPMASTERY_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="flipmastery.settings")
    made = flipmastery(env, "demo", "--no-serve", "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    bank = tmp / "p.gift"
    bank.write_text(GIFT, encoding="utf-8")
    loaded = flipmastery(
        env, "import-questions", str(bank), "--course", "CHEM11", "--objective", "GAS-1", "--replace"
    )
    assert loaded.returncode == 0, loaded.stderr
    running = Server(env, tmp / "server.log")
    running.data = data  # type: ignore[attr-defined]
    yield running
    if running.process.poll() is None:
        assert running.stop() == 0
    assert "Traceback" not in running.log.read_text()


def together(count: int, work: Any) -> list[Any]:
    """`work(n)` in `count` threads at once; what each returned, or raised."""
    results: list[Any] = [None] * count

    def one(n: int) -> None:
        try:
            results[n] = work(n)
        except Exception as failed:
            results[n] = failed

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def both_worked(server: Server, before: dict[int, float]) -> None:
    after = server.cpu()
    assert len(after) == 2 and after.keys() == before.keys()
    assert all(after[pid] - before[pid] >= 0.03 for pid in after), (before, after)


def test_the_command_says_how_many_processes_it_runs(server: Server) -> None:
    assert "2 processes (gunicorn), 4 threads each" in server.log.read_text()
    assert len(server.workers()) == 2


def test_autosaves_from_both_processes_then_two_submits_keep_every_answer_and_one_decision(
    server: Server,
) -> None:
    # chem07 joined last week: GAS-1 is open, no check taken yet (demo/stories.py)
    token = server.call("POST", "/auth/token", {"username": "chem07", "password": "student"})["token"]
    sections = server.call("GET", "/me/sections", token=token)
    section = next(s["id"] for s in sections if s["course"]["code"] == "CHEM11")
    attempt = server.call("POST", f"/sections/{section}/objectives/GAS-1/attempts", token=token)
    items = attempt["items"]
    final = {item["id"]: ANSWERS[item["type"]] for item in items}
    before = server.cpu()

    def autosave(n: int) -> None:
        # every item is written by several threads on new connections; the last round writes the answers
        for round_ in range(4):
            item = items[(n + round_) % len(items)]
            server.call(
                "PUT",
                f"/attempts/{attempt['id']}/responses/{item['id']}",
                {"response": DRAFTS[item["type"]]},
                token=token,
            )
        for item in items:
            server.call(
                "PUT",
                f"/attempts/{attempt['id']}/responses/{item['id']}",
                {"response": final[item["id"]]},
                token=token,
            )

    assert together(8, autosave) == [None] * 8
    both_worked(server, before)
    submitted = together(2, lambda n: server.call("POST", f"/attempts/{attempt['id']}/submit", token=token))

    assert [s["state"] for s in submitted] == ["submitted", "submitted"], submitted
    again = server.call("GET", f"/attempts/{attempt['id']}", token=token)
    assert {i["id"]: i["response"] for i in again["items"]} == final
    with sqlite3.connect(server.data / "flipmastery.sqlite3") as db:  # type: ignore[attr-defined]
        decided = db.execute(
            "SELECT count(*) FROM progress_progressevent e JOIN accounts_user u ON u.id = e.student_id "
            "WHERE u.username = 'chem07' AND e.kind = 'check_result'"
        ).fetchone()
    assert decided == (1,)


def test_wrong_join_codes_are_counted_across_both_processes(server: Server) -> None:
    # 30 wrong codes from one address in 10 minutes, then none (classroom/join_throttle.py). Spread over
    # two processes that each counted alone, 40 would leave both under the limit.
    token = server.call("POST", "/auth/token", {"username": "chem08", "password": "student"})["token"]
    before = server.cpu()

    def wrong(n: int) -> list[int]:
        return [server.status("POST", "/join", {"code": f"ZZZZ{n}{k}"}, token) for k in range(5)]

    statuses = [s for batch in together(8, wrong) for s in batch]
    both_worked(server, before)

    assert len(statuses) == 40 and set(statuses) <= {404, 429}
    # each of the 8 senders may have one code checked before the 30th is counted, no more
    assert statuses.count(404) <= 30 + 7
    assert server.status("POST", "/join", {"code": "ZZZZZZ"}, token) == 429
