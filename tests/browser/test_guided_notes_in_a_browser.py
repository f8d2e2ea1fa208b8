"""Guided notes in a real browser: a teacher builds a template (a question, a table, a labelled diagram) by
form; a student on a 360 px phone fills it under the video, reloads and finds it kept; on a 1920 px screen the
notes sit beside the video; the teacher opens them from the queue; the blank and the filled copies print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from flipmastery.notes.models import NotesEntry
from flipmastery.progress.services import request_create
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def apparatus(path: Path) -> Path:
    """A small drawing of a flask and a gauge, to be labelled."""
    picture = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(picture)
    draw.ellipse((60, 120, 220, 280), outline="black", width=4)
    draw.rectangle((120, 40, 160, 130), outline="black", width=4)
    draw.line((220, 200, 330, 200), fill="black", width=4)
    draw.ellipse((330, 140, 450, 260), outline="black", width=4)
    picture.save(path, "PNG")
    return path


def test_guided_notes_from_the_studio_to_the_phone_to_the_queue(
    visit: Any, media: Path, tmp_path: Path
) -> None:
    room = factories.small_classroom()
    room["course"].teachers.add(room["teacher"])
    section, lo, asha = room["section"], room["primary"], room["students"][0]

    # The teacher builds the template by form, from the studio's learning-object row.
    teacher = visit(1280, 900)
    page = teacher.log_in("ms_rao", factories.PASSWORD)
    teacher.go(f"/teach/studio/{room['course'].pk}/objectives/{room['a'].pk}/")
    with page.expect_navigation():
        page.click(f"#notes-{lo.pk}")
    with page.expect_navigation():
        page.click("#add-prompt")
    page.fill("#part-1-question", "What is gas pressure, in your own words?")
    with page.expect_navigation():
        page.click("#add-table")
    page.fill("#part-2-question", "Boyle's law data")
    page.fill("#part-2-columns", "Pressure (kPa)\nVolume (L)")
    page.fill("#part-2-rows", "3")
    with page.expect_navigation():
        page.click("button[value=refresh]")
    page.fill("#part-2-r1c1", "100")
    page.fill("#part-2-r1c2", "2.0")
    with page.expect_navigation():
        page.click("#add-diagram")
    page.fill("#part-3-question", "Label the apparatus")
    page.fill("#part-3-labels", "29 62\n35 27\n81 62")
    page.set_input_files("#part-3-upload", str(apparatus(tmp_path / "apparatus.png")))
    with page.expect_navigation():
        page.click("#notes-save")
    expect(page.locator("[role=status]")).to_contain_text("Saved")
    expect(page.locator(".notes-pins text")).to_have_count(3)
    teacher.shot("guided-notes-editor-1280")

    # A student on a 360 px phone fills it in under the video.
    phone = visit(360, 740)
    page = phone.log_in("asha", factories.PASSWORD)
    phone.go(f"/sections/{section.pk}/learn/{lo.pk}/")
    expect(page.locator("#notes-h")).to_contain_text("0/8 filled")
    player = page.locator(".player").bounding_box()
    notes = page.locator("#notes").bounding_box()
    assert notes["y"] >= player["y"] + player["height"]  # under the video on a phone
    page.locator("#notes-1 textarea").fill("How hard the gas particles push on the walls")
    page.locator("#notes-2 input[name=r2c1]").fill("50")
    page.locator("#notes-2 input[name=r2c2]").fill("4.0")
    page.locator("#notes-3 input[name=l1]").fill("flask")
    page.locator("#notes-3 input[name=l3]").fill("pressure gauge")
    page.locator("#notes-3 input[name=l3]").blur()
    for n in (1, 2, 3):
        expect(page.locator(f"#notes-{n}-state")).to_contain_text("Saved ")
    assert not phone.has_horizontal_scroll()
    phone.shot("guided-notes-phone-360")
    page.reload()
    expect(page.locator("#notes-1 textarea")).to_have_value("How hard the gas particles push on the walls")
    expect(page.locator("#notes-2 input[name=r2c2]")).to_have_value("4.0")
    expect(page.locator("#notes-3 input[name=l3]")).to_have_value("pressure gauge")
    expect(page.locator("#notes-h")).to_contain_text("5/8 filled")
    assert NotesEntry.objects.get(student=asha).answers["3"] == {"l1": "flask", "l3": "pressure gauge"}

    assert phone.console_errors == []  # (offline, htmx logs its failed sends: expected below)

    # Offline: the box says it is not saved, keeps the words, and saves them when the connection is back.
    page.context.set_offline(True)
    page.locator("#notes-3 input[name=l2]").fill("stopper")
    page.locator("#notes-3 input[name=l2]").blur()
    expect(page.locator("#notes-3-state")).to_contain_text("Not saved")
    page.context.set_offline(False)
    expect(page.locator("#notes-3-state")).to_contain_text("Saved ", timeout=15000)
    assert NotesEntry.objects.get(student=asha).answers["3"]["l2"] == "stopper"

    # On a 1920 px screen the notes sit beside the video.
    wide = visit(1920, 1080)
    page = wide.log_in("asha", factories.PASSWORD)
    wide.go(f"/sections/{section.pk}/learn/{lo.pk}/")
    player = page.locator(".player").bounding_box()
    notes = page.locator("#notes").bounding_box()
    assert notes["x"] >= player["x"] + player["width"] and notes["y"] < player["y"] + player["height"]
    wide.shot("guided-notes-beside-1920")

    # The teacher opens them from the queue entry.
    request_create(
        section=section, student=asha, kind="help", objective=room["a"], note="", now=timezone.now()
    )
    page = teacher.go(f"/sections/{section.pk}/queue/")
    link = page.locator(".notes-link a")
    expect(link).to_have_text("Guided notes (6/8 filled)")
    with page.expect_navigation():
        link.click()
    expect(page.locator("main")).to_contain_text("pressure gauge")
    expect(page.locator("main")).to_contain_text("How hard the gas particles push on the walls")
    teacher.shot("guided-notes-teacher-1280")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    teacher.shot("guided-notes-filled-print")
    expect(page.locator(".top")).to_be_hidden()

    # A blank copy for students without a device.
    page = teacher.go(f"/sections/{section.pk}/learn/{lo.pk}/notes-print/")
    expect(page.locator("main")).to_contain_text("Name:")
    teacher.shot("guided-notes-blank-print")
    assert teacher.console_errors == [] and wide.console_errors == []
