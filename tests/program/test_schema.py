"""The JSON Schema of program files: shipped up to date, valid, and agreeing with the loader."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

import mentorrules.builtin
from mentorrules.program.schema import SCHEMA_ID, program_schema, schema_text, write_schema
from mentorrules.program.yamlread import read_yaml
from mentorrules.rules.registry import kinds

jsonschema = pytest.importorskip("jsonschema")

BUILTIN = Path(mentorrules.builtin.__file__).parent
SHIPPED = BUILTIN / "program.schema.json"
DATA = Path(__file__).parent.parent / "data"
REGENERATE = (
    "python -c \"from mentorrules.program.schema import write_schema; "
    "write_schema('src/mentorrules/builtin/program.schema.json')\""
)


def as_json(text: str) -> Any:
    """A program file as the JSON an editor's YAML 1.2 reader sees (dates as strings)."""

    def plain(value: object) -> str:
        assert isinstance(value, date | datetime | time)
        return value.isoformat()

    return json.loads(json.dumps(read_yaml(text), default=plain))


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = program_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: Any, text: str) -> list[str]:
    return [error.message for error in validator.iter_errors(as_json(text))]


def test_shipped_schema_is_up_to_date() -> None:
    assert SHIPPED.read_text("utf-8") == schema_text(), (
        f"{SHIPPED} is stale; regenerate it with: {REGENERATE}"
    )


def test_write_schema_writes_sorted_pretty_json(tmp_path: Path) -> None:
    target = tmp_path / "program.schema.json"
    write_schema(target)
    text = target.read_text("utf-8")
    assert text.endswith("}\n")
    assert json.loads(text) == program_schema()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_schema_header() -> None:
    schema = program_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["title"]
    assert schema["description"]


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_builtin_programs_point_editors_at_the_schema(name: str) -> None:
    text = (BUILTIN / f"{name}.yaml").read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=program.schema.json"
    # The schema sits next to the program, in the package and in programs/.
    assert (BUILTIN / "program.schema.json").is_file()
    repo_copy = Path(__file__).parents[2] / "programs" / "program.schema.json"
    if repo_copy.exists():
        assert repo_copy.read_text("utf-8") == SHIPPED.read_text("utf-8")


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_builtin_programs_are_valid(validator: Any, name: str) -> None:
    assert errors(validator, (BUILTIN / f"{name}.yaml").read_text("utf-8")) == []


@pytest.mark.parametrize("path", sorted((DATA / "programs").glob("*.yaml")), ids=lambda p: p.name)
def test_good_programs_are_valid(validator: Any, path: Path) -> None:
    assert errors(validator, path.read_text("utf-8")) == []


def program_defs() -> dict[str, Any]:
    defs: dict[str, Any] = program_schema()["$defs"]
    return defs


def test_one_branch_per_rule_kind() -> None:
    branches = program_defs()["Program"]["properties"]["rules"]["items"]["oneOf"]
    by_kind = {branch["properties"]["kind"]["const"]: branch for branch in branches}
    assert sorted(by_kind) == sorted(kinds())
    for name, branch in by_kind.items():
        assert branch["additionalProperties"] is False
        assert branch["type"] == "object"
        assert branch["required"][:2] == ["id", "kind"]
        assert {"id", "kind", "severity", "source", "enabled"} <= set(branch["properties"])
        option_fields = set(kinds()[name].options.model_fields)
        assert option_fields <= set(branch["properties"])


def test_options_required_fields_are_required() -> None:
    branches = program_defs()["Program"]["properties"]["rules"]["items"]["oneOf"]
    reply = next(b for b in branches if b["properties"]["kind"]["const"] == "reply-window")
    assert set(reply["required"]) == {"id", "kind", "channels", "within"}


def test_durations_are_strings_with_human_defaults() -> None:
    branches = program_defs()["Program"]["properties"]["rules"]["items"]["oneOf"]
    reply = next(b for b in branches if b["properties"]["kind"]["const"] == "reply-window")
    assert reply["properties"]["within"]["type"] == "string"
    assert reply["properties"]["warn_before"]["default"] == "4h"
    assert program_defs()["Training"]["properties"]["duration"]["default"] == "1h"


def test_every_ref_resolves() -> None:
    schema = program_schema()
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


TINY = """\
id: tiny
title: Tiny
timezone: Europe/Paris
calendar:
  year: 2025-2026
  terms: [{id: fall, start: 2025-09-01, end: 2025-12-19}]
levels: [M1, M2]
units:
  mentors: {M2: 1}
  mentees: {levels: [M1], min: 4, max: 6}
"""


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("timezon: Europe/Paris\n", "'timezon' was unexpected"),
        ("rules:\n  - {id: r, kind: reply-window, channels: [text]}\n", "not valid under any"),
        ("rules:\n  - {id: r, kind: no-such-kind}\n", "not valid under any"),
        ("rules:\n  - {id: r, kind: contact-cadence, per: fortnight}\n", "not valid under any"),
        ("rules:\n  - {id: r, severity: warning}\n", "not valid under any"),
        ("schedule:\n  - {id: s, title: S, every: month, at: 6pm}\n", "not valid under any"),
        ("channels: text\n", "is not of type 'array'"),
    ],
)
def test_schema_rejects(validator: Any, extra: str, fragment: str) -> None:
    found = errors(validator, TINY + extra)
    assert any(fragment in message for message in found), found


def test_schema_accepts_times_and_levels_as_people_write_them(validator: Any) -> None:
    text = TINY.replace("levels: [M1, M2]", "levels: [M1, {id: M2, name: Second year}]") + (
        "trainings:\n  - {id: t, name: T, start: '2025-09-03T17:00', duration: 90 minutes}\n"
        "schedule:\n  - {id: s, title: S, every: month, weekday: TH, nth: 1, at: '18:00'}\n"
    )
    assert errors(validator, text) == []


def test_extending_program_needs_only_what_it_changes(validator: Any) -> None:
    text = (
        "extends: umms\n"
        "units:\n  mentees: {max: 16}\n"
        "trainings:\n  - {id: workshop-fall, location: Room 101}\n"
        "rules:\n"
        "  - {id: monthly-contact, severity: warning, min: 2}\n"
        "  - {id: explain-limits, enabled: false}\n"
        "  - {id: reply-chat, kind: reply-window, channels: [chat], within: 12h}\n"
    )
    assert errors(validator, text) == []


def test_extending_program_still_checks_what_it_gives(validator: Any) -> None:
    text = "extends: umms\nunits:\n  mentes: {max: 16}\ncalendar:\n  year: 2026\n"
    found = errors(validator, text)
    assert any("'mentes' was unexpected" in message for message in found), found
    # The calendar is replaced whole, so a partial one is an error.
    assert any("'terms' is a required property" in message for message in found), found


BAD_FOR_SCHEMA_TOO = [
    "bad-severity.yaml", "invalid-id.yaml", "list-for-mapping.yaml", "many-problems.yaml",
    "missing-required-key.yaml", "option-unknown-key.yaml", "option-wrong-shape.yaml",
    "rule-not-a-mapping.yaml", "string-for-int.yaml", "time-of-day-6pm.yaml",
    "unknown-nested-key.yaml", "unknown-rule-kind.yaml", "unknown-top-key.yaml",
]


@pytest.mark.parametrize("name", BAD_FOR_SCHEMA_TOO)
def test_schema_flags_what_the_loader_flags(validator: Any, name: str) -> None:
    """Editors show the shape errors the loader reports (consistency needs the loader)."""
    assert errors(validator, (DATA / "bad-programs" / name).read_text("utf-8"))
