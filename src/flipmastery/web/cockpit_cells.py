"""The class grid's cells as HTML, built from trusted pieces (a state, counts, a score) and memoised.

A 40 × 50 grid has 2,000 cells; Django's template engine spends tens of milliseconds on that many
`{% if %}`s, this a fraction of one. Nothing a person typed goes into a cell (its link to the cell's
panel is escaped), so there is nothing else to escape in them; the objectives' headers escape their
statements; the students' names stay in the template, which escapes them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from flipmastery.cockpit.board import Column, Replayed
from flipmastery.domain.mastery import State
from flipmastery.web.templatetags.cockpit import SYMBOLS, evidence_word, state_short


@functools.lru_cache(maxsize=4096)
def cell_parts(
    state: State,
    attempts: int,
    score: int | None,
    pending: bool,
    review: bool,
    gate: tuple[str, ...],
    language: str | None,  # part of the key only: the short word is in the language of the request
    signoff: bool = False,  # the check is passed; required activities wait for the teacher's sign-off
) -> tuple[str, str]:
    """A cell's attributes and its words, the same for every student in the same place."""
    detail = []
    if attempts:
        detail.append(f"{attempts}×")
    if pending:
        detail.append(_("grading"))
    elif score is not None:
        detail.append(f"{score}%")
    extra = f"<small>{' '.join(detail)}</small>" if detail else ""
    if review:
        # Words outside f-strings: xgettext does not read inside them.
        review_word = escape(_("review"))
        extra += f'<small class="rv">⟲ {review_word}</small>'
    if signoff:
        signoff_words = escape(_("passed · sign off"))
        extra += f'<small class="so">{signoff_words}</small>'
        gate = ("activity sign-off",)
    needs = escape(_("needs: %(what)s") % {"what": ", ".join(_gate_word(g) for g in gate)})
    title = f' title="{needs}"' if gate else ""
    return f'class="c state-{state.value}"{title}', f"{SYMBOLS[state]} {state_short(state)}{extra}"


def _gate_word(gate: str) -> str:
    """What a retake (or mastery) still waits for, in the page's language (in English, the gate's own
    short name, as the grid has always said it); an unknown gate as it is."""
    words = {
        "corrective": pgettext("what a retake waits for", "corrective"),
        "conference": pgettext("what a retake waits for", "conference"),
        "cooldown": pgettext("what a retake waits for", "cooldown"),
        "release": pgettext("what a retake waits for", "release"),
        "activity sign-off": _("activity sign-off"),
    }
    return str(words.get(gate, gate))


def cell_html(
    state: State,
    attempts: int,
    score: int | None,
    pending: bool,
    review: bool,
    gate: tuple[str, ...],
    language: str | None,
    signoff: bool = False,
    href: str = "",  # the cell's panel (already escaped): the cell is a link to it
) -> str:
    attributes, words = cell_parts(state, attempts, score, pending, review, gate, language, signoff)
    if href:
        words = f'<a class="cell" href="{href}">{words}</a>'
    return f"<td {attributes}>{words}</td>"


def objective_headers(columns: Sequence[Column]) -> SafeString:
    """The header cell of each objective: its code and tier, in words and by the border."""
    return _objective_headers(tuple(columns), get_language())


@functools.lru_cache(maxsize=256)
def _objective_headers(columns: tuple[Column, ...], language: str | None) -> SafeString:
    # Not inside f-strings: xgettext does not read them, so the words would never reach the catalog.
    words = {True: "● " + _("essential"), False: "○ " + _("nice")}
    return format_html_join(
        "",
        '<th scope="col" class="obj obj-{}" title="{}"><span class="code">{}</span><small>{}</small></th>',
        ((c.tier, c.statement, c.code, words[c.essential]) for c in columns),
    )


@dataclass(frozen=True)
class GridCells:
    html: SafeString
    review_due: int  # cells with a review due
    mastered: tuple[bool, ...]  # per objective shown


def grid_cells(replayed: Replayed, codes: tuple[str, ...], hrefs: tuple[str, ...] = ()) -> GridCells:
    """A student's row of cells for the objectives shown, each a link to its panel when `hrefs` (one per
    code, raw) are given; kept while their replay is (it is immutable)."""
    return _grid_cells(replayed, codes, get_language(), _escaped(hrefs))


@functools.lru_cache(maxsize=4096)
def _escaped(hrefs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(escape(h) for h in hrefs)


@functools.lru_cache(maxsize=8192)
def _grid_cells(
    replayed: Replayed, codes: tuple[str, ...], language: str | None, hrefs: tuple[str, ...]
) -> GridCells:
    parts, review, mastered = [], 0, []
    for n, code in enumerate(codes):
        c = replayed.cells[code]
        score = None if c.last_score is None else round(c.last_score * 100)
        signoff = c.check_passed and c.state is not State.MASTERED
        parts.append(
            cell_html(
                c.state,
                c.attempts,
                score,
                c.pending,
                c.review_due,
                c.gate,
                language,
                signoff,
                hrefs[n] if hrefs else "",
            )
        )
        review += c.review_due
        mastered.append(c.state is State.MASTERED)
    html = mark_safe("".join(parts))  # noqa: S308 - built above from states, numbers and fixed words only
    return GridCells(html, review, tuple(mastered))


@functools.lru_cache(maxsize=1024)
def gradebook_cell(state: State, attempts: int, evidence: str, language: str | None) -> str:
    """Standards-based: mastered (✓, and by what evidence) or not, with the attempts taken."""
    tries = f"<small>{attempts}×</small>" if attempts else ""
    if state is State.MASTERED:
        how = f'<small class="by">{evidence_word(evidence)}</small>' if evidence else ""
        return f'<td class="g is-m"><b>✓</b>{tries}{how}</td>'
    return f'<td class="g"><span class="st">{SYMBOLS[state]} {state_short(state)}</span>{tries}</td>'


def gradebook_cells(replayed: Replayed, codes: tuple[str, ...]) -> SafeString:
    return _gradebook_cells(replayed, codes, get_language())


@functools.lru_cache(maxsize=8192)
def _gradebook_cells(replayed: Replayed, codes: tuple[str, ...], language: str | None) -> SafeString:
    cells = replayed.cells
    parts = [gradebook_cell(cells[c].state, cells[c].attempts, cells[c].evidence, language) for c in codes]
    return mark_safe("".join(parts))  # noqa: S308 - built from states, numbers and fixed words only
