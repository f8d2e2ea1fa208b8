"""The teacher's class grid for 40 students × 50 objectives (server time, compressed weight, the poll), and a
school report for 2,000 students (every section's gradebook, as the CSV export computes it).

Run: uv run python benchmarks/grid.py [--students 40] [--objectives 50] [--school 2000] [--requests 50]
It uses a fresh temporary data dir (SQLite), never your own. Targets (issue 5): grid ≤ 10 ms and ≤ 30 KB
compressed; the 2,000-student report ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--school", type=int, default=2000, help="students in the school report")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="flipmastery-bench-"))
    os.environ["FLIPMASTERY_DATA_DIR"] = str(data_dir)
    os.environ.pop("FLIPMASTERY_DATABASE_URL", None)  # always the throw-away SQLite database
    os.environ.pop("FLIPMASTERY_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "flipmastery.settings"
    try:
        return run(args.students, args.objectives, args.school, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)


CPU: list[
    float
] = []  # CPU time of the last `timed` run's requests: what load on the machine does not inflate


def timed(
    client: Any, url: str, requests: int, before: Callable[[], object] = lambda: None, **headers: str
) -> tuple[list[float], Any]:
    """`requests` GETs of `url` (after five to warm up), each after `before()` (not timed)."""
    response = None
    for _ in range(5):  # warm-up: template loading, first queries
        before()
        response = client.get(url, headers=headers)
    times = []
    CPU.clear()
    for _ in range(requests):
        before()
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
    times.sort()
    return times, response


def figures(times: list[float]) -> str:
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    cpu = f"   (CPU median {statistics.median(CPU):.1f} ms)" if CPU else ""
    return f"median {statistics.median(times):.1f} ms   p95 {p95:.1f} ms   min {times[0]:.1f} ms{cpu}"


def unzipped(response: Any) -> bytes:
    return (
        gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    )


def run(students: int, objectives: int, school: int, requests: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from flipmastery.cockpit.replays import forget
    from flipmastery.courses.models import Objective
    from flipmastery.progress.models import ProgressEvent

    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    course, teacher = make_course(objectives)
    section = make_section(course, teacher, students, rng, "Class 1")
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(teacher)
    people = list(section.enrollments.values_list("student_id", flat=True))
    goals = list(Objective.objects.filter(course=course).values_list("id", flat=True))

    def someone_acts() -> None:  # a student's help request, as happens every few seconds in class
        ProgressEvent.objects.create(
            section=section,
            student_id=rng.choice(people),
            objective_id=rng.choice(goals),
            kind="help",
            state="LEARNING",
            at=timezone.now(),
        )

    url = f"/sections/{section.pk}/grid/"
    forget()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    query_count = len(queries)  # now: the next request clears the connection's query log
    raw = unzipped(page)
    print(f"class grid, {students} students × {objectives} objectives (SQLite; server time per request)")
    times, _ = timed(client, url, requests)
    print(f"  GET {url}, nobody acted since the last look: {figures(times)}")
    times, _ = timed(client, url, requests, someone_acts)
    print(f"  … one student acted since (replayed):        {figures(times)}")
    times, _ = timed(client, url, requests, forget)
    print(f"  … cold, every student replayed:              {figures(times)}   {query_count} queries")
    weight = len(page.content) / 1024  # as sent: gzipped by the server
    print(f"  page {len(raw) / 1024:.0f} KB HTML, {weight:.1f} KB gzip (target ≤ 10 ms and ≤ 30 KB)")
    tag = client.get(url).headers["ETag"]
    times, answer = timed(client, url + "rows/", requests, **{"If-None-Match": tag, "HX-Request": "true"})
    print(f"  poll, nothing changed: {answer.status_code}, {figures(times)}")
    times, answer = timed(client, url + "rows/", requests, someone_acts, **{"HX-Request": "true"})
    weight = len(answer.content) / 1024
    print(f"  poll, one student acted: {answer.status_code}, {figures(times)}, {weight:.1f} KB gzip")
    times, _ = timed(client, f"/sections/{section.pk}/gradebook/", requests)
    print(f"  gradebook page: {figures(times)}")
    api = Client()
    api.force_login(teacher)
    times, _ = timed(api, f"/api/v1/sections/{section.pk}/progress", requests)
    print(f"  GET /api/v1/sections/{{id}}/progress: {figures(times)}")

    per_section = 40
    sections = [section]
    made = students
    n = 2
    while made < school:
        size = min(per_section, school - made)
        sections.append(make_section(course, teacher, size, rng, f"Class {n}"))
        made += size
        n += 1
    print(f"school report: {made} students in {len(sections)} sections × {objectives} objectives")
    times, answer = timed(api, "/api/v1/school/report", 10)
    assert answer.status_code == 200 and len(answer.json()["sections"]) == len(sections)
    print(f"  GET /api/v1/school/report: {figures(times)} (target ≤ 200 ms)")
    times, _ = timed(api, "/api/v1/school/report", 3, forget)
    print(f"  … cold, every student replayed: {figures(times)}")
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for s in sections:
            answer = client.get(f"/sections/{s.pk}/gradebook/?format=csv")
            assert answer.status_code == 200
        runs.append((time.perf_counter() - start) * 1000)
    print(f"  every section's gradebook as CSV, one request each: median {statistics.median(runs):.0f} ms")
    return 0


def make_course(objectives: int) -> tuple[Any, Any]:
    from flipmastery.accounts.models import Role, User
    from flipmastery.courses.models import Activity, Course, LearningObject, Objective, Unit

    course = Course.objects.create(code="BENCH", title="Bench course")
    units = [Unit.objects.create(course=course, code=f"U{u}", title=f"Unit {u}", order=u) for u in range(5)]
    previous = None
    for i in range(objectives):
        unit = units[i * len(units) // objectives]
        o = Objective.objects.create(
            course=course,
            unit=unit,
            code=f"OBJ-{i + 1}",
            statement=f"Be able to do thing {i + 1}.",
            order=i,
            tier="essential" if i % 3 else "nice_to_know",
        )
        if previous is not None and previous.unit_id == unit.pk:
            o.prerequisites.add(previous)
        LearningObject.objects.create(objective=o, kind="video", title="Video", is_primary=True)
        LearningObject.objects.create(objective=o, kind="text", title="Text", order=1)
        LearningObject.objects.create(objective=o, kind="worksheet", title="Worksheet", order=2)
        if i % 4 == 0:
            Activity.objects.create(objective=o, title="Lab")
        previous = o
    teacher = User.objects.create(username="bench-teacher", role=Role.TEACHER)
    return course, teacher


def make_section(course: Any, teacher: Any, students: int, rng: random.Random, name: str) -> Any:
    """A section whose students each mastered a different share of the course (checks, a retake, labs)."""
    from datetime import timedelta

    from django.utils import timezone

    from flipmastery.accounts.models import Role, User
    from flipmastery.assessments.models import Attempt
    from flipmastery.classroom.models import Enrollment, Section
    from flipmastery.courses.models import Activity, LearningObject, Objective

    section = Section.objects.create(course=course, name=name)
    section.teachers.add(teacher)
    objectives = list(Objective.objects.filter(course=course).order_by("order"))
    primary = dict(
        LearningObject.objects.filter(objective__course=course, is_primary=True).values_list(
            "objective_id", "id"
        )
    )
    labs = dict(Activity.objects.filter(objective__course=course).values_list("objective_id", "id"))
    now = timezone.now()
    start = now - timedelta(days=60)
    people = User.objects.bulk_create(
        User(username=f"{name.replace(' ', '').lower()}-s{i:03d}", role=Role.STUDENT) for i in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(section=section, student=p) for p in people)
    events: list[Any] = []
    attempts: list[Any] = []

    def add(student: Any, objective: Any, kind: str, state: str, at: Any, **fields: Any) -> None:
        from flipmastery.progress.models import ProgressEvent

        events.append(
            ProgressEvent(
                section=section, student=student, objective=objective, kind=kind, state=state, at=at, **fields
            )
        )

    for p in people:
        done = rng.randint(3, min(len(objectives), 40))
        at = start
        for o in objectives[: done + 1]:
            at += timedelta(hours=rng.randint(6, 30))
            add(p, o, "used", "LEARNING", at, ref=str(primary[o.pk]))
            add(p, o, "check_started", "CHECKING", at + timedelta(minutes=20))
            passed = o is not objectives[done] and rng.random() > 0.25
            add(
                p,
                o,
                "check_result",
                "MASTERED" if passed else "NOT_YET",
                at + timedelta(minutes=40),
                outcome=passed,
            )
            attempts.append(
                Attempt(
                    section=section,
                    student=p,
                    objective=o,
                    state="submitted",
                    seed=1,
                    result={
                        "objectives": [{"code": o.code, "score": 0.9 if passed else 0.5, "pending": False}]
                    },
                    started_at=at + timedelta(minutes=20),
                    submitted_at=at + timedelta(minutes=40),
                )
            )
            if not passed and o is not objectives[done]:
                at += timedelta(hours=rng.randint(6, 30))
                add(p, o, "conference", "NOT_YET", at)
                add(p, o, "check_started", "CHECKING", at + timedelta(minutes=20))
                add(p, o, "check_result", "MASTERED", at + timedelta(minutes=40), outcome=True)
                attempts.append(
                    Attempt(
                        section=section,
                        student=p,
                        objective=o,
                        state="submitted",
                        seed=2,
                        result={"objectives": [{"code": o.code, "score": 0.85, "pending": False}]},
                        started_at=at + timedelta(minutes=20),
                        submitted_at=at + timedelta(minutes=40),
                    )
                )
            if o.pk in labs:
                add(p, o, "activity", "MASTERED", at + timedelta(minutes=50), ref=str(labs[o.pk]))
    from flipmastery.progress.models import ProgressEvent

    ProgressEvent.objects.bulk_create(events, batch_size=2000)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    return section


if __name__ == "__main__":
    sys.exit(main())
