"""Server time of GET /api/v1/sections/{id}/playlist for a 50-objective course, with Bearer auth.

Run: uv run python benchmarks/api_playlist.py [--objectives 50] [--requests 500]
It uses a fresh temporary data dir (SQLite), never your own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="flipmastery-bench-"))
    os.environ["FLIPMASTERY_DATA_DIR"] = str(data_dir)
    os.environ.pop("FLIPMASTERY_DATABASE_URL", None)  # always the throw-away SQLite database
    os.environ.pop("FLIPMASTERY_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "flipmastery.settings"
    try:
        return run(args.objectives, args.requests, args.warmup)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)


def run(objectives: int, requests: int, warmup: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    section_id, token = make_classroom(objectives)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/sections/{section_id}/playlist"

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            print(f"GET {url} answered {response.status_code}: {response.content[:300]!r}", file=sys.stderr)
            return 1
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # now: the next request clears the connection's query log
    size = len(response.content)

    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"GET /api/v1/sections/{{id}}/playlist — {objectives} objectives, {requests} requests, SQLite")
    print(f"  response {size} bytes, {query_count} queries per request")
    print(f"  min {times[0]:.2f} ms   median {statistics.median(times):.2f} ms   p95 {p95:.2f} ms")
    return 0


def make_classroom(size: int) -> tuple[int, str]:
    """A course of `size` objectives in units of 10, each needing the one before, with a primary video
    and two alternates, an activity and an enrichment task; a student who has mastered a few."""
    from django.utils import timezone

    from flipmastery.accounts.models import ApiToken, Role, User, hash_token
    from flipmastery.classroom.models import Enrollment, Section
    from flipmastery.courses.models import Activity, Course, Enrichment, LearningObject, Objective, Unit
    from flipmastery.progress.models import LearningObjectUse, ProgressEvent

    now = timezone.now()
    course = Course.objects.create(code="BENCH", title="Benchmark Chemistry")
    teacher = User.objects.create_user("bench_teacher", password="bench-pass-1", role=Role.TEACHER)
    student = User.objects.create_user("bench_student", password="bench-pass-1", role=Role.STUDENT)
    section = Section.objects.create(course=course, name="Bench 11-A")
    section.teachers.add(teacher)
    Enrollment.objects.create(section=section, student=student)
    previous: Objective | None = None
    for n in range(size):
        if n % 10 == 0:
            unit = Unit.objects.create(course=course, code=f"U{n // 10}", title=f"Unit {n // 10}", order=n)
        objective = Objective.objects.create(
            course=course,
            unit=unit,
            code=f"OBJ-{n}",
            statement=f"Be able to do thing {n}.",
            order=n,
            estimated_minutes=20,
        )
        if previous is not None:
            objective.prerequisites.add(previous)
        video = LearningObject.objects.create(
            objective=objective,
            kind="video",
            title=f"Video {n}",
            url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            minutes=8,
            is_primary=True,
        )
        LearningObject.objects.create(objective=objective, kind="text", title=f"Text {n}", order=1)
        LearningObject.objects.create(
            objective=objective,
            kind="simulation",
            title=f"Sim {n}",
            url="https://phet.colorado.edu/",
            order=2,
        )
        Activity.objects.create(objective=objective, title=f"Lab {n}")
        Enrichment.objects.create(objective=objective, title=f"Extension {n}")
        if n < 5:
            ProgressEvent.objects.create(
                section=section,
                student=student,
                objective=objective,
                kind="override",
                state="MASTERED",
                at=now,
            )
            LearningObjectUse.objects.create(section=section, student=student, learning_object=video, at=now)
        previous = objective
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=student, digest=hash_token(raw))
    return section.pk, raw


if __name__ == "__main__":
    sys.exit(main())
