"""faculty-per-unit: each regular unit has the program's number of faculty mentors.

tests/data/rosters/pairs.yaml: "Each Pair is assigned to a single Faculty Mentor"
(``units.faculty: 1``). groups.yaml has no faculty in a unit (``faculty: 0``).
"""

from __future__ import annotations

from pathlib import Path

import mentorrules as mr
from mentorrules import Finding, Program

DATA = Path(__file__).parents[1] / "data" / "rosters"


def faculty(roster: str, program: str | Program = "pairs.yaml") -> list[Finding]:
    if isinstance(program, str):
        program = mr.load_program(DATA / program)
    report = mr.check(program, DATA / roster)
    return [f for f in report.findings if f.kind == "faculty-per-unit"]


def test_one_faculty_mentor_per_cohort_passes() -> None:
    assert faculty("pairs.csv") == []


def test_a_cohort_without_its_faculty_mentor() -> None:
    (finding,) = faculty("pairs-no-faculty.csv")
    assert (finding.subject, finding.unit, finding.evidence) == ("c02", "c02", ())
    assert finding.message == ('Cohort c02 has no faculty mentor, not one; the handbook says '
                               '"Each Pair is assigned to a single Faculty Mentor."')


def test_a_cohort_with_two_faculty_mentors() -> None:
    (finding,) = faculty("pairs-two-faculty.csv")
    assert finding.evidence == ("f-2", "f-4")
    assert finding.message.startswith(
        "Cohort c02 has two faculty mentors, Grace Lee, MD (f-2) and Ines Duarte (f-4), not one;")
    assert finding.details == {"expected": 1, "found": 2}


def test_a_cohort_with_no_mentor_still_needs_its_faculty_mentor() -> None:
    (finding,) = faculty("pairs-unit-no-mentor.csv")
    assert finding.subject == "c04"


def test_units_without_faculty_give_no_findings() -> None:
    program = mr.load_program_text(
        "extends: groups.yaml\nrules:\n  - {id: faculty, kind: faculty-per-unit}\n", base=DATA)
    assert faculty("groups.csv", program) == []
