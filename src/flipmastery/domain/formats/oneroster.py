"""A OneRoster 1.2 CSV bundle (manifest.csv, orgs.csv, users.csv, …) read into typed rows, or every problem
with its file, line and column, in words a school's IT person can act on.

We follow the CSV binding where it matters for a roster and forgive what SIS exports commonly get wrong
and is unambiguous: a bulk file may say `active` (or leave status empty), headers are matched whatever their
case and order, and a users.csv may carry the 1.1 `role` column when roles.csv is absent. Files we do not
use (demographics, resources, gradebook) may be in the bundle and are ignored.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.oneroster_columns import (
    CONTROL,
    DATE,
    DATE_COLUMNS,
    DATETIME,
    EXTENSION,
    HEADERS,
    KNOWN_FILES,
    LISTS,
    MANIFEST,
    MAX_PROBLEMS,
    MAX_ROWS,
    MODES,
    REFERENCES,
    REQUIRED,
    ROSTER_FILES,
    SOURCED_ID_MAX,
    VOCABULARY,
    YEAR,
)
from flipmastery.domain.formats.oneroster_records import (
    Bundle,
    typed_bundle,
)


@dataclass
class _Table:
    name: str
    file: str
    mode: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_bundle(files: Mapping[str, str], known: Mapping[str, Collection[str]] | None = None) -> Bundle:
    """The bundle of `files` (file name → text), or Invalid listing every problem. `known` holds, per file
    name ("users", "classes", …), the sourcedIds stored by earlier imports: a delta may refer to them."""
    bundle, problems = parse_bundle(files, known)
    if problems:
        raise Invalid(problems)
    return bundle


def parse_bundle(
    files: Mapping[str, str], known: Mapping[str, Collection[str]] | None = None
) -> tuple[Bundle, list[Problem]]:
    """As `read_bundle`, but the problems are returned beside what could be read, so that a caller may add
    its own (a username taken here, say) and list them all at once."""
    problems: list[Problem] = []
    modes, source = _manifest(files, problems)
    if problems:  # without a sound manifest, nothing else can be read as meant
        return Bundle(modes, source=source), problems
    tables: dict[str, _Table] = {}
    for name in KNOWN_FILES:
        file = f"{name}.csv"
        mode = modes.get(name, "absent")
        if mode == "absent":
            if file in files and name in ROSTER_FILES:
                problems.append(
                    Problem(
                        f"the bundle has {file}, but manifest.csv says file.{name} is absent (or does not"
                        " name it): say bulk or delta there, or leave the file out",
                        Location(MANIFEST),
                    )
                )
            continue
        if file not in files:
            problems.append(
                Problem(
                    f"manifest.csv says file.{name} is {mode}, but the bundle has no {file}", Location(file)
                )
            )
            continue
        if name in ROSTER_FILES:
            table = _Table(name, file, mode)
            _read_table(table, files[file], problems)
            tables[name] = table
    for extra in sorted(set(files) - {MANIFEST} - {f"{n}.csv" for n in KNOWN_FILES}):
        problems.append(
            Problem(
                f"{extra} is not a OneRoster 1.2 file name (they are spelt as in the standard, e.g."
                " academicSessions.csv)",
                Location(extra),
            )
        )
    if len(problems) >= MAX_PROBLEMS:
        return Bundle(modes, source=source), _capped(problems)
    ids = _ids(tables, known or {}, problems)
    for table in tables.values():
        _check_rows(table, ids, problems)
    bundle = typed_bundle(modes, source, {name: t.rows for name, t in tables.items()})
    return bundle, _capped(problems)


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS, in file and line order; the last one says how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    ordered = Invalid(problems).problems[:MAX_PROBLEMS]
    rest = len(problems) - MAX_PROBLEMS
    last = ordered[-1]
    more = f"{last.message} (… and {rest} more problems not listed: fix these and try again)"
    return [*ordered[:-1], Problem(more, last.location)]


# --- manifest -------------------------------------------------------------------------------------------


def _manifest(files: Mapping[str, str], problems: list[Problem]) -> tuple[dict[str, str], str]:
    where = Location(MANIFEST)
    if MANIFEST not in files:
        problems.append(
            Problem(
                "the bundle has no manifest.csv: a OneRoster bundle starts with one saying which files are"
                " bulk, delta or absent",
                where,
            )
        )
        return {}, ""
    rows, error = _csv_rows(files[MANIFEST])
    if error:
        problems.append(Problem(error[1], Location(MANIFEST, error[0])))
        return {}, ""
    if not rows or [c.strip().lower() for c in rows[0][1][:2]] != ["propertyname", "value"]:
        problems.append(Problem("the first line must be: propertyName,value", Location(MANIFEST, 1)))
        return {}, ""
    modes: dict[str, str] = {}
    seen: dict[str, int] = {}
    values: dict[str, str] = {}
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        name = cells[0].strip()
        value = cells[1].strip() if len(cells) > 1 else ""
        at = Location(MANIFEST, line)
        if name in seen:
            problems.append(Problem(f"{name} is given twice (also on line {seen[name]})", at))
            continue
        seen[name] = line
        values[name] = value
        if name.startswith("file."):
            file = name[len("file.") :]
            if file not in KNOWN_FILES:
                problems.append(
                    Problem(f"{name} names no OneRoster 1.2 file{_did_you_mean(file, KNOWN_FILES)}", at)
                )
            elif value not in MODES:
                problems.append(Problem(f"{name} is {value!r}; it must be bulk, delta or absent", at))
            else:
                modes[file] = value
    version = values.get("oneroster.version")
    if version is None:
        problems.append(Problem("oneroster.version is missing; this reader takes OneRoster 1.2 (1.2)", where))
    elif version not in ("1.2", "1.2.0", "1.2.1"):
        problems.append(
            Problem(
                f"oneroster.version is {version!r}; this reader takes OneRoster 1.2: ask the SIS for a 1.2"
                " export",
                Location(MANIFEST, seen["oneroster.version"]),
            )
        )
    if values.get("manifest.version", "1.0") != "1.0":
        problems.append(
            Problem("manifest.version must be 1.0", Location(MANIFEST, seen.get("manifest.version")))
        )
    source = values.get("source.systemName", "")
    return modes, source


# --- one file -------------------------------------------------------------------------------------------


def _csv_rows(text: str) -> tuple[list[tuple[int, list[str]]], tuple[int, str] | None]:
    """The records of a CSV text, each with the line it starts on; or the line and words of what broke."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                return rows, (start, f"more than {MAX_ROWS:,} rows in one file")
    except csv.Error as err:
        return rows, (start, f"this line is not valid CSV ({_csv_words(str(err))})")
    return rows, None


