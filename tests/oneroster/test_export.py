"""Results for the SIS: line items per objective and the letter grade, results from the gradebook's own
decision, the imported sourcedIds back as they came, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.domain.formats.oneroster import read_bundle
from flipmastery.domain.formats.oneroster_write import objective_line_item, safe_cell
from flipmastery.oneroster.exports import class_results, results_zip
from flipmastery.oneroster.services import oneroster_import
from tests import factories
from tests.oneroster import school_bundle as sb
from tests.oneroster.test_import import MAP

pytestmark = pytest.mark.django_db


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


def exported(sections: list[Section]) -> dict[str, str]:
    data = results_zip(sections=sections, now=timezone.now())
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_results_carry_the_sis_ids_and_the_gradebooks_decision(school: dict[str, Any]) -> None:
    oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    section = Section.objects.get(name="Chemistry 11-A")
    factories.mastered(section, User.objects.get(username="asha.p"), school["a"])
    files = exported([section])
    items = rows(files, "lineItems.csv")
    assert {i["classSourcedId"] for i in items} == {sb.CHEM_A}
    assert {(i["schoolSourcedId"], i["academicSessionSourcedId"]) for i in items} == {(sb.SCHOOL, sb.TERM)}
    assert len(items) == 3  # two objectives and the grade
    results = rows(files, "results.csv")
    assert {r["studentSourcedId"] for r in results} == {sb.ASHA, sb.BEN}
    klass = class_results([section], timezone.now())[0]
    gas1 = objective_line_item(klass, "GAS-1")
    by = {(r["lineItemSourcedId"], r["studentSourcedId"]): r for r in results}
    assert (by[gas1, sb.ASHA]["score"], by[gas1, sb.ASHA]["textScore"]) == ("1", "MASTERED")
    assert by[gas1, sb.BEN]["score"] == "0"
    manifest = rows(files, "manifest.csv")
    assert {"propertyName": "oneroster.version", "value": "1.2"} in manifest
    assert {"propertyName": "file.results", "value": "bulk"} in manifest


def test_the_export_is_a_oneroster_bundle_with_stable_ids(school: dict[str, Any]) -> None:
    section = factories.section(
        school["course"], teachers=[school["teacher"]], students=[factories.student()]
    )
    first, again = exported([section]), exported([section])
    assert rows(first, "results.csv") == rows(again, "results.csv")
    read_bundle(first)  # our bundle reads as OneRoster 1.2 (its gradebook files are not a roster)


def test_cells_that_look_like_formulas_are_escaped(school: dict[str, Any]) -> None:
    section = factories.section(
        school["course"], teachers=[school["teacher"]], students=[factories.student()], name="=HYPERLINK(1)"
    )
    files = exported([section])
    titles = [i["title"] for i in rows(files, "lineItems.csv")]
    assert "Grade: =HYPERLINK(1)" in titles  # not at the start of a cell: harmless
    descriptions = [i["description"] for i in rows(files, "lineItems.csv")]
    assert "'=Use Boyle's law." in descriptions
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for r in rows(files, "lineItems.csv") for cell in r.values()
    )
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "ok")] == ["'=1+1", "'+1", "'-1", "'@x", "ok"]


def test_the_commands_import_and_export(school: dict[str, Any], tmp_path: Path) -> None:
    bundle = tmp_path / "lincoln.zip"
    bundle.write_bytes(sb.zipped(sb.bundle()))
    out = io.StringIO()
    call_command("oneroster-import", str(bundle), "--course", "CHEM-11=CHEM11", "--dry-run", stdout=out)
    assert "nothing was saved (dry run)" in out.getvalue()
    assert not Section.objects.filter(name="Chemistry 11-A").exists()
    call_command("oneroster-import", str(bundle), "--course", "CHEM-11=CHEM11", stdout=io.StringIO())
    section = Section.objects.get(name="Chemistry 11-A")
    target = tmp_path / "results.zip"
    call_command("oneroster-export", str(section.pk), str(target), stdout=io.StringIO())
    results = zipfile.ZipFile(target).read("results.csv").decode()
    assert sb.ASHA in results and sb.CHEM_A in results


def test_a_broken_bundle_on_the_command_line_says_where(school: dict[str, Any], tmp_path: Path) -> None:
    files = sb.bundle()
    files["classes.csv"] = sb.replace_line(files["classes.csv"], "Chemistry 11-B,11", ",11")
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("oneroster-import", str(folder), stderr=err)
    assert "classes.csv:3: column title is empty" in err.getvalue()
    assert not Section.objects.exists()
