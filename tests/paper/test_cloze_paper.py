"""A cloze item on paper through HTTP: the sheet shows the text with numbered blanks and each choice part's
lettered choices (never which is right), the key lists each part's answer, and what a teacher types back
part by part is graded with the parts' weights."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.assessments.models import AttemptItem, PaperBatch
from flipmastery.assessments.selectors import attempt_key
from flipmastery.domain.questions import Question, QuestionType
from flipmastery.questions.services import question_create
from tests import factories
from tests.web.test_cloze_pages import PARTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    c = factories.small_classroom()
    c["a"].check_items = 2
    c["a"].save()
    for i in range(2):
        value = Question(
            QuestionType.CLOZE,
            f"[[1]]'s law; a mole fills [[2]] L; air is mostly [[3]]; pressure units: [[4]] ({i}).",
            key=f"c{i}",
            cloze_parts=PARTS,
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


def test_the_sheet_has_blanks_and_lettered_choices_and_the_key_each_part(room: dict[str, Any]) -> None:
    client, batch = printed(room)

    sheets = client.get(f"/paper/batches/{batch.pk}/").content.decode()
    keys = client.get(f"/paper/batches/{batch.pk}/keys/").content.decode()

    assert sheets.count("Write the answer of each numbered part on its blank") == 4
    assert "(1)\xa0________" in sheets and "(4)\xa0________" in sheets and "[[1]]" not in sheets
    assert "Part 3:" in sheets and "Part 4 (every right one):" in sheets
    assert "Boyle" not in sheets and "22.4" not in sheets
    for copy in batch.copies.all():
        for entry in attempt_key(copy)["items"]:
            right = entry["correct_response"]
            said = " ".join(f"{r})" for r in right["4"])
            assert f"1 → Boyle, 2 → 22.4, 3 → {right['3']}, 4 → {said}" in keys
    assert "1. Boyle; 2. 22.4; 3. nitrogen; 4. kPa; mmHg" in keys


def test_what_is_typed_back_is_graded_part_by_part(room: dict[str, Any]) -> None:
    client, batch = printed(room)
    copy = batch.copies.order_by("student__username").first()
    assert copy is not None and copy.paper_code
    key = {i["id"]: i["correct_response"] for i in attempt_key(copy)["items"]}
    first, second = sorted(key)
    form: dict[str, Any] = {"mode": "answers"}
    form.update({f"q{first}-part-{p}": said for p, said in key[first].items()})
    form[f"q{second}-part-2"] = "22.4"  # only the part of weight 2 of 5

    entry = client.get(f"/paper/{copy.paper_code}/").content.decode()
    done = client.post(f"/paper/{copy.paper_code}/", form)

    assert f'name="q{first}-part-1"' in entry and "Part 3 →" in entry
    assert done.status_code == 302
    scores = {i.position: i.score for i in AttemptItem.objects.filter(attempt=copy)}
    assert scores == {first: 1.0, second: 0.4}
