"""Safe YAML reading that keeps where every value came from.

:func:`read_yaml` parses one document with PyYAML's safe machinery and returns
plain data in which every mapping is a :class:`MarkedDict` and every sequence a
:class:`MarkedList`: ordinary ``dict`` and ``list`` that also remember the
``file:line:column`` of each key and value, so that a validation error deep in a
program can name the exact place. On the way it refuses what a program file
must never contain:

- anything but one document whose top level is a mapping;
- duplicate keys (an error, not last-one-wins; keys written beside a ``<<``
  merge key override the merged ones, as YAML says);
- tags that ask for Python objects (only the safe YAML types are built);
- documents of more than :attr:`Limits.max_nodes` values, counted while PyYAML
  reads them (it would build them whole first) and again as aliases would
  expand them (the "billion laughs", refused before anything is expanded);
  aliases to themselves; nesting deeper than :attr:`Limits.max_depth`;
- files larger than :attr:`Limits.max_bytes`, bytes that are not UTF-8, and
  control characters.

It also reads the way people expect in 2024 rather than in YAML 1.1: ``yes``,
``no``, ``on`` and ``off`` stay strings, and ``18:00`` is not the number 1080.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from mentorrules.errors import (
    Location,
    Problem,
    ProgramError,
    ProgramLimitError,
    shorten,
    size_text,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on a program file, so hostile input is refused rather than obeyed.

    The defaults are about a hundred times what the largest built-in program
    needs (umms.yaml: 11 KB, 555 values, 6 levels deep) and keep the worst file
    under them to a second or two of parsing: PyYAML reads some 30,000 values a
    second, so the number of values, not the size, is what bounds the time.

    - ``max_bytes``: the size of the file (or text);
    - ``max_depth``: how deeply mappings and lists may nest;
    - ``max_nodes``: how many values (keys, scalars, mappings, lists) the
      document may hold, counted as it is read and again with aliases expanded.
    """

    max_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 50_000


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
    """SafeLoader with YAML 1.2 booleans and no base-60 numbers, bounded while it composes.

    PyYAML builds the whole node graph before anything can look at it, and a few
    hundred kilobytes of ``[1,1,1,...]`` take it minutes and gigabytes; so nodes
    are counted and nesting measured as they are composed, and the document is
    refused at the first node past :attr:`Limits.max_nodes` or
    :attr:`Limits.max_depth` (the same bounds :class:`_Builder` applies after
    aliases are expanded).
    """

    def __init__(self, stream: str, file: str = "<string>", limits: Limits | None = None) -> None:
        super().__init__(stream)
        self.file = file
        self.limits = limits or DEFAULT_LIMITS
        self.composed = 0
        self.depth = 0  # ancestors of the node being composed: the top level is depth 0
        self.deepest: tuple[int, Mark | None] = (0, None)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if not self.check_event(yaml.AliasEvent):
            self.composed += 1
            limits = self.limits
            if self.depth > self.deepest[0]:
                where = self.current_event.start_mark  # check_event has read it
                self.deepest = (self.depth, Mark(self.file, where.line + 1, where.column + 1))
            if self.composed > limits.max_nodes or self.depth > limits.max_depth:
                mark = self.current_event.start_mark
                if self.depth > limits.max_depth:
                    raise _fail(self.file, mark.line + 1, mark.column + 1,
                                f"the document nests deeper than {limits.max_depth} levels",
                                "flatten it", limit=True)
                raise _fail(self.file, mark.line + 1, mark.column + 1,
                            f"the document has more than {limits.max_nodes} values",
                            "a program file needs far fewer; check you gave the right file",
                            limit=True)
        self.depth += 1
        try:
            node: Node | None = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        return node


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

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a new line

_SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


def _fail(file: str, line: int | None, column: int | None, message: str, hint: str,
          key_path: str = "", *, limit: bool = False) -> ProgramError:
    kind = ProgramLimitError if limit else ProgramError
    return kind([Problem(Location(file, line, column, key_path), message, hint)])


