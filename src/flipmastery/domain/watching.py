"""How much of a video a student has watched: the union of the stretches they played, as a share of it.

A corrective "learn it another way" should be learning, not a click: an uploaded video counts as used
once enough of it has been played. Seeking ahead plays nothing, and a stretch played twice counts once.
Pure: the page reports stretches (from, to) in seconds as it plays; these functions keep their union.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

ENOUGH = 0.8  # the share of a video that makes it "used"
MAX_STRETCH = 30.0  # seconds one report may add: the page reports every few seconds of playing
MAX_SPANS = 200  # a student who seeks about a lot still has a small record
MAX_DURATION = 6 * 3600.0

Span = tuple[float, float]


def add_stretch(spans: Sequence[Span], start: float, end: float, duration: float) -> list[Span]:
    """The watched spans with one more played stretch, clamped to the video and merged with overlaps.
    A stretch longer than MAX_STRETCH counts only its last MAX_STRETCH seconds (a report that skips
    ahead has not played what it skipped). Past MAX_SPANS separate spans, nothing more is added: the
    share never shrinks, and a record stays small however a student seeks about."""
    if not all(math.isfinite(x) for x in (start, end, duration)):
        return list(spans)
    duration = min(max(duration, 0.0), MAX_DURATION)
    start, end = max(0.0, min(start, duration)), max(0.0, min(end, duration))
    if end - start > MAX_STRETCH:
        start = end - MAX_STRETCH
    merged: list[Span] = []
    pending = (start, end) if end > start else None
    for a, b in sorted((max(0.0, a), min(b, duration)) for a, b in spans if b > a):
        if pending is not None and pending[0] <= b + 0.5 and a <= pending[1] + 0.5:  # touching counts
            pending = (min(a, pending[0]), max(b, pending[1]))
        elif merged and a <= merged[-1][1] + 0.5:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    if pending is not None:
        merged.append(pending)
    union = _union(merged)
    return union if len(union) <= MAX_SPANS else _union(spans)


def _union(spans: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 0.5:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def watched_share(spans: Sequence[Span], duration: float) -> float:
    """The share of the video played, 0.0–1.0."""
    if duration <= 0:
        return 0.0
    return min(1.0, sum(b - a for a, b in _union(spans)) / duration)


def watched_enough(spans: Sequence[Span], duration: float) -> bool:
    return watched_share(spans, duration) >= ENOUGH
