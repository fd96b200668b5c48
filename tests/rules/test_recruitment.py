"""recruitment: the number of mentors selected per level, for the whole program.

Program tests/data/rosters/pairs.yaml recruits 3 M3 and 3 M4 mentors; pairs.csv
has three pairs (m-1..m-6) and an MD/PhD mentor, m-7, who is in md-phd only.
"""

from __future__ import annotations

from pathlib import Path

import mentorrules as mr
from mentorrules import Finding, Program

DATA = Path(__file__).parents[1] / "data" / "rosters"


def check(roster: str, program: str | Program = "pairs.yaml") -> list[Finding]:
    if isinstance(program, str):
        program = mr.load_program(DATA / program)
    return list(mr.check(program, DATA / roster).findings)


def recruitment(roster: str, program: str | Program = "pairs.yaml") -> list[Finding]:
    return [f for f in check(roster, program) if f.kind == "recruitment"]


def at_most() -> Program:
    return mr.load_program_text("extends: pairs.yaml\nrules:\n"
                                "  - {id: recruit-3-per-year, exact: false}\n", base=DATA)


def test_three_pairs_are_the_three_recruited_per_year() -> None:
    assert check("pairs.csv") == []


def test_a_missing_pair_is_one_short_at_each_level() -> None:
    m3, m4 = sorted(recruitment("pairs-recruit-short.csv"), key=lambda f: f.details["level"])
    assert m3.message == ('2 M3 mentors are on the roster, not 3; the handbook says '
                          '"3 students from each year are selected."')
    assert m3.evidence == ("m-1", "m-3")
    assert m4.details == {"level": "M4", "expected": 3, "found": 2}


def test_the_finding_is_about_the_program_as_a_whole() -> None:
    (finding, *_) = recruitment("pairs-recruit-short.csv")
    assert (finding.rule, finding.subject, finding.unit, finding.period) == (
        "recruit-3-per-year", "pairs", None, None)
    assert finding.severity == "error"


def test_a_fourth_m4_is_one_too_many() -> None:
    (finding,) = recruitment("pairs-three-mentors.csv")
    assert finding.message.startswith("4 M4 mentors are on the roster, not 3;")
    assert "m-8" in finding.evidence


def test_at_most_allows_a_program_still_recruiting() -> None:
    assert recruitment("pairs-recruit-short.csv", at_most()) == []


def test_at_most_still_reports_too_many() -> None:
    (finding,) = recruitment("pairs-three-mentors.csv", at_most())
    assert finding.message.startswith("4 M4 mentors are on the roster, more than 3;")


def test_overlay_only_mentors_are_additional() -> None:
    # m-7 (M4, MD/PhD) mentors in md-phd only: "Additional MD/PhD Peer Mentors".
    findings = recruitment("pairs-two-m3.csv")
    m4 = next(f for f in findings if f.details["level"] == "M4")
    assert m4.evidence == ("m-2", "m-6")


def test_a_mentor_without_a_unit_was_still_recruited() -> None:
    # referential-integrity says m-6 has no unit; the count stays right.
    assert recruitment("pairs-mentor-no-unit.csv") == []
