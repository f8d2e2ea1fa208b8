"""Paper mode in a real browser, on the demo's courses: a teacher prints versions of a check, prints them to
PDF (version code on every page, one copy per page run, a QR code a phone can read), reads the key, and
types a copy back in through the address its QR code holds. A Hindi copy prints in Devanagari."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, PaperBatch
from flipmastery.classroom.models import Section
from flipmastery.demo.services import demo_load
from flipmastery.domain.paper import shown_code
from flipmastery.progress.models import ProgressEvent

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def print_copies(page: Any, section: Section, objective: str, how_many: int) -> PaperBatch:
    """On the paper page: choose the objective, keep the first `how_many` ticked students, make the copies."""
    page.goto(page.url.split("/sections/")[0] + f"/sections/{section.pk}/paper/")
    page.select_option("#objective", objective)
    with page.expect_navigation():
        page.get_by_role("button", name="Show the class").click()
    ticked = page.locator("#paper-make input[name=student]:checked")
    assert ticked.count() >= how_many
    for n in range(ticked.count() - 1, how_many - 1, -1):
        ticked.nth(n).uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Make printable versions").click()
    expect(page.locator("#printed")).to_contain_text(
        f"{how_many} cop{'y' if how_many == 1 else 'ies'} of the {objective} check ready."
    )
    return PaperBatch.objects.get(section=section, objective__code=objective)


def pdf_pages(page: Any) -> list[Any]:
    pypdf = pytest.importorskip("pypdf")
    data = page.pdf(format="A4", print_background=True)
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def font_names(pdf_page: Any) -> set[str]:
    fonts = pdf_page.get("/Resources", {}).get("/Font", {})
    return {str(f.get_object().get("/BaseFont", "")) for f in fonts.values()}


def read_qr(tab: Any, selector: str) -> str:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    shot = tab.page.locator(selector).screenshot()
    found = zxingcpp.read_barcodes(image.open(io.BytesIO(shot)))
    assert len(found) == 1, selector
    return str(found[0].text)


def test_a_teacher_prints_keys_and_enters_a_copy_from_its_qr_code(visit: Any) -> None:
    demo_load()
    chemistry = Section.objects.get(name="Chemistry 11-A")
    tab = visit(1000, 800)
    page = tab.log_in("teacher", "teacher")
    page.goto(f"{tab.base_url}/sections/{chemistry.pk}/grid/")
    with page.expect_navigation():
        page.get_by_role("link", name="Paper checks").click()
    expect(page.locator("h1")).to_contain_text("Paper checks")
    batch = print_copies(page, chemistry, "GAS-1", 3)
    tab.shot("paper-1-made-1000")
    copies = list(batch.copies.order_by("student__username"))
    codes = [shown_code(c.paper_code or "") for c in copies]

    with page.expect_navigation():
        page.locator("#print-copies").click()
    expect(page.locator(".sheet")).to_have_count(3)
    tab.shot("paper-2-sheets-1000")
    pages = pdf_pages(page)
    texts = [p.extract_text() for p in pages]
    on_page = [set(CODE.findall(t)) for t in texts]
    assert all(len(found) == 1 for found in on_page), (
        on_page
    )  # every page: its copy's code, and one copy only
    assert [c for found in on_page for c in found if c not in codes] == []
    starts = [n for n, t in enumerate(texts) if "Answer on this sheet." in t]
    assert len(starts) == 3  # each copy starts on a page of its own
    assert sorted({c for found in on_page for c in found}) == sorted(codes)
    for copy, code in zip(copies, codes, strict=True):
        assert copy.student.shown_name() in texts[starts[codes.index(code)]]

    # The QR code of each sheet holds the address of that copy's entry page.
    addresses = {code: read_qr(tab, f"#sheet-{code} .qr") for code in codes}
    assert addresses == {
        code: f"{tab.base_url}/paper/{c.paper_code}/" for c, code in zip(copies, codes, strict=True)
    }

    # The printed key of the first copy, typed in as the student's answers: the software agrees, 100 %.
    first, code = copies[0], codes[0]
    page.goto(f"{tab.base_url}/paper/batches/{batch.pk}/keys/")
    expect(page.locator(".paper-key")).to_have_count(3)
    tab.shot("paper-3-keys-1000")
    page.goto(addresses[code])  # as a phone that scanned the sheet would
    keys_page = tab.page.context.new_page()
    keys_page.goto(f"{tab.base_url}/paper/batches/{batch.pk}/keys/?only={first.paper_code}")
    rows = keys_page.locator(f"#key-{code} tbody tr")
    for index in range(rows.count()):
        n = int(rows.nth(index).locator("th").inner_text())
        cell = rows.nth(index).locator("td").first
        letters = cell.locator("strong").inner_text().strip()
        written = cell.inner_text().replace(letters, "", 1).strip(" ·")
        written = re.sub(r"\s*\(accept .*\)$", "", written)
        field = page.locator(f"#e-{n}")
        if field.locator("input[type=radio]").count():
            label = letters or written  # a letter, or True / False
            field.get_by_label(label, exact=True).check()
        elif field.locator("input[type=checkbox]").count():
            for letter in letters.split():
                field.get_by_label(letter, exact=True).check()
        elif field.locator("select").count():
            for pair in letters.split(", "):
                prompt, answer = pair.split(" → ")
                field.locator(f"#q{n}-m{prompt}").select_option(answer)
        else:
            field.locator("input[type=text], textarea").fill(written)
    keys_page.close()
    tab.shot("paper-4-typed-1000")
    with page.expect_navigation():
        page.locator("#enter-answers").click()
    expect(page.locator("#paper-result")).to_contain_text("100 % (pass mark 80 %)")
    expect(page.locator("#paper-result")).to_contain_text("mastered")
    tab.shot("paper-5-entered-1000")
    entered = Attempt.objects.get(pk=first.pk)
    assert entered.state == "submitted" and entered.entered_by is not None
    assert ProgressEvent.objects.get(
        kind="check_result", student=first.student, at=entered.submitted_at
    ).state == ("MASTERED")
    assert tab.external == [] and tab.console_errors == []


def test_a_hindi_copy_prints_in_devanagari(visit: Any) -> None:
    demo_load()
    maths = Section.objects.get(name="Maths 7-B")
    tab = visit(1000, 800)
    page = tab.log_in("teacher", "teacher")
    page.goto(f"{tab.base_url}/sections/{maths.pk}/paper/")
    batch = print_copies(page, maths, "RAT-1", 1)
    page.goto(f"{tab.base_url}/paper/batches/{batch.pk}/")
    sheet = page.locator(".sheet")
    expect(sheet).to_have_attribute("lang", "hi")
    expect(sheet.locator(".sheet-name")).to_contain_text("नाम")
    tab.shot("paper-hindi-sheet-1000")
    pages = pdf_pages(page)
    text = " ".join(p.extract_text() for p in pages)
    assert len(DEVANAGARI.findall(text)) > 50, text[:400]
    fonts = set().union(*(font_names(p) for p in pages))
    assert any("Devanagari" in f for f in fonts), fonts  # drawn with a Devanagari font, not boxes
    assert tab.external == [] and tab.console_errors == []


def test_a_long_copy_carries_its_code_and_qr_code_on_every_page(visit: Any) -> None:
    from tests import factories

    room = factories.small_classroom()
    room["a"].check_items = 24
    room["a"].save()
    factories.bank(room["a"], 24)
    tab = visit(1000, 800)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    page.goto(f"{tab.base_url}/sections/{room['section'].pk}/paper/")
    batch = print_copies(page, room["section"], "GAS-1", 2)
    page.goto(f"{tab.base_url}/paper/batches/{batch.pk}/")
    pages = pdf_pages(page)
    codes = sorted(shown_code(c.paper_code or "") for c in batch.copies.all())
    on_page = [CODE.findall(p.extract_text()) for p in pages]
    assert len(pages) >= 4  # two copies of 24 questions: each runs over more than one page
    assert all(len(set(found)) == 1 for found in on_page), on_page
    assert sorted({found[0] for found in on_page}) == codes
    # The head repeats whole on each page: its label, code and QR code together, once.
    assert all(p.extract_text().count("Version") == 1 for p in pages)
    page.emulate_media(media="print")
    tab.shot("paper-print-layout-1000")
