"""The sample rosters that ship with the package: full size, up to date, and clean.

They are made by scripts/make_samples.py from a seed; these tests make sure the
files in the package are exactly what the script makes, and that they fit the
built-in programs they are for.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

import mentorrules as mr

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "src" / "mentorrules" / "builtin" / "samples"


def make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" /
                                                  "make_samples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_the_shipped_sample_is_what_the_script_makes(name: str) -> None:
    script = make_samples()
    expected = script.roster_csv(script.make_roster(name))
    assert (SAMPLES / name / "roster.csv").read_text(encoding="utf-8") == expected, (
        "run: python scripts/make_samples.py")


def test_the_script_is_deterministic_and_the_seed_matters() -> None:
    script = make_samples()
    assert script.make_roster("medmentors") == script.make_roster("medmentors", 2025)
    assert script.make_roster("medmentors", 1) != script.make_roster("medmentors", 2)


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_the_samples_check_clean(name: str) -> None:
    report = mr.check(name, SAMPLES / name / "roster.csv")
    assert report.summary.model_dump() == {"error": 0, "warning": 0, "info": 0}
    assert report.rejected == ()


def test_the_umms_sample_is_full_size() -> None:
    roster = mr.read_roster(SAMPLES / "umms" / "roster.csv", mr.load_program("umms"))
    cohorts = roster.regular_units()
    assert [u.id for u in cohorts] == [f"c{n:02d}" for n in range(1, 27)]
    assert all(len(u.faculty) == 1 and len(u.mentors) == 2 for u in cohorts)
    assert all(12 <= len(u.mentees) <= 15 for u in cohorts)
    mentees = roster.with_role("mentee")
    assert 340 <= len(mentees) <= 360
    assert Counter(p.level for p in mentees).keys() == {"M1", "M2"}
    md_phd = roster.units["md-phd"]
    students = [p.id for p in mentees if p.track == "MD/PhD"]
    assert len(students) >= 5
    assert set(md_phd.mentees) == set(students)
    assert 2 <= len(md_phd.mentors) <= 3
    assert all(roster.people[m].units == ("md-phd",) for m in md_phd.mentors)
    assert len({p.community for p in roster.people.values() if p.community}) == 5
    assert len(roster.with_role("staff")) == 2


def test_the_medmentors_sample_is_as_in_the_abstract() -> None:
    roster = mr.read_roster(SAMPLES / "medmentors" / "roster.csv")
    groups = roster.regular_units()
    assert len(groups) == 22
    assert len(roster.with_role("mentor")) == 22
    assert len(roster.with_role("mentee")) == 137
    assert all(6 <= len(g.mentees) <= 8 for g in groups)


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_names_are_realistic(name: str) -> None:
    roster = mr.read_roster(SAMPLES / name / "roster.csv")
    names = [p.name for p in roster.people.values()]
    assert len(set(names)) == len(names)
    assert any(not n.isascii() for n in names)
    emails = [p.email for p in roster.people.values()]
    assert len(set(emails)) == len(emails)
    assert all(e.isascii() and e.endswith(".example.edu") for e in emails)


def test_a_name_with_a_comma_survives_the_csv() -> None:
    roster = mr.read_roster(SAMPLES / "umms" / "roster.csv")
    assert any("," in p.name for p in roster.people.values())
