"""What a shown question version says is kept in memory; a version that may still change is not."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import Question, QuestionType, true_false_choices
from flipmastery.questions import frozen
from flipmastery.questions.frozen import VERSION_DATA, questions_of
from flipmastery.questions.models import QuestionVersion
from flipmastery.questions.services import question_save
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # as served: reads outside any transaction


def versions(count: int = 3) -> list[QuestionVersion]:
    objective = factories.objective(factories.unit(factories.course()))
    factories.bank(objective, count)
    return list(QuestionVersion.objects.order_by("pk"))


def said(version: QuestionVersion) -> Any:
    return from_data(QuestionVersion.objects.get(pk=version.pk).data)


def test_a_shown_version_is_read_once_then_kept() -> None:
    found = versions()
    QuestionVersion.objects.update(shown=True)
    ids = [v.pk for v in found]

    with CaptureQueriesContext(connection) as first:
        read = questions_of(ids)
    with CaptureQueriesContext(connection) as again:
        kept = questions_of(ids)

    assert len(first) == 1 and len(again) == 0
    assert kept == read == {v.pk: said(v) for v in found}


def test_a_version_never_shown_is_read_every_time_and_an_edit_in_place_is_seen() -> None:
    version = versions(1)[0]
    assert not version.shown
    questions_of([version.pk])
    edited = Question(QuestionType.TRUE_FALSE, "Edited in place.", choices=true_false_choices(False))
    with transaction.atomic():
        question_save(question=version.question, value=edited, actor=None)

    with CaptureQueriesContext(connection) as read:
        found = questions_of([version.pk])

    assert len(read) == 1
    assert found[version.pk].text == "Edited in place."


def test_what_a_transaction_reads_is_not_kept_it_may_roll_back() -> None:
    version = versions(1)[0]
    with transaction.atomic():
        QuestionVersion.objects.filter(pk=version.pk).update(shown=True)
        questions_of([version.pk])
        transaction.set_rollback(True)  # the start that showed it failed: it is editable again

    edited = Question(QuestionType.TRUE_FALSE, "Edited after the rollback.", choices=true_false_choices(True))
    with transaction.atomic():
        question_save(question=version.question, value=edited, actor=None)

    assert questions_of([version.pk])[version.pk].text == "Edited after the rollback."


def test_at_most_so_many_are_kept_the_least_recently_used_go(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frozen, "KEPT_AT_MOST", 2)
    first, second, third = versions(3)
    QuestionVersion.objects.update(shown=True)
    questions_of([first.pk])
    questions_of([second.pk])
    questions_of([first.pk])  # used again: now the most recent
    questions_of([third.pk])  # pushes out `second`

    with CaptureQueriesContext(connection) as kept:
        questions_of([first.pk, third.pk])
    with CaptureQueriesContext(connection) as gone:
        questions_of([second.pk])

    assert (len(kept), len(gone)) == (0, 1)


def test_an_unknown_version_is_simply_absent() -> None:
    assert questions_of([987654]) == {}


def test_the_read_written_out_names_the_models_table_and_columns() -> None:
    columns = {f.name: f.column for f in QuestionVersion._meta.concrete_fields}
    assert f"FROM {QuestionVersion._meta.db_table} WHERE" in VERSION_DATA
    for name in ("id", "data", "shown"):
        assert columns[name] in VERSION_DATA
