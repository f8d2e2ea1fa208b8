"""The teacher's question bank pages: the bank, the editor and its live preview, import, export, versions."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from flipmastery.assessments.services import attempt_start
from flipmastery.domain.assembly import format_count
from flipmastery.domain.formats.bank import read_bank
from flipmastery.domain.question_codec import to_data
from flipmastery.domain.questions import NumericAnswer, QuestionType, Variable, true_false_choices
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.questions.models import Question, QuestionVersion
from flipmastery.questions.selectors import bank_summary
from flipmastery.questions.services import question_create
from flipmastery.web.views_banks import editor_text, read_one
from tests import factories

CALCULATED = """\
type: calculated
title: Boyle's law — final pressure
text: A gas fills {V1} L at {P1} kPa. It is squeezed to {V2} L. What is its new pressure?
variables:
  V1: {min: 2, max: 6, decimals: 1}
  P1: {min: 90, max: 120, step: 5}
  V2: [0.5, 1.0, 1.5]
derived:
  P2: P1 * V1 / V2
answer: {formula: P2, tolerance: 2%}
unit: kPa
"""
GIFT = """\
::boyle:: Which law says that PV stays the same at constant temperature? {=Boyle's law ~Charles's law}

::compressible:: Gases can be compressed. {T}
"""
BROKEN_GIFT = """\
::ok:: A fine question {=a ~b}