def _csv_words(error: str) -> str:
    if "field larger than field limit" in error:
        return "a cell is longer than 128 KB"
    if "line contains NUL" in error:
        return "it contains a NUL byte: is this really a CSV text file?"
    if "unexpected end of data" in error or "EOF" in error:
        return "a quote is opened and never closed"
    if "expected after" in error:
        return 'a quote inside a quoted cell must be doubled ("")'
    return error


def _read_table(table: _Table, text: str, problems: list[Problem]) -> None:
    rows, error = _csv_rows(text)
    if error:
        problems.append(Problem(error[1], Location(table.file, error[0])))
        return
    if not rows:
        problems.append(
            Problem("the file is empty: it needs at least its header line", Location(table.file, 1))
        )
        return
    header_line, header = rows[0]
    columns = _columns(table, header, header_line, problems)
    if columns is None:
        return
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    f"this line has {len(cells)} cells but the header has {len(header)}: a comma inside a"
                    " value needs the value in double quotes",
                    Location(table.file, line),
                )
            )
            continue
        values = {name: cells[i].strip() for i, name in columns.items()}
        table.rows.append((line, values))


def _columns(table: _Table, header: list[str], line: int, problems: list[Problem]) -> dict[int, str] | None:
    """Column index → the binding's column name. Unknown columns are problems (a misspelt header would
    silently drop its data), except `metadata.…` ones, which the binding allows and we ignore."""
    spelling = {name.lower(): name for name in HEADERS[table.name]}
    columns: dict[int, str] = {}
    seen: set[str] = set()
    where = Location(table.file, line)
    for i, raw in enumerate(header):
        cell = raw.strip().lstrip("\ufeff")
        if cell.lower().startswith("metadata."):
            continue
        name = spelling.get(cell.lower())
        if name is None:
            problems.append(
                Problem(
                    f"column {cell!r} is not a column of {table.file}"
                    f"{_did_you_mean(cell, HEADERS[table.name])}",
                    where,
                )
            )
        elif name in seen:
            problems.append(Problem(f"column {name} appears twice in the header", where))
        else:
            seen.add(name)
            columns[i] = name
    missing = [c for c in REQUIRED[table.name] if c not in seen]
    if missing:
        problems.append(
            Problem(
                f"the header lacks the column{'' if len(missing) == 1 else 's'} {', '.join(missing)},"
                f" which {table.file} must have",
                where,
            )
        )
    if "status" not in seen and table.mode == "delta":
        problems.append(Problem("a delta file needs the status and dateLastModified columns", where))
    return columns if not missing else None


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.lower() == word.lower()]
    return f" (did you mean {close[0]}?)" if close else ""