def key_path(loc: Iterable[str | int]) -> str:
    """``("rules", 2, "within")`` -> ``rules[2].within``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def decode(data: bytes, file: str) -> str:
    """UTF-8 (a leading BOM is dropped) or a ProgramError naming the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(file, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark)",
                    "save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        # Columns count characters, as editors do, not bytes.
        line_start = before.rfind(b"\n") + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
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
                    f"the file is larger than the limit of {size_text(limits.max_bytes)}",
                    "a program file is a few kilobytes; check you gave the right file", limit=True)
    try:
        loader = _Loader(text, file, limits)
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character, a lone surrogate).
        breaks = list(_LINE_BREAK.finditer(text, 0, exc.position))
        line = len(breaks) + 1
        column = exc.position - (breaks[-1].end() if breaks else 0) + 1
        raise _fail(file, line, column,
                    f"the file holds the character U+{exc.character:04X}, which YAML does not "
                    "allow (a control character?)", "remove it, or save the file as text"
                    ) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(file, exc) from None
    except yaml.YAMLError as exc:
        raise _fail(file, None, None, f"cannot parse YAML: {exc}", "fix the YAML syntax") from None
    except RecursionError:
        # Only when an app raised max_depth past what PyYAML's recursion can follow.
        raise _too_deep(file, loader.deepest) from None
    finally:
        loader.dispose()
    if node is None:
        raise _fail(file, 1, 1, "the file is empty",
                    "a program is a YAML mapping with id, title, timezone, ...")
    builder = _Builder(file, limits, loader)
    builder.check_expansion(node)
    try:
        data = builder.build(node, 0, ())
    except RecursionError:  # aliases can nest deeper than the text: the same bound applies
        raise _too_deep(file, builder.deepest) from None
    if not isinstance(data, MarkedDict):
        what = ("a list" if isinstance(data, list) else "nothing (null)" if data is None
                else f"a single value ({shorten(repr(data))})")
        raise _fail(file, node.start_mark.line + 1, node.start_mark.column + 1,
                    f"the document is {what}, not a mapping",
                    "a program is a YAML mapping with keys such as id, title, timezone")
    return data


def _syntax_error(file: str, exc: yaml.MarkedYAMLError) -> ProgramError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "cannot parse YAML"
    hint = "fix the YAML syntax there"
    context = exc.context or ""
    if "expected a single document" in context:
        problem, hint = "the file holds more than one YAML document", "keep one document"
    elif "'\\t'" in problem or "tab" in problem:
        problem, hint = "a tab character where YAML needs spaces", "indent with spaces, not tabs"
    elif context and exc.context_mark is not None and exc.context_mark is not mark:
        # "while parsing a flow sequence" at the '[' that was never closed, say.
        problem += (f" ({context.removeprefix('while ')} that starts at line "
                    f"{exc.context_mark.line + 1}, column {exc.context_mark.column + 1})")
    return _fail(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                 problem, hint)


def _too_deep(file: str, deepest: tuple[int, Mark | None]) -> ProgramError:
    depth, mark = deepest
    return _fail(file, mark.line if mark else None, mark.column if mark else None,
                 f"the document nests deeper than the YAML reader can follow ({depth} levels "
                 "and more)", "flatten it", limit=True)


