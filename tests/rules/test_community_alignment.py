"""community-alignment: a unit's faculty and mentors share one learning community.

tests/data/rosters/pairs.yaml declares communities Birch and Cedar; its rule has
``severity: warning`` because the handbook says "typically".
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mentorrules as mr
from mentorrules import Finding, Program

DATA = Path(__file__).parents[1] / "data" / "rosters"


def alignment(roster: str, program: str | Program = "pairs.yaml") -> list[Finding]:
    if isinstance(program, str):
        program = mr.load_program(DATA / program)
    report = mr.check(program, DATA / roster)
    return [f for f in report.findings if f.kind == "community-alignment"]


def with_who(who: str) -> Program:
    return mr.load_program_text(
        f"extends: pairs.yaml\nrules:\n  - {{id: same-learning-community, who: {who}}}\n",
        base=DATA)


def test_faculty_and_pair_in_one_community_pass() -> None:
    assert alignment("pairs.csv") == []


def test_a_faculty_mentor_in_another_community_is_a_warning() -> None:
    (finding,) = alignment("pairs-community-mismatch.csv")
    assert (finding.severity, finding.subject, finding.unit) == ("warning", "c02", "c02")
    assert finding.message == (
        "Cohort c02 is not within one learning community: Grace Lee, MD (f-2) is in Birch, "
        "while Kofi Mensah (m-3) and Søren Berg (m-4) are in Cedar; the handbook says "
        '"Each Pair is assigned to a single Faculty Mentor, typically within the same '
        'Learning Community."')
    assert finding.evidence == ("f-2", "m-3", "m-4")
    assert finding.details == {"communities": {"Birch": ["f-2"], "Cedar": ["m-3", "m-4"]}}


def test_a_missing_community_is_information_not_a_warning() -> None:
    (finding,) = alignment("pairs-community-missing.csv")
    assert (finding.severity, finding.subject, finding.evidence) == ("info", "c02", ("m-3",))
    assert "The learning community of Kofi Mensah (m-3) is not on the roster" in finding.message


def test_a_roster_without_communities_says_so_once() -> None:
    (finding,) = alignment("pairs-no-communities.csv")
    assert (finding.severity, finding.subject, finding.unit) == ("info", "pairs", None)


def test_an_undeclared_community_is_left_to_referential_integrity() -> None:
    # m-1 is in "Brich": one finding, from known-ids, with a "did you mean".
    assert alignment("pairs-community-typo.csv") == []


def test_mentees_are_compared_only_when_asked() -> None:
    assert alignment("pairs-mentee-other-community.csv") == []
    (finding,) = alignment("pairs-mentee-other-community.csv",
                           with_who("[faculty, mentors, mentees]"))
    assert finding.subject == "c02"
    assert "Chloé Martin (s-3) is in Birch" in finding.message


def test_who_names_only_members_of_a_unit() -> None:
    with pytest.raises(mr.ProgramError, match="expected 'faculty', 'mentors' or 'mentees'"):
        with_who("[mentor]")
