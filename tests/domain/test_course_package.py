"""Reading course.yaml: a valid package becomes a CourseSpec; every mistake is listed with its line."""

from __future__ import annotations

import textwrap

import pytest

from flipmastery.domain.course import LearningObjectKind, Tier
from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.course_package import parse_course

GOOD = textwrap.dedent("""\
    course: {code: CHEM11, title: Class 11 Chemistry, threshold: 0.8, language: en}
    units:
      - code: GAS
        title: Gas Laws
        objectives:
          - code: GAS-1
            statement: Be able to understand how gases differ from solids and liquids.
            learn:
              - {kind: video, title: Video 1, url: "https://www.youtube.com/watch?v=x", minutes: 9}
              - {kind: text, title: Text Section 12.1}
          - code: GAS-2
            statement: Be able to explain Boyle's law.
            tier: nice_to_know
            threshold: 90%
            prerequisites: [GAS-1]
            activities: [{title: Boyle's Law Lab}, Charles's Law Lab]
            check: {items: 3}
            bank: banks/gas-2.gift
""")


def parse(text: str, files: set[str] = frozenset({"banks/gas-2.gift"})) -> object:  # type: ignore[assignment]
    return parse_course(text, package_has=files.__contains__)


def problems(text: str, files: set[str] = frozenset({"banks/gas-2.gift"})) -> list[str]:  # type: ignore[assignment]
    with pytest.raises(Invalid) as caught:
        parse_course(text, package_has=files.__contains__)
    return [str(p) for p in caught.value.problems]


def test_a_good_package_reads_whole() -> None:
    spec = parse_course(GOOD, package_has={"banks/gas-2.gift"}.__contains__)
    assert spec.code == "CHEM11" and spec.threshold == 0.8
    one, two = spec.objectives
    assert [lo.kind for lo in one.learn] == [LearningObjectKind.VIDEO, LearningObjectKind.TEXT]
    assert one.tier is Tier.ESSENTIAL and two.tier is Tier.NICE_TO_KNOW
    assert two.prerequisites == ("GAS-1",) and two.threshold == 0.9 and two.check_items == 3
    assert [a.title for a in two.activities] == ["Boyle's Law Lab", "Charles's Law Lab"]
    assert two.bank == "banks/gas-2.gift"


def test_yaml_syntax_error_names_file_and_line() -> None:
    broken = GOOD.replace("title: Gas Laws", "title: [Gas Laws")
    [message] = problems(broken)
    assert message.startswith("course.yaml:5: YAML syntax error")


def test_unknown_prerequisite_names_its_line() -> None:
    assert problems(GOOD.replace("[GAS-1]", "[GAS-9]")) == [
        "course.yaml:15: unknown prerequisite GAS-9 for objective GAS-2"
    ]


def test_cycle_is_refused() -> None:
    text = GOOD.replace("        learn:\n", "        prerequisites: [GAS-2]\n        learn:\n", 1)
    [message] = problems(text)
    assert "prerequisites form a cycle: GAS-1 → GAS-2 → GAS-1" in message


def test_bad_tier_says_what_is_allowed() -> None:
    assert problems(GOOD.replace("tier: nice_to_know", "tier: optional")) == [
        "course.yaml:13: tier 'optional' of objective GAS-2 must be 'essential' or 'nice_to_know'"
    ]


def test_missing_bank_file_is_named() -> None:
    assert problems(GOOD, files=set()) == [
        "course.yaml:18: bank of objective GAS-2 'banks/gas-2.gift' is not in the package"
    ]


def test_path_outside_the_package_is_refused() -> None:
    [message] = problems(GOOD.replace("banks/gas-2.gift", "../../etc/passwd.txt"))
    assert "must be a path inside the package" in message


def test_every_problem_is_listed_not_only_the_first() -> None:
    text = (
        GOOD.replace("tier: nice_to_know", "tier: optional")
        .replace("[GAS-1]", "[GAS-9]")
        .replace("kind: text", "kind: podcast")
    )
    assert len(problems(text)) == 3


def test_typo_in_a_key_suggests_the_right_one() -> None:
    [message] = problems(GOOD.replace("prerequisites: [GAS-1]", "prerequisite: [GAS-1]"))
    assert "unknown key 'prerequisite' in objective (did you mean 'prerequisites'?)" in message


def test_duplicate_objective_code_is_refused() -> None:
    [message] = problems(GOOD.replace("code: GAS-2", "code: GAS-1").replace("[GAS-1]", "[]"))
    assert "objective code GAS-1 is used twice" in message


def test_prerequisite_of_another_course_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        parse_course(
            GOOD.replace("[GAS-1]", "[RAT-1]"), package_has=lambda f: True, foreign={"RAT-1": "MATH7"}
        )
    assert "belongs to another course (MATH7)" in str(caught.value)


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(20)
    )
    [message] = problems(bomb)
    assert "too many aliases" in message


def test_python_tags_are_not_executed() -> None:
    [message] = problems("course: !!python/object/apply:os.system ['echo pwned']\n")
    assert message.startswith("course.yaml:1: YAML syntax error")


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    assert problems("- just\n- a list\n") == [
        "course.yaml:1: course.yaml must be a mapping with 'course:' and 'units:'"
    ]


@pytest.mark.parametrize(
    "value", ["2020-13-01", "!!int abc", "!!bool maybe", "!!set [1]", "[" * 3000 + "]" * 3000]
)
def test_values_pyyaml_cannot_construct_are_problems_not_crashes(value: str) -> None:
    from flipmastery.domain.errors import Invalid
    from flipmastery.domain.formats import yamlsource

    with pytest.raises(Invalid):
        yamlsource.load(f"x: {value}\n", "course.yaml")


def test_policies_are_read_for_the_course_and_each_objective_and_checked() -> None:
    text = textwrap.dedent("""\
        course: {code: C, title: T, policy: {check_mode: approval, retake_cooldown_minutes: 30}}
        units:
          - code: U
            title: Unit
            objectives:
              - code: A-1
                statement: Be able to.
                policy: {retake_needs_conference: false}
              - code: A-2
                statement: Be able to.
                policy: {retake_cooldown_minutes: -5, colour: red}
        """)
    with pytest.raises(Invalid) as err:
        parse_course(text, package_has=lambda _: True)
    messages = [str(p) for p in err.value.problems]
    assert any(
        m.startswith("course.yaml:11: policy of objective A-2: unknown policy setting 'colour'")
        for m in messages
    )
    assert any("course.yaml:11" in m and "'retake_cooldown_minutes' cannot be -5" in m for m in messages)
    good = parse_course(
        text.replace("retake_cooldown_minutes: -5, colour: red", "review_items: 1"),
        package_has=lambda _: True,
    )
    assert dict(good.policy) == {"check_mode": "approval", "retake_cooldown_minutes": 30}
    assert dict(good.objectives[0].policy) == {"retake_needs_conference": False}
