"""Loading programs: by name, path and text; extends; errors that say where and what to do."""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
import yaml

import mentorrules.builtin
from mentorrules.errors import ProgramError, UnknownProgramError
from mentorrules.program.loader import load_program, load_program_text, load_raw, merge
from mentorrules.program.models import Program
from mentorrules.program.yamlread import Limits, read_yaml

BUILTIN = Path(mentorrules.builtin.__file__).parent
DATA = Path(__file__).parent.parent / "data"
PROGRAMS = DATA / "programs"
BAD = DATA / "bad-programs"

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


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        load_program_text(text)
    return [str(problem) for problem in caught.value.problems]


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(("name", "rules"), [("umms", 16), ("medmentors", 6)])
def test_builtin_by_name(name: str, rules: int) -> None:
    program = load_program(name)
    assert program.id == name
    assert len(program.rules) == rules
    assert program.extends is None


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_builtin_by_path_and_text_agree(name: str) -> None:
    by_name = load_program(name)
    path = BUILTIN / f"{name}.yaml"
    assert load_program(path) == by_name
    assert load_program(str(path)) == by_name
    text = path.read_text("utf-8")
    assert load_program(text) == by_name
    assert load_program_text(text, file=str(path)) == by_name


def test_repository_programs_folder_holds_the_builtins() -> None:
    folder = Path(__file__).parents[2] / "programs"
    if not folder.is_dir():
        pytest.skip("not a source checkout")
    assert load_program(folder / "umms.yaml") == load_program("umms")


def test_a_program_is_returned_as_is() -> None:
    program = load_program("umms")
    assert load_program(program) is program


def test_unknown_name_suggests_a_registered_one() -> None:
    with pytest.raises(UnknownProgramError) as caught:
        load_program("umm")
    assert "did you mean 'umms'?" in str(caught.value)
    assert "medmentors" in str(caught.value)


def test_missing_file_is_a_program_error(tmp_path: Path) -> None:
    with pytest.raises(ProgramError) as caught:
        load_program(tmp_path / "nowhere.yaml")
    assert "no such file" in str(caught.value)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(TINY + "description: " + "x" * 2_000_000 + "\n", "utf-8")
    with pytest.raises(ProgramError) as caught:
        load_program(path, limits=Limits(max_bytes=1024 * 1024))
    assert "more than the limit" in str(caught.value)


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.encode())
    assert load_program(path).id == "tiny"


# --------------------------------------------------------------------------- YAML as people write it


def test_unquoted_time_and_yes_no_read_as_written() -> None:
    """YAML 1.1 would read 18:00 as 1080 and `no` as false; program files do not."""
    program = load_program_text(
        TINY + "tracks: [no, yes]\nschedule:\n"
        "  - {id: s, title: S, every: month, weekday: TH, nth: 1, at: 18:00}\n"
        "  - {id: t, title: T, every: week, weekday: MO, at: 9:30}\n"
    )
    assert program.tracks == ("no", "yes")
    assert program.schedule[0].at == time(18, 0)
    assert program.schedule[1].at == time(9, 30)


def test_levels_may_be_plain_ids() -> None:
    program = load_program_text(TINY)
    assert program.level_ids == ("M1", "M2")


def test_merge_keys_and_aliases() -> None:
    program = load_program(PROGRAMS / "anchors.yaml")
    texts, emails = program.rules
    assert texts.options.channels == ("text", "phone")  # type: ignore[attr-defined]
    assert emails.kind == "reply-window"
    assert emails.options.channels == ("email",)  # type: ignore[attr-defined]
    assert emails.options.within == timedelta(hours=48)  # type: ignore[attr-defined]


def test_durations_as_people_write_them() -> None:
    program = load_program_text(
        TINY + "rules:\n"
        "  - {id: a, kind: reply-window, channels: [text], within: 24h}\n"
        "  - {id: b, kind: reply-window, channels: [text], within: 48 hours}\n"
        "  - {id: c, kind: reply-window, channels: [text], within: 2d}\n"
        "  - {id: d, kind: reply-window, channels: [text], within: P2D}\n"
        "  - {id: e, kind: reply-window, channels: [text], within: 1 day 12 hours}\n"
    )
    windows = [spec.options.within for spec in program.rules]  # type: ignore[attr-defined]
    hours = [w / timedelta(hours=1) for w in windows]
    assert hours == [24, 48, 48, 48, 36]


# --------------------------------------------------------------------------- extends


def test_extends_overrides_only_the_keys_given() -> None:
    parent = load_program("umms")
    child = load_program(PROGRAMS / "school-umms.yaml")
    assert child.id == "school-umms"
    assert child.title == "Our school's peer mentoring"
    assert child.extends is None  # merged away
    contact = child.rule("monthly-contact")
    assert contact.severity == "warning"
    before = parent.rule("monthly-contact")
    assert contact.options == before.options
    assert contact.source == before.source
    assert contact.kind == before.kind
    # Everything else is the parent's.
    assert child.calendar == parent.calendar
    assert child.units == parent.units
    assert child.trainings == parent.trainings