class _Builder:
    def __init__(self, file: str, limits: Limits, loader: _Loader) -> None:
        self.file = file
        self.limits = limits
        self.loader = loader
        self.count = 0
        self.merged: dict[int, int] = {}
        self.deepest: tuple[int, Mark | None] = (0, None)

    def mark(self, node: Node) -> Mark:
        return Mark(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node, message: str, hint: str, path: tuple[str | int, ...] = (),
              *, limit: bool = False) -> ProgramError:
        m = self.mark(node)
        return _fail(self.file, m.line, m.column, message, hint, key_path(path), limit=limit)

    def check_expansion(self, root: Node) -> None:
        """Refuse alias bombs before expanding them: size every node once, bottom up.

        Aliases make the node graph a DAG (or, with a recursive anchor, a cycle);
        its expanded size is counted without expanding it, and the error points
        at the first (innermost) value whose expansion passes the limit.
        """
        sizes: dict[int, int] = {}
        visiting: set[int] = set()
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            key = id(node)
            children = _children(node)
            if done:
                visiting.discard(key)
                size = sizes[key] = 1 + sum(sizes[id(child)] for child in children)
                if size > self.limits.max_nodes:
                    raise self.error(
                        node, f"the value expands to more than {self.limits.max_nodes} values "
                        "through aliases (an alias bomb?)",
                        "write the values out; a program needs no deeply repeated aliases",
                        limit=True)
                continue
            if key in sizes:
                continue
            if key in visiting:
                raise self.error(node, "the value contains an alias to itself",
                                 "remove the alias; a program cannot be infinite")
            visiting.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)

    def flatten(self, node: MappingNode, path: tuple[str | int, ...]) -> int:
        """Resolve ``<<`` merge keys in place; return how many leading pairs they brought."""
        key = id(node)
        if key not in self.merged:  # a mapping reached through aliases is flattened once
            written = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
            try:
                self.loader.flatten_mapping(node)
            except yaml.MarkedYAMLError as exc:
                raise self.error(node, exc.problem or "bad merge key", "fix the '<<' merge",
                                 path) from None
            self.merged[key] = len(node.value) - written
        return self.merged[key]

    def build(self, node: Node, depth: int, path: tuple[str | int, ...]) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self.error(node, f"the document has more than {self.limits.max_nodes} values",
                             "a program file needs far fewer; check you gave the right file", path,
                             limit=True)
        if depth > self.deepest[0]:
            self.deepest = (depth, self.mark(node))
        if depth > self.limits.max_depth:  # no key path: it would be as long as the nesting
            raise self.error(node, f"the document nests deeper than {self.limits.max_depth} levels",
                             "flatten it", limit=True)
        if node.tag not in _SAFE_TAGS:
            raise self.error(node, f"the tag {_short_tag(node.tag)!r} is not allowed",
                             "remove the tag; only plain YAML values are read", path)
        if isinstance(node, MappingNode):
            return self.mapping(node, depth, path)
        if isinstance(node, SequenceNode):
            result = MarkedList(self.mark(node))
            for i, item in enumerate(node.value):
                result.append(self.build(item, depth + 1, (*path, i)))
                result.item_marks.append(self.mark(item))
            return result
        assert isinstance(node, ScalarNode)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise self.error(node, f"{shorten(node.value)!r} is not a date: {exc}",
                                 "write a real date like 2025-08-04", path) from None
            raise self.error(node, f"cannot read the value {shorten(node.value)!r}: "
                             f"{shorten(str(exc), 120)}", "quote it to keep it as text",
                             path) from None

    def mapping(self, node: MappingNode, depth: int, path: tuple[str | int, ...]) -> MarkedDict:
        merged = self.flatten(node, path)
        result = MarkedDict(self.mark(node))
        written: set[str] = set()
        for i, (key_node, value_node) in enumerate(node.value):
            key = self.build(key_node, depth + 1, path)
            if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                what = (f"a {'mapping' if isinstance(key_node, MappingNode) else 'list'}"
                        if isinstance(key_node, CollectionNode)
                        else repr(shorten(str(key_node.value))))
                raise self.error(key_node, f"the key {what} is not text",
                                 "use plain words as keys", path)
            key = str(key)
            if i >= merged:
                # Keys written out override those a '<<' merge brings in (as YAML says);
                # only two written-out keys clash.
                if key in written:
                    first = result.key_marks[key]
                    raise self.error(key_node,
                                     f"duplicate key {shorten(key)!r} (first at line "
                                     f"{first.line})",
                                     "keep one of them", (*path, key))
                written.add(key)
            result[key] = self.build(value_node, depth + 1, (*path, key))
            result.key_marks[key] = self.mark(key_node)
            result.value_marks[key] = self.mark(value_node)
        return result


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, CollectionNode):
        return list(node.value)
    return []
