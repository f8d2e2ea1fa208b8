"""How the question form is shown: every field's label, widget and help, its value and its problems."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flipmastery.domain.questions import QuestionType, TextFormat
from flipmastery.web.question_form import (
    COMMON,
    FLAGS,
    PREFIX,
    ROWS,
    TYPE_FIELDS,
    QuestionForm,
    field_id,
)
from flipmastery.web.question_form_yaml import FieldProblem

CLOZE_TEXT_HELP = gettext_lazy(
    "Write each part where it stands, as in Moodle: {1:SHORTANSWER:=Paris#Right~%50%Lyon#Half} "
    "(the number is its weight), {2:NUMERICAL:=22.4:0.1}, {1:MULTICHOICE:=nitrogen~oxygen} (a menu; MCV "
    "down, MCH across), {1:MULTIRESPONSE:%50%kPa~%50%mmHg~%-100%litre}. = is right, %50% half, * any answer."
)

# Every field's label, widget and help, said in the teacher's language.
FIELD_SPECS: dict[str, tuple[Any, str, Any]] = {
    "title": (
        gettext_lazy("Title (optional)"),
        "text",
        gettext_lazy("A short name for the bank list, e.g. “Boyle's law — final pressure”."),
    ),
    "text": (
        gettext_lazy("Question text"),
        "textarea",
        gettext_lazy(
            "Markdown: **bold**, lists, tables; maths between dollars, e.g. $P_1V_1 = P_2V_2$. "
            "In a calculated question {P1} shows a variable and {=P1*2} a formula."
        ),
    ),
    "format": (gettext_lazy("Text format"), "format", ""),
    "points": (gettext_lazy("Points"), "number", gettext_lazy("1 unless this question weighs more.")),
    "tags": (gettext_lazy("Tags"), "text", gettext_lazy("Misconceptions or topics, separated by commas.")),
    "feedback": (
        gettext_lazy("Feedback after the check"),
        "textarea",
        gettext_lazy("Shown to every student once the check is closed."),
    ),
    "shuffle": (gettext_lazy("Shuffle the choices for each student"), "checkbox", ""),
    "answer": (gettext_lazy("The statement is"), "truefalse", ""),
    "feedback_true": (gettext_lazy("Feedback for “True”"), "text", ""),
    "feedback_false": (gettext_lazy("Feedback for “False”"), "text", ""),
    "case_sensitive": (gettext_lazy("Capitals matter (Boyle ≠ boyle)"), "checkbox", ""),
    "unit": (
        gettext_lazy("Unit of the answer"),
        "text",
        gettext_lazy(
            "e.g. atm, kPa, L, K; a student may answer in any unit of the same kind (101.3 kPa = 1 atm). "
            "Empty for a pure number."
        ),
    ),
    "unit_penalty": (
        gettext_lazy("Penalty for a missing or wrong unit (%)"),
        "number",
        gettext_lazy("100 unless you give part credit for the number alone."),
    ),
    "decimals": (
        gettext_lazy("Decimals shown in the answer key"),
        "number",
        gettext_lazy("e.g. 2 shows 3.84; empty shows 4 significant figures."),
    ),
    "group": (
        gettext_lazy("Group (optional)"),
        "text",
        gettext_lazy("Calculated questions of one group share their variables' values in a check."),
    ),
    "grading": (
        gettext_lazy("Grading"),
        "ordergrading",
        gettext_lazy("All or nothing, or part credit as Moodle gives it."),
    ),
    "rubric": (
        gettext_lazy("Rubric"),
        "textarea",
        gettext_lazy("What a full answer has, criterion by criterion; you grade it by hand."),
    ),
}
ROW_SPECS: dict[str, dict[str, tuple[Any, str]]] = {
    "choices": {
        "text": (gettext_lazy("Choice"), "text"),
        "correct": (gettext_lazy("Correct"), "checkbox"),
        "weight": (gettext_lazy("Weight %"), "number"),
        "feedback": (gettext_lazy("Feedback"), "text"),
    },
    "answers": {
        "text": (gettext_lazy("Accepted answer"), "text"),
        "credit": (gettext_lazy("Credit %"), "number"),
        "feedback": (gettext_lazy("Feedback"), "text"),
    },
    "numbers": {
        "value": (gettext_lazy("Value"), "number"),
        "formula": (gettext_lazy("Formula"), "code"),
        "tolerance": (gettext_lazy("Tolerance"), "number"),
        "mode": (gettext_lazy("Tolerance is"), "mode"),
        "credit": (gettext_lazy("Credit %"), "number"),
        "feedback": (gettext_lazy("Feedback"), "text"),
    },
    "variables": {
        "name": (gettext_lazy("Name"), "code"),
        "min": (gettext_lazy("From"), "number"),
        "max": (gettext_lazy("To"), "number"),
        "step": (gettext_lazy("Step"), "number"),
        "decimals": (gettext_lazy("Decimals"), "number"),
        "values": (gettext_lazy("Or a list of values"), "text"),
    },
    "derived": {"name": (gettext_lazy("Name"), "code"), "formula": (gettext_lazy("Formula"), "code")},
    "pairs": {"prompt": (gettext_lazy("Prompt"), "text"), "answer": (gettext_lazy("Its answer"), "text")},
    "items": {"text": (gettext_lazy("Item"), "text")},
    "gaps": {
        "text": (gettext_lazy("Choice"), "text"),
        "group": (gettext_lazy("Group"), "number"),
        "gap": (gettext_lazy("Right for gap"), "text"),
        "infinite": (gettext_lazy("May fill more than one gap"), "checkbox"),
    },
}
ROW_TITLES: dict[str, tuple[Any, Any, Any]] = {  # heading, one row's name, help
    "choices": (
        gettext_lazy("Choices"),
        gettext_lazy("Choice"),
        gettext_lazy(
            "Tick the right answer(s). A weight (in %) overrides the tick: part credit, or a negative weight "
            "that takes points away for a wrong option of a multiple response."
        ),
    ),
    "answers": (
        gettext_lazy("Accepted answers"),
        gettext_lazy("Answer"),
        gettext_lazy(
            "Capitals, spaces and accents are compared as a student types them; * stands for any letters "
            "(e.g. Boyle*), \\* for a star."
        ),
    ),
    "numbers": (
        gettext_lazy("Answer"),
        gettext_lazy("Answer"),
        gettext_lazy(
            "The first answer with full credit is the key; more answers may give part credit "
            "(e.g. for a common slip)."
        ),
    ),
    "variables": (
        gettext_lazy("Variables"),
        gettext_lazy("Variable"),
        gettext_lazy(
            "Each is drawn afresh for every student: from … to in steps (every step possible), "
            "from … to with decimals (drawn uniformly), or one of a list of values."
        ),
    ),
    "derived": (
        gettext_lazy("Derived values"),
        gettext_lazy("Derived value"),
        gettext_lazy(
            "Computed from the variables in order, e.g. P2 = P1 * V1 / V2; the answer may use them."
        ),
    ),
    "pairs": (
        gettext_lazy("Pairs to match"),
        gettext_lazy("Pair"),
        gettext_lazy("A pair with no prompt is an extra answer that matches nothing."),
    ),
    "gaps": (
        gettext_lazy("Choices for the gaps"),
        gettext_lazy("Choice"),
        gettext_lazy(
            "Write the gaps in the text as [[1]], [[2]] … in order. Each gap offers the choices of its right "
            "choice's group (1 unless you say); give each right choice its gap number (or several: 1, 3)."
        ),
    ),
    "items": (
        gettext_lazy("Items, in the right order"),
        gettext_lazy("Item"),
        gettext_lazy("Write them first to last; each student sees them shuffled and puts them in order."),
    ),
}


def formats() -> list[tuple[str, str]]:
    return [
        (TextFormat.MARKDOWN.value, _("Markdown with $…$ maths")),
        (TextFormat.HTML.value, _("HTML")),
        (TextFormat.PLAIN.value, _("Plain text")),
    ]


def as_context(form: QuestionForm, problems: list[FieldProblem]) -> dict[str, Any]:
    """What the template needs: every field with its label, value, id and problems, and the rows."""
    by_field: dict[str, list[str]] = {}
    for p in problems:
        if p.field:
            by_field.setdefault(p.field, []).append(p.message)

    def one(name: str, kind: str = "", index: int | None = None, value: str = "") -> dict[str, Any]:
        fid = field_id(name, kind, index)
        label, widget, help_text = (
            FIELD_SPECS.get(name, ("", "text", "")) if not kind else (*ROW_SPECS[kind][name], "")
        )
        return {
            "name": fid,
            "id": f"id-{fid}",
            "value": value,
            "label": label,
            "widget": widget,
            "help": help_text,
            "errors": by_field.get(fid, []),
        }

    kind = form.type
    fields = {name: one(name, value=form.fields.get(name, "")) for name in (*COMMON, *FIELD_SPECS)}
    if kind is QuestionType.CLOZE:  # the parts are written in the text, in Moodle's embedded-answers syntax
        fields["text"]["help"] = CLOZE_TEXT_HELP
    groups = []
    for rows_kind in form.kinds():
        heading, row_name, help_text = ROW_TITLES[rows_kind]
        rows = [
            {
                "index": i,
                "number": i + 1,
                "fields": [
                    one(name, rows_kind, i, row.get(name, ""))
                    for name in ROWS[rows_kind]
                    if _row_field_applies(kind, rows_kind, name, row)
                ],
            }
            for i, row in enumerate(form.row_list(rows_kind))
        ]
        groups.append(
            {
                "kind": rows_kind,
                "id": f"id-{field_id(rows_kind)}",
                "heading": heading,
                "row_name": row_name,
                "help": help_text,
                "rows": rows,
                "errors": by_field.get(field_id(rows_kind), []),
            }
        )
    summary = [
        {"message": p.message, "href": f"#id-{p.field}" if p.field else "", "label": _field_label(p.field)}
        for p in problems
    ]
    return {
        "fields": fields,
        "type_fields": [fields[n] for n in TYPE_FIELDS.get(kind, ())] if kind else [],
        "groups": groups,
        "counts": {k: len(form.row_list(k)) for k in ROWS},
        "type": form.fields.get("type", ""),
        "summary": summary,
        "shown_flags": [n for n in FLAGS if kind and n in TYPE_FIELDS.get(kind, ())],
        "hidden_rows": [
            {
                "kind": k,
                "rows": [
                    [(field_id(n, k, i), v) for n, v in row.items()] for i, row in enumerate(form.row_list(k))
                ],
            }
            for k in ROWS
            if k not in form.kinds()
        ],
    }


def _row_field_applies(kind: QuestionType | None, rows_kind: str, name: str, row: dict[str, str]) -> bool:
    if rows_kind != "numbers":
        return True
    if kind is QuestionType.CALCULATED:
        return name != "value" or bool(row.get("value", "").strip())
    return name != "formula"


def _field_label(fid: str) -> str:
    """The field a problem is at, said for the summary: "Choice 2 · Weight %"."""
    if not fid.startswith(PREFIX):
        return ""
    parts = fid[len(PREFIX) :].split("-")
    if len(parts) == 3 and parts[0] in ROWS and parts[1].isdigit():
        kind, index, name = parts
        return f"{ROW_TITLES[kind][1]} {int(index) + 1} · {ROW_SPECS[kind][name][0]}"
    if parts[0] in ROWS and len(parts) == 1:
        return str(ROW_TITLES[parts[0]][0])
    spec = FIELD_SPECS.get(parts[0])
    return str(spec[0]) if spec else (str(_("Type")) if parts[0] == "type" else "")