::bad:: A broken one {=a ~b
"""


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def textarea(page_html: str) -> str:
    found = re.search(r"<textarea[^>]*>(.*?)</textarea>", page_html, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def counts() -> tuple[int, int, int]:
    return (
        Question.objects.count(),
        QuestionVersion.objects.count(),
        Question.objects.filter(retired=True).count(),
    )


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# ---- the bank page ------------------------------------------------------------------------------


def test_the_bank_shows_what_can_be_asked_how_many_versions_and_warns_when_too_small(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 3)  # a check asks 2: the second retake repeats questions

    text = page(as_user(classroom["teacher"]), f"/teach/objectives/{a.pk}/bank/")

    assert "Explain gas pressure." in text
    assert "<strong>3 questions can be asked</strong>; a check asks 2." in text
    # pairs of {choice, calculated with 41 × 7 × 2 number sets, true/false}: 574 + 1 + 574
    assert "This check can be built <strong>1,149</strong> different ways." in text
    assert 'class="bank-warnings" role="note"' in text
    assert "GAS-1 has 3 questions for 2 per check: attempt 2 will repeat questions." in text
    assert text.count('class="bank-q"') == 3


def test_a_huge_count_is_written_so_people_can_read_it(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    a.check_items = 3
    a.save()
    factories.bank(a, 12)
    text = page(as_user(classroom["teacher"]), f"/teach/objectives/{a.pk}/bank/")
    versions = bank_summary(a).versions
    assert versions > 1_000_000
    assert f"This check can be built <strong>{format_count(versions)}</strong> different ways." in text
    assert "about " in format_count(versions) and "bank-warnings" not in text


def test_the_bank_lists_each_question_with_type_version_use_and_number_sets(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    questions = factories.bank(a, 6)
    calculated = questions[1]
    assert calculated.current is not None
    QuestionVersion.objects.filter(pk=calculated.current.pk).update(shown=True)
    Question.objects.filter(pk=questions[5].pk).update(retired=True)

    text = page(as_user(classroom["teacher"]), f"/teach/objectives/{a.pk}/bank/")

    assert "6 questions" not in text and "<strong>5 questions can be asked</strong>" in text
    row = text.split(f'id="q-{calculated.pk}"')[1].split("</li>")[0]
    assert "Calculated · version 1" in row
    assert '<span class="badge used-mark">used in attempts</span>' in row
    assert f"{format_count(calculated.current.variants)} number sets" in row
    assert f'href="/teach/questions/{calculated.pk}/edit/"' in row
    assert (
        '<input type="hidden" name="retired" value="1"><button type="submit" class="button quiet">Retire'
        in row
    )
    retired = text.split(f'id="q-{questions[5].pk}"')[1].split("</li>")[0]
    assert text.count("bank-q is-retired") == 1 and "Matching" in retired
    assert '<span class="badge retired-mark">retired</span>' in retired
    assert 'value="0"><button type="submit" class="button quiet">Bring back' in retired
    for url in ("bank/new/", "bank/import/", "bank/preview/", "bank/export/yaml/", "bank/export/gift/"):
        assert f'href="/teach/objectives/{a.pk}/{url}"' in text


def test_the_course_outline_links_each_objective_to_its_bank_with_its_size(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a, b = classroom["a"], classroom["b"]
    questions = factories.bank(a, 4)
    Question.objects.filter(pk=questions[0].pk).update(retired=True)

    text = page(as_user(classroom["teacher"]), f"/sections/{classroom['section'].pk}/outline/")

    assert f'<a href="/teach/objectives/{a.pk}/bank/">Bank of GAS-1</a> · 3 questions' in text
    assert f'<a href="/teach/objectives/{b.pk}/bank/">Bank of GAS-2</a> · 0 questions' in text


# ---- adding, editing, retiring ------------------------------------------------------------------


def test_a_teacher_adds_a_calculated_question(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    client = as_user(classroom["teacher"])
    assert "type: single_choice" in textarea(page(client, f"/teach/objectives/{a.pk}/bank/new/?view=yaml"))

    response = client.post(f"/teach/objectives/{a.pk}/bank/new/", {"text": CALCULATED}, follow=True)

    question = Question.objects.get(objective=a)
    assert response.redirect_chain == [(f"/teach/questions/{question.pk}/edit/?view=yaml", 302)]
    assert question.current is not None and question.current.number == 1
    assert question.current.type == "calculated" and question.current.variants == 41 * 7 * 3
    assert question.current.created_by == classroom["teacher"]
    text = response.content.decode()
    assert "Added to the bank of GAS-1 as version 1." in text
    assert read_one(textarea(text))[0] == question.current.value


def test_a_question_with_problems_is_not_saved_and_says_where(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    bad = CALCULATED.replace("formula: P2", "formula: P2 * / 2")

    response = as_user(classroom["teacher"]).post(f"/teach/objectives/{a.pk}/bank/new/", {"text": bad})

    text = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Not saved</h2>" in text
    assert "<strong>line 10</strong>: the answer of the question: unexpected &#x27;/&#x27;" in text
    assert textarea(text) == bad  # the teacher's text is kept to fix
    assert counts() == (0, 0, 0)


def test_editing_a_question_no_attempt_has_shown_changes_it_in_place(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    question = factories.bank(classroom["a"], 2)[1]
    client = as_user(classroom["teacher"])
    text = textarea(page(client, f"/teach/questions/{question.pk}/edit/?view=yaml"))
    assert not text.startswith("questions:") and text.startswith("id: GAS-1-q1\ntype: calculated\n")

    response = client.post(
        f"/teach/questions/{question.pk}/edit/", {"text": text.replace("New pressure?", "P2?")}, follow=True
    )

    question.refresh_from_db()
    assert question.versions.count() == 1 and question.current is not None
    assert question.current.value.text.endswith("P2?")
    assert "Saved (version 1: no attempt has shown it yet)." in response.content.decode()


def test_editing_a_question_an_attempt_showed_makes_a_new_version(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a, asha = classroom["a"], classroom["students"][0]
    questions = factories.bank(a, 2)  # a check asks 2: the attempt shows both
    attempt_start(section=classroom["section"], student=asha, objective=a, now=timezone.now())
    question = questions[0]
    assert question.current is not None
    first = question.current
    first_data = QuestionVersion.objects.get(pk=first.pk).data
    client = as_user(classroom["teacher"])
    edit = page(client, f"/teach/questions/{question.pk}/edit/?view=yaml")
    assert "Saving makes version 2; students' attempts keep the old one." in edit

    response = client.post(
        f"/teach/questions/{question.pk}/edit/",
        {"text": textarea(edit).replace("which law is PV = k?", "which law keeps PV constant?")},
        follow=True,
    )

    text = response.content.decode()
    assert "Saved as version 2 (version 1 stays as it was for the attempts that showed it)." in text
    question.refresh_from_db()
    assert question.current is not None and question.current.number == 2
    assert "keeps PV constant" in question.current.value.text
    assert QuestionVersion.objects.get(pk=first.pk).data == first_data
    history = page(client, f"/teach/questions/{question.pk}/versions/")
    assert history.index("Version 2") < history.index("Version 1")
    assert "which law is PV = k?" in history and "which law keeps PV constant?" in history
    assert history.count("used in attempts") == 1


def test_saving_an_unchanged_question_makes_no_version(as_user: Any, classroom: dict[str, Any]) -> None:
    question = factories.bank(classroom["a"], 1)[0]
    QuestionVersion.objects.filter(question=question).update(shown=True)
    client = as_user(classroom["teacher"])
    text = textarea(page(client, f"/teach/questions/{question.pk}/edit/?view=yaml"))

    response = client.post(f"/teach/questions/{question.pk}/edit/", {"text": text}, follow=True)

    assert "Nothing changed, so nothing was saved." in response.content.decode()
    assert question.versions.count() == 1


def test_the_id_of_a_question_cannot_change_in_the_editor(as_user: Any, classroom: dict[str, Any]) -> None:
    question = factories.bank(classroom["a"], 1)[0]
    client = as_user(classroom["teacher"])
    shown = textarea(page(client, f"/teach/questions/{question.pk}/edit/?view=yaml"))
    text = shown.replace("GAS-1-q0", "other")

    response = client.post(f"/teach/questions/{question.pk}/edit/", {"text": text})

    assert "<strong>line 1</strong>: &#x27;id&#x27; is this question&#x27;s name" in response.content.decode()
    assert question.versions.count() == 1


def test_the_editor_shows_every_type_as_one_mapping_that_reads_back_the_same(
    classroom: dict[str, Any],
) -> None:
    for question in factories.bank(classroom["a"], 6):
        assert question.current is not None
        value = question.current.value
        text = editor_text(value)
        assert not text.startswith(("#", "questions:", "- "))
        assert read_one(text)[0] == value


def test_retiring_and_bringing_back_a_question(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    question = factories.bank(a, 3)[0]
    client = as_user(classroom["teacher"])

    response = client.post(f"/teach/questions/{question.pk}/retire/", {"retired": "1"})
    assert (
        response.status_code == 302
        and response["Location"] == f"/teach/objectives/{a.pk}/bank/#q-{question.pk}"
    )
    question.refresh_from_db()
    assert question.retired
    text = page(client, f"/teach/objectives/{a.pk}/bank/")
    assert "Retired “GAS-1-q0”: no new check will ask it." in text
    assert "<strong>2 questions can be asked</strong>" in text

    client.post(f"/teach/questions/{question.pk}/retire/", {"retired": "0"})
    question.refresh_from_db()
    assert not question.retired
    assert client.get(f"/teach/questions/{question.pk}/retire/").status_code == 405


# ---- the live preview ---------------------------------------------------------------------------


def preview(client: Client, objective: Any, text: str) -> str:
    response = client.post(f"/teach/objectives/{objective.pk}/bank/preview-question/", {"text": text})
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_shows_a_calculated_item_as_the_student_sees_it_with_its_answer_and_values(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    text = preview(as_user(classroom["teacher"]), classroom["a"], CALCULATED)

    assert "<html" not in text  # a fragment for htmx
    prompt = re.search(r'<div class="qitem-prompt body"><p>A gas fills (\d\.\d) L at (\d+) kPa\.', text)
    assert prompt is not None
    values = re.search(r"<code>V1 = ([\d.]+)</code>, <code>P1 = (\d+)</code>", text)
    assert values is not None and values.groups() == prompt.groups()
    answer = re.search(r'<span class="qitem-key">Answer</span> ([\d.]+) kPa</p>', text)
    v2 = re.search(r"<code>V2 = ([\d.]+)</code>", text)
    assert answer is not None and v2 is not None
    expected = float(values.group(2)) * float(values.group(1)) / float(v2.group(1))
    assert float(answer.group(1)) == pytest.approx(expected, rel=1e-3)
    assert "the student types a number and its unit" in text
    assert 'id="bank-preview-status" hx-swap-oob="innerHTML"' in text and "Reads well" in text


def test_the_preview_shows_choices_in_the_shown_order_and_the_right_label(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    text = preview(
        as_user(classroom["teacher"]),
        classroom["a"],
        "type: single_choice\ntext: Pick *one*\nchoices:\n  - {text: Right, correct: true}\n  - Wrong\n",
    )
    assert "<p>Pick <em>one</em></p>" in text
    right = re.search(
        r'<span class="qitem-label">([ab])\)</span><div class="qitem-choice"><p>Right</p>', text
    )
    assert right is not None
    assert f'<span class="qitem-key">Answer</span> {right.group(1)} — Right</p>' in text


def test_the_preview_shows_yaml_and_formula_problems_with_their_lines(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    client, a = as_user(classroom["teacher"]), classroom["a"]

    syntax = preview(client, a, "type: true_false\ntext: [unclosed\nanswer: true\n")
    formula = preview(client, a, CALCULATED.replace("P1 * V1 / V2", "P1 * V1 / V3"))
    divides = preview(client, a, CALCULATED.replace("[0.5, 1.0, 1.5]", "[0, 1]"))
    unknown = preview(client, a, "type: single_choise\ntext: hi\n")

    assert "<strong>line 3</strong>: YAML syntax error" in syntax
    assert "<strong>line 9</strong>: derived P2 of the question uses &#x27;V3&#x27;" in formula
    assert "<strong>line 1</strong>:" in divides and "zero" in divides
    assert "<strong>line 1</strong>:" in unknown and "single_choice" in unknown
    for text in (syntax, formula, divides, unknown):
        assert 'class="bank-problems"' in text and "qitem" not in text
        assert "1 problem to fix: not ready to save" in text


def test_the_preview_needs_one_question(as_user: Any, classroom: dict[str, Any]) -> None:
    two = (
        "questions:\n"
        "  - {type: true_false, text: a, answer: true}\n"
        "  - {type: true_false, text: b, answer: true}\n"
    )
    text = preview(as_user(classroom["teacher"]), classroom["a"], two)
    assert "<strong>line 3</strong>: the editor holds one question, this has 2" in text


def test_an_empty_editor_says_how_to_start(as_user: Any, classroom: dict[str, Any]) -> None:
    text = preview(as_user(classroom["teacher"]), classroom["a"], "")
    assert "<strong>line 1</strong>: write the question as “key: value” lines, starting with “type:”" in text


def test_the_cheat_sheet_examples_are_all_valid_questions(as_user: Any, classroom: dict[str, Any]) -> None:
    text = page(as_user(classroom["teacher"]), f"/teach/objectives/{classroom['a'].pk}/bank/new/?view=yaml")
    examples = [html.unescape(e) for e in re.findall(r"<pre><code>(.*?)</code></pre>", text, re.S)]
    assert len(examples) == 12  # one per type
    kinds = {read_one(example)[0].type.value for example in examples}
    assert len(kinds) == 12


# ---- import and export --------------------------------------------------------------------------


def import_file(client: Client, objective: Any, file: SimpleUploadedFile, **fields: Any) -> str:
    response = client.post(f"/teach/objectives/{objective.pk}/bank/import/", {"file": file, **fields})
    assert response.status_code == 200
    return response.content.decode()


def test_importing_a_gift_file_adds_its_questions(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    text = import_file(as_user(classroom["teacher"]), a, upload("gas.gift", GIFT))

    assert "bank of GAS-1: 2 new, 0 changed, 0 unchanged (were saved)" in text
    assert sorted(Question.objects.filter(objective=a).values_list("key", flat=True)) == [
        "boyle",
        "compressible",
    ]


def test_a_gift_file_with_an_error_changes_nothing_and_says_where(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 2)
    before = counts()

    text = import_file(as_user(classroom["teacher"]), a, upload("gas.gift", BROKEN_GIFT), replace="on")

    assert "<h2>Nothing was changed</h2>" in text
    assert (
        "<code>gas.gift:3: the answers start with &#x27;{&#x27; but no &#x27;}&#x27; closes them</code>"
        in text
    )
    assert counts() == before


def test_a_dry_run_changes_nothing(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    factories.bank(a, 2)
    before = counts()

    text = import_file(as_user(classroom["teacher"]), a, upload("gas.gift", GIFT), dry_run="on", replace="on")

    assert "bank of GAS-1: 2 new, 0 changed, 0 unchanged, 2 retired (would be saved)" in text
    assert "Check only: nothing was changed." in text
    assert counts() == before


def test_the_format_can_be_chosen_instead_of_read_from_the_name(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    text = import_file(as_user(classroom["teacher"]), classroom["a"], upload("gas.txt", GIFT), format="gift")
    assert "2 new" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gas.gift", "::q:: caf\xe9 {T}".encode("latin-1"), "“gas.gift” is not UTF-8 text (byte 10"),
        ("gas.yaml", b"x" * (5 * 1024 * 1024 + 1), "“gas.yaml” is 5.0 MB; a bank file may be at most 5 MB."),
        ("gas.docx", b"PK", "“gas.docx” is not a bank file: choose a .yaml, .yml, .gift, .txt, .xml file."),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_message(
    as_user: Any, classroom: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    text = import_file(as_user(classroom["teacher"]), classroom["a"], upload(name, content))
    assert html.unescape(message) in html.unescape(text)
    assert counts() == (0, 0, 0)


def test_the_export_downloads_files_that_read_back_as_the_bank(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    questions = factories.bank(a, 6)
    Question.objects.filter(pk=questions[5].pk).update(retired=True)
    client = as_user(classroom["teacher"])
    asked = [q.current.value for q in questions[:5] if q.current is not None]

    response = client.get(f"/teach/objectives/{a.pk}/bank/export/yaml/")

    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="GAS-1.yaml"'
    entries = read_bank(response.content.decode(), "GAS-1.yaml")
    assert [e.question for e in entries] == asked


def test_exporting_to_each_format_reads_back(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    client = as_user(classroom["teacher"])
    simple = (
        "type: single_choice\ntext: which law is PV = k?\n"
        "choices:\n  - {text: Boyle, correct: true}\n  - Ohm\n"
    )
    client.post(f"/teach/objectives/{a.pk}/bank/new/", {"text": simple})  # every format holds it
    for fmt, name in [("gift", "GAS-1.gift"), ("aiken", "GAS-1.txt"), ("moodle_xml", "GAS-1.xml")]:
        response = client.get(f"/teach/objectives/{a.pk}/bank/export/{fmt}/")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        [entry] = read_bank(response.content.decode(), name)
        assert "which law is PV = k?" in entry.question.text


def test_a_format_that_cannot_hold_the_bank_says_why(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    factories.bank(a, 2)
    response = as_user(classroom["teacher"]).get(f"/teach/objectives/{a.pk}/bank/export/aiken/")
    assert response.status_code == 422
    text = response.content.decode()
    assert "This bank cannot be written as Aiken" in text and "calculated" in text
    assert as_user(classroom["teacher"]).get(f"/teach/objectives/{a.pk}/bank/export/pdf/").status_code == 404


# ---- the five-version preview -------------------------------------------------------------------


def test_the_preview_page_shows_five_versions_with_their_answers(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 6)

    text = page(as_user(classroom["teacher"]), f"/teach/objectives/{a.pk}/bank/preview/")

    assert text.count('class="bank-version"') == 5
    assert text.count('class="bank-item"') == 10  # a check asks 2
    assert text.count('<span class="qitem-key">Answer</span>') == 10
    for seed in range(1, 6):
        assert f'<span class="code">GAS-1-{seed}</span>' in text
    assert 'href="?from=6"' in text
    versions = [v.split('class="bank-item"', 1)[1] for v in text.split('class="bank-version"')[1:]]
    assert len(set(versions)) == 5
    again = page(as_user(classroom["teacher"]), f"/teach/objectives/{a.pk}/bank/preview/")
    body = text.split('class="bank-version"', 1)[1].split("<footer", 1)[0]  # the footer's CSRF token varies
    assert again.split('class="bank-version"', 1)[1].split("<footer", 1)[0] == body  # same code, same version


def test_the_preview_page_says_when_no_check_can_be_built(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    factories.bank(a, 1)
    text = page(as_user(classroom["teacher"]), f"/teach/objectives/{a.pk}/bank/preview/")
    assert "GAS-1 has 1 question that can be asked, but its check needs 2" in text
    assert 'class="bank-version"' not in text


def test_a_saved_version_whose_formula_fails_is_reported_not_a_crash(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    questions = factories.bank(a, 2)
    broken = dataclasses.replace(
        questions[1].current.value, variables=(Variable("V1", values=(0.0,)),), derived=(), text="{V1}"
    )
    broken = dataclasses.replace(
        broken, numeric_answers=(NumericAnswer(formula="1 / V1", tolerance=0.01),), unit=""
    )
    QuestionVersion.objects.filter(pk=questions[1].current.pk).update(data=to_data(broken))
    client = as_user(classroom["teacher"])

    for url in (f"/teach/objectives/{a.pk}/bank/preview/", f"/teach/questions/{questions[1].pk}/versions/"):
        text = page(client, url)
        assert "This version cannot be built:" in text and "zero" in text


# ---- who may --------------------------------------------------------------------------------------


def bank_urls(objective: Any, question: Any) -> list[tuple[str, str]]:
    base = f"/teach/objectives/{objective.pk}/bank/"
    return [
        ("get", base),
        ("get", base + "new/"),
        ("post", base + "new/"),
        ("post", base + "preview-question/"),
        ("get", base + "import/"),
        ("post", base + "import/"),
        ("get", base + "export/yaml/"),
        ("get", base + "preview/"),
        ("get", f"/teach/questions/{question.pk}/edit/"),
        ("post", f"/teach/questions/{question.pk}/edit/"),
        ("get", f"/teach/questions/{question.pk}/versions/"),
        ("post", f"/teach/questions/{question.pk}/retire/"),
    ]


@pytest.mark.parametrize("who", ["student", "other_course_teacher", "teacher_without_sections"])
def test_only_teachers_of_the_course_reach_its_bank(
    client: Client, classroom: dict[str, Any], who: str
) -> None:
    a = classroom["a"]
    question = factories.bank(a, 1)[0]
    person = {
        "student": classroom["students"][0],
        "other_course_teacher": factories.teacher(),
        "teacher_without_sections": factories.teacher(),
    }[who]
    if who == "other_course_teacher":
        factories.section(teachers=[person])  # teaches a section of another course
    client.force_login(person)
    before = counts()
    for method, url in bank_urls(a, question):
        response = getattr(client, method)(url, {"text": CALCULATED, "retired": "1"})
        assert response.status_code == 404, (method, url)
    assert counts() == before


def test_a_teacher_of_another_section_of_the_course_and_a_school_admin_may(
    client: Client, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    for person in (classroom["other_teacher"], factories.user("admin")):
        client.force_login(person)
        assert client.get(f"/teach/objectives/{a.pk}/bank/").status_code == 200


def test_anonymous_people_are_sent_to_log_in(client: Client, classroom: dict[str, Any]) -> None:
    question = factories.bank(classroom["a"], 1)[0]
    before = counts()
    for method, url in bank_urls(classroom["a"], question):
        response = getattr(client, method)(url, {"text": CALCULATED, "retired": "1"})
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url
    assert counts() == before


def test_every_post_needs_the_csrf_token(classroom: dict[str, Any]) -> None:
    question = factories.bank(classroom["a"], 1)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(classroom["teacher"])
    before = counts()
    for method, url in bank_urls(classroom["a"], question):
        if method == "post":
            assert client.post(url, {"text": CALCULATED, "retired": "1"}).status_code == 403, url
    assert counts() == before
    form = client.get(f"/teach/objectives/{classroom['a'].pk}/bank/").content.decode()
    assert form.count('name="csrfmiddlewaretoken"') >= 2  # retire + log out


def test_pages_are_never_cached(as_user: Any, classroom: dict[str, Any]) -> None:
    response = as_user(classroom["teacher"]).get(f"/teach/objectives/{classroom['a'].pk}/bank/")
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


# ---- nothing a teacher types runs in a browser --------------------------------------------------


def test_question_text_with_a_script_is_shown_as_text(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    client = as_user(classroom["teacher"])
    evil = (
        "type: single_choice\ntitle: <script>alert('title')</script>\n"
        "text: <script>alert('text')</script> <img src=x onerror=alert(1)>\n"
        "choices:\n  - {text: '<b onclick=alert(2)>right</b>', correct: true}\n  - wrong\n"
        "feedback: ok\n"
    )
    client.post(f"/teach/objectives/{a.pk}/bank/new/", {"text": evil})
    question = Question.objects.get(objective=a)

    pages = [
        page(client, f"/teach/objectives/{a.pk}/bank/"),
        page(client, f"/teach/questions/{question.pk}/edit/?view=yaml"),
        page(client, f"/teach/questions/{question.pk}/versions/"),
        preview(client, a, evil),
        preview(client, a, evil.replace("format", "x") + "format: html\n"),
    ]
    for text in pages:
        assert "<script>alert" not in text
        assert re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text) is None  # no event handler attribute
        assert "<img src=x" not in text
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in pages[0]


# ---- how likely a guesser passes ----------------------------------------------------------------


def add_questions(objective: Any, teacher: Any, *values: QuestionValue) -> list[Question]:
    return [question_create(objective=objective, value=value, actor=teacher) for value in values]


def true_false(n: int) -> QuestionValue:
    return QuestionValue(
        QuestionType.TRUE_FALSE, f"Statement {n} about gases.", key=f"tf{n}", choices=true_false_choices(True)
    )


def numeric(n: int) -> QuestionValue:
    return QuestionValue(
        QuestionType.NUMERIC,
        f"How many kPa in {n} atm?",
        key=f"num{n}",
        numeric_answers=(NumericAnswer(101.325 * n),),
    )


def guess_line(text: str) -> str:
    found = re.search(r'<p class="bank-guess[^"]*"[^>]*>.*?</p>', text)
    assert found is not None
    return found.group(0)


def test_a_check_a_guesser_passes_often_is_warned_about_with_the_figure(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a, teacher = classroom["a"], classroom["teacher"]  # a check asks 2 at the course's 80 %
    add_questions(a, teacher, true_false(1), true_false(2))

    text = page(as_user(teacher), f"/teach/objectives/{a.pk}/bank/")

    assert guess_line(text) == (
        '<p class="bank-guess bank-notice bank-notice-warning" role="note">A guesser passes this check '
        "<strong>25 %</strong> of the time: add items, or use types that cannot be guessed "
        "(numeric, short answer).</p>"
    )
    facts = text.split('<div class="bank-facts">')[1].split("</div>")[0]
    assert "different ways." in facts and "bank-guess" in facts  # beside the version count


def test_items_that_cannot_be_guessed_lower_the_figure_below_the_warning(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a, teacher = classroom["a"], classroom["teacher"]
    a.check_items = 1
    a.save()
    add_questions(a, teacher, true_false(1), *(numeric(n) for n in range(1, 10)))
    client = as_user(teacher)

    # one of 10 questions: the true/false 1 time in 10, guessed right half the time
    text = page(client, f"/teach/objectives/{a.pk}/bank/")
    assert (
        guess_line(text)
        == '<p class="bank-guess">A guesser passes this check <strong>5 %</strong> of the time.</p>'
    )
    assert "bank-notice-warning" not in text

    Question.objects.filter(objective=a, key="tf1").update(retired=True)
    text = page(client, f"/teach/objectives/{a.pk}/bank/")
    assert guess_line(text) == '<p class="bank-guess">Guessing alone cannot pass this check.</p>'


def test_free_responses_the_check_asks_count_as_points_a_guesser_never_earns(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a, teacher = classroom["a"], classroom["teacher"]
    a.check_written = 1
    a.threshold = 0.6
    a.save()
    essay = QuestionValue(QuestionType.FREE_RESPONSE, "Explain why a gas can be compressed.", key="essay")
    add_questions(a, teacher, true_false(1), true_false(2), essay)

    text = page(as_user(teacher), f"/teach/objectives/{a.pk}/bank/")

    # both true/false right is 2 of 3 points, 67 % ≥ 60 %; one right is 33 %
    assert "A guesser passes this check <strong>25 %</strong> of the time: add items" in guess_line(text)


def test_no_figure_while_no_check_can_be_built(as_user: Any, classroom: dict[str, Any]) -> None:
    a, teacher = classroom["a"], classroom["teacher"]
    add_questions(a, teacher, true_false(1))  # a check asks 2

    text = page(as_user(teacher), f"/teach/objectives/{a.pk}/bank/")

    assert "bank-guess" not in text and "A guesser" not in text
    assert "GAS-1 has 1 question but a check asks 2" in text
