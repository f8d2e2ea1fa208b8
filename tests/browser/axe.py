"""axe-core (vendored in tests/browser/axe/) run on a Playwright page: anything serious or critical fails."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parent / "axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# What fails a test; AXE_IMPACTS=minor,moderate,serious,critical shows the lesser findings too.
BLOCKING = tuple(os.environ.get("AXE_IMPACTS", "serious,critical").split(","))

# The page's own content-security policy refuses an injected inline script: a context that runs axe is
# opened with bypass_csp=True (the other browser tests keep the policy and watch for what it refuses).
RUN = """async (tags) => {
    const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
    const found = await axe.run(document, options);
    return found.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
    }));
}"""


def violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical violations axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    found: list[dict[str, Any]] = page.evaluate(RUN, TAGS)
    return [v for v in found if v["impact"] in BLOCKING]


def described(found: list[dict[str, Any]]) -> str:
    """One line per violation and one per element it names: rule, impact, help, selector."""
    lines: list[str] = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node['target']}" for node in v["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Any, where: str = "") -> None:
    """Fail, listing them all, when axe finds anything serious or critical on the page."""
    found = violations(page)
    assert not found, f"axe on {where or page.url}:\n{described(found)}"
