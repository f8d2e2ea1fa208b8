"""A gaps item on the check page through HTTP: one labelled select per gap inside the text, the key never
sent; a response of the wrong shape refused at autosave with nothing changed; the result page says each
gap's answer."""

from __future__ import annotations

import json
import re
from typing import Any

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.domain.questions import GapChoice, Question, QuestionType
from flipmastery.questions.services import question_create

CHOICES = (GapChoice("pressure"), GapChoice("volume"), GapChoice("temperature", 2), GapChoice("colour", 2))


def gaps_room(classroom: dict[str, Any]) -> None:
    for i in range(4):
        value = Question(
            QuestionType.GAPS,
            f"Gases at high [[1]] and low [[2]] behave least ideally ({i}).",
            key=f"g{i}",
            gap_choices=CHOICES,
            gap_answers=(1, 3),
        )
        question_create(objective=classroom["a"], value=value, actor=None)


def started(client: Any, classroom: dict[str, Any]) -> Attempt:
    client.post(f"/sections/{classroom['section'].pk}/objectives/GAS-1/check/")
    return Attempt.objects.get()


def test_each_gap_is_a_labelled_select_in_the_text_and_the_key_is_never_sent(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    gaps_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    first = attempt_view(attempt)["items"][0]
    n = first["id"]

    page = client.get(f"/attempts/{attempt.pk}/").content.decode()

    form = page[page.index(f'id="q-{n}"') : page.index("</form>", page.index(f'id="q-{n}"'))]
    assert (
        f'<label class="visually-hidden" for="q-{n}-g1">Gap 1</label><select id="q-{n}-g1" name="gap-1">'
        in form
    )
    assert f'<label class="visually-hidden" for="q-{n}-g2">Gap 2</label>' in form
    assert form.index("Gases at high") < form.index('name="gap-1"') < form.index("and low")
    assert form.index('name="gap-2"') < form.index("behave least ideally")
    gap_two = form[form.index('name="gap-2"') : form.index("</select>", form.index('name="gap-2"'))]
    assert "temperature" in gap_two and "colour" in gap_two and "pressure" not in gap_two
    assert "[[1]]" not in page
    assert 'name="answer"' not in form  # no other answer field than the gaps' selects
    shown = json.dumps(first)
    assert "gap_answers" not in shown and "infinite" not in shown and "correct" not in shown


def test_autosave_takes_a_gap_s_choice_and_refuses_a_wrong_shape(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    gaps_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    key = next(k["correct_response"] for k in attempt_key(attempt)["items"] if k["id"] == n)
    htmx = {"HX-Request": "true"}

    saved = client.post(f"/attempts/{attempt.pk}/items/{n}/", {"gap-1": key["1"]}, headers=htmx)
    assert saved.status_code == 200
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == {"1": key["1"]}

    wrong_group = client.post(f"/attempts/{attempt.pk}/items/{n}/", {"gap-1": key["2"]}, headers=htmx)
    no_such = client.post(f"/attempts/{attempt.pk}/items/{n}/", {"gap-1": "zz"}, headers=htmx)

    assert wrong_group.status_code == no_such.status_code == 422
    assert "gap numbers" in wrong_group.content.decode()
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == {"1": key["1"]}


def test_another_student_cannot_fill_someone_else_s_gaps(as_user: Any, classroom: dict[str, Any]) -> None:
    gaps_room(classroom)
    attempt = started(as_user(classroom["students"][0]), classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    response = as_user(classroom["students"][1]).post(f"/attempts/{attempt.pk}/items/{n}/", {"gap-1": "a"})
    assert response.status_code == 404
    assert AttemptItem.objects.get(attempt=attempt, position=n).response is None


def test_the_result_page_says_each_gap_s_answer_and_grades_it_by_gap(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    gaps_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    key = next(k["correct_response"] for k in attempt_key(attempt)["items"] if k["id"] == n)
    client.post(f"/attempts/{attempt.pk}/items/{n}/", {"gap-1": key["1"]})
    client.post(f"/attempts/{attempt.pk}/submit/")

    result = client.get(f"/attempts/{attempt.pk}/").content.decode()

    card = result[result.index(f'id="q-{n}"') : result.index("</article>", result.index(f'id="q-{n}"'))]
    assert "Partly correct (50" in card
    assert re.search(r"Gap 1 → pressure</li><li>Gap 2 → <span class=\"muted\">no answer</span>", card), card
    assert "(1)\xa0________" in card  # the text shows where the gaps were
