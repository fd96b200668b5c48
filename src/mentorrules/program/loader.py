"""Load a program: YAML -> ``extends`` merged -> validated -> consistent :class:`Program`.

Every problem of a file is reported at once, each with ``file:line:column``, the
key path (``rules[2].within``), what is wrong and what to do.

``extends`` names a registered program (``umms``) or a path relative to the
file. The child is merged onto its parent:

- mappings merge key by key (the child's value wins), recursively;
- lists of items with an ``id`` (``rules``, ``trainings``, ``surveys``,
  ``schedule``, ``overlays``, ``referrals.topics``, ``referrals.targets``) merge
  item by item by ``id``: a child item with a parent's id is laid over that item
  key by key (so ``{id: monthly-contact, severity: warning}`` changes only the
  severity, and ``enabled: false`` switches a rule off); new ids are appended;
- ``calendar`` is replaced whole when the child gives one (a school's own dates
  replace the template's, holidays and all), and every other list is replaced.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from mentorrules._suggest import did_you_mean
from mentorrules.errors import (
    Location,
    Problem,
    ProgramError,
    ProgramLimitError,
    UnknownProgramError,
    shorten,
    size_text,
)
from mentorrules.program import consistency
from mentorrules.program.models import Program, RuleOptions, RuleSpec
from mentorrules.program.registry import registered
from mentorrules.program.yamlread import (
    DEFAULT_LIMITS,
    Limits,
    Mark,
    MarkedDict,
    MarkedList,
    decode,
    read_yaml,
)
from mentorrules.program.yamlread import (
    key_path as key_path,
)
from mentorrules.rules import registry as kinds_registry

ProgramSource = str | os.PathLike[str] | Traversable | Program
Loc = tuple[str | int, ...]

ID_LISTS: frozenset[Loc] = frozenset(
    {("rules",), ("trainings",), ("surveys",), ("schedule",), ("overlays",),
     ("referrals", "topics"), ("referrals", "targets")}
)
REPLACED_WHOLE: frozenset[Loc] = frozenset({("calendar",)})
MAX_EXTENDS_DEPTH = 10


def load_program(source: ProgramSource, *, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Load a program from a path, a registered name, YAML text, or return a Program as is.

    A ``str`` holding a newline is YAML text; otherwise a registered name if one
    matches, else a path. :class:`~mentorrules.errors.ProgramError` lists every
    problem of the file; :class:`~mentorrules.errors.UnknownProgramError` says
    which names exist when ``source`` is neither a file nor a name.
    """
    if isinstance(source, Program):
        return source
    data = load_raw(source, limits=limits)
    return validate(data)


def load_program_text(text: str, file: str = "<string>", *, limits: Limits = DEFAULT_LIMITS,
                      base: str | os.PathLike[str] | None = None) -> Program:
    """Load a program from YAML text (``extends`` paths are relative to ``base``)."""
    data = _read_text(text, file, limits)
    return validate(_resolve_extends(data, Path(base) if base else Path.cwd(), limits,
                                     (_identity(file),)))


def load_raw(source: ProgramSource, *, limits: Limits = DEFAULT_LIMITS) -> MarkedDict:
    """The program's data after ``extends`` is merged, before validation (marks kept)."""
    if isinstance(source, Program):
        raise TypeError("load_raw needs a file, a name or text, not a Program")
    if isinstance(source, str) and "\n" in source:
        return _resolve_extends(_read_text(source, "<string>", limits), Path.cwd(), limits,
                                ("<string>",))
    file, data = _read_source(source, limits)
    base = Path(file).parent if not isinstance(source, Traversable) or isinstance(source, Path) \
        else Path.cwd()
    return _resolve_extends(data, base, limits, (_identity(file),))


def _identity(file: str) -> str:
    """What ``extends`` cycles are detected by: the resolved path of a real file."""
    path = Path(file)
    return str(path.resolve()) if _is_file(path) else file


def _read_text(text: str, file: str, limits: Limits) -> MarkedDict:
    return read_yaml(text.removeprefix("\ufeff"), file, limits)


