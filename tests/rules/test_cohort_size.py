"""cohort-size: each regular unit holds min-max mentees of the right levels.

tests/data/rosters/pairs.yaml: cohorts of 2-3 M1/M2 mentees.
groups.yaml: small groups of 2-3 M1 mentees.
"""

from __future__ import annotations

from pathlib import Path

import mentorrules as mr
from mentorrules import Finding

DATA = Path(__file__).parents[1] / "data" / "rosters"


def cohort_size(roster: str, program: str = "pairs.yaml") -> list[Finding]:
    report = mr.check(DATA / program, DATA / roster)
    return [f for f in report.findings if f.kind == "cohort-size"]


def test_cohorts_within_bounds_pass() -> None:
    assert cohort_size("pairs.csv") == []


def test_a_cohort_below_the_minimum() -> None:
    (finding,) = cohort_size("pairs-cohort-too-small.csv")
    assert (finding.subject, finding.unit, finding.evidence) == ("c02", "c02", ("s-3",))
    assert finding.message == (
        'Cohort c02 has 1 mentee, fewer than 2; the handbook says "Mentor Pairs are assigned '
        'to the cohort of 2-3 first- and second-year students."')
    assert finding.details == {"min": 2, "max": 3, "found": 1}


def test_a_cohort_above_the_maximum() -> None:
    (finding,) = cohort_size("pairs-cohort-too-big.csv")
    assert finding.message.startswith("Cohort c03 has 4 mentees, more than 3;")


def test_mentees_of_other_levels_are_named_one_by_one() -> None:
    m3, no_level = cohort_size("pairs-mentee-wrong-level.csv")
    assert (m3.subject, m3.unit) == ("s-3", "c02")
    assert m3.message.startswith("Chloé Martin (s-3), a mentee of cohort c02, is at level M3; "
                                 "a cohort holds M1 or M2 mentees;")
    assert no_level.subject == "s-4"
    assert "has no level" in no_level.message


def test_a_level_the_program_does_not_know_is_left_to_referential_integrity() -> None:
    assert cohort_size("pairs-unknown-names.csv") == []


def test_a_unit_id_typo_is_not_a_cohort_of_one() -> None:
    assert cohort_size("pairs-unit-typo.csv") == []


def test_small_groups_hold_first_years() -> None:
    assert cohort_size("groups.csv", "groups.yaml") == []
    (finding,) = cohort_size("groups-levels-swapped.csv", "groups.yaml")
    assert finding.subject == "s-2"
    assert "a small group holds M1 mentees" in finding.message
