"""The teacher's class grid (live) and pacing chart; only the section's teachers see them (404 otherwise).

The grid's body polls every 10 s with the version it shows (If-None-Match): while nothing changed the
answer is an empty 304 with `HX-Reswap: none`, from the section's token in the shared cache: no query.
Everything shown is computed from plain objects fetched in a fixed number of queries (`class_facts`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.http import http_date, urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.cockpit.board import (
    STATE_SORT,
    Board,
    Column,
    RowFilter,
    StudentRow,
    filtered_rows,
    name_key,
    sorted_rows,
)
from flipmastery.cockpit.charts import bars, over_time, plan_end
from flipmastery.cockpit.selectors import class_board, grid_version, version_matches, waiting_since
from flipmastery.cockpit.services import section_plan_save
from flipmastery.cockpit.versions import poll_is_current, poll_tag, section_token
from flipmastery.domain.errors import Invalid
from flipmastery.domain.mastery import State
from flipmastery.web.cockpit_cells import grid_cells, objective_headers
from flipmastery.web.templatetags.cockpit import ago
from flipmastery.web.views import _user, action, page

POLL_SECONDS = 10


@dataclass(frozen=True)
class UnitHead:
    code: str
    title: str
    span: int


@dataclass(frozen=True)
class GridRow:
    id: int
    name: str
    username: str
    last_activity: datetime | None
    behind: int
    review_due: int
    cells: SafeString
    history: str  # the student's audit trail; "" on the projector (no way into a student's record)
    waiting: bool = False  # in the queue (known only when sorted by waiting)
    head: str = ""  # the row's header cell as safe HTML, written once here (row_head)


def row_head(row: GridRow, now: datetime, behind: str, waiting: str) -> SafeString:
    """A grid row's header cell: the name (a link to the record), when last active, and its flags. Built
    in Python for every row of every poll: as a template it was most of the grid's rendering time."""
    if row.history:
        who = f'<a href="{escape(row.history)}">{escape(row.name)}</a>'
    else:
        who = f'<span class="anon">{escape(row.name)}</span>'
    flags: str = escape(ago(row.last_activity, now))
    if row.behind:
        flags += f' · <span class="flag">⚑ {row.behind} {escape(behind)}</span>'
    if row.review_due:
        flags += f" · ⟲ {row.review_due}"
    if row.waiting:
        flags += f' · <span class="waits">✋ {escape(waiting)}</span>'
    return SafeString(f'<th scope="row">{who}<small>{flags}</small></th>')


def options(choices: list[tuple[str, str]], chosen: str) -> SafeString:
    """`<option>`s of a select, the chosen one selected (the grid's 50-objective lists, built once)."""
    return SafeString(
        "".join(
            f'<option value="{escape(key)}"{" selected" if key == chosen else ""}>{escape(label)}</option>'
            for key, label in choices
        )
    )


def units_of(columns: list[Column]) -> list[UnitHead]:
    heads: list[UnitHead] = []
    for c in columns:
        if heads and heads[-1].code == c.unit_code:
            heads[-1] = UnitHead(c.unit_code, c.unit_title, heads[-1].span + 1)
        else:
            heads.append(UnitHead(c.unit_code, c.unit_title, 1))
    return heads


def history_urls(section: Section) -> Callable[[int], str]:
    """Student id → their audit trail's URL, reversed once for the whole class (not once per row)."""
    mark = 987654321
    pattern = reverse("cockpit_history", args=[section.pk, mark]).replace(str(mark), "{}")
    return pattern.format


def cell_urls(section: Section) -> Callable[[int, int], str]:
    """(student id, objective id) → the cell's panel URL, reversed once for the whole grid."""
    return cell_urls_pattern(section).format


def cell_urls_pattern(section: Section) -> str:
    """The cells' panel URL with {0} for the student and {1} for the objective."""
    marks = (987654321, 987654322)
    pattern = reverse("cockpit_cell", args=[section.pk, *marks])
    return pattern.replace(str(marks[0]), "{0}").replace(str(marks[1]), "{1}")