def _read_source(source: str | os.PathLike[str] | Traversable,
                 limits: Limits) -> tuple[str, MarkedDict]:
    if isinstance(source, Traversable) and not isinstance(source, Path):
        name = str(source)
        return name, read_yaml(decode(source.read_bytes(), name), name, limits)
    if isinstance(source, str) and not _looks_like_path(source):
        entry = registered().get(source)
        if entry is not None:
            return _read_source(entry.resource, limits)
    path = Path(source)
    if not _is_file(path):
        if isinstance(source, str) and not _looks_like_path(source):
            raise UnknownProgramError(source, list(registered()))
        raise ProgramError.single(
            "no such file" if not _exists(path) else "not a file",
            "check the path", file=str(path))
    try:
        size = path.stat().st_size
        if size <= limits.max_bytes:
            with path.open("rb") as handle:  # at most the limit, whatever stat said
                data = handle.read(limits.max_bytes + 1)
                size = max(size, len(data))
    except OSError as exc:
        raise ProgramError.single(f"cannot read the file ({exc.strerror or exc})",
                                  "check the path and its permissions", file=str(path)) from None
    if size > limits.max_bytes:
        raise ProgramLimitError.single(
            f"the file is {size:,} bytes, more than the limit of {size_text(limits.max_bytes)}",
            "a program file is a few kilobytes; check you gave the right file", file=str(path))
    return str(path), read_yaml(decode(data, str(path)), str(path), limits)


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False for a name the system cannot even look up (too long, ...)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _looks_like_path(text: str) -> bool:
    return (os.sep in text or "/" in text or text.endswith((".yaml", ".yml"))
            or _exists(Path(text)))


# --------------------------------------------------------------------------- extends


def _resolve_extends(data: MarkedDict, base: Path, limits: Limits,
                     chain: tuple[str, ...]) -> MarkedDict:
    parent_ref = data.get("extends")
    if parent_ref is None:
        return data
    mark = data.value_marks["extends"]

    def fail(message: str, hint: str) -> ProgramError:
        return ProgramError([Problem(Location(mark.file, mark.line, mark.column, "extends"),
                                     message, hint)])

    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise fail("extends must name a program", "give a built-in name such as umms, or a path")
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise fail("extends goes more than ten programs deep", "flatten the chain")
    candidate = base / parent_ref
    source: str | Path | Traversable
    if _is_file(candidate):
        source = candidate
    elif parent_ref in registered():
        source = registered()[parent_ref].resource
    else:
        names = list(registered())
        raise fail(f"cannot find the program {parent_ref!r} to extend"
                   f"{did_you_mean(parent_ref, names)}",
                   f"give a path relative to this file or one of: {', '.join(names)}")
    key = str(Path(source).resolve()) if isinstance(source, Path) else str(source)
    if key in chain:
        raise fail(f"extends makes a cycle: {' -> '.join((*chain, key))}", "remove one extends")
    try:
        file, parent = _read_source(source, limits)
    except ProgramError as exc:
        raise fail(f"the program it extends is broken: {exc}", "fix that program first") from None
    parent_base = Path(file).parent if isinstance(source, Path) else Path.cwd()
    resolved = _resolve_extends(parent, parent_base, limits, (*chain, key))
    merged = merge(resolved, data)
    merged.pop("extends", None)
    return merged


def merge(parent: MarkedDict, child: MarkedDict, loc: Loc = ()) -> MarkedDict:
    """``child`` laid over ``parent`` (see the module docstring); marks travel with values."""
    result = MarkedDict(child.mark)
    _copy_into(result, parent)
    for key, value in child.items():
        here = (*loc, key)
        old = result.get(key)
        if here not in REPLACED_WHOLE:
            if isinstance(old, MarkedDict) and isinstance(value, MarkedDict):
                value = merge(old, value, here)
            elif here in ID_LISTS and isinstance(old, MarkedList) and isinstance(value, MarkedList):
                value = _merge_by_id(old, value)
        result[key] = value
        result.key_marks[key] = child.key_marks[key]
        result.value_marks[key] = child.value_marks[key]
    return result


def _copy_into(target: MarkedDict, source: MarkedDict) -> None:
    for key, value in source.items():
        target[key] = value
        target.key_marks[key] = source.key_marks[key]
        target.value_marks[key] = source.value_marks[key]


def _merge_by_id(parent: MarkedList, child: MarkedList) -> MarkedList:
    result = MarkedList(child.mark)
    position: dict[Any, int] = {}
    for item, mark in zip(parent, parent.item_marks, strict=True):
        if isinstance(item, MarkedDict) and isinstance(item.get("id"), str):
            position[item["id"]] = len(result)
        result.append(item)
        result.item_marks.append(mark)
    for item, mark in zip(child, child.item_marks, strict=True):
        ident = item.get("id") if isinstance(item, MarkedDict) else None
        if isinstance(ident, str) and ident in position:
            i = position[ident]
            overlay = MarkedDict(item.mark)
            _copy_into(overlay, result[i])
            _copy_into(overlay, item)
            result[i] = overlay
            result.item_marks[i] = mark
        else:
            result.append(item)
            result.item_marks.append(mark)
    return result


