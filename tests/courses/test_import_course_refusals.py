"""`import-course` refuses a package that would harm what is there, names the file, and changes nothing:
a bank file with no questions, a zip that cannot be read safely."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from flipmastery.courses.models import Course
from flipmastery.questions.models import Question
from tests.courses.test_import_course import COURSE, package, run, snapshot

pytestmark = pytest.mark.django_db


def questions() -> list[tuple[str, bool]]:
    return list(Question.objects.order_by("key").values_list("key", "retired"))


@pytest.mark.parametrize("text", ["", "// the questions come later\n"])
def test_a_bank_with_no_questions_is_refused_and_the_bank_stays(tmp_path: Path, text: str) -> None:
    root = package(tmp_path)
    assert run(root)[0] == 0
    before, bank = snapshot(), questions()
    assert bank == [("Q1", False)]
    (root / "banks" / "gas-2.gift").write_text(text, encoding="utf-8")

    code, out, err = run(root)

    assert code == 1 and out == ""
    assert "  banks/gas-2.gift: no questions found\n" in err and "nothing was changed" in err
    assert snapshot() == before and questions() == bank
    assert Course.objects.count() == 1


# ---- zip files that cannot be read safely -----------------------------------------------------------


def zipped(method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    """A good package as a zip: course.yaml, then the bank, then the notes."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=method) as out:
        out.writestr("course.yaml", COURSE)
        out.writestr("banks/gas-2.gift", "::Q1:: 1+1? {=2 ~3}\n")
        out.writestr("files/notes.pdf", b"%PDF-1.4 notes")
    return bytearray(data.getvalue())


def central(data: bytearray) -> int:
    """Where the central directory's record of the first entry (course.yaml) starts."""
    return data.find(b"PK\x01\x02")


def header_name_lies(data: bytearray) -> None:
    data[26:28] = struct.pack("<H", 5)  # the local header says the name is 5 bytes long


def size_lies(data: bytearray) -> None:
    at = central(data)
    data[at + 20 : at + 24] = struct.pack("<I", 20)  # compressed size: only part of the data


def claims_smaller(data: bytearray) -> None:
    at = central(data)
    data[at + 24 : at + 28] = struct.pack("<I", 10)  # uncompressed size: 10 bytes


def bad_crc(data: bytearray) -> None:
    at = central(data)
    data[at + 16 : at + 20] = b"\0\0\0\0"


def damaged_data(data: bytearray) -> None:
    start = 30 + len("course.yaml")
    data[start : start + 40] = bytes(range(40))


def encrypted(data: bytearray) -> None:
    data[central(data) + 8] |= 1


def unknown_method(data: bytearray) -> None:
    at = central(data)
    data[at + 10 : at + 12] = struct.pack("<H", 99)


def directory_misplaced(data: bytearray) -> None:
    end = data.rfind(b"PK\x05\x06")
    data[end + 16 : end + 20] = struct.pack("<I", 3)


def truncated(data: bytearray) -> None:
    end = data.rfind(b"PK\x05\x06")
    data[:] = data[: central(data) // 2] + data[end:]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (header_name_lies, "zip entry 'course.yaml' cannot be read: it is damaged (File name in directory"),
        (size_lies, "zip entry 'course.yaml' cannot be read: it is damaged (Bad CRC-32 for file"),
        (claims_smaller, "zip entry 'course.yaml' cannot be read: it is damaged (Bad CRC-32 for file"),
        (bad_crc, "zip entry 'course.yaml' cannot be read: it is damaged (Bad CRC-32 for file"),
        (damaged_data, "zip entry 'course.yaml' cannot be read: it is damaged ("),
        (encrypted, "zip entry 'course.yaml' cannot be read: it is protected by a password"),
        (unknown_method, "zip entry 'course.yaml' cannot be read: it is compressed in a way we cannot read"),
        (directory_misplaced, "zip entry 'course.yaml' cannot be read: it is damaged (Bad magic number"),
        (truncated, "the zip file is damaged (Bad magic number for central directory)"),
    ],
    ids=lambda value: getattr(value, "__name__", "")[:20],
)
def test_a_damaged_or_lying_zip_is_a_message_naming_the_file(
    tmp_path: Path, damage: Callable[[bytearray], None], message: str
) -> None:
    data = zipped()
    damage(data)
    archive = tmp_path / "chem.zip"
    archive.write_bytes(bytes(data))

    code, out, err = run(archive)

    assert code == 1 and out == ""
    assert f"  chem.zip: {message}" in err, err
    assert "nothing was changed" in err and "Traceback" not in err
    assert Course.objects.count() == 0 and Question.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "..\\evil.txt"]
)
def test_a_zip_entry_outside_the_package_is_refused(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("course.yaml", COURSE)
        out.writestr(name, "x")

    code, _, err = run(archive)

    assert code == 1 and f"  evil.zip: zip entry '{name}' points outside the package" in err
    assert Course.objects.count() == 0


def test_a_zip_bomb_by_ratio_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("course.yaml", COURSE)
        out.writestr("files/zeros.bin", b"\0" * (5 * 1024 * 1024))  # 5 MB in about 5 KB

    code, _, err = run(archive)

    assert code == 1 and "  bomb.zip: zip entry 'files/zeros.bin' expands too far (zip bomb?)" in err
    assert Course.objects.count() == 0
