"""unit-composition: each regular unit has the mentors the program asks for, by level.

tests/data/rosters/pairs.yaml: a cohort has one M3 and one M4 mentor ("Mentor
Pairs, consisting of one third- and one fourth-year Peer Mentor").
groups.yaml: a small group has one M2 mentor (MedMentors).
"""

from __future__ import annotations

from pathlib import Path

import mentorrules as mr
from mentorrules import Finding

DATA = Path(__file__).parents[1] / "data" / "rosters"


def composition(roster: str, program: str = "pairs.yaml") -> list[Finding]:
    report = mr.check(DATA / program, DATA / roster)
    return [f for f in report.findings if f.kind == "unit-composition"]


def test_one_m3_and_one_m4_per_cohort_passes() -> None:
    assert composition("pairs.csv") == []


def test_a_pair_of_two_m3s_names_both() -> None:
    (finding,) = composition("pairs-two-m3.csv")
    assert (finding.rule, finding.subject, finding.unit) == ("pair-composition", "c02", "c02")
    assert finding.evidence == ("m-3", "m-4")
    assert finding.message == (
        "Cohort c02's mentors are Kofi Mensah (m-3, M3) and Søren Berg (m-4, M3), not one M3 "
        'and one M4 mentor; the handbook says "Mentor Pairs, consisting of one third- and '
        'one fourth-year Peer Mentor, are formed."')
    assert finding.details == {"expected": {"M3": 1, "M4": 1}, "found": {"M3": 2}}


def test_a_third_mentor_breaks_the_pair() -> None:
    (finding,) = composition("pairs-three-mentors.csv")
    assert finding.subject == "c01"
    assert finding.evidence == ("m-1", "m-2", "m-8")


def test_a_pair_missing_its_m4() -> None:
    (finding,) = composition("pairs-mentor-no-unit.csv")
    assert finding.message.startswith("Cohort c03's only mentor is Omar Haddad (m-5, M3), not")


def test_a_unit_with_no_mentor_is_left_to_referential_integrity() -> None:
    assert composition("pairs-unit-no-mentor.csv") == []


def test_one_second_year_mentor_per_small_group() -> None:
    assert composition("groups.csv", "groups.yaml") == []


def test_two_mentors_in_a_small_group() -> None:
    (finding,) = composition("groups-two-mentors.csv", "groups.yaml")
    assert finding.message.startswith(
        "Small group g01's mentors are Zainab Kumar (m-1, M2) and Kenji Ito (m-3, M2), "
        "not one M2 mentor;")


def test_a_first_year_mentor_is_the_wrong_level() -> None:
    (finding,) = composition("groups-levels-swapped.csv", "groups.yaml")
    assert finding.subject == "g02"
    assert "Javier Sullivan (m-2, M1), not one M2 mentor" in finding.message