@functools.lru_cache(maxsize=4096)
def row_hrefs(pattern: str, student: int, objectives: tuple[int, ...], suffix: str) -> tuple[str, ...]:
    """A row's cell links, kept: the same every look while the view and the objectives are."""
    return tuple(pattern.format(student, oid) + suffix for oid in objectives)


def shown_board(whole: Board, unit: str) -> Board:
    codes = {c.code for c in whole.columns if c.unit_code == unit}
    return whole.only(codes) if codes else whole


# The grid's orders: the choice travels in the URL (`sort`), so it survives the poll and a reload.
# Marked for the catalog here, translated where they are shown (`_(v)`).
SORTS = {
    "name": gettext_noop("Name"),
    "behind": gettext_noop("Behind pace (most behind first)"),
    "waiting": gettext_noop("Waiting in the queue first"),
}
NAMINGS = {
    "initials": gettext_noop("Initials"),
    "first": gettext_noop("First names"),
    "numbers": gettext_noop("Numbers"),
}


STATES = {s.value for s in State}
MAX_SEARCH = 60


@dataclass(frozen=True)
class View:
    """How the teacher asked to see the grid (all from the query string, all kept by the poll): the unit,
    the order, the projector and its names, and which students (behind, waiting, in a state on an
    objective, a name)."""

    unit: str
    sort: str
    projector: bool
    names: str  # on the projector only: initials, first names or numbers
    behind: bool = False
    waiting: bool = False
    objective: str = ""  # with `state`: only those in that state on this objective ("": on any shown)
    state: str = ""
    q: str = ""

    @classmethod
    def of(cls, request: HttpRequest, codes: set[str] | None = None) -> View:
        get = request.GET
        sort = get.get("sort", "name")
        if not (sort in SORTS or (sort.startswith(STATE_SORT) and (codes is None or sort[6:] in codes))):
            sort = "name"
        projector = get.get("projector", "") == "1"
        names = get.get("names", "initials") if projector else ""
        if projector and names not in NAMINGS:
            names = "initials"
        objective = get.get("objective", "")
        if codes is not None and objective not in codes:
            objective = ""
        state = get.get("state", "")
        if state not in STATES:
            state = ""
        return cls(
            get.get("unit", ""),
            sort,
            projector,
            names,
            get.get("behind", "") == "1",
            get.get("waiting", "") == "1",
            objective,
            state,
            " ".join(get.get("q", "").split())[:MAX_SEARCH],
        )

    @property
    def row_filter(self) -> RowFilter:
        states = frozenset({State(self.state)}) if self.state else frozenset()
        return RowFilter(self.behind, self.waiting, self.objective, states, self.q)

    def query(self, **changed: str) -> str:
        """This view's query string ("" or "?…"), with some of its parts changed."""
        parts = {
            "unit": self.unit,
            "sort": "" if self.sort == "name" else self.sort,
            "projector": "1" if self.projector else "",
            "names": self.names if self.projector else "",
            "behind": "1" if self.behind else "",
            "waiting": "1" if self.waiting else "",
            "objective": self.objective,
            "state": self.state,
            "q": self.q,
        }
        parts.update(changed)
        kept = {k: v for k, v in parts.items() if v}
        return "?" + urlencode(kept) if kept else ""

    @property
    def key(self) -> tuple[object, ...]:
        """What the page shows depends on: part of its version."""
        return (
            self.unit,
            self.sort,
            self.projector,
            self.names,
            self.behind,
            self.waiting,
            self.objective,
            self.state,
            self.q,
        )


def anonymous(name: str, number: int, names: str) -> str:
    """A name the class may see on the projector: initials ("A. V."), the first name, or a number
    (the student's place in the class list by name, the same whatever the order shown)."""
    if names == "numbers":
        return f"#{number}"
    words = name.split()
    if names == "first":
        return words[0] if words else f"#{number}"
    return " ".join(f"{w[0].upper()}." for w in words) or f"#{number}"


