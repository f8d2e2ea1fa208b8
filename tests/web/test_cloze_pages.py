"""A cloze item on the check page through HTTP: each part a labelled field inside the text (a box, a select,
radio buttons or check boxes), the key never sent; a wrong shape refused at autosave with nothing changed;
the result page says each part's answer, weighted as the question says."""

from __future__ import annotations

import json
import re
from typing import Any

from flipmastery.api.attempts import RESPONSE_SHAPES
from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.domain.questions import (
    Choice,
    ClozeLayout,
    ClozePart,
    NumericAnswer,
    Question,
    QuestionType,
    TextAnswer,
)
from flipmastery.questions.services import question_create

PARTS = (
    ClozePart(QuestionType.SHORT_TEXT, answers=(TextAnswer("Boyle"),)),
    ClozePart(QuestionType.NUMERIC, 2, numeric_answers=(NumericAnswer(22.4, tolerance=0.1),)),
    ClozePart(QuestionType.SINGLE_CHOICE, choices=(Choice("nitrogen", 1.0, "Right."), Choice("oxygen", 0.0))),
    ClozePart(
        QuestionType.MULTIPLE_RESPONSE,
        choices=(Choice("kPa", 0.5), Choice("mmHg", 0.5), Choice("litre", -1.0)),
        layout=ClozeLayout.HORIZONTAL,
    ),
)


def cloze_room(classroom: dict[str, Any]) -> None:
    for i in range(4):
        value = Question(
            QuestionType.CLOZE,
            f"PV = k is [[1]]'s law; a mole fills [[2]] L; air is mostly [[3]]; pressure units: [[4]] ({i}).",
            key=f"c{i}",
            cloze_parts=PARTS,
        )
        question_create(objective=classroom["a"], value=value, actor=None)


def started(client: Any, classroom: dict[str, Any]) -> Attempt:
    client.post(f"/sections/{classroom['section'].pk}/objectives/GAS-1/check/")
    return Attempt.objects.get()


def test_each_part_is_a_labelled_field_in_the_text_and_the_key_is_never_sent(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    cloze_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    first = attempt_view(attempt)["items"][0]
    n = first["id"]

    page = client.get(f"/attempts/{attempt.pk}/").content.decode()

    form = page[page.index(f'id="q-{n}"') : page.index("</form>", page.index(f'id="q-{n}"'))]
    assert (
        f'<label class="visually-hidden" for="q-{n}-p1">Part 1</label><input type="text" id="q-{n}-p1"'
        in form
    )
    assert f'<label class="visually-hidden" for="q-{n}-p2">Part 2: A number, e.g. 12.5</label>' in form
    assert (
        f'<label class="visually-hidden" for="q-{n}-p3">Part 3</label><select id="q-{n}-p3" name="part-3">'
        in form
    )
    assert 'role="group" aria-label="Part 4"' in form and 'type="checkbox"' in form
    assert form.index("PV = k is") < form.index('name="part-1"') < form.index("s law; a mole")
    assert form.index('name="part-3"') < form.index("pressure units:") < form.index('name="part-4"')
    assert "[[1]]" not in page and 'name="answer"' not in form
    shown = json.dumps(first)
    for secret in ("fraction", "Boyle", "22.4", "Right.", "answers", "tolerance", "correct"):
        assert secret not in shown
    assert "cloze" in RESPONSE_SHAPES


def test_autosave_takes_each_part_and_refuses_a_wrong_shape(as_user: Any, classroom: dict[str, Any]) -> None:
    cloze_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    key = next(k["correct_response"] for k in attempt_key(attempt)["items"] if k["id"] == n)
    htmx = {"HX-Request": "true"}

    saved = client.post(
        f"/attempts/{attempt.pk}/items/{n}/",
        {"part-1": " Boyle ", "part-3": key["3"], "part-4": key["4"]},
        headers=htmx,
    )
    assert saved.status_code == 200
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == {
        "1": "Boyle",
        "3": key["3"],
        "4": key["4"],
    }

    bad = client.post(f"/attempts/{attempt.pk}/items/{n}/", {"part-3": "zz"}, headers=htmx)

    assert bad.status_code == 422
    assert "part 3" in bad.content.decode()
    assert AttemptItem.objects.get(attempt=attempt, position=n).response["3"] == key["3"]


def test_another_student_cannot_answer_someone_else_s_parts(as_user: Any, classroom: dict[str, Any]) -> None:
    cloze_room(classroom)
    attempt = started(as_user(classroom["students"][0]), classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    response = as_user(classroom["students"][1]).post(f"/attempts/{attempt.pk}/items/{n}/", {"part-1": "x"})
    assert response.status_code == 404
    assert AttemptItem.objects.get(attempt=attempt, position=n).response is None


def test_the_result_page_says_each_part_s_answer_and_weighs_the_parts(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    cloze_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    client.post(f"/attempts/{attempt.pk}/items/{n}/", {"part-1": "Boyle", "part-2": "22.4"})
    client.post(f"/attempts/{attempt.pk}/submit/")

    result = client.get(f"/attempts/{attempt.pk}/").content.decode()

    card = result[result.index(f'id="q-{n}"') : result.index("</article>", result.index(f'id="q-{n}"'))]
    assert "Partly correct (60" in card  # (1 + 2) of 5
    assert re.search(
        r"Part 1 → Boyle</li><li>Part 2 → 22.4</li><li>Part 3 → <span class=\"muted\">no answer", card
    )
    assert "(1)\xa0________" in card
    for secret in ("nitrogen", "mmHg", "Right."):  # nothing of the key the student did not give
        assert secret not in card, secret
