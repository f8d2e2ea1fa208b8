"""A class signs in at once: one sign-in alone, then 60 together, through the web sign-in form.

Run: uv run python benchmarks/sign_in_rush.py [--students 60] [--lone 5] [--threads 16] [--way password]
     uv run python benchmarks/sign_in_rush.py --postgres [postgres://postgres@127.0.0.1:5432/test]
     (FLIPMASTERY_DATABASE_URL in the environment means --postgres on that server)

It makes what it needs and removes it afterwards, with class_load.py's helpers: a fresh demo data dir on
SQLite (or, on PostgreSQL, a fresh database `flipmastery_bench` with the demo loaded), students load001…
(password "student", hashed as the product hashes: Argon2id, accounts/hashers.py), and `flipmastery
serve` as a subprocess. Each sign-in is what a student's browser does: GET /login/ (the page, its CSRF
cookie and token), then POST the username and password, answered 302 with a session cookie; both are
timed together.

  lone   --lone students sign in one after another, on a quiet server: the median is "a lone sign-in".
  rush   --students others wait at a barrier and sign in together; the last one's time from the release
         is the figure. Target: ≤ 3 × a lone sign-in + 2 s.

The machine's load average is printed beside each figure: the client shares the cores with the server, and
on a shared machine other work shows up in the figures too.

Ways to sign in are in WAYS; --way picks one (all of them by default). A new way (a sign-in card, say) is a
function `(client, student_number) -> bool` that does what the browser does and says whether the student
ended signed in, its entry in WAYS, and what it needs made in `prepare_way`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from class_load import (
    PASSWORD,
    SECTION,
    Client,
    Server,
    Stats,
    cpu_seconds,
    drop_database,
    make_database,
    prepare,
    together,
    username,
)

POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in_with_password(client: Client, n: int) -> bool:
    """Student n (load00n) opens the sign-in page and signs in with their password."""
    page = client.page("login page", "GET", "/login/")
    found = CSRF_FIELD.search(page.raw)
    if page.status != 200 or found is None:
        client.stats.error(f"{username(n)}: no sign-in form ({page.status})")
        return False
    form = {"csrfmiddlewaretoken": found.group(1).decode(), "username": username(n), "password": PASSWORD}
    answer = client.page("sign in", "POST", "/login/", form, ok=(302,))
    return answer.status == 302 and "sessionid" in client.cookies


CARD_CODES: dict[int, str] = {}  # student number → the code printed on their sign-in card


def sign_in_with_card(client: Client, n: int) -> bool:
    """Student n scans their sign-in card: its QR code opens /c/<code>/, which signs them in."""
    answer = client.page("card", "GET", f"/c/{CARD_CODES[n]}/", ok=(302,))
    return answer.status == 302 and "sessionid" in client.cookies


# The ways a student signs in, by name, each measured the same way.
WAYS: dict[str, Callable[[Client, int], bool]] = {
    "password": sign_in_with_password,
    "card": sign_in_with_card,
}


def prepare_way(way: str, numbers: range) -> None:
    """Make what `way` needs for students load{n} (n in `numbers`), beyond their password "student" (made
    by class_load.prepare), e.g. each one's card code kept here for the sign-in function. It runs in this
    process, on the server's database, before the server starts. A password needs nothing more."""
    if way != "card":
        return
    from django.utils import timezone

    from flipmastery.accounts.cards import cards_issue
    from flipmastery.accounts.models import User
    from flipmastery.classroom.models import Section

    section = Section.objects.get(name=SECTION)
    teacher = section.teachers.first()
    assert teacher is not None
    by_name = {username(n): n for n in numbers}
    students = list(User.objects.filter(username__in=by_name))
    for card in cards_issue(section=section, students=students, by=teacher, now=timezone.now()):
        CARD_CODES[by_name[card.student.username]] = card.shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--students", type=int, default=60, help="students signing in together")
    parser.add_argument("--lone", type=int, default=5, help="lone sign-ins, one after another (median)")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads of the server")
    parser.add_argument("--way", choices=sorted(WAYS), action="append", help="how they sign in (all)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=POSTGRES,
        default=os.environ.get("FLIPMASTERY_DATABASE_URL", ""),
        metavar="URL",
        help=f"on PostgreSQL: the server to make the bench database on (default {POSTGRES})",
    )
    args = parser.parse_args()
    ways = args.way or sorted(WAYS)
    per_way = 1 + args.lone + args.students  # a warm-up, the lone ones, the rush
    work = Path(tempfile.mkdtemp(prefix="flipmastery-sign-in-"))
    server: Server | None = None
    try:
        database = make_database(args.postgres) if args.postgres else ""
        env = prepare(work, database, per_way * len(ways))
        for k, way in enumerate(ways):
            prepare_way(way, range(k * per_way + 1, (k + 1) * per_way + 1))
        server = Server(env, args.threads, work / "server.log")
        kind = "PostgreSQL" if database else "SQLite"
        print(
            f"sign_in_rush on {kind}, waitress {args.threads} threads, {os.cpu_count()} cores; "
            f"each sign-in is GET /login/ + POST /login/"
        )
        failed = False
        for k, way in enumerate(ways):
            first = k * per_way + 1  # each way has students of its own: load00n for n ≥ first
            failed |= measure(server.base, server.process.pid, way, first, args.lone, args.students)
        return int(failed)
    finally:
        if server is not None:
            server.stop()
        with suppress(Exception):
            from django.db import connections

            connections.close_all()
        if args.postgres:
            drop_database(args.postgres)
        shutil.rmtree(work, ignore_errors=True)


