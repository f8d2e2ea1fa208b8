"""A class against a running server: students start, autosave and submit the GAS-1 check at once.

Run: uv run python benchmarks/class_load.py [--mode closed|burst|both] [--students 40] [--burst 60]
         [--seconds 10] [--threads 16] [--bare] [--database-url postgres://postgres@127.0.0.1:5432/test]
     uv run python benchmarks/class_load.py --url http://127.0.0.1:8000 [--data-dir DIR | --database-url URL]
         [--server-pid PID]

Without --url it makes what it needs and removes it afterwards: a fresh demo data dir (SQLite) or, with
--database-url, a fresh database `flipmastery_bench` on that PostgreSQL server (migrate + the demo
loader, as `flipmastery demo` always runs on its own SQLite file); new students load001… in "Chemistry
11-A" (the demo's own have history), whose policy lets a "not yet" retake at once; then `flipmastery
serve --no-migrate` as a subprocess. With --url, give the server's --data-dir or --database-url to add
those students and to verify; its --server-pid to read its memory.

  closed  --students back-to-back for --seconds, each looping start → teacher's key → autosave every
          item → submit (--bare: start → submit) on GAS-1 with one item wrong on purpose, so the next
          loop is a retake (a mastered check cannot be taken again). Throughput: start+submit pairs/s.
  burst   --burst other students open the playlist, start, autosave (every fourth one answer wrong),
          then all press submit together; every submit's latency is measured.

Meanwhile a teacher polls GET /sections/{id}/progress every 2 s. Afterwards the database is read to
prove that every autosave the client saw acknowledged, and one decision per submitted check, is stored.

The client is plain threads with http.client, one keep-alive connection per student as a browser tab
has. It shares the two cores with the server, and http.client spends several times less CPU per
request than httpx (with asyncio or not), so the figures are the server's; nor does it need a new
dependency. The client's own CPU per request is printed so that this can be checked.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SECTION = "Chemistry 11-A"
PASSWORD = "student"
BENCH_DB = "flipmastery_bench"
ENDPOINTS = ["playlist", "start", "key", "save", "submit", "progress"]
# The targets, for 40 students back-to-back and a burst of 60.
TARGET_PAIRS_PER_S, TARGET_BURST_S, TARGET_RSS_MB = 300, 0.5, 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mode", choices=["closed", "burst", "both"], default="both")
    parser.add_argument("--students", type=int, default=40, help="closed loop: students back-to-back")
    parser.add_argument("--burst", type=int, default=60, help="burst: students submitting together")
    parser.add_argument("--seconds", type=float, default=10.0, help="closed loop: how long")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads of the server")
    parser.add_argument("--bare", action="store_true", help="closed loop: start → submit only")
    parser.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL: the server to make the bench db on (with --url: its db)",
    )
    parser.add_argument("--url", default="", help="use this running server instead of starting one")
    parser.add_argument("--data-dir", type=Path, default=None, help="with --url: the server's data dir")
    parser.add_argument("--server-pid", type=int, default=0, help="with --url: the server's pid")
    args = parser.parse_args()
    closed_n = args.students if args.mode != "burst" else 0
    students = closed_n + (args.burst if args.mode != "closed" else 0)

    work = Path(tempfile.mkdtemp(prefix="flipmastery-load-"))
    server: Server | None = None
    made_db = False
    try:
        if args.url:
            base, pid = args.url.rstrip("/"), args.server_pid
            checkable = bool(args.data_dir or args.database_url)
            if checkable:
                use_database(args.data_dir or work, args.database_url)
                add_students(students)
        else:
            made_db = bool(args.database_url)
            database = make_database(args.database_url) if made_db else ""
            env = prepare(work, database, students)
            server = Server(env, args.threads, work / "server.log")
            base, pid, checkable = server.base, server.process.pid, True
        return run(args, base, pid, closed_n, students, checkable)
    finally:
        if server is not None:
            server.stop()
        with suppress(Exception):
            from django.db import connections

            connections.close_all()
        if made_db:
            drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)


# -- the database and the server --------------------------------------------------------------------


def flipmastery(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flipmastery.cli", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"flipmastery {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def make_database(server_url: str) -> str:
    """A fresh database of our own on the PostgreSQL server of `server_url`; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{BENCH_DB}"))


