"""Reading rosters: CSV, JSON Lines, open files and plain Python rows (SPEC section 4).

Every row is accounted for: read = used + rejected. A rejected row keeps its file,
line and reason; extra columns are kept on the person.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import mentorrules as mr
from mentorrules import Person, Roster

DATA = Path(__file__).parents[1] / "data" / "rosters"
PAIRS = mr.load_program(DATA / "pairs.yaml")


def people(roster: Roster) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(p.id, p.name, p.role, p.units) for p in roster.people.values()]


def test_a_csv_roster() -> None:
    roster = mr.read_roster(DATA / "pairs.csv", PAIRS)
    assert (roster.counts.read, roster.counts.used, roster.counts.rejected) == (19, 19, 0)
    s2 = roster.people["s-2"]
    assert (s2.name, s2.role, s2.level, s2.community, s2.track) == (
        "Ben Carter", "mentee", "M2", "Birch", "MD/PhD")
    assert s2.units == ("c01", "md-phd")
    assert s2.line == 6
    assert roster.people["f-2"].name == "Grace Lee, MD"


def test_units_come_from_the_rows_that_name_them() -> None:
    roster = mr.read_roster(DATA / "pairs.csv", PAIRS)
    c01 = roster.units["c01"]
    assert (c01.faculty, c01.mentors, c01.mentees) == (("f-1",), ("m-1", "m-2"), ("s-1", "s-2"))
    assert not c01.overlay
    assert roster.units["md-phd"].overlay
    assert roster.units["md-phd"].members == ("m-7", "s-2", "s-6")


@pytest.mark.parametrize("source", [
    DATA / "pairs.jsonl",
    str(DATA / "pairs.jsonl"),
])
def test_json_lines_carry_the_same_people(source: Path | str) -> None:
    assert people(mr.read_roster(source, PAIRS)) == people(mr.read_roster(DATA / "pairs.csv"))


def test_open_files_text_or_binary() -> None:
    expected = people(mr.read_roster(DATA / "pairs.csv"))
    with open(DATA / "pairs.csv", encoding="utf-8") as text:
        roster = mr.read_roster(text, PAIRS)
    assert people(roster) == expected
    assert roster.source == str(DATA / "pairs.csv")
    with open(DATA / "pairs.jsonl", "rb") as binary:
        assert people(mr.read_roster(binary, PAIRS)) == expected


def test_plain_dicts_with_lists_or_text_for_units() -> None:
    roster = mr.read_roster([
        {"id": "m-1", "role": "mentor", "level": "M3", "units": ["c01"]},
        {"id": "s-1", "role": "Mentee", "level": "M1", "units": "c01; md-phd", "shoe": 38},
    ], PAIRS)
    assert roster.people["s-1"].units == ("c01", "md-phd")
    assert roster.people["s-1"].role == "mentee"
    assert roster.people["s-1"].extra == {"shoe": "38"}
    assert roster.people["s-1"].line is None


def test_person_objects_pass_through() -> None:
    ann = Person(id="m-1", name="Ann", role="mentor", level="M3", units=("c01",))
    assert mr.read_roster([ann], PAIRS).people["m-1"] == ann


def test_extra_columns_are_kept() -> None:
    roster = mr.read_roster(DATA / "pairs-extra-columns.csv", PAIRS)
    assert roster.people["m-1"].extra == {"pronouns": "he/him", "notes": ""}
    assert roster.people["m-2"].extra["notes"] == "prefers e-mail"
    assert roster.to_records()[1]["extra"] == {"pronouns": "he/him", "notes": ""}


def test_bad_rows_are_rejected_with_file_line_and_reason() -> None:
    roster = mr.read_roster(DATA / "pairs-bad-rows.csv", PAIRS)
    assert (roster.counts.read, roster.counts.used, roster.counts.rejected) == (22, 19, 3)
    where = str(DATA / "pairs-bad-rows.csv")
    assert [(r.source, r.line, r.id, r.reason) for r in roster.rejected] == [
        (where, 11, "s-3", "id 's-3' is already used on line 10"),
        (where, 12, None, "the row has no id"),
        (where, 13, "s-9", "unknown role 'mentro' (did you mean 'mentor'?); use one of: "
                           "mentor, mentee, faculty, staff"),
    ]
    assert roster.people["s-3"].name == "Chloé Martin"  # the first row of an id wins


def test_strict_reading_stops_at_the_first_bad_row() -> None:
    with pytest.raises(mr.RowError) as error:
        mr.read_roster(DATA / "pairs-bad-rows.csv", PAIRS, strict=True)
    assert (error.value.file, error.value.line) == (str(DATA / "pairs-bad-rows.csv"), 11)
    assert "already used on line 10" in str(error.value)


def test_a_missing_required_column_is_named() -> None:
    with pytest.raises(mr.InputError, match="the roster has no column 'role'"):
        mr.read_roster(io.StringIO("id,name,rol\nm-1,Ann,mentor\n"), PAIRS)


def test_a_row_with_too_many_fields_is_rejected_not_split() -> None:
    roster = mr.read_roster(io.StringIO("id,role,units\nm-1,mentor,c01,extra\n"), PAIRS)
    (row,) = roster.rejected
    assert (row.line, row.reason) == (2, "the row has 4 fields but the header has 3")


def test_bytes_that_are_not_utf8_reject_their_row_only() -> None:
    data = "id,name,role\ns-1,Jos\xe9,mentee\ns-2,Ana,mentee\n".encode("latin-1")
    roster = mr.read_roster(io.BytesIO(data), PAIRS)
    assert list(roster.people) == ["s-2"]
    assert roster.rejected[0].line == 2
    assert "not UTF-8" in roster.rejected[0].reason


def test_a_text_file_in_another_encoding_is_a_clear_error() -> None:
    data = io.TextIOWrapper(io.BytesIO("id,role\ns-1\xe9,mentee\n".encode("latin-1")),
                            encoding="utf-8")
    with pytest.raises(mr.InputError, match="the roster is not UTF-8"):
        mr.read_roster(data, PAIRS)


def test_units_must_be_a_list_not_a_mapping() -> None:
    roster = mr.read_roster([{"id": "s-1", "role": "mentee", "units": {"c01": 1}}], PAIRS)
    assert roster.rejected[0].reason.startswith("units must be a list of unit ids")


def test_a_unit_named_twice_in_one_row_counts_once() -> None:
    roster = mr.read_roster([{"id": "s-1", "role": "mentee", "units": "c01;c01"}], PAIRS)
    assert roster.units["c01"].mentees == ("s-1",)


def test_a_roster_read_without_the_program_learns_its_overlays() -> None:
    roster = mr.read_roster(DATA / "pairs.csv")
    assert not roster.units["md-phd"].overlay
    again = mr.read_roster(roster, PAIRS)
    assert again.units["md-phd"].overlay
    assert again.counts == roster.counts
    assert mr.check(PAIRS, roster).findings == ()


def test_a_utf8_bom_and_blank_lines_are_fine() -> None:
    roster = mr.read_roster(io.StringIO("\ufeffid,role,units\r\n\r\nm-1,mentor,c01\r\n"), PAIRS)
    assert list(roster.people) == ["m-1"]
    assert roster.people["m-1"].line == 3
