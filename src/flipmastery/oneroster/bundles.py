"""Reads a OneRoster bundle (a .zip, or a folder of CSV files) into texts by file name, refusing anything
hostile or oversized: entries that point outside the bundle, zip bombs, damaged or encrypted archives,
files that are not UTF-8. Each is a problem naming the file, never a traceback; nothing is imported.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path

from django.utils.translation import gettext as _

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.oneroster_columns import KNOWN_FILES, MANIFEST

MAX_BUNDLE_BYTES = 20 * 1024 * 1024  # the zip as uploaded: the web server takes no more anyway
MAX_FILE_BYTES = 50 * 1024 * 1024  # one CSV once unzipped: a district's users.csv is a few MB
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 100
MAX_RATIO = 100  # CSV packs 10-20 times; an entry expanding more than this is a zip bomb
NAMES = {f"{name}.csv".lower(): f"{name}.csv" for name in KNOWN_FILES} | {MANIFEST.lower(): MANIFEST}

_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError)


def read_bundle_path(path: Path) -> dict[str, str]:
    """The CSV texts of a bundle on disk: a .zip or a folder."""
    where = Location(path.name or str(path))
    if not path.exists():
        raise Invalid([Problem(_("there is no such file or folder"), where)])
    if path.is_dir():
        return _read_folder(path)
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise Invalid([Problem(_("the bundle is larger than 20 MB"), where)])
        data = path.read_bytes()
    except OSError as error:
        raise Invalid([Problem(_("cannot be read (%(why)s)") % {"why": error.strerror}, where)]) from None
    return read_bundle_bytes(data, path.name)


def read_bundle_bytes(data: bytes, name: str = "bundle.zip") -> dict[str, str]:
    """The CSV texts of a zipped bundle, by file name (manifest.csv, users.csv, …)."""
    where = Location(name)
    if len(data) > MAX_BUNDLE_BYTES:
        raise Invalid([Problem(_("the bundle is larger than 20 MB"), where)])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Invalid(
            [
                Problem(
                    _("this is not a .zip file: zip the OneRoster CSV files (manifest.csv and the rest)"),
                    where,
                )
            ]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _UNREADABLE as error:
        raise Invalid([Problem(_("the zip file is damaged (%(why)s)") % {"why": error}, where)]) from None
    with archive:
        raw = _read_entries(archive, where)
    return _texts(_strip_folder(raw))


def _read_entries(archive: zipfile.ZipFile, where: Location) -> dict[str, bytes]:
    entries = [e for e in archive.infolist() if not e.is_dir()]
    if len(entries) > MAX_ENTRIES:
        raise Invalid([Problem(_("the zip holds more than %(n)s files") % {"n": MAX_ENTRIES}, where)])
    problems: list[Problem] = []
    for entry in entries:
        name = posixpath.normpath(entry.filename.replace("\\", "/"))
        if name.startswith(("/", "../")) or name == ".." or ":" in name.split("/")[0]:
            problems.append(
                Problem(
                    _("zip entry %(name)s points outside the bundle") % {"name": repr(entry.filename)}, where
                )
            )
    if problems:
        raise Invalid(problems)
    files: dict[str, bytes] = {}
    total = 0
    for entry in entries:
        name = posixpath.normpath(entry.filename.replace("\\", "/"))
        base = posixpath.basename(name)
        if name.startswith("__MACOSX/") or base.startswith(".") or not base.lower().endswith(".csv"):
            continue
        total += entry.file_size
        too_big = entry.file_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES
        if too_big or entry.file_size > MAX_RATIO * max(entry.compress_size, 4096):
            raise Invalid(
                [
                    Problem(
                        _("zip entry %(name)s expands too far (a zip bomb?)")
                        % {"name": repr(entry.filename)},
                        where,
                    )
                ]
            )
        try:
            with archive.open(entry) as handle:
                data = handle.read(entry.file_size + 1)
        except RuntimeError as error:  # NotImplementedError (a method we cannot read) is one too
            why = (
                _("it is compressed in a way we cannot read; zip it again with ordinary compression")
                if isinstance(error, NotImplementedError)
                else _("it is protected by a password")
            )
            raise Invalid([Problem(f"{entry.filename}: {why}", where)]) from None
        except _UNREADABLE as error:
            raise Invalid(
                [
                    Problem(
                        _("zip entry %(name)s is damaged (%(why)s)")
                        % {"name": repr(entry.filename), "why": error},
                        where,
                    )
                ]
            ) from None
        if len(data) > entry.file_size:
            raise Invalid(
                [
                    Problem(
                        _("zip entry %(name)s is larger than it claims") % {"name": repr(entry.filename)},
                        where,
                    )
                ]
            )
        files[name] = data
    return files


def _strip_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A zip made from the folder holds `folder/manifest.csv`: read it as if zipped from inside."""
    if MANIFEST in files or not files:
        return files
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        top = tops.pop() + "/"
        return {name[len(top) :]: data for name, data in files.items()}
    return files


def _read_folder(root: Path) -> dict[str, str]:
    """The CSV files at the top of a folder (symbolic links are not followed)."""
    files: dict[str, bytes] = {}
    total = 0
    for item in sorted(root.iterdir()):
        if item.is_symlink() or not item.is_file() or item.name.startswith("."):
            continue
        if not item.name.lower().endswith(".csv"):
            continue
        try:
            size = item.stat().st_size
            total += size
            if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                raise Invalid([Problem(_("the file is larger than 50 MB"), Location(item.name))])
            files[item.name] = item.read_bytes()
        except OSError as error:
            raise Invalid(
                [Problem(_("cannot be read (%(why)s)") % {"why": error.strerror}, Location(item.name))]
            ) from None
    return _texts(files)


def _texts(files: dict[str, bytes]) -> dict[str, str]:
    """Texts by the binding's file name (a file named Users.CSV is users.csv); UTF-8 only."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for name, data in files.items():
        if "/" in name:
            problems.append(
                Problem(
                    _("the CSV files must sit side by side at the top of the zip, not in folders"),
                    Location(name),
                )
            )
            continue
        canonical = NAMES.get(name.lower(), name)
        try:
            texts[canonical] = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            problems.append(
                Problem(
                    _("this line is not UTF-8 text: save the file as CSV UTF-8 from the spreadsheet"),
                    Location(canonical, line),
                )
            )
    if problems:
        raise Invalid(problems)
    return texts
