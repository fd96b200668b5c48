"""membership: every mentee in exactly one regular unit; overlay units cover their people.

tests/data/rosters/pairs.yaml: cohorts c01-c03, and the overlay md-phd for every
MD/PhD mentee (s-2, s-6) with at least one MD/PhD mentor (m-7).
"""

from __future__ import annotations

from pathlib import Path

import mentorrules as mr
from mentorrules import Finding

DATA = Path(__file__).parents[1] / "data" / "rosters"


def membership(roster: str, program: str = "pairs.yaml") -> list[Finding]:
    report = mr.check(DATA / program, DATA / roster)
    return [f for f in report.findings if f.kind == "membership"]


def test_every_mentee_in_one_cohort_and_md_phd_students_covered() -> None:
    assert membership("pairs.csv") == []


def test_a_mentee_in_no_cohort() -> None:
    (finding,) = membership("pairs-mentee-unassigned.csv")
    assert (finding.subject, finding.unit, finding.evidence) == ("s-5", None, ("s-5",))
    assert finding.message == (
        'Elif Yilmaz (s-5) is not assigned to any cohort; the handbook says "Every student '
        'has a cohort; MD/PhD Peer Mentors mentor all MD/PhD students."')


def test_a_mentee_in_two_cohorts_names_both() -> None:
    (finding,) = membership("pairs-mentee-two-units.csv")
    assert (finding.subject, finding.unit) == ("s-8", "c03")
    assert finding.message.startswith("Wei Zhang (s-8) is in two cohorts, c03 and c01, "
                                      "not exactly one;")
    assert finding.details == {"units": ["c03", "c01"]}


def test_an_md_phd_student_outside_md_phd() -> None:
    (finding,) = membership("pairs-md-phd-not-covered.csv")
    assert (finding.subject, finding.unit) == ("s-2", "md-phd")
    assert finding.message.startswith("Ben Carter (s-2) is not in md-phd (MD/PhD Peer "
                                      "Mentoring), which covers every MD/PhD mentee;")


def test_md_phd_without_an_md_phd_mentor() -> None:
    (finding,) = membership("pairs-md-phd-no-mentor.csv")
    assert (finding.subject, finding.unit) == ("md-phd", "md-phd")
    assert finding.message.startswith("md-phd (MD/PhD Peer Mentoring) has no MD/PhD mentors, "
                                      "fewer than the one it needs;")


def test_no_md_phd_unit_at_all_is_one_finding() -> None:
    (finding,) = membership("pairs-md-phd-absent.csv")
    assert finding.subject == "md-phd"
    assert finding.evidence == ("s-2", "s-6")


def test_someone_who_does_not_belong_in_md_phd() -> None:
    (finding,) = membership("pairs-md-phd-stranger.csv")
    assert (finding.subject, finding.unit) == ("s-3", "md-phd")
    assert "a mentee on the MD track, is in md-phd" in finding.message


def test_a_mentee_whose_only_unit_is_a_typo_is_left_to_referential_integrity() -> None:
    assert membership("pairs-unit-typo.csv") == []


def test_first_years_each_in_one_small_group() -> None:
    assert membership("groups.csv", "groups.yaml") == []
