"""Reads a course package from a folder or a .zip into memory, refusing anything hostile or oversized.

A zip is never trusted: its names may point outside the package, its sizes may lie, its data may be damaged,
encrypted or compressed in a way we cannot read. Each of these is a problem naming the file (and the entry),
never a traceback, and nothing is imported.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from flipmastery.domain.errors import Invalid, Location, Problem

MAX_FILES = 2_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # videos may ride along; more than this is not a course package
MAX_RATIO = 200  # a zip entry expanding more than this is a zip bomb, not a course file
COURSE_FILE = "course.yaml"


@dataclass(frozen=True)
class Package:
    """The files of a package by their path inside it (always '/'-separated)."""

    name: str
    files: dict[str, bytes]

    def has(self, path: str) -> bool:
        return path in self.files

    def text(self, path: str) -> str:
        try:
            return self.files[path].decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise Invalid([Problem(f"file is not UTF-8 text (byte {err.start})", Location(path))]) from None


def read_package(path: Path) -> Package:
    if not path.exists():
        raise Invalid([Problem("no such file or folder", Location(str(path)))])
    files = _read_zip(path) if path.is_file() else _read_folder(path)
    files = _strip_common_folder(files)
    if COURSE_FILE not in files:
        raise Invalid([Problem(f"a course package needs a {COURSE_FILE} at its top", Location(str(path)))])
    return Package(name=path.name, files=files)


def _read_folder(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for item in sorted(root.rglob("*")):
        if (
            item.is_symlink()
            or not item.is_file()
            or any(part.startswith(".") for part in item.relative_to(root).parts)
        ):
            continue
        total += item.stat().st_size
        if len(files) >= MAX_FILES or total > MAX_TOTAL_BYTES:
            raise Invalid(
                [Problem("package is too large (more than 2,000 files or 500 MB)", Location(str(root)))]
            )
        try:
            files[item.relative_to(root).as_posix()] = item.read_bytes()
        except OSError as error:
            why = f"cannot be read ({error.strerror or error})"
            raise Invalid([Problem(why, Location(str(item.relative_to(root))))]) from None
    return files


# What zipfile (and zlib under it) raise for an archive or entry that cannot be read.
_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError)


def _why(error: Exception) -> str:
    if isinstance(error, NotImplementedError):  # a RuntimeError too, so asked first
        return "it is compressed in a way we cannot read; zip it again with ordinary (deflate) compression"
    if isinstance(error, RuntimeError):
        return "it is protected by a password"
    detail = str(error) or type(error).__name__
    return f"it is damaged ({detail}); zip the package folder again"


def _read_zip(path: Path) -> dict[str, bytes]:
    where = Location(path.name)
    try:
        if path.stat().st_size > MAX_TOTAL_BYTES:
            raise Invalid([Problem("package is too large (more than 500 MB)", where)])
        if not zipfile.is_zipfile(path):
            raise Invalid([Problem("not a folder or a .zip file", where)])
        archive = zipfile.ZipFile(path)
    except OSError as error:
        raise Invalid([Problem(f"cannot be read ({error.strerror or error})", where)]) from None
    except _UNREADABLE as error:
        detail = str(error) or type(error).__name__
        raise Invalid([Problem(f"the zip file is damaged ({detail})", where)]) from None
    with archive:
        return _read_entries(archive, where)


def _read_entries(archive: zipfile.ZipFile, where: Location) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    entries = [e for e in archive.infolist() if not e.is_dir()]
    if len(entries) > MAX_FILES:
        raise Invalid([Problem("package has more than 2,000 files", where)])
    for entry in entries:
        name = posixpath.normpath(entry.filename.replace("\\", "/"))
        if name.startswith(("/", "../")) or name == ".." or ":" in name.split("/")[0]:
            raise Invalid([Problem(f"zip entry '{entry.filename}' points outside the package", where)])
        if name.startswith("__MACOSX/") or posixpath.basename(name).startswith("."):
            continue
        total += entry.file_size
        if total > MAX_TOTAL_BYTES or entry.file_size > MAX_RATIO * max(entry.compress_size, 1024):
            raise Invalid([Problem(f"zip entry '{entry.filename}' expands too far (zip bomb?)", where)])
        try:
            with archive.open(entry) as handle:
                data = handle.read(entry.file_size + 1)
        except (*_UNREADABLE, RuntimeError, NotImplementedError) as error:
            problem = f"zip entry '{entry.filename}' cannot be read: {_why(error)}"
            raise Invalid([Problem(problem, where)]) from None
        if len(data) > entry.file_size:
            raise Invalid([Problem(f"zip entry '{entry.filename}' is larger than it claims", where)])
        files[name] = data
    return files


def _strip_common_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A zip of a folder holds `folder/course.yaml`; treat it as if zipped from inside."""
    if COURSE_FILE in files or not files:
        return files
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        top = tops.pop() + "/"
        return {name[len(top) :]: data for name, data in files.items()}
    return files
