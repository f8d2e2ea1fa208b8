"""Reads `course.yaml` of a course package into a CourseSpec, listing every problem with file and line."""

from __future__ import annotations

import contextlib
import difflib
import posixpath
from collections.abc import Callable
from collections.abc import Mapping as AnyMapping
from typing import Any

from flipmastery.domain.course import (
    CODE_PATTERN,
    ActivitySpec,
    CourseSpec,
    EnrichmentSpec,
    LearningObjectKind,
    LearningObjectSpec,
    ObjectiveSpec,
    Tier,
    UnitSpec,
    course_problems,
)
from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats import yamlsource
from flipmastery.domain.formats.yamlsource import Mapping, Sequence
from flipmastery.domain.gating import policy_from
from flipmastery.domain.guided_notes import NotesTemplate, parse_template
from flipmastery.domain.video_length import GRADES

BANK_SUFFIXES = (".yaml", ".yml", ".gift", ".txt", ".xml")
URL_SCHEMES = ("http://", "https://")

COURSE_KEYS = {"course", "units"}
COURSE_FIELDS = {"code", "title", "threshold", "language", "description", "policy", "grade"}
UNIT_FIELDS = {"code", "title", "objectives"}
OBJECTIVE_FIELDS = {
    "code",
    "statement",
    "tier",
    "outcome_code",
    "prerequisites",
    "threshold",
    "minutes",
    "estimated_minutes",
    "learn",
    "activities",
    "enrichment",
    "check",
    "bank",
    "policy",
}
LEARN_FIELDS = {"kind", "title", "url", "file", "minutes", "body", "answers", "notes"}
ACTIVITY_FIELDS = {"title", "description"}
ENRICHMENT_FIELDS = {"title", "description", "url"}


