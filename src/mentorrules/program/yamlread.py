"""Safe YAML reading that keeps where every value came from.

:func:`read_yaml` parses one document with PyYAML's safe machinery and returns
plain data in which every mapping is a :class:`MarkedDict` and every sequence a
:class:`MarkedList`: ordinary ``dict`` and ``list`` that also remember the
``file:line:column`` of each key and value, so that a validation error deep in a
program can name the exact place. On the way it refuses what a program file
must never contain:

- anything but one document whose top level is a mapping;
- duplicate keys (an error, not last-one-wins);
- tags that ask for Python objects (only the safe YAML types are built);
- documents that expand past :attr:`Limits.max_nodes` values through aliases
  (the "billion laughs") or nest deeper than :attr:`Limits.max_depth`;
- files larger than :attr:`Limits.max_bytes`, bytes that are not UTF-8, and
  control characters.

It also reads the way people expect in 2024 rather than in YAML 1.1: ``yes``,
``no``, ``on`` and ``off`` stay strings, and ``18:00`` is not the number 1080.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mentorrules.errors import Location, Problem, ProgramError


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on a program file, so hostile input is refused rather than obeyed."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 200_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Mark:
    file: str
    line: int
    column: int


class MarkedDict(dict[str, Any]):
    """A dict that remembers where each key and value stood in its file."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class MarkedList(list[Any]):
    """A list that remembers where each item stood in its file."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and no base-60 numbers."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)

_SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


def _fail(file: str, line: int | None, column: int | None, message: str, hint: str) -> ProgramError:
    return ProgramError([Problem(Location(file, line, column), message, hint)])


def decode(data: bytes, file: str) -> str:
    """UTF-8 (a leading BOM is dropped) or a ProgramError naming the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _fail(
            file, line, column, f"byte 0x{data[exc.start]:02x} is not UTF-8",
            "save the file as UTF-8",
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _fail(file, line, None, "the file holds binary data (a NUL byte)",
                    "give a YAML text file")
    return text


def read_yaml(text: str, file: str = "<string>", limits: Limits = DEFAULT_LIMITS) -> MarkedDict:
    """Parse one YAML document whose top level is a mapping, keeping marks."""
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise _fail(file, None, None,
                    f"the file is larger than {limits.max_bytes // 1024 // 1024} MB",
                    "a program file is a few kilobytes; check you gave the right file")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "cannot parse YAML"
        hint = "fix the YAML syntax there"
        if "expected a single document" in (exc.context or ""):
            problem, hint = "the file holds more than one YAML document", "keep one document"
        if "'\\t'" in problem or "tab" in problem:
            hint = "indent with spaces, not tabs"
        raise _fail(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                    problem, hint) from None
    except yaml.YAMLError as exc:
        raise _fail(file, None, None, f"cannot parse YAML: {exc}", "fix the YAML syntax") from None
    except RecursionError:
        raise _fail(file, None, None, "the document is nested too deeply",
                    f"keep nesting under {limits.max_depth} levels") from None
    finally:
        loader.dispose()
    if node is None:
        raise _fail(file, 1, 1, "the file is empty", "a program is a YAML mapping with id, title, ...")
    builder = _Builder(file, limits, loader)
    data = builder.build(node, 0)
    if not isinstance(data, MarkedDict):
        what = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise _fail(file, node.start_mark.line + 1, node.start_mark.column + 1,
                    f"the document is {what}, not a mapping",
                    "a program is a YAML mapping with keys such as id, title, timezone")
    return data


class _Builder:
    def __init__(self, file: str, limits: Limits, loader: _Loader) -> None:
        self.file = file
        self.limits = limits
        self.loader = loader
        self.count = 0

    def mark(self, node: Node) -> Mark:
        return Mark(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node, message: str, hint: str) -> ProgramError:
        m = self.mark(node)
        return _fail(self.file, m.line, m.column, message, hint)

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self.error(node, f"the document expands to more than {self.limits.max_nodes} "
                             "values (aliases repeated too often?)",
                             "write the values out; a program needs no alias bombs")
        if depth > self.limits.max_depth:
            raise self.error(node, f"the document nests deeper than {self.limits.max_depth} levels",
                             "flatten it")
        if node.tag not in _SAFE_TAGS:
            raise self.error(node, f"the tag {node.tag!r} is not allowed",
                             "remove the tag; only plain YAML values are read")
        if isinstance(node, MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, SequenceNode):
            result = MarkedList(self.mark(node))
            for item in node.value:
                result.append(self.build(item, depth + 1))
                result.item_marks.append(self.mark(item))
            return result
        assert isinstance(node, ScalarNode)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.error(node, f"cannot read the value {node.value!r}: {exc}",
                             "quote it to keep it as text") from None

    def mapping(self, node: MappingNode, depth: int) -> MarkedDict:
        try:
            self.loader.flatten_mapping(node)  # resolves '<<' merge keys
        except yaml.MarkedYAMLError as exc:
            raise self.error(node, exc.problem or "bad merge key", "fix the '<<' merge") from None
        result = MarkedDict(self.mark(node))
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                raise self.error(key_node, f"the key {key_node.value!r} is not text",
                                 "use plain words as keys")
            key = str(key)
            if key in result:
                first = result.key_marks[key]
                raise self.error(key_node, f"duplicate key {key!r} (first at line {first.line})",
                                 "keep one of them")
            result[key] = self.build(value_node, depth + 1)
            result.key_marks[key] = self.mark(key_node)
            result.value_marks[key] = self.mark(value_node)
        return result
