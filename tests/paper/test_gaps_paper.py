"""A gaps item on paper through HTTP: the sheet shows the text with numbered blanks and the lettered
choices (never which is right), the key lists each gap's letter, and the letters typed back are graded."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.assessments.models import AttemptItem, PaperBatch
from flipmastery.assessments.selectors import attempt_key
from flipmastery.domain.questions import GapChoice, Question, QuestionType
from flipmastery.questions.services import question_create
from tests import factories

pytestmark = pytest.mark.django_db

CHOICES = (GapChoice("pressure"), GapChoice("volume"), GapChoice("temperature", 2), GapChoice("colour", 2))


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    c = factories.small_classroom()
    c["a"].check_items = 2
    c["a"].save()
    for i in range(2):
        value = Question(
            QuestionType.GAPS,
            f"Gases at high [[1]] and low [[2]] behave least ideally ({i}).",
            key=f"g{i}",
            gap_choices=CHOICES,
            gap_answers=(1, 3),
        )
        question_create(objective=c["a"], value=value, actor=None)
    return c


def printed(room: dict[str, Any]) -> tuple[Client, PaperBatch]:
    client = Client()
    client.force_login(room["teacher"])
    response = client.post(
        f"/sections/{room['section'].pk}/paper/print/",
        {"objective": "GAS-1", "student": [s.pk for s in room["students"]]},
    )
    assert response.status_code == 200, response.content
    return client, PaperBatch.objects.get()


def test_the_sheet_has_blanks_and_lettered_choices_and_the_key_the_letters(room: dict[str, Any]) -> None:
    client, batch = printed(room)

    sheets = client.get(f"/paper/batches/{batch.pk}/").content.decode()
    keys = client.get(f"/paper/batches/{batch.pk}/keys/").content.decode()

    assert sheets.count("Write the letter of a choice in each gap.") == 4  # two items on each of two copies
    assert "(1)\xa0________" in sheets and "(2)\xa0________" in sheets and "[[1]]" not in sheets
    assert '<span class="sheet-label">d)</span>' in sheets
    for copy in batch.copies.all():
        for entry in attempt_key(copy)["items"]:
            right = entry["correct_response"]
            assert f"1 → {right['1']}, 2 → {right['2']}" in keys
            assert "1. pressure; 2. temperature" in keys


def test_the_letters_typed_back_are_graded_gap_by_gap(room: dict[str, Any]) -> None:
    client, batch = printed(room)
    copy = batch.copies.order_by("student__username").first()
    assert copy is not None and copy.paper_code
    key = {i["id"]: i["correct_response"] for i in attempt_key(copy)["items"]}
    first, second = sorted(key)
    form = {"mode": "answers"}
    form.update({f"q{first}-gap-{g}": label for g, label in key[first].items()})
    form[f"q{second}-gap-1"] = key[second]["1"]  # the second gap left blank

    entry = client.get(f"/paper/{copy.paper_code}/").content.decode()
    done = client.post(f"/paper/{copy.paper_code}/", form)

    assert f'name="q{first}-gap-2"' in entry and "Gap 2 →" in entry
    assert done.status_code == 302
    scores = {i.position: i.score for i in AttemptItem.objects.filter(attempt=copy)}
    assert scores == {first: 1.0, second: 0.5}
