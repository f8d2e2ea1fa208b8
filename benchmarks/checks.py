"""Building and grading checks: versions per second in the pure domain, and start/submit through the API.

Run: uv run python benchmarks/checks.py [--versions 2000] [--requests 200]
Uses the demo Gas Laws banks and a fresh temporary data dir (SQLite), never your own.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GAS_LAWS = Path(__file__).resolve().parents[1] / "src" / "flipmastery" / "demo" / "content" / "gas-laws"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--versions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    domain(args.versions)
    data_dir = Path(tempfile.mkdtemp(prefix="flipmastery-bench-"))
    os.environ["FLIPMASTERY_DATA_DIR"] = str(data_dir)
    os.environ.pop("FLIPMASTERY_DATABASE_URL", None)
    os.environ.pop("FLIPMASTERY_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "flipmastery.settings"
    try:
        return api(args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)


def banks() -> dict[str, list[Any]]:
    from flipmastery.domain.formats.bank import read_bank

    found = {}
    for path in sorted((GAS_LAWS / "banks").glob("gas-*.yaml")):
        code = path.stem.upper()
        found[code] = [e.question for e in read_bank(path.read_text(encoding="utf-8"), path.name)]
    if len(found) < 7:
        sys.exit(f"expected the seven Gas Laws banks in {GAS_LAWS / 'banks'}")
    return found


def per_call(fn: Any, count: int) -> tuple[float, float]:
    """(median, p95) in ms of `fn` over `count` calls, after a warm-up."""
    for _ in range(min(50, count)):
        fn()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def domain(versions: int) -> None:
    from flipmastery.domain.assembly import Blueprint, Part, assemble
    from flipmastery.domain.generation import generate
    from flipmastery.domain.grading import correct_response, grade
    from flipmastery.domain.questions import QuestionType

    by_code = banks()
    questions: dict[int, Any] = {}
    ids: dict[str, list[int]] = {}
    for code, qs in by_code.items():
        ids[code] = []
        for q in qs:
            if q.type is not QuestionType.DESCRIPTION:
                questions[len(questions)] = q
                ids[code].append(len(questions) - 1)
    blueprint = Blueprint(tuple(Part(code, 2) for code in sorted(ids)))
    rng = random.Random(1)
    seen: dict[int, int] = {}

    def build() -> None:
        shared: dict[str, dict[str, float]] = {}
        for pick in assemble(blueprint, ids, seen, rng):
            generate(questions[pick.question], rng, shared)

    median, p95 = per_call(build, versions)
    print(f"assembling a 7-objective unit check (2 items each, {len(questions)} questions in the banks)")
    print(f"  median {median:.3f} ms   p95 {p95:.3f} ms   ≈ {1000 / median:,.0f} versions/s")

    graded = [q for q in questions.values() if q.type in (QuestionType.CALCULATED, QuestionType.NUMERIC)][:6]
    graded += [
        q for q in questions.values() if q.type not in (QuestionType.CALCULATED, QuestionType.NUMERIC)
    ][:4]
    variants = [generate(q, rng) for q in graded]
    keys = [correct_response(q, v) for q, v in zip(graded, variants, strict=True)]
    units = sum(1 for q in graded if q.unit)

    def mark() -> None:
        for q, v, k in zip(graded, variants, keys, strict=True):
            grade(q, v, k)

    median, p95 = per_call(mark, versions)
    calculated = sum(q.type is QuestionType.CALCULATED for q in graded)
    print(f"grading a 10-item check ({calculated} calculated, {units} with units)")
    print(f"  median {median:.3f} ms   p95 {p95:.3f} ms")


def api(requests: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from flipmastery.accounts.api_tokens import password_stamp
    from flipmastery.accounts.models import ApiToken, Role, User, hash_token
    from flipmastery.classroom.models import Enrollment, Section
    from flipmastery.demo.services import demo_load

    call_command("migrate", verbosity=0)
    demo_load()
    section = Section.objects.get(name="Chemistry 11-A")
    # Each student loops start → submit (blank, "not yet"); without a retake gate they may go again at once.
    section.policy = {"retake_needs_corrective": False, "retake_needs_conference": False}
    section.save()
    clients = []
    for n in range(1, 31):  # new students: the demo's own have history (some mastered GAS-1 already)
        student = User.objects.create_user(f"bench{n:02d}", password="bench-pass-1", role=Role.STUDENT)
        Enrollment.objects.create(section=section, student=student)
        raw = ApiToken.new_raw()
        ApiToken.objects.create(user=student, digest=hash_token(raw), password_stamp=password_stamp(student))
        clients.append(Client(headers={"Authorization": f"Bearer {raw}"}))
    url = f"/api/v1/sections/{section.pk}/objectives/GAS-1/attempts"
    starts, submits = [], []
    queries = (0, 0)
    for i in range(requests):
        client = clients[i % len(clients)]
        begin = time.perf_counter()
        with CaptureQueriesContext(connection) as started:
            response = client.post(url)
        middle = time.perf_counter()
        if response.status_code not in (200, 201):
            print(f"start answered {response.status_code}: {response.content[:300]!r}", file=sys.stderr)
            return 1
        with CaptureQueriesContext(connection) as submitted:
            done = client.post(f"/api/v1/attempts/{response.json()['id']}/submit")
        end = time.perf_counter()
        if done.status_code != 200:
            print(f"submit answered {done.status_code}: {done.content[:300]!r}", file=sys.stderr)
            return 1
        if i >= 30:  # after every student has warmed up once
            starts.append((middle - begin) * 1000)
            submits.append((end - middle) * 1000)
            queries = (len(started), len(submitted))
    print(f"API on SQLite, demo Gas Laws GAS-1 check, {len(starts)} start+submit pairs, 30 students")
    for name, times, count in (("start ", starts, queries[0]), ("submit", submits, queries[1])):
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(f"  {name} median {statistics.median(times):.2f} ms   p95 {p95:.2f} ms   {count} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
