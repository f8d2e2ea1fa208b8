"""The domain core stays pure: no Django, no I/O, no clock, no global random — enforced, not hoped for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "flipmastery" / "domain"
FORBIDDEN_MODULES = {
    "django",
    "flipmastery.accounts",
    "flipmastery.courses",
    "flipmastery.classroom",
    "flipmastery.progress",
    "flipmastery.web",
    "flipmastery.api",
    "os",
    "random",
    "time",
    "datetime",
    "socket",
    "subprocess",
    "pathlib",
    "requests",
    "urllib",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_nothing_impure(path: Path) -> None:
    bad = {
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_MODULES)
    }
    assert not bad, f"{path.name} imports {sorted(bad)}; the domain must stay pure"


def test_domain_calls_no_builtin_open_or_eval() -> None:
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"open", "eval", "exec", "compile", "__import__"}, path