# --- rows -----------------------------------------------------------------------------------------------


def _ids(
    tables: Mapping[str, _Table], known: Mapping[str, Collection[str]], problems: list[Problem]
) -> dict[str, set[str]]:
    """Every sourcedId a reference may point to, per file: this bundle's rows and, unless the file is bulk
    (then it is the whole truth), what earlier imports stored. A sourcedId given twice is a problem."""
    ids: dict[str, set[str]] = {}
    for name in ROSTER_FILES:
        table = tables.get(name)
        mine: dict[str, int] = {}
        if table is not None:
            for line, values in table.rows:
                sid = values.get("sourcedId", "")
                if sid in mine:
                    problems.append(
                        Problem(
                            f"column sourcedId: {sid} is given twice (also on line {mine[sid]})",
                            Location(table.file, line),
                        )
                    )
                elif sid:
                    mine[sid] = line
        found = set(mine)
        if table is None or table.mode != "bulk":
            found |= set(known.get(name, ()))
        ids[name] = found
    return ids


def _status_problem(table: _Table, values: Mapping[str, str]) -> str | None:
    status = values.get("status", "")
    if table.mode == "delta":
        if status not in ("active", "tobedeleted"):
            return f"column status: {status!r} — in a delta file it must be active or tobedeleted"
        stamp = values.get("dateLastModified", "")
        if not DATETIME.match(stamp):
            return (
                f"column dateLastModified: {stamp!r} — in a delta file it must be a date and time such as"
                " 2026-09-01T08:30:00.000Z"
            )
    elif status not in ("", "active", "tobedeleted"):
        return f"column status: {status!r} — leave it empty in a bulk file (or write active)"
    return None


def _check_rows(table: _Table, ids: Mapping[str, set[str]], problems: list[Problem]) -> None:
    for line, values in table.rows:
        where = Location(table.file, line)
        said = _status_problem(table, values)
        if said:
            problems.append(Problem(said, where))
        removed = values.get("status") == "tobedeleted"
        for column in REQUIRED[table.name]:
            if not values.get(column) and not (removed and column != "sourcedId"):
                problems.append(Problem(f"column {column} is empty; {table.file} needs it", where))
        sid = values.get("sourcedId", "")
        if len(sid) > SOURCED_ID_MAX or CONTROL.search(sid):
            problems.append(
                Problem(
                    f"column sourcedId: at most {SOURCED_ID_MAX} characters, with no control characters",
                    where,
                )
            )
        if removed:
            continue  # a row being deleted only needs its sourcedId
        for column, value in values.items():
            problems.extend(_cell_problems(table, column, value, ids, where))


def _cell_problems(
    table: _Table, column: str, value: str, ids: Mapping[str, set[str]], where: Location
) -> list[Problem]:
    if not value:
        return []
    found: list[Problem] = []
    allowed = VOCABULARY.get((table.name, column))
    if allowed and value not in allowed and not value.startswith(EXTENSION):
        exact = [a for a in allowed if a.lower() == value.lower()]
        hint = f" (write it {exact[0]})" if exact else f"; use one of {', '.join(allowed)}"
        found.append(Problem(f"column {column}: {value!r} is not a OneRoster value{hint}", where))
    if column in DATE_COLUMNS and not DATE.match(value):
        found.append(Problem(f"column {column}: {value!r} is not a date such as 2026-09-01", where))
    if column == "schoolYear" and not YEAR.match(value):
        found.append(Problem(f"column schoolYear: {value!r} is not a year such as 2027", where))
    target = REFERENCES.get((table.name, column))
    if target is not None:
        parts = [p.strip() for p in value.split(",")] if (table.name, column) in LISTS else [value]
        for part in parts:
            if part and part not in ids.get(target, set()):
                found.append(
                    Problem(
                        f"column {column}: {part} is in no row of {target}.csv"
                        + ("" if ids.get(target) else f" (the bundle has no {target}.csv rows)"),
                        where,
                    )
                )
    return found


# --- the course mapping an admin types -----------------------------------------------------------------


def read_course_map(text: str, file: str = "course mapping") -> dict[str, str]:
    """`SIS course = our course code`, one a line (the SIS course by its courseCode or sourcedId; `#` starts
    a comment), or Invalid with the line of each problem."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        left, sep, right = line.partition("=")
        left, right = left.strip(), right.strip()
        if not sep or not left or not right:
            problems.append(
                Problem(
                    "write the SIS course, an equals sign and our course code, e.g. CHEM-11 = CHEM11",
                    Location(file, number),
                )
            )
        elif left in found:
            problems.append(Problem(f"{left} is mapped twice", Location(file, number)))
        else:
            found[left] = right
    if problems:
        raise Invalid(problems)
    return found