def drop_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def server_env(data_dir: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLIPMASTERY_", "DJANGO_"))}
    env.update(FLIPMASTERY_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="flipmastery.settings")
    if database:
        env["FLIPMASTERY_DATABASE_URL"] = database
    return env


def use_database(data_dir: Path, database: str) -> None:
    """Point this process's Django at the server's database: to prepare it, and to verify afterwards."""
    for key in [k for k in os.environ if k.startswith(("FLIPMASTERY_", "DJANGO_"))]:
        del os.environ[key]
    os.environ.update(server_env(data_dir, database))
    import django

    django.setup()


def prepare(work: Path, database: str, students: int) -> dict[str, str]:
    """The demo classroom with `students` new students; the server's environment."""
    data = work / "data"
    env = server_env(data, database)
    if database:
        data.mkdir()
        flipmastery(env, "migrate", "--verbosity", "0")
    else:
        flipmastery(env, "demo", "--no-serve", "--data-dir", str(data))
    use_database(data, database)
    if database:
        from flipmastery.demo.services import demo_load

        demo_load()
    add_students(students)
    return env


def add_students(count: int) -> None:
    """Students load001… in the section (those missing), and a policy that lets a "not yet" retake."""
    from django.contrib.auth.hashers import make_password

    from flipmastery.accounts.models import Role, User
    from flipmastery.classroom.models import Enrollment, Section

    section = Section.objects.get(name=SECTION)
    section.policy = {**section.policy, "retake_needs_corrective": False, "retake_needs_conference": False}
    section.save(update_fields=["policy"])
    names = [username(n) for n in range(1, count + 1)]
    there = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    hashed = make_password(PASSWORD)  # once: a hash is slow on purpose
    people = User.objects.bulk_create(
        User(username=name, role=Role.STUDENT, password=hashed, first_name="Load", last_name=name)
        for name in names
        if name not in there
    )
    Enrollment.objects.bulk_create(Enrollment(section=section, student=p) for p in people)


def username(n: int) -> str:
    return f"load{n:03d}"


class Server:
    def __init__(self, env: dict[str, str], threads: int, log: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        self.base, self.log = f"http://127.0.0.1:{port}", log
        command = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-migrate"]
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "flipmastery.cli", *command, "--threads", str(threads)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        sys.exit("the server did not start:\n" + log.read_text(errors="replace")[-2000:])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        logged = self.log.read_text(errors="replace").splitlines()
        if "Traceback (most recent call last):" in logged:  # a 500: show the first one the server logged
            first = logged.index("Traceback (most recent call last):")
            end = next((i for i in range(first + 1, len(logged)) if not logged[i].startswith(" ")), first)
            print("\nthe server logged an error; the first:\n" + "\n".join(logged[first : end + 1]))


def memory_mb(pid: int, name: str) -> float | None:
    with suppress(OSError):
        found = re.search(rf"^{name}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
        return int(found.group(1)) / 1024 if found else None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far."""
    with suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


# -- the client -------------------------------------------------------------------------------------


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    refused: int = 0
    refusal: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def took(self, endpoint: str, ms: float) -> None:
        with self.lock:
            self.times[endpoint].append(ms)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Client:
    """One keep-alive connection, as one browser tab."""

    def __init__(self, base: str, stats: Stats, token: str = "") -> None:
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
        self.stats, self.token = stats, token
        self.timed = True  # False during a warm-up: errors count, times do not

    def call(
        self, endpoint: str, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        began = time.perf_counter()
        try:
            self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()  # reconnects on the next request
            self.stats.error(f"{endpoint}: {exc!r}")
            return 0, None
        if self.timed:
            self.stats.took(endpoint, (time.perf_counter() - began) * 1000)
        if response.status not in ok:
            self.stats.error(f"{endpoint} {method} {path}: {response.status} {raw[:200]!r}")
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None


@dataclass
class Ledger:
    """What the client was told: the database must hold exactly this afterwards."""

    started: set[int] = field(default_factory=set)
    saved: dict[tuple[int, int], Any] = field(default_factory=dict)  # (attempt, item) → stored response
    submitted: dict[int, list[tuple[str, bool | None]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def log_in_all(base: str, stats: Stats, count: int) -> tuple[str, list[str]]:
    """The teacher's token and each student's, all asked for at once, as a class arrives."""
    names = [username(n + 1) for n in range(count)]
    tokens = [""] * (count + 1)

    def one(n: int, name: str, password: str) -> None:
        status, body = Client(base, stats).call(
            "token", "POST", "/auth/token", {"username": name, "password": password}
        )
        tokens[n] = str(body["token"]) if status == 201 else ""

    threads = [threading.Thread(target=one, args=(n, name, PASSWORD)) for n, name in enumerate(names)]
    threads.append(threading.Thread(target=one, args=(count, "teacher", "teacher")))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if not all(tokens):
        sys.exit(f"could not log everyone in: {stats.errors[:3]}")
    return tokens[count], tokens[:count]


def wrong(item: dict[str, Any], right: Any) -> Any:
    """A response that the item grades as wrong (not merely blank)."""
    kind = item["type"]
    if kind == "single_choice":
        return next(c["id"] for c in item["choices"] if c["id"] != right)
    if kind == "true_false":
        return not right
    if kind in ("numeric", "calculated"):
        number, _, unit = str(right).partition(" ")
        return f"{-1 - abs(float(number)) * 7:g} {unit}".strip()
    if kind == "short_text":
        return "not this"
    return None


class Student:
    def __init__(
        self, base: str, stats: Stats, ledger: Ledger, token: str, teacher: str, section: int
    ) -> None:
        self.me = Client(base, stats, token)
        self.teacher = Client(base, stats, teacher)  # reads the key on its own connection
        self.stats, self.ledger, self.section = stats, ledger, section

    def timed(self, on: bool) -> None:
        self.me.timed = self.teacher.timed = on

    def playlist(self) -> None:
        self.me.call("playlist", "GET", f"/sections/{self.section}/playlist")

    def start(self, code: str) -> dict[str, Any] | None:
        path = f"/sections/{self.section}/objectives/{code}/attempts"
        status, body = self.me.call("start", "POST", path, ok=(200, 201, 409, 422))
        if status in (409, 422):  # the server's gate says "not now": counted apart from errors
            with self.stats.lock:
                self.stats.refused += 1
                self.stats.refusal = (body or {}).get("message", "")
            return None
        if status not in (200, 201):
            return None
        with self.ledger.lock:
            self.ledger.started.add(body["id"])
        return dict(body)

    def answer(self, attempt: dict[str, Any], wrong_items: int = 0) -> None:
        """Autosaves every item from the teacher's key; the first `wrong_items` wrong on purpose."""
        _, key = self.teacher.call("key", "GET", f"/attempts/{attempt['id']}/key")
        right = {i["id"]: i["correct_response"] for i in (key or {}).get("items", [])}
        for n, item in enumerate(attempt["items"]):
            value = wrong(item, right.get(item["id"])) if n < wrong_items else right.get(item["id"])
            path = f"/attempts/{attempt['id']}/responses/{item['id']}"
            status, saved = self.me.call("save", "PUT", path, {"response": value})
            if status == 200:
                with self.ledger.lock:
                    self.ledger.saved[(attempt["id"], item["id"])] = saved["response"]

    def submit(self, attempt: dict[str, Any]) -> dict[str, Any] | None:
        status, body = self.me.call("submit", "POST", f"/attempts/{attempt['id']}/submit")
        if status != 200:
            return None
        with self.ledger.lock:
            self.ledger.submitted[attempt["id"]] = [(o["code"], o["mastered"]) for o in body["objectives"]]
        return dict(body)


class Teacher(threading.Thread):
    """Polls the class grid every 2 s, as the cockpit does, until told to stop."""

    def __init__(self, base: str, stats: Stats, token: str, section: int) -> None:
        super().__init__(daemon=True)
        self.client, self.section = Client(base, stats, token), section
        self.halt = threading.Event()
        self.note = ""

    def run(self) -> None:
        while not self.halt.is_set():
            path = f"/sections/{self.section}/progress"
            status, _ = self.client.call("progress", "GET", path, ok=(200, 404))
            if status == 404:
                self.note = "GET /sections/{id}/progress answered 404: no teacher polling in this run"
                return
            self.halt.wait(2.0)


# -- the two modes ----------------------------------------------------------------------------------


def together(count: int, stats: Stats, work: Callable[[int, threading.Barrier], None]) -> float:
    """Runs work(n, barrier) on `count` threads; the seconds from the barrier's release to the last end."""
    released: list[float] = []
    barrier = threading.Barrier(count, action=lambda: released.append(time.perf_counter()), timeout=300)

    def guarded(n: int) -> None:
        try:
            work(n, barrier)
        except threading.BrokenBarrierError:
            pass  # another student failed first; that one is the error
        except Exception as exc:  # a bug in the client or a response without the expected shape
            stats.error(f"{username(n + 1)}: {exc!r}")
            barrier.abort()

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - released[0] if released else 0.0


def closed_loop(make: Callable[[int], Student], count: int, seconds: float, bare: bool) -> tuple[int, float]:
    """Each student loops start → (key → autosaves) → submit until the time is up; pairs done, seconds."""
    pairs = [0] * count
    deadline = [0.0]

    def loop(me: Student) -> bool:
        attempt = me.start("GAS-1")
        if attempt is None:
            return False
        if not bare:
            me.answer(attempt, wrong_items=1)  # "not yet", so the next loop may retake
        return me.submit(attempt) is not None

    def student(n: int, barrier: threading.Barrier) -> None:
        me = make(n)
        me.timed(False)  # a warm-up loop each, not measured
        me.playlist()
        going = loop(me)
        me.timed(True)
        barrier.wait()
        deadline[0] = deadline[0] or time.perf_counter() + seconds
        while going and time.perf_counter() < deadline[0]:  # checked before a start: all get submitted
            going = loop(me)
            pairs[n] += going

    elapsed = together(count, make(0).stats, student)
    return sum(pairs), elapsed


def burst(make: Callable[[int], Student], count: int) -> tuple[list[float], float]:
    """Everyone starts and autosaves, then all submit at once; each submit's seconds, and the spread."""
    submits: list[float] = []

    def student(n: int, barrier: threading.Barrier) -> None:
        me = make(n)
        me.playlist()
        attempt = me.start("GAS-1")
        if attempt is None:
            raise RuntimeError("could not start GAS-1")
        me.answer(attempt, wrong_items=1 if n % 4 == 0 else 0)
        barrier.wait()
        began = time.perf_counter()
        result = me.submit(attempt)
        submits.append(time.perf_counter() - began)
        if result is not None and result["objectives"][0]["mastered"] is not (n % 4 != 0):
            me.stats.error(f"{username(n + 1)}: decided {result['objectives']} after answering {n % 4 != 0}")

    spread = together(count, make(0).stats, student)
    return submits, spread


# -- figures and the proof --------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def table(stats: Stats) -> None:
    print(f"  {'endpoint':<9}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name in ENDPOINTS:
        times = stats.times.get(name)
        if times:
            print(
                f"  {name:<9}{len(times):>7}{statistics.median(times):>9.1f}{percentile(times, 95):>9.1f}"
                f"{percentile(times, 99):>9.1f}{max(times):>9.1f}"
            )


class Phase:
    """Times one phase: wall clock, the server's CPU and the client's."""

    def __init__(self, pid: int) -> None:
        self.pid, self.began, self.client = pid, time.perf_counter(), time.process_time()
        self.server = cpu_seconds(pid) if pid else None

    def cpu(self, stats: Stats, per: int, unit: str) -> str:
        wall = time.perf_counter() - self.began
        requests = sum(len(v) for v in stats.times.values()) or 1
        line = f"client CPU {(time.process_time() - self.client) / requests * 1000:.2f} ms per request"
        now = cpu_seconds(self.pid) if self.pid else None
        if now is None or self.server is None or not per:
            return "  " + line
        used = now - self.server
        busy = f"{used / wall:.2f} of {os.cpu_count()} cores busy"
        return f"  server CPU {used / per * 1000:.1f} ms per {unit} ({busy}); {line}"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report_errors(stats: Stats, poller: Teacher) -> None:
    print(f"  errors {len(stats.errors)}, refused starts {stats.refused}")
    if stats.refusal:
        print(f"  refused: {stats.refusal}")
    for line in stats.errors[:5]:
        print(f"  error: {line}")
    if poller.note:
        print(f"  note: {poller.note}")


def run(args: Any, base: str, pid: int, closed_n: int, students: int, checkable: bool) -> int:
    since = datetime.now(UTC) - timedelta(seconds=5)
    stats, ledger = Stats(), Ledger()
    began = time.perf_counter()
    teacher, tokens = log_in_all(base, stats, students)
    _, mine = Client(base, stats, teacher).call("me", "GET", "/me/sections")
    section = next(s["id"] for s in mine if s["name"] == SECTION)
    logged = stats.times["token"]
    database = "PostgreSQL" if args.database_url else "SQLite"
    took = time.perf_counter() - began
    print(
        f"class_load on {database}, waitress {args.threads} threads: {students} students and the teacher "
        f"logged in at once in {took:.1f} s (token p50 {statistics.median(logged):.0f} ms, "
        f"max {max(logged):.0f} ms)"
    )
    failed = bool(stats.errors)
    if args.mode in ("closed", "both"):
        failed |= closed(args, base, pid, ledger, tokens[:closed_n], teacher, section)
    if args.mode in ("burst", "both"):
        failed |= bursting(args, base, pid, ledger, tokens[closed_n:], teacher, section)
    print()
    peak = memory_mb(pid, "VmHWM") if pid else None
    if peak is None:
        print("server memory: unknown (give --server-pid with --url)")
    else:
        now = memory_mb(pid, "VmRSS") or 0.0
        met = verdict(peak <= TARGET_RSS_MB)
        print(f"server peak RSS (VmHWM) {peak:.0f} MB, now {now:.0f} MB: target ≤ {TARGET_RSS_MB} MB {met}")
    if checkable:
        failed |= verify(ledger, students, since)
    else:
        print("not verified: give the server's --data-dir or --database-url with --url")
    return int(failed)


def closed(
    args: Any, base: str, pid: int, ledger: Ledger, tokens: list[str], teacher: str, section: int
) -> bool:
    stats = Stats()
    poller = Teacher(base, stats, teacher, section)
    poller.start()
    phase = Phase(pid)
    pairs, elapsed = closed_loop(
        lambda n: Student(base, stats, ledger, tokens[n], teacher, section),
        len(tokens),
        args.seconds,
        args.bare,
    )
    poller.halt.set()
    poller.join()
    rate = pairs / elapsed if elapsed else 0.0
    requests = sum(len(v) for v in stats.times.values())
    what = "start → submit" if args.bare else "start → teacher's key → autosave each item → submit"
    print(f"\nclosed loop: {len(tokens)} students back-to-back for {elapsed:.1f} s ({what})")
    print(
        f"  throughput {rate:.1f} start+submit pairs/s ({pairs} pairs, {requests / elapsed:.0f} requests/s)"
    )
    table(stats)
    print(phase.cpu(stats, pairs, "pair"))
    report_errors(stats, poller)
    if len(tokens) < 40:
        print("  (the issue's targets are for 40 students: not judged here)")
        return bool(stats.errors)
    print(f"  target ≥ {TARGET_PAIRS_PER_S} pairs/s: {rate:.0f}: {verdict(rate >= TARGET_PAIRS_PER_S)}")
    for name in ("start", "submit"):
        p50, p99 = statistics.median(stats.times[name]), percentile(stats.times[name], 99)
        print(f"  target {name} p99 ≤ 2 × p50: {p99:.0f} ms vs {2 * p50:.0f} ms: {verdict(p99 <= 2 * p50)}")
    return bool(stats.errors)


def bursting(
    args: Any, base: str, pid: int, ledger: Ledger, tokens: list[str], teacher: str, section: int
) -> bool:
    stats = Stats()
    poller = Teacher(base, stats, teacher, section)
    poller.start()
    phase = Phase(pid)
    submits, spread = burst(lambda n: Student(base, stats, ledger, tokens[n], teacher, section), len(tokens))
    poller.halt.set()
    poller.join()
    print(f"\nburst: {len(tokens)} students press submit together (every fourth answers one item wrong)")
    table(stats)
    print(phase.cpu(stats, len(tokens), "student"))
    slowest = max(submits, default=float("nan"))
    print(f"  all {len(submits)} submits answered {spread:.2f} s after the release; slowest {slowest:.2f} s")
    report_errors(stats, poller)
    if len(tokens) < 60:
        print("  (the issue's target is for 60 students: not judged here)")
    else:
        met = spread <= TARGET_BURST_S and len(submits) == len(tokens)
        print(f"  target all answered within {TARGET_BURST_S} s: {spread:.2f} s: {verdict(met)}")
    return bool(stats.errors)


def verify(ledger: Ledger, students: int, since: datetime) -> int:
    """Reads the database: every acknowledged save, and one decision per submitted objective, stored."""
    from flipmastery.assessments.models import Attempt, AttemptItem
    from flipmastery.progress.models import ProgressEvent

    started = sorted(ledger.started)
    stored = {
        (a, p): r
        for a, p, r in AttemptItem.objects.filter(attempt__in=started, saved_at__isnull=False).values_list(
            "attempt", "position", "response"
        )
    }
    lost = [k for k, v in ledger.saved.items() if stored.get(k, object()) != v]
    unknown = [k for k in stored if k not in ledger.saved]
    states = dict(Attempt.objects.filter(pk__in=started).values_list("pk", "state").order_by())
    not_stored = [a for a in ledger.submitted if states.get(a) != "submitted"]
    still_open = [a for a, state in states.items() if state == "open"]
    events = ProgressEvent.objects.filter(
        kind="check_result", at__gte=since, student__username__in=[username(n + 1) for n in range(students)]
    )
    decided = sum(1 for objectives in ledger.submitted.values() for _, m in objectives if m is not None)
    counted = events.count()
    print(
        f"verified in the database: {len(stored)} saved responses stored, {len(ledger.saved)} acknowledged "
        f"({len(lost)} lost or different, {len(unknown)} never acknowledged)"
    )
    print(
        f"  {counted} check_result events for {decided} decisions in {len(ledger.submitted)} submitted "
        f"attempts; {len(not_stored)} acknowledged submits not stored; {len(still_open)} attempts left open"
    )
    return int(bool(lost or unknown or not_stored or still_open or counted != decided))


if __name__ == "__main__":
    sys.exit(main())
