"""An ordering item on the check page through HTTP: without JavaScript each "Move" button posts the move
and the page comes back reordered; with htmx the page is reordered first and the move is not applied twice;
the paper copy asks for the letters in order and its key lists them."""

from __future__ import annotations

from typing import Any

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.domain.questions import Question, QuestionType
from flipmastery.questions.services import question_create

ITEMS = ("first", "second", "third")


def ordering_room(classroom: dict[str, Any]) -> None:
    for i in range(4):
        value = Question(QuestionType.ORDERING, f"Order them ({i}).", key=f"o{i}", items=ITEMS)
        question_create(objective=classroom["a"], value=value, actor=None)


def started(client: Any, classroom: dict[str, Any]) -> Attempt:
    section = classroom["section"]
    client.post(f"/sections/{section.pk}/objectives/GAS-1/check/")
    return Attempt.objects.get()


def test_without_javascript_a_move_button_reorders_and_saves(as_user: Any, classroom: dict[str, Any]) -> None:
    ordering_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    shown = [i["id"] for i in attempt_view(attempt)["items"][0]["items"]]
    assert shown == ["a", "b", "c"]
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert 'name="move" value="b:up"' in page and "Move down" in page

    response = client.post(f"/attempts/{attempt.pk}/items/{n}/", {"order": shown, "move": "b:up"})

    assert response.status_code == 302
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == ["b", "a", "c"]
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert page.index('data-order-id="b"') < page.index('data-order-id="a"')


def test_with_htmx_the_order_sent_is_the_answer(as_user: Any, classroom: dict[str, Any]) -> None:
    ordering_room(classroom)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    key = next(k["correct_response"] for k in attempt_key(attempt)["items"] if k["id"] == n)

    response = client.post(
        f"/attempts/{attempt.pk}/items/{n}/",
        {"order": key, "move": f"{key[0]}:down"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == key
    bad = client.post(
        f"/attempts/{attempt.pk}/items/{n}/", {"order": ["a", "a", "b"]}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 422
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == key


def test_another_student_cannot_order_someone_else_s_item(as_user: Any, classroom: dict[str, Any]) -> None:
    ordering_room(classroom)
    attempt = started(as_user(classroom["students"][0]), classroom)
    n = attempt_view(attempt)["items"][0]["id"]
    other = as_user(classroom["students"][1])
    response = other.post(f"/attempts/{attempt.pk}/items/{n}/", {"order": ["c", "b", "a"]})
    assert response.status_code == 404
    assert AttemptItem.objects.get(attempt=attempt, position=n).response is None
