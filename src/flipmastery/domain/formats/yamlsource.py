"""Safe YAML that remembers the line of every mapping and list item, so errors can say where."""

from __future__ import annotations

from typing import Any

import yaml

from flipmastery.domain.errors import Invalid, Location, Problem

MAX_YAML_BYTES = 2_000_000  # a course file is a few KB; anything this large is a mistake or an attack
MAX_ALIASES = 100  # "billion laughs" needs many aliases; honest files use few or none


class Mapping(dict[str, Any]):
    """A YAML mapping with the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list[Any]):
    """A YAML list with the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_at(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    alias_count = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise yaml.YAMLError("too many aliases (&/*) in one file")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key = str(key)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: Any, deep: bool = False) -> Any:
        seq = Sequence(self.construct_object(child, deep=True) for child in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [child.start_mark.line + 1 for child in node.value]
        return seq


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load(text: str, file: str) -> Any:
    """Parse one YAML document; a syntax error becomes an Invalid naming the file and line."""
    if len(text) > MAX_YAML_BYTES:
        raise Invalid([Problem(f"file is larger than {MAX_YAML_BYTES // 1_000_000} MB", Location(file))])
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(part for part in (err.context, err.problem) if part)
        raise Invalid([Problem(f"YAML syntax error: {what}", Location(file, line))]) from None
    except yaml.YAMLError as err:
        raise Invalid([Problem(f"YAML error: {err}", Location(file))]) from None
    except RecursionError:
        raise Invalid([Problem("the file nests lists or mappings too deeply", Location(file))]) from None
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        # PyYAML's constructors raise these for values like `2020-13-01` or `!!int abc`.
        raise Invalid(
            [Problem(f"a value cannot be read ({type(err).__name__}: {err})", Location(file))]
        ) from None
    finally:
        loader.dispose()
