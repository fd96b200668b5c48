"""The JSON Schema of program files, so editors check and complete them as you type.

:func:`program_schema` builds it (JSON Schema draft 2020-12) from the pydantic
models, with one branch per registered rule kind, so a third-party kind's options
are completed like the built-ins' once its package is installed. ``mentorrules
schema`` prints it; a copy ships as ``mentorrules/builtin/program.schema.json``
(regenerate it with :func:`write_schema` when a model or rule kind changes), and
program files point editors at it with a first line such as::

    # yaml-language-server: $schema=program.schema.json

A program with ``extends:`` is checked against a looser shape: the parent
supplies what the child leaves out, so nothing is required except the ``id`` of
list items merged by id, and a rule item may be a bare override of an
inherited rule (``{id: monthly-contact, severity: warning}``). The calendar is
replaced whole, so it stays complete.

Durations are strings (``24h``, ``48 hours``, ``P2D``); times of day are quoted
strings (``'18:00'``); dates are written ``2025-08-04``.
"""

from __future__ import annotations

import copy
import json
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from mentorrules.durations import format_duration
from mentorrules.program.loader import ID_LISTS, REPLACED_WHOLE
from mentorrules.program.models import Program, RuleSpec
from mentorrules.rules.registry import kinds

SCHEMA_ID = "https://mentorrules.dev/schema/program.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Loc = tuple[str, ...]
Schema = dict[str, Any]

# Editors check "format": "date-time" and "time" against RFC 3339, which wants seconds
# and an offset; program files hold local times such as '2025-08-13T17:00' and '18:00'.
_FORMATS: dict[str, Schema] = {
    "date-time": {
        "pattern": r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                   r"([Zz]|[+-]\d{2}(:?\d{2})?)?$",
        "examples": ["2025-08-13T17:00"],
    },
    "time": {
        "pattern": r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$",
        "examples": ["18:00"],
    },
}


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with durations' defaults written as people write them."""

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, timedelta):
            return format_duration(dft)
        return super().encode_default(dft)


