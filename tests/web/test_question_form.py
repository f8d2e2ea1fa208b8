"""The question editor by form: every type round-trips form → save → YAML view → form, problems point at
their field, a calculated question shows a live sample, and "try it as a student" grades without storing."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from flipmastery.assessments.models import Attempt
from flipmastery.domain.questions import QuestionType
from flipmastery.questions.models import Question, QuestionVersion
from flipmastery.web.views_banks import read_one
from tests import factories

CHEAT_SHEET = "src/flipmastery/web/templates/web/banks/_cheatsheet.html"
MORE = [
    """\
type: multiple_response
text: Which are gas laws?
choices:
  - {text: Boyle's law, correct: true}
  - {text: Charles's law, correct: true}
  - {text: Avogadro's law, correct: true}
  - {text: Ohm's law, fraction: -50%, feedback: That one is about circuits.}
shuffle: false
""",
    """\
type: numeric
text: Normal pressure?
answers:
  - {min: 100, max: 102.5}
  - {value: 1, tolerance: 5%, fraction: 50%, feedback: "Right number, wrong unit?"}
unit: kPa
unit_penalty: 25%
decimals: 1
points: 2
tags: [pressure, units]
format: plain
""",
    """\
type: short_text
text: Who found that PV is constant?
answers:
  - Boyle
  - {text: "Rob* Boyle", feedback: In full!}
  - {text: Boil, fraction: 0.5, feedback: Spelling.}
case_sensitive: true
""",
]
BOYLE = """\
type: calculated
title: Boyle
text: A gas at {P1} atm fills {V1} L. Squeezed to {V2} L, what is its pressure?
variables:
  P1: [2]
  V1: [3]
  V2: [1.5]
derived:
  P2: P1 * V1 / V2
answer: {formula: P2, tolerance: 2%}
unit: atm
"""


def examples() -> list[str]:
    with open(CHEAT_SHEET, encoding="utf-8") as file:
        sheet = file.read()
    return [html.unescape(e) for e in re.findall(r"<pre><code>(.*?)</code></pre>", sheet, re.S)] + MORE


class _Fields(HTMLParser):
    """What a browser sends for the question form: its fields, as they stand, without the buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None
        self.chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "qform" in a.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.data.setdefault(self.textarea or "", []).append("")
        elif tag == "select":
            self.select, self.first_option, self.chosen = a.get("name"), None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.data.setdefault(self.select, []).append(a.get("value", ""))
                self.chosen = True

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            value = self.data[self.textarea][-1]
            self.data[self.textarea][-1] = html.unescape(value.removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.chosen and self.first_option is not None:
                self.data.setdefault(self.select, []).append(self.first_option)
            self.select = None


def fields(page: str) -> dict[str, Any]:
    parser = _Fields()
    parser.feed(page)
    return {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}


def textarea(page: str) -> str:
    found = re.search(r'<textarea id="id_text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def post(client: Client, url: str, data: dict[str, Any], status: int = 200) -> str:
    response = client.post(url, data, follow=True)
    assert response.status_code == status, url
    return response.content.decode()


def counts() -> tuple[int, int, int]:
    return Question.objects.count(), QuestionVersion.objects.count(), Attempt.objects.count()


@pytest.fixture
def teacher(as_user: Any, classroom: dict[str, Any]) -> Client:
    client: Client = as_user(classroom["teacher"])
    return client


def new_url(classroom: dict[str, Any]) -> str:
    return f"/teach/objectives/{classroom['a'].pk}/bank/new/"


# ---- every type round-trips ------------------------------------------------------------------------


@pytest.mark.parametrize("text", examples(), ids=lambda t: t.split("\n")[0])
def test_every_type_round_trips_form_save_yaml_form(
    teacher: Client, classroom: dict[str, Any], text: str
) -> None:
    value = read_one(text)[0]
    # Given the question in the YAML view, opened as a form
    page = post(teacher, new_url(classroom), {"text": text, "do": "to_form"})
    assert 'name="mode" value="form"' in page
    data = fields(page)

    # When the form is saved unchanged
    post(teacher, new_url(classroom), {**data, "do": "save"})

    # Then the saved question is the one the YAML makes
    question = Question.objects.get(objective=classroom["a"])
    assert question.current is not None and question.current.value == value
    edit = f"/teach/questions/{question.pk}/edit/"
    form_page = get(teacher, edit + "?view=form")
    # and its YAML view holds it, and opening that as a form gives the same fields again
    yaml_page = post(teacher, edit, {**fields(form_page), "do": "to_yaml"})
    assert read_one(textarea(yaml_page))[0] == value
    again = post(teacher, edit, {"text": textarea(yaml_page), "do": "to_form"})
    assert without_seed(fields(again)) == without_seed(fields(form_page))
    # and saving the form once more changes nothing
    saved = post(teacher, edit, {**fields(again), "do": "save"})
    assert "Nothing changed, so nothing was saved." in saved
    assert QuestionVersion.objects.filter(question=question).count() == 1


def without_seed(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("try_seed", "csrfmiddlewaretoken")}


def test_a_teacher_builds_a_calculated_question_by_form_alone(
    teacher: Client, classroom: dict[str, Any]
) -> None:
    url = new_url(classroom)
    data = fields(get(teacher, url + "?view=form"))
    data["q-type"] = "calculated"
    data = fields(post(teacher, url, {**data, "do": "retype"}))
    assert data["q-variables-count"] == "2" and data["q-numbers-count"] == "1"
    data = fields(post(teacher, url, {**data, "do": "add:variables"}))
    data = fields(post(teacher, url, {**data, "do": "add:derived"}))
    data.update(
        {
            "q-title": "Boyle",
            "q-text": "A gas at {P1} atm fills {V1} L. Squeezed to {V2} L, what is its pressure?",
            "q-variables-0-name": "P1",
            "q-variables-0-values": "2",
            "q-variables-1-name": "V1",
            "q-variables-1-values": "3",
            "q-variables-2-name": "V2",
            "q-variables-2-values": "1.5",
            "q-derived-0-name": "P2",
            "q-derived-0-formula": "P1 * V1 / V2",
            "q-numbers-0-formula": "P2",
            "q-numbers-0-tolerance": "2",
            "q-numbers-0-mode": "relative",
            "q-unit": "atm",
        }
    )
    page = post(teacher, url, {**data, "do": "save"})

    assert "Added to the bank of GAS-1 as version 1." in page
    question = Question.objects.get(objective=classroom["a"])
    assert question.current is not None and question.current.value == read_one(BOYLE)[0]
    assert "With these numbers (P1 = 2, V1 = 3, V2 = 1.5; P2 = 4) the answer is 4 atm." in html.unescape(page)


def test_removing_a_row_keeps_the_others(teacher: Client, classroom: dict[str, Any]) -> None:
    url = new_url(classroom)
    assert fields(get(teacher, url + "?view=form"))["q-choices-count"] == "3"  # a new form starts blank
    text = (
        "type: single_choice\ntext: Which?\n"
        "choices: [{text: Boyle's law, correct: true}, Charles's law, Gay-Lussac's law]"
    )
    data = fields(post(teacher, url, {"text": text, "do": "to_form"}))
    assert [data[f"q-choices-{i}-text"] for i in range(3)] == [
        "Boyle's law",
        "Charles's law",
        "Gay-Lussac's law",
    ]

    data = fields(post(teacher, url, {**data, "do": "remove:choices:1"}))

    assert data["q-choices-count"] == "2"
    assert [data[f"q-choices-{i}-text"] for i in range(2)] == ["Boyle's law", "Gay-Lussac's law"]
    assert counts() == (0, 0, 0)


# ---- problems at their field -----------------------------------------------------------------------


def invalid(page: str, field: str) -> str:
    """The message shown at a field, after checking the field is marked invalid and the summary links it."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*id="id-{field}"[^>]*>', page)
    assert tag is not None, field
    assert 'aria-invalid="true"' in tag.group(0)
    assert f'aria-describedby="err-id-{field}' in tag.group(0)
    assert f'href="#id-{field}"' in page  # the summary at the top links to it
    said = re.search(rf'<p class="qf-error" id="err-id-{field}">(.*?)</p>', page, re.S)
    assert said is not None
    return html.unescape(said.group(1))


def test_a_formula_problem_points_at_the_formula_field(teacher: Client, classroom: dict[str, Any]) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": BOYLE, "do": "to_form"}))
    data["q-numbers-0-formula"] = "P2 * / 2"

    page = post(teacher, new_url(classroom), {**data, "do": "save"})

    assert "<h2>Not saved</h2>" in page
    assert "unexpected '/'" in invalid(page, "q-numbers-0-formula")
    assert fields(page)["q-numbers-0-formula"] == "P2 * / 2"  # kept to fix
    assert counts() == (0, 0, 0)


def test_an_unknown_name_and_a_bad_weight_point_at_their_fields(
    teacher: Client, classroom: dict[str, Any]
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": BOYLE, "do": "to_form"}))
    data["q-derived-0-formula"] = "P1 * V1 / V3"
    data.update({"q-variables-1-values": "", "q-variables-1-min": "1", "q-variables-1-max": "5"})
    data["q-variables-1-step"] = "abc"

    page = post(teacher, new_url(classroom), {**data, "do": "save"})

    assert "'V3', which is not a variable declared before it" in invalid(page, "q-derived-0-formula")
    assert "'step' of variable V1 of the question must be a number" in invalid(page, "q-variables-1-step")

    choice = fields(get(teacher, new_url(classroom) + "?view=form"))
    choice["q-choices-1-weight"] = "half"
    page = post(teacher, new_url(classroom), {**choice, "do": "save"})
    assert "write a percent as a number, e.g. 50 or -25, not “half”" in invalid(page, "q-choices-1-weight")
    assert counts() == (0, 0, 0)


def test_a_missing_true_false_answer_points_at_the_answer(teacher: Client, classroom: dict[str, Any]) -> None:
    url = new_url(classroom)
    data = fields(get(teacher, url + "?view=form"))
    data["q-type"] = "true_false"
    data = fields(post(teacher, url, {**data, "do": "retype"}))
    data.pop("q-answer", None)

    page = post(teacher, url, {**data, "do": "save"})

    assert "needs 'answer: true' or 'answer: false'" in html.unescape(page)
    assert 'href="#id-q-answer"' in page
    assert counts() == (0, 0, 0)


# ---- live sample and preview -----------------------------------------------------------------------


def test_the_live_preview_of_a_calculated_form_says_the_sample(
    teacher: Client, classroom: dict[str, Any]
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": BOYLE, "do": "to_form"}))

    response = teacher.post(f"/teach/objectives/{classroom['a'].pk}/bank/preview-question/", data)

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "With these numbers (P1 = 2, V1 = 3, V2 = 1.5; P2 = 4) the answer is 4 atm." in text
    assert "Accepted: 3.92 to 4.08 atm." in text
    assert 'id="calc-sample" hx-swap-oob="innerHTML"' in text
    assert "A gas at 2 atm fills 3 L." in text

    data["q-numbers-0-formula"] = "P2 / (V1 - V1)"
    text = html.unescape(
        teacher.post(f"/teach/objectives/{classroom['a'].pk}/bank/preview-question/", data).content.decode()
    )
    assert "No sample yet: fix the problems first." in text
    assert 'href="#id-q-numbers-0-formula"' in text


# ---- try it as a student ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [("4 atm", "✓ Correct"), ("405.3 kPa", "✓ Correct"), ("3 atm", "✗ Incorrect"), ("4", "✗ Incorrect")],
)
def test_trying_a_calculated_question_grades_it_and_stores_nothing(
    teacher: Client, classroom: dict[str, Any], answer: str, verdict: str
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": BOYLE, "do": "to_form"}))

    page = html.unescape(post(teacher, new_url(classroom), {**data, "try-answer": answer, "do": "try"}))

    result = page[page.index('<div class="qf-try-result"') :]
    assert verdict in result
    assert "Answer</span> 4 atm" in result
    assert "Nothing was saved: this try is not an attempt." in result
    assert f'value="{answer}"' in page  # the student's answer stays in the box
    assert counts() == (0, 0, 0)


def test_trying_a_true_false_question(teacher: Client, classroom: dict[str, Any]) -> None:
    text = "type: true_false\ntext: Gases can be compressed.\nanswer: true\nfeedback_false: They can.\n"
    data = fields(post(teacher, new_url(classroom), {"text": text, "do": "to_form"}))
    assert data["q-answer"] == "true"

    right = html.unescape(post(teacher, new_url(classroom), {**data, "try-answer": "true", "do": "try"}))
    wrong = html.unescape(post(teacher, new_url(classroom), {**data, "try-answer": "false", "do": "try"}))

    assert "✓ Correct" in right[right.index("qf-try-result") :]
    assert "✗ Incorrect" in wrong[wrong.index("qf-try-result") :]
    assert "They can." in wrong[wrong.index("qf-try-result") :]
    assert counts() == (0, 0, 0)


def test_trying_a_saved_question_changes_nothing(teacher: Client, classroom: dict[str, Any]) -> None:
    question = factories.bank(classroom["a"], 1)[0]
    edit = f"/teach/questions/{question.pk}/edit/"
    data = fields(get(teacher, edit + "?view=form"))
    before = counts(), question.current_id

    page = post(teacher, edit, {**data, "try-answer": "a", "do": "try"})

    assert "Try it as a student" in page and "qf-try-result" in page
    question.refresh_from_db()
    assert (counts(), question.current_id) == before


# ---- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "other_course_teacher"])
def test_students_and_teachers_of_other_courses_are_refused(
    client: Client, classroom: dict[str, Any], who: str
) -> None:
    a = classroom["a"]
    question = factories.bank(a, 1)[0]
    form = read_one(BOYLE)[0]
    assert form.type is QuestionType.CALCULATED
    person = classroom["students"][0] if who == "student" else factories.teacher()
    if who == "other_course_teacher":
        factories.section(teachers=[person])
    client.force_login(person)
    before = counts()
    data = {"mode": "form", "q-type": "true_false", "q-text": "x", "q-answer": "true", "try-answer": "true"}
    for method, url, extra in [
        ("get", f"/teach/objectives/{a.pk}/bank/new/?view=form", {}),
        ("post", f"/teach/objectives/{a.pk}/bank/new/", {**data, "do": "save"}),
        ("post", f"/teach/objectives/{a.pk}/bank/new/", {**data, "do": "try"}),
        ("post", f"/teach/objectives/{a.pk}/bank/preview-question/", data),
        ("get", f"/teach/questions/{question.pk}/edit/?view=form", {}),
        ("post", f"/teach/questions/{question.pk}/edit/", {**data, "do": "save"}),
        ("post", f"/teach/questions/{question.pk}/edit/", {"text": BOYLE, "do": "to_form"}),
    ]:
        response = getattr(client, method)(url, extra)
        assert response.status_code == 404, (method, url)
    assert counts() == before


# ---- bank health ----------------------------------------------------------------------------------


def test_the_editor_and_the_bank_say_whether_the_bank_lasts(
    teacher: Client, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    a.check_items = 2
    a.save()
    questions = factories.bank(a, 6)
    Question.objects.filter(pk=questions[5].pk).update(retired=True)

    editor = html.unescape(get(teacher, f"/teach/objectives/{a.pk}/bank/new/?view=form"))
    assert "Bank health" in editor
    assert "This check can be built" in editor
    assert "The bank does not last for a first try and two retakes: add 1 more question." in editor

    Question.objects.filter(pk=questions[5].pk).update(retired=False)
    bank = html.unescape(get(teacher, f"/teach/objectives/{a.pk}/bank/"))
    lasts = "The bank lasts for a first try and two retakes: a student meets a repeated question only after 3"
    assert f"{lasts} checks." in bank


# ---- Markdown, focus, links, queries ---------------------------------------------------------------


def test_the_preview_renders_markdown_and_maths(teacher: Client, classroom: dict[str, Any]) -> None:
    text = "type: true_false\ntext: 'At constant $T$, **$P_1V_1 = P_2V_2$**.'\nanswer: true\n"
    data = fields(post(teacher, new_url(classroom), {"text": text, "do": "to_form"}))

    response = teacher.post(f"/teach/objectives/{classroom['a'].pk}/bank/preview-question/", data)

    preview = response.content.decode()
    assert "<strong><math" in preview and "<msub><mi>P</mi><mn>1</mn></msub>" in preview
    assert "$" not in preview.split('class="qitem-prompt body">')[1].split("</div>")[0]


def test_a_failed_save_puts_the_focus_on_the_summary(teacher: Client, classroom: dict[str, Any]) -> None:
    data = fields(get(teacher, new_url(classroom) + "?view=form"))  # blank: no text, no choice
    page = post(teacher, new_url(classroom), {**data, "do": "save"})
    summary = re.search(r'<div class="bank-problem-box qf-summary"[^>]*>', page)
    assert summary is not None and "autofocus" in summary.group(0)
    assert 'href="#id-q-text"' in page  # "the question needs a 'text'"
    assert counts() == (0, 0, 0)


def test_the_form_is_the_editor_and_yaml_its_advanced_view(
    teacher: Client, classroom: dict[str, Any]
) -> None:
    question = factories.bank(classroom["a"], 1)[0]
    a = classroom["a"].pk
    bank = get(teacher, f"/teach/objectives/{a}/bank/")
    assert f'href="/teach/objectives/{a}/bank/new/">Add a question' in bank
    assert f'href="/teach/objectives/{a}/bank/new/?view=yaml">Add in YAML' in bank
    assert f'href="/teach/questions/{question.pk}/edit/?view=yaml">Edit in YAML' in bank
    for url in (f"/teach/objectives/{a}/bank/new/", f"/teach/questions/{question.pk}/edit/"):
        assert 'name="mode" value="form"' in get(teacher, url)
        assert 'name="mode" value="form"' not in get(teacher, url + "?view=yaml")


@pytest.mark.parametrize("size", [2, 12])
def test_the_form_editor_query_count_does_not_grow_with_the_bank(
    teacher: Client, classroom: dict[str, Any], django_assert_num_queries: Any, size: int
) -> None:
    question = factories.bank(classroom["a"], size)[1]
    url = f"/teach/questions/{question.pk}/edit/?view=form"
    teacher.get(url)  # warm the session
    # session, user, the question with its objective and version, the bank (summary, health, guessing)
    with django_assert_num_queries(FORM_QUERIES):
        assert teacher.get(url).status_code == 200


FORM_QUERIES = 4


def test_a_form_with_problems_opens_in_yaml_as_it_stands(teacher: Client, classroom: dict[str, Any]) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": BOYLE, "do": "to_form"}))
    data["q-numbers-0-formula"] = "P2 * / 2"

    page = post(teacher, new_url(classroom), {**data, "do": "to_yaml"})

    assert 'formula: "P2 * / 2"' in textarea(page)
    assert "unexpected &#x27;/&#x27;" in page and "<h2>Not saved</h2>" in page
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    "odd",
    [
        {"q-type": "<script>x</script>"},
        {"q-choices-count": "100000000"},
        {"q-choices-count": "many", "q-variables-count": "-3"},
        {"do": "remove:choices:99"},
        {"do": "add:nothing"},
        {"do": "remove:x:y"},
        {"try_seed": "not a number", "do": "try"},
    ],
)
def test_odd_posts_say_what_is_wrong_and_save_nothing(
    teacher: Client, classroom: dict[str, Any], odd: dict[str, str]
) -> None:
    data = fields(get(teacher, new_url(classroom) + "?view=form"))

    response = teacher.post(new_url(classroom), {**data, "do": "save", **odd})

    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()
    assert counts() == (0, 0, 0)


def test_the_yaml_view_tries_a_question_too(teacher: Client, classroom: dict[str, Any]) -> None:
    page = get(teacher, new_url(classroom))  # the YAML view, with its example
    assert "Try it as a student" in page
    seed = re.search(r'name="try_seed" value="(\d+)"', page)
    assert seed is not None

    right = post(
        teacher,
        new_url(classroom),
        {"text": BOYLE, "try_seed": seed.group(1), "try-answer": "4 atm", "do": "try"},
    )
    wrong = post(
        teacher,
        new_url(classroom),
        {"text": BOYLE, "try_seed": seed.group(1), "try-answer": "8 atm", "do": "try"},
    )

    assert "✓ Correct" in right[right.index("qf-try-result") :]
    assert "✗ Incorrect" in wrong[wrong.index("qf-try-result") :]
    assert textarea(right) == BOYLE  # the YAML stays as typed
    assert counts() == (0, 0, 0)


def test_a_variable_whose_range_is_upside_down_points_at_its_from(
    teacher: Client, classroom: dict[str, Any]
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": BOYLE, "do": "to_form"}))
    data.update({"q-variables-0-values": "", "q-variables-0-min": "5", "q-variables-0-max": "1"})

    page = post(teacher, new_url(classroom), {**data, "do": "save"})

    assert invalid(page, "q-variables-0-min") == "variable P1 of the question has min 5 above max 1"
    assert counts() == (0, 0, 0)