def test_extends_enabled_false_disables_a_rule() -> None:
    child = load_program(PROGRAMS / "school-umms.yaml")
    assert child.rule("explain-limits").enabled is False
    assert "explain-limits" not in [spec.id for spec in child.active_rules()]


def test_extends_keeps_parent_order_and_appends_new_rules() -> None:
    parent = load_program("umms")
    child = load_program(PROGRAMS / "school-umms.yaml")
    ids = [spec.id for spec in child.rules]
    assert ids == [*(spec.id for spec in parent.rules), "reply-chat"]
    assert child.rule("reply-chat").options.within == timedelta(hours=12)  # type: ignore[attr-defined]


def test_extends_a_relative_path_from_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.chdir(tmp_path)  # extends is relative to the file, not to the working directory
    grandchild = load_program(PROGRAMS / "school-umms-spring.yaml")
    assert grandchild.id == "school-umms-spring"
    assert grandchild.rule("monthly-contact").severity == "warning"  # from school-umms
    assert grandchild.rule("monthly-contact").options.min == 2  # type: ignore[attr-defined]
    assert grandchild.rule("reply-chat").kind == "reply-window"


def test_extends_replaces_the_calendar_whole() -> None:
    grandchild = load_program(PROGRAMS / "school-umms-spring.yaml")
    calendar = grandchild.calendar
    assert [term.id for term in calendar.terms] == ["spring-2026"]
    assert [holiday.id for holiday in calendar.holidays] == ["mlk-day"]
    assert calendar.breaks == ()
    assert calendar.blackouts == ()


def test_extends_merges_mappings_key_by_key() -> None:
    program = load_program_text("extends: umms\nid: bigger\nunits:\n  mentees: {max: 16}\n")
    parent = load_program("umms")
    assert program.units.mentees.max == 16
    assert program.units.mentees.min == parent.units.mentees.min
    assert program.units.mentees.levels == parent.units.mentees.levels
    assert program.units.recruitment == parent.units.recruitment


def test_extends_merges_other_id_lists_item_by_item() -> None:
    program = load_program_text(
        "extends: umms\nid: rooms\ntrainings:\n  - {id: workshop-fall, location: Room 101}\n"
    )
    parent = load_program("umms")
    workshop = next(t for t in program.trainings if t.id == "workshop-fall")
    before = next(t for t in parent.trainings if t.id == "workshop-fall")
    assert workshop.location == "Room 101"
    assert workshop.start == before.start
    assert len(program.trainings) == len(parent.trainings)


def test_extends_replaces_plain_lists() -> None:
    program = load_program_text("extends: umms\nid: no-video\n"
                                "channels: [text, phone, email, chat, in_person]\n"
                                "rules:\n  - {id: semester-meeting, channels: [in_person]}\n")
    assert program.channels == ("text", "phone", "email", "chat", "in_person")