# --------------------------------------------------------------------------- validation


def validate(data: MarkedDict) -> Program:
    """Validate merged program data; all problems at once as one ProgramError."""
    problems: list[Problem] = []
    raw_rules = data.get("rules")
    skeleton: dict[str, Any] = dict(data)
    rule_options: list[tuple[int, Mapping[str, Any]]] = []
    if isinstance(raw_rules, list):
        skeleton_rules: list[Any] = []
        for i, rule in enumerate(raw_rules):
            if isinstance(rule, Mapping):
                skeleton_rules.append({k: v for k, v in rule.items() if k in RuleSpec.RESERVED})
                rule_options.append((i, {k: v for k, v in rule.items()
                                         if k not in RuleSpec.RESERVED}))
            else:
                skeleton_rules.append(rule)
        skeleton["rules"] = skeleton_rules
    program: Program | None = None
    try:
        program = Program.model_validate(skeleton)
    except ValidationError as exc:
        problems.extend(_problems(exc, data, (), Program))
    specs: dict[int, RuleOptions] = {}
    for i, options in rule_options:
        rule = raw_rules[i]  # type: ignore[index]
        kind_name = rule.get("kind")
        if not isinstance(kind_name, str):
            # Reported by the skeleton validation; but a misspelt reserved key ("knd")
            # sits among the options, so point at it too.
            for key in options:
                close = difflib.get_close_matches(key, RuleSpec.RESERVED, n=1, cutoff=0.6)
                if close and close[0] not in rule:
                    problems.append(_problem(
                        data, ("rules", i, key), f"unknown key {key!r} (did you mean "
                        f"{close[0]!r}?)", f"rename it to {close[0]}", key=True))
            continue
        kind = kinds_registry.kinds().get(kind_name)
        if kind is None:
            known = sorted(kinds_registry.kinds())
            problems.append(_problem(
                data, ("rules", i, "kind"),
                f"unknown rule kind {kind_name!r}{did_you_mean(kind_name, known)}",
                f"use one of: {', '.join(known)}; or install the package that provides it"))
            continue
        try:
            specs[i] = kind.options.model_validate(dict(options))
        except ValidationError as exc:
            problems.extend(_problems(exc, data, ("rules", i), kind.options,
                                      extra_known=RuleSpec.RESERVED))
    if program is not None and not problems:
        rules = tuple(
            spec.model_copy(update={"options": specs[i]}) if i in specs else spec
            for i, spec in enumerate(program.rules)
        )
        program = program.model_copy(update={"rules": rules})
        for loc, message, hint in consistency.check(program):
            problems.append(_problem(data, loc, message, hint))
    if problems:
        # The file being loaded first, then the programs it extends; each in file order.
        root = data.mark.file
        problems.sort(key=lambda p: (p.location.file != root, p.location.file or "",
                                     p.location.line or 0, p.location.column or 0))
        raise ProgramError(problems)
    assert program is not None
    return program


def _render(data: Any, loc: Loc) -> str:
    """Key path text; list items with an ``id`` are named by it (``rules[monthly-contact]``)."""
    parts: list[str | int] = []
    node = data
    for part in loc:
        label: str | int = part
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            item = node[part]
            if isinstance(item, Mapping) and isinstance(item.get("id"), str) and item["id"]:
                label = f"[{item['id']}]"
            node = item
        elif isinstance(node, Mapping) and isinstance(part, str):
            node = node.get(part)
        else:
            node = None
        parts.append(label)
    text = ""
    for label in parts:
        if isinstance(label, int):
            text += f"[{label}]"
        elif label.startswith("["):
            text += label
        else:
            text += f".{label}" if text else label
    return text


def locate(data: Any, loc: Loc) -> tuple[Loc, Mark | None, bool]:
    """Walk ``loc`` through marked data: (the part of loc that exists, its mark, key found)."""
    node = data
    mark: Mark | None = getattr(data, "mark", None)
    found: list[str | int] = []
    for part in loc:
        if isinstance(node, MarkedDict) and isinstance(part, str) and part in node:
            mark = node.value_marks[part]
            node = node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int) and 0 <= part < len(node):
            mark = node.item_marks[part]
            node = node[part]
        elif isinstance(node, Mapping | Sequence) and not isinstance(node, str):
            found.append(part)
            return tuple(found), mark, False
        else:
            continue  # a pydantic tag such as 'function-after[...]'
        found.append(part)
    return tuple(found), mark, True


