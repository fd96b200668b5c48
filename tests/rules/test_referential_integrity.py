"""referential-integrity: every row is usable and every id, level, community and track exists.

tests/data/rosters/pairs.yaml declares levels M1-M4, tracks MD and MD/PhD, and
learning communities Birch and Cedar.
"""

from __future__ import annotations

import csv
from pathlib import Path

import mentorrules as mr
from mentorrules import Finding

DATA = Path(__file__).parents[1] / "data" / "rosters"


def integrity(roster: str, program: str = "pairs.yaml") -> list[Finding]:
    report = mr.check(DATA / program, DATA / roster)
    return [f for f in report.findings if f.kind == "referential-integrity"]


def test_a_clean_roster() -> None:
    assert integrity("pairs.csv") == []


def test_rows_that_cannot_be_used_are_errors_with_their_line() -> None:
    no_id, duplicate, bad_role = integrity("pairs-bad-rows.csv")
    where = str(DATA / "pairs-bad-rows.csv")
    assert (no_id.subject, no_id.evidence) == ("line 12", ())
    assert no_id.message == f"The roster row at {where}:12 was not used: the row has no id"
    assert duplicate.subject == "s-3"
    assert duplicate.message.endswith(":11 was not used: id 's-3' is already used on line 10")
    assert "unknown role 'mentro' (did you mean 'mentor'?)" in bad_role.message


def test_a_level_and_a_track_the_program_does_not_define() -> None:
    level, track = integrity("pairs-unknown-names.csv")
    assert (level.subject, level.unit) == ("s-4", "c02")
    assert level.message.startswith("Dev Patel (s-4, line 11) has level 'M5', which the program "
                                    "does not define; its levels are M1, M2, M3 and M4;")
    assert "track 'PhD', which the program does not define (did you mean 'MD/PhD'?)" in \
        track.message


def test_a_community_the_program_does_not_define() -> None:
    (finding,) = integrity("pairs-community-typo.csv")
    assert "community 'Brich', which the program does not define (did you mean 'Birch'?)" in \
        finding.message


def test_a_unit_only_one_row_names_is_a_likely_typo() -> None:
    (finding,) = integrity("pairs-unit-typo.csv")
    assert (finding.subject, finding.unit, finding.evidence) == ("c3", "c3", ("s-8",))
    assert finding.message == ("Cohort c3 is named only by Wei Zhang (s-8) on line 18, so no "
                               "one else is in it (did you mean 'c03'?); check the unit id for "
                               "a typo")
    assert finding.details == {"line": 18}


def test_the_suggestion_reads_unit_ids_the_way_people_mistype_them() -> None:
    rows = list(csv.DictReader((DATA / "pairs.csv").read_text(encoding="utf-8").splitlines()))
    rows[-3]["units"] = "C3"  # s-8, meant for c03
    report = mr.check(DATA / "pairs.yaml", rows)
    (finding,) = (f for f in report.findings if f.kind == "referential-integrity")
    assert "(did you mean 'c03'?)" in finding.message


def test_a_mentor_in_no_unit() -> None:
    (finding,) = integrity("pairs-mentor-no-unit.csv")
    assert (finding.subject, finding.unit) == ("m-6", None)
    assert finding.message == ("Lucía Gómez (m-6, line 15) is a mentor but in no cohort; give "
                               "the row its unit ids")


def test_a_faculty_mentor_in_no_unit() -> None:
    (finding,) = integrity("pairs-faculty-no-unit.csv")
    assert finding.subject == "f-4"


def test_faculty_need_no_unit_where_units_have_no_faculty() -> None:
    assert integrity("groups.csv", "groups.yaml") == []


def test_a_cohort_with_no_mentor() -> None:
    (finding,) = integrity("pairs-unit-no-mentor.csv")
    assert (finding.subject, finding.evidence) == ("c04", ("s-9", "s-10"))
    assert finding.message.startswith("Cohort c04 has no mentor, only Yara Haddad (s-9) and "
                                      "Jonas Weber (s-10); a cohort has one M3 and one M4 mentor;")


def test_rows_given_as_dicts_have_no_line_but_are_still_reported() -> None:
    rows = [{"id": "m-1", "role": "mentor", "level": "M3", "units": "c01"},
            {"id": "m-1", "role": "mentor", "level": "M4", "units": "c01"}]
    report = mr.check(DATA / "pairs.yaml", rows)
    duplicate = next(f for f in report.findings if f.kind == "referential-integrity")
    assert duplicate.message == ("The roster row at <input> was not used: id 'm-1' is already "
                                 "used")
