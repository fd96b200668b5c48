"""Properties of the structure rules over random full-size rosters of the built-in programs.

A valid roster (any cohort sizes within the bounds, any mix of levels, any
learning communities, any MD/PhD students, rows in any order) gives no
findings at all; one mistake made on purpose gives exactly the findings that
name that mistake, and nothing else.

There is no activity log, so only the roster (structure) rules of each program run.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentorrules as mr
from mentorrules import Program

COMMUNITIES = ("Aster", "Birch", "Cedar", "Dogwood", "Elm")
Row = dict[str, Any]

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

UMMS = mr.load_program("umms")
MEDMENTORS = mr.load_program("medmentors")


def findings(program: Program, rows: list[Row]) -> Counter[tuple[str, str]]:
    report = mr.check(program, rows)
    return Counter((f.rule, f.subject) for f in report.findings)


# --------------------------------------------------------------------------- rosters


@st.composite
def umms_rosters(draw: st.DrawFn) -> list[Row]:
    """26 cohorts: a faculty mentor, an M3 and an M4 mentor, 12-15 M1/M2 mentees each."""
    sizes = draw(st.lists(st.integers(12, 15), min_size=26, max_size=26))
    communities = draw(st.lists(st.sampled_from(COMMUNITIES), min_size=26, max_size=26))
    md_phd = draw(st.lists(st.booleans(), min_size=26, max_size=26))  # one student per cohort
    overlay_mentors = draw(st.integers(1, 3))
    pair_mentor_in_md_phd = draw(st.booleans())
    staff = draw(st.integers(0, 2))
    rng = random.Random(draw(st.integers(0, 2**32), label="seed for levels and row order"))

    rows: list[Row] = [{"id": f"a-{n}", "name": f"Staff {n}", "role": "staff"}
                       for n in range(staff)]
    student = 0
    for i in range(26):
        unit, community = f"c{i + 1:02d}", communities[i]
        rows.append({"id": f"f-{i + 1}", "role": "faculty", "community": community,
                     "units": [unit]})
        for level in ("M3", "M4"):
            rows.append({"id": f"{level.lower()}-{i + 1}", "role": "mentor", "level": level,
                         "community": community, "track": "MD", "units": [unit]})
        for j in range(sizes[i]):
            student += 1
            extra = j == 0 and md_phd[i]
            rows.append({"id": f"s-{student}", "name": f"Student {student}", "role": "mentee",
                         "level": rng.choice(["M1", "M2"]), "community": community,
                         "track": "MD/PhD" if extra else "MD",
                         "units": [unit, "md-phd"] if extra else [unit]})
    if any(md_phd):
        for n in range(overlay_mentors):
            rows.append({"id": f"mp-{n}", "role": "mentor", "level": rng.choice(["M3", "M4"]),
                         "community": rng.choice(COMMUNITIES), "track": "MD/PhD",
                         "units": ["md-phd"]})
        if pair_mentor_in_md_phd:  # a Peer Mentor of a pair who also mentors MD/PhD students
            m3 = next(r for r in rows if r["id"] == "m3-1")
            m3.update(track="MD/PhD", units=["c01", "md-phd"])
    rng.shuffle(rows)
    return rows


@st.composite
def medmentors_rosters(draw: st.DrawFn) -> list[Row]:
    """22 small groups: one M2 mentor and 6-8 M1 mentees each."""
    sizes = draw(st.lists(st.integers(6, 8), min_size=22, max_size=22))
    rng = random.Random(draw(st.integers(0, 2**32), label="seed for levels and row order"))
    rows: list[Row] = []
    student = 0
    for i in range(22):
        unit = f"g{i + 1:02d}"
        rows.append({"id": f"m-{i + 1}", "role": "mentor", "level": "M2", "units": unit})
        for _ in range(sizes[i]):
            student += 1
            rows.append({"id": f"s-{student}", "role": "mentee", "level": "M1", "units": unit})
    rng.shuffle(rows)
    return rows


def person(rows: list[Row], ident: str) -> Row:
    return next(r for r in rows if r["id"] == ident)


def mentees_of(rows: list[Row], unit: str) -> list[Row]:
    return [r for r in rows if r["role"] == "mentee" and unit in r["units"]]


def regular(unit: Any) -> str:
    return unit if isinstance(unit, str) else unit[0]


# --------------------------------------------------------------------------- UMMS


@SETTINGS
@given(umms_rosters())
def test_valid_umms_rosters_give_no_findings(rows: list[Row]) -> None:
    assert findings(UMMS, rows) == Counter()


@SETTINGS
@given(umms_rosters(), st.integers(1, 26))
def test_a_pair_of_two_m3s(rows: list[Row], n: int) -> None:
    person(rows, f"m4-{n}")["level"] = "M3"
    # The pair is wrong, and so are the year counts: a 27th M3 and a 25th M4.
    assert findings(UMMS, rows) == Counter({("pair-composition", f"c{n:02d}"): 1,
                                            ("recruit-26-per-year", "umms"): 2})


@SETTINGS
@given(umms_rosters(), st.integers(1, 26))
def test_a_cohort_of_11(rows: list[Row], n: int) -> None:
    unit = f"c{n:02d}"
    removable = [r for r in mentees_of(rows, unit) if r["track"] == "MD"]
    for row in removable[: len(mentees_of(rows, unit)) - 11]:
        rows.remove(row)
    assert findings(UMMS, rows) == Counter({("cohort-12-15", unit): 1})


@SETTINGS
@given(umms_rosters(), st.data())
def test_a_mentee_in_two_cohorts(rows: list[Row], data: st.DataObject) -> None:
    units = [f"c{n:02d}" for n in range(1, 27)]
    roomy = [u for u in units if len(mentees_of(rows, u)) < 15]
    if not roomy:  # every cohort full: take one mentee out first (valid: 14 is in bounds)
        rows.remove(mentees_of(rows, units[0])[-1])
        roomy = [units[0]]
    other = data.draw(st.sampled_from(roomy), label="the second cohort")
    mentee = data.draw(st.sampled_from([r for r in rows if r["role"] == "mentee"
                                        and regular(r["units"]) != other]), label="mentee")
    mentee["units"] = [*mentee["units"], other]
    assert findings(UMMS, rows) == Counter({("every-mentee-assigned", mentee["id"]): 1})


@SETTINGS
@given(umms_rosters(), st.integers(1, 26), st.sampled_from(COMMUNITIES))
def test_a_faculty_mentor_in_another_community(rows: list[Row], n: int, community: str) -> None:
    faculty = person(rows, f"f-{n}")
    if faculty["community"] == community:
        community = COMMUNITIES[(COMMUNITIES.index(community) + 1) % len(COMMUNITIES)]
    faculty["community"] = community
    report = mr.check(UMMS, rows)
    assert [(f.rule, f.subject, f.severity) for f in report.findings] == [
        ("same-learning-community", f"c{n:02d}", "warning")]


# --------------------------------------------------------------------------- MedMentors


@SETTINGS
@given(medmentors_rosters())
def test_valid_medmentors_rosters_give_no_findings(rows: list[Row]) -> None:
    assert findings(MEDMENTORS, rows) == Counter()


@SETTINGS
@given(medmentors_rosters(), st.integers(1, 22))
def test_a_small_group_of_5(rows: list[Row], n: int) -> None:
    unit = f"g{n:02d}"
    for row in mentees_of(rows, unit)[5:]:
        rows.remove(row)
    assert findings(MEDMENTORS, rows) == Counter({("group-6-8", unit): 1})


@SETTINGS
@given(medmentors_rosters(), st.data())
def test_a_first_year_in_two_small_groups(rows: list[Row], data: st.DataObject) -> None:
    units = [f"g{n:02d}" for n in range(1, 23)]
    roomy = [u for u in units if len(mentees_of(rows, u)) < 8]
    if not roomy:
        rows.remove(mentees_of(rows, units[0])[-1])
        roomy = [units[0]]
    other = data.draw(st.sampled_from(roomy), label="the second group")
    mentee = data.draw(st.sampled_from([r for r in rows if r["role"] == "mentee"
                                        and r["units"] != other]), label="mentee")
    mentee["units"] = f"{mentee['units']};{other}"
    assert findings(MEDMENTORS, rows) == Counter({("every-first-year-mentored", mentee["id"]): 1})
