"""The native YAML question bank: every question type, written by hand by a teacher, read all-or-nothing.

A bank is a mapping with a `questions:` list (a bare list works too) and an optional `category:`.
Every question has a `type` and a `text`; the other keys depend on the type. Text is Markdown with
`$…$` LaTeX unless `format:` says `html` or `plain`; use `|` for text over several lines.

```yaml
category: Gas Laws/GAS-2              # optional, for every question of the file
questions:
  - id: boyle-1                       # optional stable key; importing again updates the question by it
    type: calculated
    title: Boyle's law — final pressure
    text: |
      A gas occupies {V1} L at {P1} kPa. At constant temperature it is compressed to {V2} L.
      What is its new pressure?
    variables:                        # fresh values every attempt
      V1: {min: 2.0, max: 6.0, decimals: 1}     # uniform, rounded to 1 place
      P1: {min: 90, max: 120, step: 5}          # 90, 95, … 120
      V2: {values: [0.5, 1.0, 1.5]}             # or simply V2: [0.5, 1.0, 1.5]
    derived:                          # optional, computed in order; later ones may use earlier ones
      P2: P1 * V1 / V2
    answer: {formula: P2, tolerance: 2%}        # 2% means tolerance 0.02, relative: true
    unit: kPa                         # the unit the answer is in; students may answer in atm or mmHg
    unit_penalty: 1.0                 # share of the credit lost for a missing or wrong unit (default 1)
    decimals: 1                       # how the key, and a derived {name} in the text, are shown
    group: gas-sample-1               # calculated items of one group share their variables' values
    points: 1
    feedback: Boyle's law, P₁V₁ = P₂V₂.  # general feedback, shown after the check
    tags: [boyle, inverse-relationship]
    format: markdown                  # markdown (default) | html | plain
```

The other types, one example each, with their own keys:

```yaml
  - type: single_choice               # one right answer; `shuffle: false` keeps the order
    text: The volume of a gas is halved at constant temperature. Its pressure …
    choices:
      - {text: doubles, correct: true}
      - {text: halves, feedback: P and V are inversely proportional.}
      - {text: is a bit higher, fraction: 0.25}             # partial credit
      - stays the same                                      # a plain string is a wrong choice
  - type: multiple_response           # `correct: true` choices share what given fractions leave of 1
    text: Which are units of pressure?
    choices: [{text: kPa, correct: true}, {text: mmHg, correct: true}, {text: L, fraction: -0.5}]
  - type: true_false
    text: Gases are easily compressed.
    answer: true
    feedback_false: Gas particles are far apart.                  # shown to a student who said false
  - type: short_text                  # `*` matches anything, `\\*` is a star; the first match decides
    text: Name the law of partial pressures.
    answers: ["Dalton*", {text: Graham*, fraction: 0, feedback: Graham's law is about effusion.}]
    case_sensitive: false
  - type: numeric                     # also {value: 101.3, tolerance: 1%} or {min: 100, max: 102.5}
    text: Standard atmospheric pressure?
    answer: {value: 101.3, tolerance: 0.5}                  # or `answers:` with fraction, feedback
    unit: kPa                         # 1 atm and 760 mmHg are right too
  - type: matching                    # at least two pairs; distractors match no prompt
    text: Match each law with what it holds constant.
    pairs: [{prompt: Boyle's law, answer: temperature}, {prompt: Charles's law, answer: pressure}]
    distractors: [the gas constant]
  - type: ordering                    # items in the right order; shown shuffled
    text: Put the steps of a gas-law calculation in order.
    items: [Convert °C to K, Write the law, Rearrange for the unknown, Substitute and compute]
    grading: absolute_position        # or all_or_nothing (default), relative_next_exclude_last,
                                      # longest_ordered_subset (Moodle's modes of the same names)
  - type: gaps                        # pick a choice for each gap (Moodle's gapselect and ddwtos)
    text: Gases at high [[1]] and low [[2]] behave least ideally.
    choices: [{text: pressure, gap: 1}, volume, {text: temperature, group: 2, gap: 2}, {text: mass, group: 2}]
                                      # a gap offers its right choice's group; infinite: true lets a
                                      # choice fill more than one gap; shuffle: false keeps their order
  - type: cloze                       # answer each part where it stands (Moodle's embedded answers)
    text: Air is mostly [[1]]; at STP one mole of gas fills [[2]] L.
    parts:                            # each with its own type's keys; weight 1 unless told
      - {type: single_choice, choices: [{text: nitrogen, correct: true}, oxygen]}  # layout: dropdown,
      - {type: numeric, answer: {value: 22.4, tolerance: 0.1}, weight: 2}        # vertical, horizontal
  - type: free_response               # graded by the teacher
    text: Explain why a balloon shrinks in the freezer.
    rubric: Particles slow down and hit the walls less often and less hard.
  - type: description                 # shown between questions, never graded
    text: The next questions are about Dalton's law.
```

Rules the reader checks: a single choice needs a right answer and at most one fully right choice;
the positive fractions of a multiple response sum to 1; a short text or numeric question needs an
answer with full credit; a calculated answer needs a tolerance (nobody can type an unrounded result);
a variable's numbers stay within ±1e100, its step is at least 1e-10 and gives at most a billion values;
`{name}` in a calculated text must be a variable (LaTeX such as `\\text{kPa}` or `P_{1}` is left
alone) and formulas may use only numbers, declared variables, `+ - * / ^ ** ( )` and sqrt, exp, ln,
log, log10, sin, cos, tan, asin, acos, atan, abs, min, max, round, floor, ceil, pow, pi. Formulas are
checked here and evaluated only by `domain.formula`'s sandbox.

Texts are trimmed. YAML reads unquoted yes/no/true/false/on/off as true or false, so quote such text.
Reading is all-or-nothing: any problem and the file is refused with every problem and its line.
"""

from __future__ import annotations

from collections.abc import Sequence

from flipmastery.domain.formats.bank import BankEntry
from flipmastery.domain.formats.yaml_bank_read import read_questions
from flipmastery.domain.formats.yaml_bank_write import write_questions
from flipmastery.domain.questions import Question


def read(text: str, file: str) -> list[BankEntry]:
    """Every question of a YAML bank, or Invalid listing every problem with `file` and its line."""
    return read_questions(text, file)


def write(questions: Sequence[Question]) -> str:
    """The questions as a YAML bank that `read` gives back unchanged."""
    return write_questions(questions)