def _grid_context(
    request: HttpRequest, section: Section, now: datetime, tag: str, seen: str = ""
) -> dict[str, Any]:
    whole = class_board(section, now, seen)
    view = View.of(request, {c.code for c in whole.columns})
    shown = shown_board(whole, view.unit)
    columns = shown.columns
    codes = tuple(c.code for c in columns)
    waiting = waiting_since(section) if view.sort == "waiting" or view.waiting else {}
    numbers = {r.id: n for n, r in enumerate(sorted(shown.rows, key=name_key), start=1)}
    keep = view.row_filter
    rows, flags = [], []
    history = history_urls(section)
    cell_pattern = cell_urls_pattern(section)
    ids = tuple(c.id for c in columns)
    suffix = view.query()
    for r in filtered_rows(sorted_rows(shown.rows, view.sort, waiting), keep, waiting, codes):
        cells = grid_cells(r.replayed, codes, row_hrefs(cell_pattern, r.id, ids, suffix))
        rows.append(
            GridRow(
                r.id,
                anonymous(r.name, numbers[r.id], view.names) if view.projector else r.name,
                "" if view.projector else r.username,
                r.last_activity,
                r.behind,
                cells.review_due,
                cells.html,
                "" if view.projector else history(r.id),
                r.id in waiting,
            )
        )
        flags.append(cells.mastered)
    mastered = [sum(column) for column in zip(*flags, strict=True)] if flags else []
    behind_word, waiting_word = _("behind"), _("waiting")
    rows = [replace(r, head=row_head(r, now, behind_word, waiting_word)) for r in rows]
    unit = view.unit if shown is not whole else ""
    view = replace(view, unit=unit)
    state_sorts = [(STATE_SORT + c.code, c.code) for c in whole.columns]
    return {
        "section": section,
        "board": shown,
        "columns": columns,
        "units": units_of(whole.columns),
        "heads": units_of(columns),
        "headers": objective_headers(columns),
        "unit": unit,
        "view": view,
        "sorts": [(k, _(v)) for k, v in SORTS.items()],
        "state_sorts": state_sorts,
        "state_sort_options": options(state_sorts, view.sort),
        "objective_options": options([(code, code) for _key, code in state_sorts], view.objective),
        "namings": [(k, _(v)) for k, v in NAMINGS.items()],
        "projector_url": view.query(projector="1"),
        "usual_url": view.query(projector="", names=""),
        "rows": rows,
        "filtering": keep.active,
        "class_size": len(shown.rows),
        "clear_url": view.query(behind="", waiting="", objective="", state="", q=""),
        "mastered": mastered,
        "mastered_cells": SafeString("".join(f"<td>{n}/{len(rows)}</td>" for n in mastered)),
        "behind": sum(1 for r in rows if r.behind),
        "total": len(whole.columns),
        "now": now,
        "plan": whole.plan,
        "states": list(State),
        "poll_seconds": POLL_SECONDS,
        "poll_url": reverse("cockpit_grid_rows", args=[section.pk]) + view.query(),
        "poll_headers": json.dumps({"If-None-Match": tag}),
    }


def versioned(response: HttpResponse, tag: str, changed: datetime | None) -> HttpResponse:
    response.headers["ETag"] = tag
    if changed is not None:
        response.headers["Last-Modified"] = http_date(changed.timestamp())
    return response


def _session(request: HttpRequest) -> str:
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")


def _look(request: HttpRequest) -> str:
    """How this request looks at the grid: its view and language (what the page shows depends on)."""
    return repr((*View.of(request).key, get_language()))