class _Reader:
    """Walks the parsed YAML, collecting problems instead of stopping at the first."""

    def __init__(self, file: str, package_has: Callable[[str], bool]) -> None:
        self.file = file
        self.package_has = package_has
        self.problems: list[Problem] = []

    def at(self, line: int | None) -> Location:
        return Location(self.file, line)

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, self.at(line)))

    def mapping(self, value: Any, what: str, line: int) -> Mapping | None:
        if isinstance(value, Mapping):
            return value
        self.problem(f"{what} must be a mapping (key: value lines), not {_kind(value)}", line)
        return None

    def sequence(self, value: Any, what: str, line: int) -> Sequence:
        if value is None:
            return Sequence()
        if isinstance(value, Sequence):
            return value
        self.problem(f"{what} must be a list (lines starting with '-'), not {_kind(value)}", line)
        return Sequence()

    def keys(self, node: Mapping, allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = (
                    f" (did you mean '{close[0]}'?)"
                    if close
                    else f"; known keys: {', '.join(sorted(allowed))}"
                )
                self.problem(f"unknown key '{key}' in {what}{hint}", node.line_of(key))

    def text(self, node: Mapping, key: str, what: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"{what} needs a '{key}'", node.line)
            return ""
        if isinstance(value, (Mapping, Sequence)):
            self.problem(f"'{key}' of {what} must be text, not {_kind(value)}", node.line_of(key))
            return ""
        return str(value).strip()

    def code(self, node: Mapping, what: str) -> str:
        code = self.text(node, "code", what)
        if code and not CODE_PATTERN.match(code):
            self.problem(
                f"code '{code}' of {what} may use only letters, digits, '-', '_' and '.' (at most 40)",
                node.line_of("code"),
            )
        return code

    def number(self, node: Mapping, key: str, what: str, *, whole: bool = False) -> Any:
        value = node.get(key)
        if value is None:
            return None
        ok = isinstance(value, int) if whole else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or value < 0:
            kind = "a whole number" if whole else "a number"
            self.problem(f"'{key}' of {what} must be {kind} ≥ 0, not {value!r}", node.line_of(key))
            return None
        return value

    def threshold(self, node: Mapping, what: str) -> float | None:
        value = node.get("threshold")
        if value is None:
            return None
        if isinstance(value, str) and value.strip().endswith("%"):
            with contextlib.suppress(ValueError):
                value = float(value.strip()[:-1]) / 100
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(
                f"threshold of {what} must be a fraction like 0.8 or a percentage like 80%",
                node.line_of("threshold"),
            )
            return None
        if value > 1:  # a teacher writing 80 means 80 %
            value = value / 100
        return float(value)

    def package_file(self, path: str, what: str, line: int) -> str:
        clean = posixpath.normpath(path.replace("\\", "/"))
        if clean.startswith(("../", "/")) or clean == "..":
            self.problem(f"{what} '{path}' must be a path inside the package", line)
            return ""
        if not self.package_has(clean):
            self.problem(f"{what} '{path}' is not in the package", line)
            return ""
        return clean


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def parse_course(
    text: str,
    *,
    file: str = "course.yaml",
    package_has: Callable[[str], bool],
    foreign: AnyMapping[str, str] | None = None,
) -> CourseSpec:
    """The course described by `text`; raises Invalid listing every problem with its line."""
    data = yamlsource.load(text, file)
    reader = _Reader(file, package_has)
    if not isinstance(data, Mapping):
        raise Invalid(
            [Problem("course.yaml must be a mapping with 'course:' and 'units:'", Location(file, 1))]
        )
    reader.keys(data, COURSE_KEYS, "the file")
    head = (
        reader.mapping(data.get("course"), "'course'", data.line_of("course")) if "course" in data else None
    )
    if head is None:
        if "course" not in data:
            reader.problem("the file needs a 'course:' mapping with code and title", data.line)
        head = Mapping()
        head.line, head.key_lines = data.line, {}
    reader.keys(head, COURSE_FIELDS, "course")
    threshold = reader.threshold(head, "the course")
    units = tuple(
        unit
        for i, raw in enumerate(reader.sequence(data.get("units"), "units", data.line_of("units")))
        if (unit := _unit(reader, raw, data["units"].line_at(i))) is not None
    )
    if not units and "units" not in data:
        reader.problem("the file needs a 'units:' list", data.line)
    spec = CourseSpec(
        code=reader.code(head, "the course") if head else "",
        title=reader.text(head, "title", "the course"),
        threshold=0.8 if threshold is None else threshold,
        language=reader.text(head, "language", "the course", required=False) or "en",
        description=reader.text(head, "description", "the course", required=False),
        units=units,
        policy=_policy(reader, head, "the course"),
        location=Location(file, head.line),
        grade=_grade(reader, head),
    )
    problems = reader.problems + course_problems(spec, foreign)
    if problems:
        raise Invalid(problems)
    return spec


def _grade(reader: _Reader, head: Mapping) -> int | None:
    value = head.get("grade")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in GRADES:
        reader.problem(
            f"grade of the course must be a whole number from 1 to 12 (its class), not {value!r}",
            head.line_of("grade"),
        )
        return None
    return value


def _unit(reader: _Reader, raw: Any, line: int) -> UnitSpec | None:
    node = reader.mapping(raw, "a unit", line)
    if node is None:
        return None
    reader.keys(node, UNIT_FIELDS, "unit")
    code = reader.code(node, "a unit")
    objectives = reader.sequence(
        node.get("objectives"), f"objectives of unit {code}", node.line_of("objectives")
    )
    return UnitSpec(
        code=code,
        title=reader.text(node, "title", f"unit {code}"),
        objectives=tuple(
            o for i, raw_o in enumerate(objectives) if (o := _objective(reader, raw_o, objectives.line_at(i)))
        ),
        location=reader.at(node.line),
    )


def _objective(reader: _Reader, raw: Any, line: int) -> ObjectiveSpec | None:
    node = reader.mapping(raw, "an objective", line)
    if node is None:
        return None
    reader.keys(node, OBJECTIVE_FIELDS, "objective")
    code = reader.code(node, "an objective")
    what = f"objective {code}"
    tier_text = reader.text(node, "tier", what, required=False) or Tier.ESSENTIAL.value
    tier_text = tier_text.replace("-", "_").replace(" ", "_").lower()
    if tier_text not in {t.value for t in Tier}:
        reader.problem(
            f"tier '{node.get('tier')}' of {what} must be 'essential' or 'nice_to_know'", node.line_of("tier")
        )
        tier_text = Tier.ESSENTIAL.value
    raw_prereqs = node.get("prerequisites")
    if isinstance(raw_prereqs, str):  # "GAS-1" or "GAS-1, GAS-2" alone is a common shorthand
        prereqs = Sequence(p for p in (part.strip() for part in raw_prereqs.split(",")) if p)
        prereqs.line = node.line_of("prerequisites")
        prereqs.item_lines = [prereqs.line] * len(prereqs)
    else:
        prereqs = reader.sequence(raw_prereqs, f"prerequisites of {what}", node.line_of("prerequisites"))
    check = node.get("check")
    check_items, check_written = 2, 0
    if check is not None:
        check_node = reader.mapping(check, f"'check' of {what}", node.line_of("check"))
        if check_node is not None:
            reader.keys(check_node, {"items", "written"}, f"'check' of {what}")
            items = reader.number(check_node, "items", f"'check' of {what}", whole=True)
            check_items = 2 if items is None else items
            written = reader.number(check_node, "written", f"'check' of {what}", whole=True)
            check_written = 0 if written is None else written
    bank = reader.text(node, "bank", what, required=False)
    if bank:
        if not bank.lower().endswith(BANK_SUFFIXES):
            reader.problem(
                f"bank '{bank}' of {what} must be a .yaml, .gift, .txt (Aiken) or .xml (Moodle XML) file",
                node.line_of("bank"),
            )
        bank = reader.package_file(bank, f"bank of {what}", node.line_of("bank"))
    minutes = reader.number(node, "estimated_minutes", what, whole=True)
    if minutes is None:
        minutes = reader.number(node, "minutes", what, whole=True)
    learn = reader.sequence(node.get("learn"), f"'learn' of {what}", node.line_of("learn"))
    activities = reader.sequence(node.get("activities"), f"activities of {what}", node.line_of("activities"))
    enrichment = reader.sequence(node.get("enrichment"), f"enrichment of {what}", node.line_of("enrichment"))
    return ObjectiveSpec(
        code=code,
        statement=reader.text(node, "statement", what),
        tier=Tier(tier_text),
        outcome_code=reader.text(node, "outcome_code", what, required=False),
        prerequisites=tuple(str(p).strip() for p in prereqs),
        prerequisite_locations=tuple(reader.at(prereqs.line_at(i)) for i in range(len(prereqs))),
        threshold=reader.threshold(node, what),
        estimated_minutes=minutes,
        learn=tuple(
            lo for i, r in enumerate(learn) if (lo := _learning_object(reader, r, learn.line_at(i), what))
        ),
        activities=tuple(
            a for i, r in enumerate(activities) if (a := _activity(reader, r, activities.line_at(i), what))
        ),
        enrichment=tuple(
            e for i, r in enumerate(enrichment) if (e := _enrichment(reader, r, enrichment.line_at(i), what))
        ),
        check_items=check_items,
        check_written=check_written,
        policy=_policy(reader, node, what),
        bank=bank,
        location=reader.at(node.line),
    )


def _policy(reader: _Reader, node: Mapping, what: str) -> tuple[tuple[str, object], ...]:
    """`policy:` settings (check mode, retake gate, cooldown, review items), checked by the loop's rules."""
    if "policy" not in node:
        return ()
    found = reader.mapping(node["policy"], f"'policy' of {what}", node.line_of("policy"))
    if found is None:
        return ()
    try:
        policy_from(found)
    except Invalid as err:
        for problem in err.problems:
            reader.problem(f"policy of {what}: {problem.message}", node.line_of("policy"))
        return ()
    return tuple(found.items())


def _learning_object(reader: _Reader, raw: Any, line: int, owner: str) -> LearningObjectSpec | None:
    node = reader.mapping(raw, f"a learning object of {owner}", line)
    if node is None:
        return None
    reader.keys(node, LEARN_FIELDS, f"learning object of {owner}")
    kind_text = reader.text(node, "kind", f"a learning object of {owner}")
    kinds = [k.value for k in LearningObjectKind]
    if kind_text and kind_text not in kinds:
        reader.problem(
            f"kind '{kind_text}' of a learning object of {owner} must be one of {', '.join(kinds)}",
            node.line_of("kind"),
        )
        return None
    if not kind_text:
        return None
    title = reader.text(node, "title", f"a learning object of {owner}")
    url = reader.text(node, "url", title, required=False)
    if url and not url.startswith(URL_SCHEMES):
        reader.problem(f"url of '{title}' must start with http:// or https://", node.line_of("url"))
        url = ""
    file = reader.text(node, "file", title, required=False)
    if file:
        file = reader.package_file(file, f"file of '{title}'", node.line_of("file"))
    kind = LearningObjectKind(kind_text)
    if kind in (LearningObjectKind.VIDEO, LearningObjectKind.SIMULATION, LearningObjectKind.LINK) and not (
        url or file or "url" in node or "file" in node
    ):
        reader.problem(f"{kind.value} '{title}' of {owner} needs a 'url' or a 'file'", node.line)
    if kind is LearningObjectKind.FILE and not file and "file" not in node:
        reader.problem(f"file '{title}' of {owner} needs a 'file' path inside the package", node.line)
    return LearningObjectSpec(
        kind=kind,
        title=title,
        url=url,
        file=file,
        minutes=reader.number(node, "minutes", f"'{title}'", whole=True),
        body=reader.text(node, "body", title, required=False),
        answers=reader.text(node, "answers", title, required=False),
        location=reader.at(node.line),
        notes=_notes(reader, node, title),
    )


def _part_line(raw: Any, message: str, node: Mapping) -> int:
    """The line of the part a problem names ("Part 3 (...): ..."), else of `notes:`."""
    words = message.split(" ", 2)
    if isinstance(raw, Sequence) and len(words) > 1 and words[0] == "Part":
        number = words[1].rstrip(":")
        if number.isdigit() and 1 <= int(number) <= len(raw):
            return raw.line_at(int(number) - 1)
    return node.line_of("notes")


def _notes(reader: _Reader, node: Mapping, title: str) -> NotesTemplate | None:
    """A learning object's `notes:` (guided notes), each problem said at its line and with its part."""
    if "notes" not in node:
        return None
    raw = node["notes"]
    try:
        template = parse_template(raw)
    except Invalid as error:
        for problem in error.problems:
            reader.problem(f"notes of '{title}': {problem.message}", _part_line(raw, problem.message, node))
        return None
    if any(part.image for part in template.parts):
        reader.problem(
            f"notes of '{title}': a diagram's image cannot come in a package yet; leave 'image' out to use "
            "the learning object's own image, or upload one in the studio",
            node.line_of("notes"),
        )
        return None
    return template


def _activity(reader: _Reader, raw: Any, line: int, owner: str) -> ActivitySpec | None:
    if isinstance(raw, str) and raw.strip():
        return ActivitySpec(title=raw.strip(), location=reader.at(line))
    node = reader.mapping(raw, f"an activity of {owner}", line)
    if node is None:
        return None
    reader.keys(node, ACTIVITY_FIELDS, f"activity of {owner}")
    return ActivitySpec(
        title=reader.text(node, "title", f"an activity of {owner}"),
        description=reader.text(node, "description", f"an activity of {owner}", required=False),
        location=reader.at(node.line),
    )


def _enrichment(reader: _Reader, raw: Any, line: int, owner: str) -> EnrichmentSpec | None:
    if isinstance(raw, str) and raw.strip():
        return EnrichmentSpec(title=raw.strip(), location=reader.at(line))
    node = reader.mapping(raw, f"an enrichment task of {owner}", line)
    if node is None:
        return None
    reader.keys(node, ENRICHMENT_FIELDS, f"enrichment of {owner}")
    url = reader.text(node, "url", f"enrichment of {owner}", required=False)
    if url and not url.startswith(URL_SCHEMES):
        reader.problem("url of an enrichment task must start with http:// or https://", node.line_of("url"))
        url = ""
    return EnrichmentSpec(
        title=reader.text(node, "title", f"an enrichment task of {owner}"),
        description=reader.text(node, "description", f"an enrichment task of {owner}", required=False),
        url=url,
        location=reader.at(node.line),
    )