def _problem(data: MarkedDict, loc: Loc, message: str, hint: str, *,
             key: bool = False) -> Problem:
    path, mark, _ = locate(data, loc)
    if key and path and isinstance(path[-1], str):
        parent_path, _, _ = locate(data, path[:-1])
        parent: Any = data
        for part in parent_path:
            parent = parent[part]
        if isinstance(parent, MarkedDict) and path[-1] in parent.key_marks:
            mark = parent.key_marks[str(path[-1])]
    return Problem(
        Location(mark.file if mark else None, mark.line if mark else None,
                 mark.column if mark else None, _render(data, loc)),
        message, hint)


def _problems(exc: ValidationError, data: MarkedDict, prefix: Loc, model: type[BaseModel],
              extra_known: Iterable[str] = ()) -> list[Problem]:
    found: list[Problem] = []
    errors = exc.errors(include_url=False)
    # A misspelt required key shows up twice: as unknown and as missing. Suggest the
    # missing one first, even when it is not quite as close as another allowed key.
    missing: dict[Loc, list[str]] = {}
    for error in errors:
        if error["type"] == "missing":
            loc = _clean_loc(error["loc"], model)
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    for error in errors:
        loc = _clean_loc(error["loc"], model)
        full = (*prefix, *loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            allowed = [*_fields_at(model, loc[:-1]), *(extra_known if len(loc) == 1 else ())]
            name = str(loc[-1])
            close = difflib.get_close_matches(name, missing.get(loc[:-1], []), n=1, cutoff=0.5)
            suggestion = f" (did you mean {close[0]!r}?)" if close else did_you_mean(name, allowed)
            found.append(_problem(
                data, full, f"unknown key {name!r}{suggestion}",
                f"remove it or use one of: {', '.join(sorted(allowed))}", key=True))
        elif kind == "missing":
            found.append(_problem(data, full, f"missing required key {loc[-1]!r}", "add it"))
        elif kind == "value_error":
            # Our validators' messages end with what to do: "...; use a name like ...".
            text = str(error["msg"]).removeprefix("Value error, ")
            message, _, hint = text.rpartition("; ") if "; " in text else (text, "", "")
            found.append(_problem(data, full, message, hint))
        else:
            found.append(_problem(data, full, _message(kind, str(error["msg"]),
                                                       error.get("input")), _hint(kind)))
    return found


_EXPECTED = {
    "model_type": "a mapping of keys and values",
    "model_attributes_type": "a mapping of keys and values",
    "dict_type": "a mapping of keys and values",
    "tuple_type": "a list",
    "list_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


_TEMPORAL = {"date": "a date", "datetime": "a date and time", "time": "a time of day"}


def _message(kind: str, message: str, value: Any) -> str:
    """Pydantic's message in the words of a YAML author, with the value that was given."""
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_describe(value)}"
    what = _TEMPORAL.get(kind.partition("_")[0])
    if what is not None:  # keep pydantic's detail: "month value is outside expected range"
        detail = message.partition(", ")[2]
        return f"expected {what}{f' ({detail})' if detail else ''}, got {_describe(value)}"
    return f"{message.replace('Input should be', 'expected', 1)}, got {_describe(value)}"


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {shorten(value)!r}"
    return f"{type(value).__name__} {shorten(str(value))}"


def _hint(kind: str) -> str:
    if kind.startswith("int"):
        return "write a whole number"
    if kind.startswith("datetime"):
        return "write a date and local time like '2025-08-20T17:00'"
    if kind.startswith("date"):
        return "write a date like 2025-08-04"
    if kind.startswith("time"):
        return "write a time of day like '18:00'"
    if kind == "literal_error":
        return "use one of the values listed"
    if kind in ("tuple_type", "list_type", "set_type", "frozen_set_type"):
        return "write a list, e.g. [a, b]"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "write 'key: value' lines indented under it"
    if kind.startswith("string"):
        return "write text"
    if kind.startswith("bool"):
        return "write true or false"
    return "fix the value; `mentorrules schema` shows what is expected"


def _clean_loc(loc: Sequence[str | int], model: type[BaseModel]) -> Loc:
    """Drop pydantic's validator tags (``function-before[...]``) from a loc."""
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _unwrap(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [t for arg in get_args(annotation) for t in _unwrap(arg)]
    if origin in (tuple, list, dict, frozenset, set):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return [t for arg in args[-1:] for t in _unwrap(arg)]
    return [annotation]


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a mapping at ``loc`` inside ``model`` may have."""
    current: list[Any] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        following: list[Any] = []
        for candidate in current:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(part)
                if field is not None:
                    following.extend(_unwrap(field.annotation))
        current = following
    names: list[str] = []
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            names.extend(n for n in candidate.model_fields if n not in names)
    return names