def test_extends_from_text_is_relative_to_base(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(TINY, "utf-8")
    program = load_program_text("extends: parent.yaml\nid: child\n", base=tmp_path)
    assert program.id == "child"
    assert program.timezone == "Europe/Paris"


def test_a_child_may_extend_medmentors_and_change_a_rule() -> None:
    program = load_program_text(
        "extends: medmentors\nid: mm\nrules:\n  - {id: monthly-small-group, min_mentees: 3}\n"
    )
    assert program.rule("monthly-small-group").options.min_mentees == 3  # type: ignore[attr-defined]


def test_merge_keeps_marks_of_both_files() -> None:
    parent = read_yaml("a: 1\nb: {x: 1, y: 2}\n", "parent.yaml")
    child = read_yaml("b: {y: 3}\nc: 4\n", "child.yaml")
    merged = merge(parent, child)
    assert merged == {"a": 1, "b": {"x": 1, "y": 3}, "c": 4}
    assert merged.value_marks["a"].file == "parent.yaml"
    assert merged.value_marks["c"].file == "child.yaml"
    assert merged["b"].value_marks["x"].file == "parent.yaml"
    assert merged["b"].value_marks["y"].file == "child.yaml"


def test_load_raw_resolves_extends() -> None:
    raw = load_raw(PROGRAMS / "school-umms.yaml")
    assert "extends" not in raw
    assert raw["timezone"] == "America/New_York"


def test_problem_in_the_parent_names_the_parent_file(tmp_path: Path) -> None:
    # Dropping M4 from levels leaves the parent's units.mentors.M4 pointing nowhere.
    child = tmp_path / "child.yaml"
    child.write_text("extends: umms\nid: no-m4\nlevels: [M1, M2, M3]\n", "utf-8")
    with pytest.raises(ProgramError) as caught:
        load_program(child)
    files = {Path(p.location.file or "").name for p in caught.value.problems}
    assert "umms.yaml" in files
    assert any("unknown level 'M4'" in str(p) for p in caught.value.problems)


def test_problems_of_the_loaded_file_come_first(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: umms\nid: no-m4\nlevels: [M1, M2, M3]\ntitle: [a]\n", "utf-8")
    with pytest.raises(ProgramError) as caught:
        load_program(child)
    assert caught.value.problems[0].location.file == str(child)


# --------------------------------------------------------------------------- errors


def test_did_you_mean_for_keys() -> None:
    found = problems_of(TINY.replace("timezone:", "time_zone:"))
    assert any("unknown key 'time_zone' (did you mean 'timezone'?)" in p for p in found), found
    assert any("missing required key 'timezone'" in p for p in found), found


def test_did_you_mean_for_nested_keys() -> None:
    (problem,) = problems_of(TINY.replace("mentees: {", "mentes: {").replace(
        "  mentors: {M2: 1}\n", "  mentors: {M2: 1}\n  mentees: {levels: [M1], min: 4, max: 6}\n"))
    assert "at units.mentes: unknown key 'mentes' (did you mean 'mentees'?)" in problem


def test_did_you_mean_for_kinds() -> None:
    (problem,) = problems_of(TINY + "rules:\n  - {id: r, kind: cohort-sise}\n")
    assert "at rules[r].kind: unknown rule kind 'cohort-sise' (did you mean 'cohort-size'?)" \
        in problem


def test_a_misspelt_required_option_is_suggested_from_the_missing_ones() -> None:
    found = problems_of(TINY + "rules:\n  - {id: r, kind: reply-window, channels: [text], "
                               "windw: 2h}\n")
    assert any("missing required key 'within'" in p for p in found), found
    assert any("unknown key 'windw' (did you mean 'within'?)" in p for p in found), found


def test_all_problems_of_a_file_at_once() -> None:
    with pytest.raises(ProgramError) as caught:
        load_program(BAD / "many-problems.yaml")
    error = caught.value
    assert len(error.problems) == 5
    assert str(error).endswith("(and 4 more problems)")
    paths = [p.location.key_path for p in error.problems]
    assert paths == ["timezone", "units.mentees.min", "rules[reply-texts].within",
                     "rules[monthly-contact].kind", "schedul"]


def test_every_problem_has_file_line_column_and_key_path() -> None:
    with pytest.raises(ProgramError) as caught:
        load_program(BAD / "many-problems.yaml")
    for problem in caught.value.problems:
        where = problem.location
        assert where.file is not None
        assert where.file.endswith("many-problems.yaml")
        assert where.line is not None
        assert where.line >= 1
        assert where.column is not None
        assert where.column >= 1
        assert where.key_path
        assert str(problem).startswith(f"{where.file}:{where.line}:{where.column}: at ")


def test_consistency_problems_are_all_reported_too() -> None:
    found = problems_of(
        TINY.replace("min: 4, max: 6", "min: 7, max: 6")
        + "rules:\n  - {id: r, kind: reply-window, channels: [sms], within: 1h}\n"
    )
    assert len(found) == 2, found


def test_errors_carry_line_and_column_from_text() -> None:
    with pytest.raises(ProgramError) as caught:
        load_program_text(TINY + "surveys: 3\n", file="inline.yaml")
    error = caught.value
    assert (error.file, error.line, error.column, error.key_path) == (
        "inline.yaml", 11, 10, "surveys")


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes('title: "é'.encode() + b'\xff"\n')  # the column counts é once
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    assert (caught.value.line, caught.value.column) == (1, 10)


def test_a_hostile_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghijklmnop"):
        prev = "abcdefghijklmnop"[i]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    with pytest.raises(ProgramError) as caught:
        load_program_text("\n".join(lines) + "\n")
    assert "alias" in str(caught.value)


# --------------------------------------------------------------------------- round trip


ROUND_TRIP = [
    "umms", "medmentors", *(str(p) for p in sorted(PROGRAMS.glob("*.yaml"))),
]


@pytest.mark.parametrize("source", ROUND_TRIP, ids=lambda s: os.path.basename(s))
def test_to_data_round_trips(source: str) -> None:
    program = load_program(source)
    data = program.to_data()
    assert "extends" not in data
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    again = load_program_text(text)
    assert again == program
    assert again.to_data() == data


def test_to_data_writes_durations_and_rules_as_in_yaml() -> None:
    data = load_program("umms").to_data()
    reply = next(rule for rule in data["rules"] if rule["id"] == "reply-emails")
    assert reply["within"] == "48h"
    assert reply["kind"] == "reply-window"
    assert "options" not in reply


def test_program_is_frozen() -> None:
    program = load_program("umms")
    with pytest.raises(ValueError, match="frozen"):
        program.id = "other"  # type: ignore[misc]
    assert isinstance(program, Program)