def measure(base: str, pid: int, way: str, first: int, lone_count: int, count: int) -> bool:
    """Student `first` warms the server up, the next `lone_count` sign in alone, the next `count` at once."""
    sign_in = WAYS[way]
    stats = Stats()
    sign_in(Client(base, stats), first)  # not counted: the server's first request loads what it needs
    load, cpu = os.getloadavg()[0], Cpu(pid)
    lone: list[float] = []
    for n in range(first + 1, first + 1 + lone_count):
        began = time.perf_counter()
        if not sign_in(Client(base, stats), n):
            stats.error(f"{username(n)}: not signed in")
        lone.append(time.perf_counter() - began)
    alone = statistics.median(lone)
    print(f"  {way}: a lone sign-in (median of {lone_count}) {alone * 1000:.0f} ms{loads(load)}")
    print(f"  {way}:   {cpu.per(lone_count)}")

    load, cpu = os.getloadavg()[0], Cpu(pid)
    took, signed_in = rush(base, stats, sign_in, first + 1 + lone_count, count)
    last, target = max(took), 3 * alone + 2
    print(
        f"  {way}: {count} at once: the last signed in after {last:.2f} s "
        f"(median {statistics.median(took):.2f} s), {last / alone:.1f} × a lone sign-in{loads(load)}"
    )
    print(f"  {way}:   {cpu.per(count)}")
    met = last <= target and signed_in == count
    verdict = "met" if met else "MISSED"
    print(f"  {way}: target ≤ 3 × lone + 2 s = {target:.2f} s: {verdict}; {signed_in} of {count} signed in")
    for line in stats.errors[:5]:
        print(f"  error: {line}")
    return not met or bool(stats.errors)


class Cpu:
    """CPU time used by the server and by this client from now on."""

    def __init__(self, pid: int) -> None:
        self.pid, self.server, self.client = pid, cpu_seconds(pid) or 0.0, time.process_time()

    def per(self, count: int) -> str:
        server = (cpu_seconds(self.pid) or 0.0) - self.server
        client = time.process_time() - self.client
        return (
            f"CPU per sign-in: server {server / count * 1000:.0f} ms, "
            f"this client {client / count * 1000:.0f} ms"
        )


def loads(before: float) -> str:
    """The machine's 1-minute load average before and after a figure was measured."""
    return f"   [load average {before:.2f} → {os.getloadavg()[0]:.2f}]"


def rush(
    base: str, stats: Stats, sign_in: Callable[[Client, int], bool], first: int, count: int
) -> tuple[list[float], int]:
    """Students first… wait at a barrier and sign in together (class_load.together): each one's seconds
    from the release to being signed in, and how many were."""
    released: list[float] = []
    ended: list[float] = []
    signed_in = [0]
    lock = threading.Lock()

    def student(k: int, barrier: threading.Barrier) -> None:
        client = Client(base, stats)  # connects on its first request, after the release, as a browser would
        barrier.wait()
        ok = sign_in(client, first + k)
        with lock:
            ended.append(time.perf_counter())
            signed_in[0] += ok

    together(count, stats, student, on_release=lambda: released.append(time.perf_counter()))
    return [end - released[0] for end in ended], signed_in[0]


if __name__ == "__main__":
    sys.exit(main())
