"""Writes a CourseSpec as `course.yaml`; reading it back with parse_course gives the same course."""

from __future__ import annotations

from typing import Any

import yaml

from flipmastery.domain.course import (
    ActivitySpec,
    CourseSpec,
    EnrichmentSpec,
    LearningObjectSpec,
    ObjectiveSpec,
    Tier,
    UnitSpec,
)
from flipmastery.domain.guided_notes import template_data

HEADER = "# Course package of flipmastery (keys: DESIGN §5); banks and files are paths inside the package\n"
WIDTH = 100


class _Flow(list[Any]):
    """A list written on one line, so a problem with any of its items points at its key's line."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # "learn:\n  - kind: …", as people write YAML


_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # Only escapes keep \r and the Unicode separators exactly; plain newlines read best as a "|" block.
    style = '"' if _OTHER_BREAKS.intersection(data) else ("|" if "\n" in data else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    if data.is_integer() and abs(data) < 1e15:
        return dumper.represent_int(int(data))
    return dumper.represent_float(data)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(float, _float)
_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def write_course(spec: CourseSpec) -> str:
    """`course.yaml` for `spec`: defaults are left out, every key the reader knows keeps its value."""
    head: dict[str, Any] = {"code": spec.code, "title": spec.title, "threshold": spec.threshold}
    head["language"] = spec.language
    if spec.grade is not None:
        head["grade"] = spec.grade
    if spec.description:
        head["description"] = spec.description
    if spec.policy:
        head["policy"] = dict(spec.policy)
    body = yaml.dump(
        {"course": head, "units": [_unit(u) for u in spec.units]},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )
    return HEADER + body


def _unit(unit: UnitSpec) -> dict[str, Any]:
    return {"code": unit.code, "title": unit.title, "objectives": [_objective(o) for o in unit.objectives]}


def _objective(obj: ObjectiveSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"code": obj.code, "statement": obj.statement}
    if obj.tier is not Tier.ESSENTIAL:
        out["tier"] = obj.tier.value
    if obj.outcome_code:
        out["outcome_code"] = obj.outcome_code
    if obj.prerequisites:
        out["prerequisites"] = _Flow(obj.prerequisites)
    if obj.threshold is not None:
        out["threshold"] = obj.threshold
    if obj.estimated_minutes is not None:
        out["estimated_minutes"] = obj.estimated_minutes
    if obj.learn:
        out["learn"] = [_learning_object(lo) for lo in obj.learn]
    if obj.activities:
        out["activities"] = [_activity(a) for a in obj.activities]
    if obj.enrichment:
        out["enrichment"] = [_enrichment(e) for e in obj.enrichment]
    if obj.check_items != 2 or obj.check_written:
        check: dict[str, Any] = {"items": obj.check_items}
        if obj.check_written:
            check["written"] = obj.check_written
        out["check"] = check
    if obj.policy:
        out["policy"] = dict(obj.policy)
    if obj.bank:
        out["bank"] = obj.bank
    return out


def _learning_object(lo: LearningObjectSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": lo.kind.value, "title": lo.title}
    if lo.url:
        out["url"] = lo.url
    if lo.file:
        out["file"] = lo.file
    if lo.minutes is not None:
        out["minutes"] = lo.minutes
    if lo.body:
        out["body"] = lo.body
    if lo.answers:
        out["answers"] = lo.answers
    if lo.notes is not None:
        # An uploaded diagram image stays on its server (a package cannot carry it yet): the part keeps its
        # id, so importing back into that server keeps the image (courses.services).
        parts = template_data(lo.notes)["parts"]
        out["notes"] = [{k: v for k, v in part.items() if k != "image"} for part in parts]
    return out


def _activity(activity: ActivitySpec) -> dict[str, Any]:
    out = {"title": activity.title}
    if activity.description:
        out["description"] = activity.description
    return out


def _enrichment(task: EnrichmentSpec) -> dict[str, Any]:
    out = {"title": task.title}
    if task.description:
        out["description"] = task.description
    if task.url:
        out["url"] = task.url
    return out
