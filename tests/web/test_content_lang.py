"""Course content keeps its own language inside a page in another: a Hindi course's objective statements,
unit, learning object, activity and question titles are marked lang="hi" on an English teacher's pages, and
an English course's are marked lang="en" on a page in Hindi (screen readers and fonts follow the mark)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.web.test_check_pages import full_bank, started

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Langs(HTMLParser):
    """Every text of a page with the language it is in: the lang of the nearest element that says one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # the <head>'s <title> can only be in the page's language
            self.texts.clear()
        if tag in VOID:
            return
        self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip():
            lang = next((lang for _, lang in reversed(self.stack) if lang is not None), None)
            self.texts.append((" ".join(data.split()), lang))


def languages_of(page: str, text: str) -> set[str | None]:
    """The languages `text` is shown in on the page (one per place; an empty set when it is not there)."""
    parser = _Langs()
    parser.feed(page)
    return {lang for shown, lang in parser.texts if text in shown}


def get(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def hindi_course(classroom: dict[str, Any]) -> dict[str, Any]:
    """The classroom's course made a Hindi one, with Hindi words, and a student waiting for help on GAS-1."""
    classroom["course"].language = "hi"
    classroom["course"].save()
    classroom["unit"].title = "गैसों के नियम"
    classroom["unit"].save()
    classroom["a"].statement = "गैस का दाब समझाना।"
    classroom["a"].save()
    classroom["alternate"].title = "पाठ 12.1: दाब"
    classroom["alternate"].save()
    classroom["lab"].title = "बॉयल के नियम का प्रयोग"
    classroom["lab"].save()
    return classroom


def ask_for_help(client: Client, room: dict[str, Any]) -> None:
    """The first student fails the GAS-1 check (no answers) and waits for a conference, with another way to
    learn it prescribed; the queue names that way."""
    full_bank(room["a"], free_response=False)
    client.force_login(room["students"][0])
    attempt = started(client, room)
    assert client.post(f"/attempts/{attempt.pk}/submit/").status_code == 302


def test_a_hindi_course_on_an_english_teachers_pages(client: Client, hindi_course: dict[str, Any]) -> None:
    room = hindi_course
    ask_for_help(client, room)
    client.force_login(room["teacher"])
    section = room["section"].pk

    grid = get(client, f"/sections/{section}/grid/")
    queue = get(client, f"/sections/{section}/queue/")
    bank = get(client, f"/teach/objectives/{room['a'].pk}/bank/")
    outline = get(client, f"/sections/{section}/outline/")
    paper = get(client, f"/sections/{section}/paper/")

    for page in (grid, queue, bank, outline, paper):
        assert '<html lang="en">' in page
    assert languages_of(grid, "गैसों के नियम") == {"hi"}  # the unit's heading and its filter
    assert languages_of(queue, "पाठ 12.1: दाब") == {"hi"}  # another way to learn it
    assert languages_of(queue, "बॉयल के नियम का प्रयोग") == {"hi"}  # an activity to sign off
    assert languages_of(bank, "गैस का दाब समझाना।") == {"hi"}
    assert languages_of(outline, "गैस का दाब समझाना।") == {"hi"}
    assert languages_of(outline, "पाठ 12.1: दाब") == {"hi"}
    assert languages_of(paper, "GAS-1 · गैस का दाब समझाना।") == {"hi"}  # the objective to print
    # The page's own words stay English.
    assert languages_of(grid, "Class grid") == {"en"} and languages_of(queue, "Other ways to learn it:") == {
        "en"
    }


def test_an_english_course_on_a_hindi_teachers_pages(client: Client, classroom: dict[str, Any]) -> None:
    ask_for_help(client, classroom)
    client.force_login(classroom["teacher"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    section = classroom["section"].pk

    grid = get(client, f"/sections/{section}/grid/")
    queue = get(client, f"/sections/{section}/queue/")
    outline = get(client, f"/sections/{section}/outline/")

    assert '<html lang="hi">' in grid
    assert languages_of(grid, "Gas Laws") == {"en"}
    assert languages_of(queue, "Text Section 12.1") == {"en"}
    assert languages_of(outline, "Explain gas pressure.") == {"en"}
    assert languages_of(grid, "कक्षा ग्रिड") == {"hi"}


def test_an_english_course_on_a_hindi_students_pages(client: Client, classroom: dict[str, Any]) -> None:
    client.force_login(classroom["students"][0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    section = classroom["section"].pk

    playlist = get(client, f"/sections/{section}/playlist/")
    learning_object = get(client, f"/sections/{section}/learn/{classroom['alternate'].pk}/")
    course_map = get(client, f"/sections/{section}/map/")

    assert '<html lang="hi">' in playlist
    assert languages_of(playlist, "Explain gas pressure.") == {"en"}
    assert languages_of(playlist, "Text Section 12.1") == {"en"}
    assert languages_of(playlist, "Boyle's Law Lab") == {"en"}
    assert languages_of(learning_object, "Text Section 12.1") == {"en"}
    assert languages_of(course_map, "Explain gas pressure.") == {"en"}
    assert languages_of(playlist, "मेरी प्लेलिस्ट") == {"hi"}


def test_item_analysis_and_the_audit_trail_mark_the_course_language(
    client: Client, hindi_course: dict[str, Any]
) -> None:
    ask_for_help(client, hindi_course)
    client.force_login(hindi_course["teacher"])
    section = hindi_course["section"].pk

    items = get(client, f"/sections/{section}/items/")
    history = get(client, f"/sections/{section}/students/{hindi_course['students'][0].pk}/history/")

    assert '<html lang="en">' in items and '<html lang="en">' in history
    questions = re.findall(r'<a href="/teach/questions/\d+/edit/"( lang="hi")?>', items)
    assert len(questions) == 7 and set(questions) == {' lang="hi"'}  # every question's title
    assert '<span class="code" title="गैस का दाब समझाना।" lang="hi">GAS-1</span>' in history