def program_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of a program file, for every registered rule kind."""
    full = Program.model_json_schema(schema_generator=_Generator)
    defs: dict[str, Schema] = full.pop("$defs")
    reserved = defs.pop("RuleSpec")["properties"]
    defs.pop("RuleOptions", None)
    reserved.pop("options", None)

    branches = [_rule_branch(name, kind, reserved, defs) for name, kind in sorted(kinds().items())]
    full["properties"]["rules"]["items"] = {"oneOf": branches}
    full["properties"]["levels"]["items"] = {"anyOf": [
        {"type": "string", "description": "A level's id, e.g. M1"},
        full["properties"]["levels"]["items"],
    ]}
    defs["Program"] = full

    extension = _Relaxer(defs).program(full)
    extension["properties"]["rules"]["items"] = {"oneOf": [
        *(_relaxed_branch(branch) for branch in branches),
        _override_branch(reserved),
    ]}
    extension["required"] = ["extends"]
    defs["ProgramExtension"] = extension

    schema: Schema = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "mentorrules program",
        "description": (
            "A student peer-mentoring program for mentorrules: time zone, academic calendar, "
            "levels, the structure of a mentoring unit, rules and schedule. A program with "
            "`extends` is merged onto the program it names (rules by id)."
        ),
        "type": "object",
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/$defs/ProgramExtension"},
        "else": {"$ref": "#/$defs/Program"},
        "$defs": defs,
    }
    _fix_formats(schema)
    return schema


def write_schema(path: str | os.PathLike[str]) -> None:
    """Write :func:`program_schema` as pretty JSON with sorted keys (the shipped file's form)."""
    Path(path).write_text(schema_text(), encoding="utf-8")


def schema_text() -> str:
    """:func:`program_schema` as the text of ``program.schema.json``."""
    return json.dumps(program_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- rule kinds


def _rule_branch(name: str, kind: Any, reserved: dict[str, Schema],
                 defs: dict[str, Schema]) -> Schema:
    """One branch of ``rules.items``: the reserved keys beside the kind's options."""
    options = kind.options.model_json_schema(schema_generator=_Generator)
    _merge_defs(name, options, defs)
    properties = {key: value for key, value in options.get("properties", {}).items()
                  if key not in RuleSpec.RESERVED}
    properties.update(copy.deepcopy(reserved))
    # The summary line only: the full docstring is the manual (`mentorrules` docs), and
    # keeping it out of the schema spares a regeneration for every edit of a rule's prose.
    doc = (kind.doc or "").strip()
    summary = doc.splitlines()[0] if doc else name
    properties["kind"] = {"const": name, "description": summary}
    required = [key for key in options.get("required", []) if key not in RuleSpec.RESERVED]
    return {
        "title": name,
        "description": summary,
        "type": "object",
        "properties": properties,
        "required": ["id", "kind", *required],
        "additionalProperties": False,
    }


def _merge_defs(kind: str, options: Schema, defs: dict[str, Schema]) -> None:
    """Move the options' ``$defs`` into ``defs``, renaming those that clash."""
    renames: dict[str, str] = {}
    own = options.pop("$defs", {})
    for name, definition in own.items():
        target = name
        if target in defs and defs[target] != definition:
            target = f"{re.sub(r'[^A-Za-z0-9._-]', '_', kind)}.{name}"
        renames[name] = target
    for name, definition in own.items():
        defs[renames[name]] = _rewrite_refs(definition, renames)
    options.update(_rewrite_refs(options, renames))


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        result = {key: _rewrite_refs(value, renames) for key, value in node.items()}
        ref = result.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            result["$ref"] = "#/$defs/" + renames.get(ref.removeprefix("#/$defs/"),
                                                      ref.removeprefix("#/$defs/"))
        return result
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _relaxed_branch(branch: Schema) -> Schema:
    """A kind's branch in a program that extends another: options may come from the parent."""
    return {**branch, "required": ["id", "kind"]}


def _override_branch(reserved: dict[str, Schema]) -> Schema:
    return {
        "title": "override of an inherited rule",
        "description": (
            "Changes to the rule with this id in the program extended, key by key: "
            "`severity: warning`, `enabled: false`, or any of the rule kind's options."
        ),
        "type": "object",
        "properties": copy.deepcopy(reserved),
        "required": ["id"],
        "not": {"required": ["kind"]},
    }


# --------------------------------------------------------------------------- extends


class _Relaxer:
    """Loosen the program's shape for a file with ``extends``, following the merge rules.

    Mappings merge key by key, recursively, so nothing in them is required; items
    of the lists merged by id need only their ``id`` (their own nested mappings
    are replaced, not merged, and stay as they are); the calendar and every other
    list are replaced whole and stay complete.
    """

    def __init__(self, defs: dict[str, Schema]) -> None:
        self.defs = defs

    def program(self, full: Schema) -> Schema:
        return self.mapping(full, ())

    def mapping(self, model: Schema, loc: Loc) -> Schema:
        result = dict(model)
        result["properties"] = {key: self.value(value, (*loc, key))
                                for key, value in model.get("properties", {}).items()}
        result.pop("required", None)
        return result

    def value(self, node: Schema, loc: Loc) -> Schema:
        if loc in REPLACED_WHOLE:
            return node
        if "anyOf" in node:
            return {**node, "anyOf": [self.value(option, loc) for option in node["anyOf"]]}
        if node.get("type") == "array" and loc in ID_LISTS and "items" in node:
            return {**node, "items": self.ref(node["items"], loc, self.item)}
        if "$ref" in node:
            return self.ref(node, loc, self.mapping)

        return node

    def item(self, model: Schema, loc: Loc) -> Schema:
        result = dict(model)
        required = [key for key in model.get("required", []) if key == "id"]
        if required:
            result["required"] = required
        else:
            result.pop("required", None)
        return result

    def ref(self, node: Schema, loc: Loc, how: Any) -> Schema:
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return node
        name = ref.removeprefix("#/$defs/")
        target = self.defs[name]
        relaxed = how(target, loc)
        if relaxed == target:
            return node
        partial = f"Partial{name}"
        self.defs.setdefault(partial, relaxed)
        return {**node, "$ref": f"#/$defs/{partial}"}


def _fix_formats(node: Any) -> None:
    if isinstance(node, dict):
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt in _FORMATS and node.get("type") == "string":
            del node["format"]
            node.update(copy.deepcopy(_FORMATS[fmt]))
        for value in node.values():
            _fix_formats(value)
    elif isinstance(node, list):
        for item in node:
            _fix_formats(item)
