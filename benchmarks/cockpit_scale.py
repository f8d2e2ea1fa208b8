"""The cockpit at district size: a school report of 2,000 students cold and warm, the grid of 40 students × 50
objectives warm, its poll while nothing changed, and the grid's poll while students write.

Run: uv run python benchmarks/cockpit_scale.py [--school 2000] [--requests 50] [--seconds 10]
It uses a fresh temporary data dir (SQLite, the file cache), never your own. "Cold" is a fresh process:
nothing kept in its memory; the shared cache (files in the data dir, or Redis) is what a restarted or a
second server finds. Targets (issue "Speed and scale", item 4): report ≤ 200 ms cold; grid ≤ 10 ms warm;
a poll while nothing changed 304 with no query; the grid while students write p95 ≤ 50 ms. Each figure
carries the machine's load average (1 min) as it was measured: on a busy machine the times grow, the CPU
time per request much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def load() -> str:
    return f"[load {os.getloadavg()[0]:.2f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--school", type=int, default=2000, help="students in the school report")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long students write")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)  # a fresh process's measurement
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    data_dir = Path(tempfile.mkdtemp(prefix="flipmastery-bench-"))
    setup(data_dir)
    try:
        return run(data_dir, args.school, args.requests, args.seconds)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)


def setup(data_dir: Path) -> None:
    os.environ["FLIPMASTERY_DATA_DIR"] = str(data_dir)
    os.environ.pop("FLIPMASTERY_DATABASE_URL", None)  # always the throw-away SQLite database
    os.environ.pop("FLIPMASTERY_REDIS_URL", None)
    os.environ.pop("FLIPMASTERY_DEBUG", None)
    os.environ["FLIPMASTERY_CACHE"] = "file"
    os.environ["DJANGO_SETTINGS_MODULE"] = "flipmastery.settings"
    import django

    django.setup()


def figures(times: list[float], cpu: list[float] | None = None) -> str:
    times = sorted(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    spent = f", CPU median {statistics.median(cpu):.1f} ms" if cpu else ""
    return f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, min {times[0]:.1f} ms{spent}"


def timed(client: Any, url: str, requests: int, **headers: str) -> tuple[list[float], list[float], Any]:
    answer = None
    times, cpu = [], []
    for _ in range(requests):
        start, spent = time.perf_counter(), time.thread_time()
        answer = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - spent) * 1000)
    return times, cpu, answer


def child(what: str) -> int:
    """A fresh server process: its first school report (after one other request loads Django's URLs and
    the API's schema, which any server has done before its first teacher asks)."""
    spec = json.loads(what)
    setup(Path(spec["data_dir"]))
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if spec.get("empty_cache"):
        cache.clear()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {spec['token']}")
    assert api.get("/api/v1/me/sections").status_code == 200
    if spec.get("grid"):  # the class grid instead, as its teacher opens it on a fresh server
        from flipmastery.accounts.models import User

        api = Client()
        api.force_login(User.objects.get(username="bench-teacher"))
    url = spec.get("grid") or "/api/v1/school/report"
    start, spent = time.perf_counter(), time.thread_time()
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(url)
        count = len(queries)  # now: the next request clears the connection's query log
    took, cpu = (time.perf_counter() - start) * 1000, (time.thread_time() - spent) * 1000
    assert answer.status_code == 200, answer.content[:300]
    students = 40 if spec.get("grid") else sum(len(s["students"]) for s in answer.json()["sections"])
    print(json.dumps({"ms": took, "cpu": cpu, "queries": count, "students": students}))
    return 0


def fresh_process(data_dir: Path, token: str, empty_cache: bool = False, grid: str = "") -> dict[str, Any]:
    spec = json.dumps({"data_dir": str(data_dir), "token": token, "empty_cache": empty_cache, "grid": grid})
    out = subprocess.run(  # noqa: S603 - this very script
        [sys.executable, __file__, "--child", spec], capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


def run(data_dir: Path, school: int, requests: int, seconds: float) -> int:
    sys.path.insert(0, str(HERE))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from grid import make_course, make_section  # the grid benchmark's class with history

    from flipmastery.accounts.services import api_token_issue
    from flipmastery.classroom.models import Section

    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    started = time.perf_counter()
    course, teacher = make_course(50)
    sections = [make_section(course, teacher, 40, rng, "Class 1")]
    made = 40
    while made < school:
        size = min(40, school - made)
        sections.append(make_section(course, teacher, size, rng, f"Class {len(sections) + 1}"))
        made += size
    print(
        f"a school of {made} students in {len(sections)} sections × 50 objectives, built in "
        f"{time.perf_counter() - started:.0f} s (SQLite, file cache)"
    )
    token = api_token_issue(user=teacher)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/school/report").status_code == 200  # the summaries are made (once)

    print("school report, GET /api/v1/school/report (target ≤ 200 ms cold)")
    for label, empty in (
        ("cold: a fresh process, the shared cache warm", False),
        ("cold: a fresh process, the shared cache empty too (everything replayed)", True),
    ):
        runs = [fresh_process(data_dir, token, empty) for _ in range(3 if not empty else 1)]
        ms = [r["ms"] for r in runs]
        print(
            f"  {label}: {figures(ms, [r['cpu'] for r in runs])}, {runs[0]['queries']} queries, "
            f"{runs[0]['students']} students {load()}"
        )
    assert api.get("/api/v1/school/report").status_code == 200
    times, cpu, _ = timed(api, "/api/v1/school/report", 10)
    print(f"  warm: {figures(times, cpu)} {load()}")

    section = Section.objects.select_related("course").get(pk=sections[0].pk)
    client = Client()
    client.force_login(teacher)
    url = f"/sections/{section.pk}/grid/"
    print(f"class grid, 40 students × 50 objectives, GET {url} (target ≤ 10 ms warm)")
    timed(client, url, 5)
    times, cpu, page = timed(client, url, requests)
    print(f"  warm, nobody acted since the last look: {figures(times, cpu)} {load()}")
    tag = page.headers["ETag"]
    poll = url + "rows/"
    timed(client, poll, 3, **{"If-None-Match": tag, "HX-Request": "true"})
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(poll, headers={"If-None-Match": tag, "HX-Request": "true"})
        read = [q["sql"] for q in queries.captured_queries]  # now: the next request clears the log
    times, cpu, answer = timed(client, poll, requests, **{"If-None-Match": tag, "HX-Request": "true"})
    own = [sql for sql in read if "django_session" not in sql]
    print(
        f"  poll, nothing changed: {answer.status_code}, {figures(times, cpu)}, {len(read)} queries "
        f"({len(read) - len(own)} of them the session middleware's, {len(own)} the grid's) {load()}"
    )
    for label, empty in (("a fresh process, the shared cache warm", False), ("… and empty", True)):
        runs = [fresh_process(data_dir, token, empty, url) for _ in range(1 if empty else 3)]
        print(
            f"  cold, {label}: {figures([r['ms'] for r in runs], [r['cpu'] for r in runs])}, "
            f"{runs[0]['queries']} queries {load()}"
        )

    while_writing(client, section, teacher, poll, seconds)
    return 0


def while_writing(client: Any, section: Any, teacher: Any, poll: str, seconds: float) -> None:
    """Students' checks are decided while the teacher's grid polls: a writer thread records a check
    result (a verbal check, through the evidence service: replay, state, queue, token) every 100 ms."""
    from django.db import connection
    from django.utils import timezone

    from flipmastery.accounts.models import User
    from flipmastery.courses.models import Objective
    from flipmastery.progress.services import evidence_record

    people = list(User.objects.filter(enrollments__section=section))
    goals = list(Objective.objects.filter(course_id=section.course_id))
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        rng = random.Random(7)
        try:
            while not stop.is_set():
                evidence_record(
                    section=section,
                    teacher=teacher,
                    student=rng.choice(people),
                    objective=rng.choice(goals),
                    kind="verbal",
                    outcome=rng.random() > 0.3,
                    now=timezone.now(),
                )
                written[0] += 1
                time.sleep(0.1)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    times, cpu, statuses = [], [], {200: 0, 304: 0}
    tag = ""
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            start, spent = time.perf_counter(), time.thread_time()
            answer = client.get(poll, headers={"If-None-Match": tag, "HX-Request": "true"})
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - spent) * 1000)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            tag = answer.headers.get("ETag", tag)
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    print(
        f"the grid's poll while a writer records a check result every 100 ms ({written[0]} written in "
        f"{seconds:.0f} s; target p95 ≤ 50 ms)"
    )
    print(
        f"  {len(times)} polls ({statuses.get(200, 0)} × 200, {statuses.get(304, 0)} × 304): "
        f"{figures(times, cpu)} {load()}"
    )


if __name__ == "__main__":
    sys.exit(main())
