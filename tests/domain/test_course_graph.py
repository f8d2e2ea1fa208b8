"""Rules of the prerequisite graph: unknown codes, other courses' codes, self-loops and cycles are refused."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.course import Graph, PrerequisiteEdge, find_cycles, graph_problems
from flipmastery.domain.errors import Location


def graph(codes: list[str], edges: list[tuple[str, str]]) -> Graph:
    return Graph(
        set(codes), [PrerequisiteEdge(a, b, Location("course.yaml", i + 1)) for i, (a, b) in enumerate(edges)]
    )


def test_a_chain_is_valid() -> None:
    assert graph_problems(graph(["A", "B", "C"], [("B", "A"), ("C", "B")])) == []


def test_unknown_prerequisite_is_named_with_its_line() -> None:
    [problem] = graph_problems(graph(["A", "B"], [("B", "A"), ("B", "Z")]))
    assert problem.message == "unknown prerequisite Z for objective B"
    assert problem.location == Location("course.yaml", 2)


def test_prerequisite_from_another_course_is_refused_and_says_which() -> None:
    [problem] = graph_problems(graph(["A"], [("A", "MATH-1")]), foreign={"MATH-1": "MATH7"})
    assert "belongs to another course (MATH7)" in problem.message


def test_self_prerequisite_is_refused() -> None:
    [problem] = graph_problems(graph(["A"], [("A", "A")]))
    assert problem.message == "objective A lists itself as a prerequisite"


def test_cycle_is_reported_once_with_its_path() -> None:
    problems = graph_problems(graph(["A", "B", "C"], [("A", "C"), ("B", "A"), ("C", "B")]))
    assert [p.message for p in problems] == ["prerequisites form a cycle: A → C → B → A"]


def test_deep_chain_does_not_overflow() -> None:
    codes = [f"O{i}" for i in range(5000)]
    edges = [(codes[i + 1], codes[i]) for i in range(4999)] + [(codes[0], codes[-1])]
    assert (
        len(
            find_cycles(
                {a: [b for x, b in edges if x == a] for a in codes} if False else _needs(edges, codes)
            )
        )
        == 1
    )


def _needs(edges: list[tuple[str, str]], codes: list[str]) -> dict[str, list[str]]:
    needs: dict[str, list[str]] = {c: [] for c in codes}
    for a, b in edges:
        needs[a].append(b)
    return needs


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
def test_edges_only_forward_in_an_order_never_make_a_cycle(pairs: list[tuple[int, int]]) -> None:
    # an edge from a later objective to an earlier one is a DAG by construction
    edges = [(f"O{max(a, b)}", f"O{min(a, b)}") for a, b in pairs if a != b]
    assert find_cycles(_needs(edges, [f"O{i}" for i in range(8)])) == []


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), min_size=1, max_size=20))
def test_any_reported_cycle_is_a_real_cycle(pairs: list[tuple[int, int]]) -> None:
    edges = [(f"O{a}", f"O{b}") for a, b in pairs if a != b]
    needs = _needs(edges, [f"O{i}" for i in range(8)])
    for cycle in find_cycles(needs):
        for here, there in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            assert there in needs[here]
