"""Hostile bundles are refused with words, never a traceback, and change nothing: a zip bomb, a path that
climbs out of the bundle, a file that is not a zip, one too large, text that is not UTF-8, a huge file."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.oneroster import MAX_ROWS, read_bundle
from flipmastery.oneroster.bundles import MAX_BUNDLE_BYTES, read_bundle_bytes
from flipmastery.oneroster.services import oneroster_import
from tests.oneroster import school_bundle as sb
from tests.oneroster.test_import import MAP, state


def refused(data: bytes) -> str:
    with pytest.raises(Invalid) as err:
        read_bundle_bytes(data, "evil.zip")
    return str(err.value)


def test_a_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", sb.MANIFEST)
        archive.writestr("users.csv", b"0" * (60 * 1024 * 1024))
    assert len(out.getvalue()) < MAX_BUNDLE_BYTES
    assert "expands too far" in refused(out.getvalue())


def test_a_path_out_of_the_bundle_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.csv", sb.MANIFEST)
        archive.writestr("../../etc/users.csv", "x")
        archive.writestr("/abs/orgs.csv", "x")
    said = refused(out.getvalue())
    assert "'../../etc/users.csv' points outside the bundle" in said
    assert "'/abs/orgs.csv' points outside the bundle" in said


def test_not_a_zip_or_too_large_is_refused() -> None:
    assert "not a .zip file" in refused(b"sourcedId,name\n")
    assert "larger than 20 MB" in refused(b"PK" + b"\0" * MAX_BUNDLE_BYTES)


def test_text_that_is_not_utf8_names_its_line() -> None:
    files = {name: text.encode() for name, text in sb.bundle().items()}
    files["users.csv"] = files["users.csv"].replace(b"Chloe", "Chlo\u00e9".encode("latin-1"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    assert "users.csv:6: this line is not UTF-8 text" in refused(out.getvalue())


def test_a_file_with_too_many_rows_is_refused() -> None:
    files = sb.bundle()
    files["orgs.csv"] += "".join(f"o{i},,,School {i},school,,\n" for i in range(MAX_ROWS + 2))
    with pytest.raises(Invalid) as err:
        read_bundle(files)
    assert f"more than {MAX_ROWS:,} rows in one file" in str(err.value)


def test_a_huge_cell_is_a_problem_not_a_crash() -> None:
    files = sb.bundle()
    files["orgs.csv"] = sb.replace_line(files["orgs.csv"], "Lincoln High School", '"' + "L" * 200_000 + '"')
    with pytest.raises(Invalid) as err:
        read_bundle(files)
    assert "orgs.csv:2: this line is not valid CSV (a cell is longer than 128 KB)" in str(err.value)


@pytest.mark.django_db
def test_hostile_names_in_a_bundle_change_nothing(school: dict[str, Any]) -> None:
    files = sb.bundle()
    files["users.csv"] = sb.replace_line(files["users.csv"], "true,ben.o,", "true,../../ben,")
    before = state()
    with pytest.raises(Invalid):
        oneroster_import(files=files, course_map=MAP, now=timezone.now())
    assert state() == before


def test_a_thousand_broken_rows_give_a_readable_list() -> None:
    files = sb.bundle()
    files["users.csv"] += "".join(f"bad{i},,,maybe,,A,B,,,,,,,,,,,,,,,\n" for i in range(1000))
    with pytest.raises(Invalid) as err:
        read_bundle(files)
    problems = err.value.problems
    assert len(problems) == 300
    assert "more problems not listed: fix these and try again" in str(problems[-1])