def _version(request: HttpRequest, section: Section, now: datetime) -> tuple[str, datetime | None, str]:
    """The poll's tag, when the grid last changed, and the marks it was read from (see grid_version)."""
    token = section_token(section.pk)  # read before anything the page is built from
    facts = getattr(section.course, "facts_version", 0)
    marks, changed, seen = grid_version(section, now, *View.of(request).key, get_language(), facts)
    fingerprint = marks.removeprefix('W/"').strip('"')[:16]
    tag = poll_tag(section.pk, token, minute_of(now), _session(request), _look(request), fingerprint)
    return tag, changed, seen


def minute_of(now: datetime) -> int:
    return int(now.timestamp() // 60)


@page
def grid(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    now = timezone.now()
    tag, changed, seen = _version(request, section, now)
    context = _grid_context(request, section, now, tag, seen)
    return versioned(render(request, "web/cockpit/grid.html", context), tag, changed)


def grid_rows(request: HttpRequest, section_id: int) -> HttpResponse:
    """The grid's body alone, for the poll: 304 (and no swap) while the version it shows is current.
    While nothing changed in the section this minute that is known from the section's token alone, with
    no query (the tag is sealed to this session and view: see cockpit.versions)."""
    sent = request.headers.get("If-None-Match", "")
    if sent and request.method in ("GET", "HEAD"):
        minute = minute_of(timezone.now())
        tag = poll_is_current(sent, section_id, minute, _session(request), _look(request))
        if tag:
            return _not_modified(tag, None)
    return _grid_rows(request, section_id)


def _not_modified(tag: str, changed: datetime | None) -> HttpResponse:
    response = HttpResponseNotModified()
    response.headers["HX-Reswap"] = "none"
    add_never_cache_headers(response)
    return versioned(response, tag, changed)


@page
def _grid_rows(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    now = timezone.now()
    tag, changed, seen = _version(request, section, now)
    if version_matches(request.headers.get("If-None-Match", ""), tag):
        return _not_modified(tag, changed)
    context = _grid_context(request, section, now, tag, seen)
    return versioned(render(request, "web/cockpit/_grid_body.html", context), tag, changed)


@action
def plan_save(request: HttpRequest, section_id: int) -> HttpResponse:
    """The section's pacing and grade scale, from the form under the grid."""
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    form = request.POST
    try:
        section_plan_save(
            section=section,
            actor=teacher,
            now=timezone.now(),
            start=form.get("start", ""),
            per_week=form.get("per_week", ""),
            periods=form.get("periods", ""),
            scale=form.get("scale", ""),
        )
    except Invalid as error:
        now = timezone.now()
        tag, _changed, seen = _version(request, section, now)
        context = _grid_context(request, section, now, tag, seen)
        context.update(plan_errors=[p.message for p in error.problems], plan_form=form, plan_open=True)
        return render(request, "web/cockpit/grid.html", context, status=422)
    url = reverse("cockpit_grid", args=[section.pk])
    unit = form.get("unit", "")
    return redirect(f"{url}?{urlencode({'unit': unit})}#plan" if unit else f"{url}#plan")


@page
def pacing(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    now = timezone.now()
    whole = class_board(section, now)
    total = len(whole.columns)
    rows = sorted(whole.rows, key=lambda r: (-r.behind, r.name.lower()))
    end = plan_end(whole, total)
    context = {
        "section": section,
        "board": whole,
        "total": total,
        "rows": rows,
        "late": _late(rows, end),
        "behind": sum(1 for r in rows if r.behind),
        "chart": over_time(whole, now, total),
        "bars": bars(whole, total),
        "plan_end": end,
        "today": timezone.localdate(now),
        "week": int(whole.today // 7) + 1,
    }
    return render(request, "web/cockpit/pacing.html", context)


def _late(rows: list[StudentRow], end: date | None) -> dict[int, int]:
    """Student → days their projected finish falls after the plan's last benchmark."""
    if end is None:
        return {}
    return {
        r.id: (r.projected_finish - end).days for r in rows if r.projected_finish and r.projected_finish > end
    }
