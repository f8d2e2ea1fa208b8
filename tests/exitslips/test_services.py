"""Exit slip services: start (bank or typed), answer (replace, take back), paper marks, close; no progress."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.exitslips.models import ExitSlip, SlipAnswer
from flipmastery.exitslips.selectors import slip_results
from flipmastery.exitslips.services import (
    Mark,
    Picked,
    Typed,
    answer_save,
    paper_marks_save,
    slip_close,
    slip_start,
)
from flipmastery.progress.models import ProgressEvent

NOW = datetime(2026, 3, 2, 14, 50, tzinfo=UTC)
CHOICE = Typed(
    kind="single_choice",
    text="What is pressure?",
    choices="*Force per area\nThe force itself | force vs pressure\nThe area | area",
)


def start(room: dict[str, Any], **kw: Any) -> ExitSlip:
    kw.setdefault("picked", [])
    kw.setdefault("typed", [CHOICE])
    return slip_start(
        section=room["section"], objective=room["a"], actor=room["teacher"], now=NOW, seed=7, **kw
    )


def label_of(slip: ExitSlip, position: int, text: str) -> str:
    shown = slip.items.get(position=position).shown
    return next(c["id"] for c in shown["choices"] if c["html"].find(text) >= 0)


def test_a_typed_choice_question_tags_its_wrong_choices_and_never_writes_progress(
    room: dict[str, Any],
) -> None:
    events = ProgressEvent.objects.count()
    slip = start(room)
    item = slip.items.get()
    assert item.version is None and item.tags == {"1": "force vs pressure", "2": "area"}
    assert "fraction" not in str(item.shown) and "Force per area" in str(item.shown)
    asha, ben, carl = room["students"]
    answer_save(slip=slip, student=asha, position=1, response=label_of(slip, 1, "Force per"), now=NOW)
    answer_save(slip=slip, student=ben, position=1, response=label_of(slip, 1, "force itself"), now=NOW)
    answer_save(slip=slip, student=carl, position=1, response=label_of(slip, 1, "force itself"), now=NOW)
    marks = {a.student_id: (a.correct, a.tag) for a in SlipAnswer.objects.all()}
    assert marks == {
        asha.pk: (True, ""),
        ben.pk: (False, "force vs pressure"),
        carl.pk: (False, "force vs pressure"),
    }
    results = slip_results(slip)
    assert [(g.tag, g.names) for g in results.groups] == [("force vs pressure", ["ben", "carl"])]
    assert results.ready == ["asha"] and results.items[0].percent == 33
    assert ProgressEvent.objects.count() == events


def test_a_later_answer_replaces_an_earlier_one_and_an_empty_one_takes_it_back(room: dict[str, Any]) -> None:
    slip = start(room)
    asha = room["students"][0]
    answer_save(slip=slip, student=asha, position=1, response=label_of(slip, 1, "The area"), now=NOW)
    answer_save(slip=slip, student=asha, position=1, response=label_of(slip, 1, "Force per"), now=NOW)
    assert list(SlipAnswer.objects.values_list("correct", "tag")) == [(True, "")]
    answer_save(slip=slip, student=asha, position=1, response="", now=NOW)
    assert not SlipAnswer.objects.exists()


def test_bank_questions_are_graded_by_the_domain(room: dict[str, Any]) -> None:
    tf = room["bank"][2]  # true/false: gases are compressible (true)
    slip = start(room, picked=[Picked(tf.pk, "gases are rigid")], typed=[])
    item = slip.items.get()
    assert item.version_id == tf.current_id
    asha, ben, _ = room["students"]
    answer_save(slip=slip, student=asha, position=1, response="true", now=NOW)
    answer_save(slip=slip, student=ben, position=1, response="false", now=NOW)
    assert sorted(SlipAnswer.objects.values_list("correct", "tag")) == [
        (False, "gases are rigid"),
        (True, ""),
    ]


def test_refusals_change_nothing(room: dict[str, Any]) -> None:
    with pytest.raises(Invalid, match="1 to 3"):
        start(room, typed=[])
    with pytest.raises(Invalid, match="1 to 3"):
        start(room, typed=[CHOICE] * 4)
    with pytest.raises(Invalid, match="Typed question 1: mark exactly one"):
        start(room, typed=[Typed("single_choice", "Q?", "a\nb")])
    with pytest.raises(Invalid, match="Typed question 2: give the answer as a number"):
        start(room, typed=[CHOICE, Typed("numeric", "How many?", answer="lots")])
    matching = room["bank"][5]
    with pytest.raises(Invalid, match="matching question"):
        start(room, picked=[Picked(matching.pk)], typed=[])
    other_bank = room["bank"][0]
    with pytest.raises(Invalid, match="not in the bank of GAS-2"):
        slip_start(
            section=room["section"], objective=room["b"], picked=[Picked(other_bank.pk)], typed=[],
            actor=room["teacher"], now=NOW, seed=1,
        )  # fmt: skip
    assert not ExitSlip.objects.exists()
    start(room)
    with pytest.raises(Invalid, match="already open"):
        start(room)
    assert ExitSlip.objects.count() == 1


def test_only_enrolled_students_answer_and_only_while_open(room: dict[str, Any]) -> None:
    slip = start(room)
    with pytest.raises(Invalid, match="Only the students"):
        answer_save(slip=slip, student=room["outsider"], position=1, response="A", now=NOW)
    with pytest.raises(Invalid, match="no question 2"):
        answer_save(slip=slip, student=room["students"][0], position=2, response="A", now=NOW)
    slip_close(slip=slip, now=NOW)
    with pytest.raises(Invalid, match="closed"):
        answer_save(slip=slip, student=room["students"][0], position=1, response="A", now=NOW)
    assert not SlipAnswer.objects.exists()


def test_paper_marks_record_right_and_wrong_with_a_tag_all_or_nothing(room: dict[str, Any]) -> None:
    slip = slip_close(slip=start(room), now=NOW)
    asha, ben, carl = room["students"]
    with pytest.raises(Invalid, match="Not a student"):
        paper_marks_save(
            slip=slip, marks=[Mark(asha.pk, 1, True), Mark(room["outsider"].pk, 1, True)], now=NOW
        )
    assert not SlipAnswer.objects.exists()
    marks = [
        Mark(asha.pk, 1, True, "ignored"),
        Mark(ben.pk, 1, False, "area"),
        Mark(carl.pk, 1, False, "area"),
    ]
    paper_marks_save(slip=slip, marks=marks, now=NOW)
    assert sorted(SlipAnswer.objects.values_list("correct", "tag", "source")) == [
        (False, "area", "paper"), (False, "area", "paper"), (True, "", "paper"),
    ]  # fmt: skip
    assert [(g.tag, g.names) for g in slip_results(slip).groups] == [("area", ["ben", "carl"])]


def test_typed_true_false_short_text_and_number_are_graded(room: dict[str, Any]) -> None:
    typed = [
        Typed("true_false", "Gas molecules hit the walls.", answer="True"),
        Typed("short_text", "Pressure is force per …?", answer="area; unit area", tag="force vs pressure"),
        Typed("numeric", "1 atm in kPa?", answer="101.3"),
    ]
    slip = start(room, typed=typed)
    asha, ben, _ = room["students"]
    for position, right, wrong in ((1, "true", "false"), (2, "Unit Area", "volume"), (3, "101.3", "76")):
        answer_save(slip=slip, student=asha, position=position, response=right, now=NOW)
        answer_save(slip=slip, student=ben, position=position, response=wrong, now=NOW)
    results = slip_results(slip)
    assert [i.percent for i in results.items] == [50, 50, 50]
    assert results.items[0].key.lower() == "true"
    assert [(r.name, [m.correct if m else None for m in r.marks]) for r in results.rows] == [
        ("asha", [True, True, True]),
        ("ben", [False, False, False]),
        ("carl", [None, None, None]),
    ]
    assert SlipAnswer.objects.get(student=ben, item__position=2).tag == "force vs pressure"
    assert results.ready == ["asha"] and results.alone == ["ben"] and results.no_answer == ["carl"]


def test_a_calculated_bank_question_keeps_one_set_of_numbers_and_shows_no_formula(
    room: dict[str, Any],
) -> None:
    calculated = room["bank"][1]
    slip = start(room, picked=[Picked(calculated.pk)], typed=[])
    item = slip.items.get()
    assert "{V1}" not in item.shown["prompt_html"] and "P1 * V1" not in str(item.shown)
    key = slip_results(slip).items[0].key
    answer_save(slip=slip, student=room["students"][0], position=1, response=key, now=NOW)
    assert SlipAnswer.objects.get().correct is True
