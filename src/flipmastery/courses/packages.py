"""Reads a course package from a folder or a .zip into memory, refusing anything hostile or oversized."""

from __future__ import annotations

import posixpath
import zipfile
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
        files[item.relative_to(root).as_posix()] = item.read_bytes()
    return files


def _read_zip(path: Path) -> dict[str, bytes]:
    where = Location(path.name)
    if not zipfile.is_zipfile(path):
        raise Invalid([Problem("not a folder or a .zip file", where)])
    files: dict[str, bytes] = {}
    total = 0
    with zipfile.ZipFile(path) as archive:
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
            with archive.open(entry) as handle:
                data = handle.read(entry.file_size + 1)
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
