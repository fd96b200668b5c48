"""meeting-cadence: at least N meetings per period, per mentee or per unit.

UMMS roster (tests/data/activity/roster.csv): cohort c1 = p-a, p-b with s-01, s-02,
s-03; cohort c2 = p-c, p-d with s-04, s-05. MedMentors-style roster
(tests/data/activity/groups.csv): small group g1 = m-1 with n-01, n-02, n-03;
g2 = m-2 with n-04, n-05. Zone: America/New_York.
"""

from __future__ import annotations

import io
from pathlib import Path
from textwrap import dedent
from typing import Any

import mentorrules as mr
from mentorrules import Finding, Program

DATA = Path(__file__).parents[1] / "data" / "activity"
ROSTER = DATA / "roster.csv"
GROUPS = DATA / "groups.csv"
HEADER = "id,type,at,start,end,from,to,channel,format,reply_to,topic\n"


def builtin(name: str, *rule_ids: str) -> Program:
    """A built-in program with only the named rules."""
    program = mr.load_program(name)
    return program.model_copy(update={"rules": tuple(r for r in program.rules
                                                     if r.id in rule_ids)})


def program(rules: str, base: str = "program.yaml") -> Program:
    return mr.load_program_text(f"extends: {base}\n" + dedent(rules), base=DATA)


def log(rows: str) -> io.StringIO:
    return io.StringIO(HEADER + dedent(rows).strip() + "\n")


def check(prog: Program, rows: str, as_of: str, roster: Path = ROSTER) -> tuple[Finding, ...]:
    return mr.check(prog, roster, log(rows), as_of=as_of, metrics=False, strict=True).findings


def brief(findings: tuple[Finding, ...]) -> list[tuple[Any, ...]]:
    return [(f.subject, f.period, f.evidence) for f in findings]


SEMESTER = builtin("umms", "semester-meeting")
SMALL_GROUP = builtin("medmentors", "monthly-small-group")

# ------------------------------------------------------------------- UMMS, per mentee

FALL_MEETINGS = """
    g1,meeting,2025-09-15T18:00,,,p-a,s-01;s-02,in_person,,,
    i1,meeting,2025-10-01T12:00,,,p-b,s-03,video,,,
    g2,meeting,2025-09-16T18:00,,,p-c,p-d;s-04;s-05,in_person,,,
"""


def test_a_group_or_an_individual_meeting_in_person_or_by_video_meets_the_semester() -> None:
    assert check(SEMESTER, FALL_MEETINGS, as_of="2025-12-20") == ()


def test_a_mentee_not_met_in_a_finished_semester_is_a_finding_for_that_term() -> None:
    rows = FALL_MEETINGS.replace("s-01;s-02", "s-01")
    [finding] = check(SEMESTER, rows, as_of="2025-12-20")
    assert (finding.rule, finding.subject, finding.unit, finding.period) == (
        "semester-meeting", "s-02", "c1", "fall-2025")
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-12-20T00:00:00-05:00"
    assert finding.message.startswith(
        "s-02 had no group or individual meeting (in person or by video) with a mentor of "
        "cohort c1 (p-a, p-b) in Fall semester 2025; at least 1 a term is required "
        "(handbook: \"Meet with mentees in person or via video call")


def test_a_phone_call_is_not_a_meeting_for_umms() -> None:
    rows = FALL_MEETINGS.replace("i1,meeting,2025-10-01T12:00,,,p-b,s-03,video",
                                 "i1,meeting,2025-10-01T12:00,,,p-b,s-03,phone")
    assert brief(check(SEMESTER, rows, as_of="2025-12-20")) == [("s-03", "fall-2025", ())]


def test_a_term_still_open_at_as_of_is_pending_then_at_risk_not_a_breach() -> None:
    rows = FALL_MEETINGS.replace("s-01;s-02", "s-01")
    assert check(SEMESTER, rows, as_of="2025-12-19T23:59") == ()
    early = mr.status(SEMESTER, ROSTER, log(rows), as_of="2025-11-01")
    late = mr.status(SEMESTER, ROSTER, log(rows), as_of="2025-12-01")  # 21 days warning
    assert {o.subject: o.state for o in early.obligations}["s-02"] == "pending"
    assert {o.subject: o.state for o in late.obligations} == {
        "s-01": "met", "s-02": "at_risk", "s-03": "met", "s-04": "met", "s-05": "met"}


def test_each_term_is_counted_on_its_own() -> None:
    rows = FALL_MEETINGS + """
        s1,meeting,2026-02-01T12:00,,,p-a,s-01;s-02;s-03,video,,,
    """
    assert brief(check(SEMESTER, rows, as_of="2026-06-01")) == [
        ("s-04", "spring-2026", ()), ("s-05", "spring-2026", ())]


def test_the_organiser_counts_as_an_attendee() -> None:
    rows = FALL_MEETINGS + "x1,meeting,2025-10-02T12:00,,,s-02,p-a,in_person,,,\n"
    rows = rows.replace("s-01;s-02", "s-01")
    assert check(SEMESTER, rows, as_of="2025-12-20") == ()


def test_the_format_is_derived_from_the_mentees_present_not_the_mentors() -> None:
    individual = program("""
        rules:
          - {id: one-to-one, kind: meeting-cadence, per: term, formats: [individual]}
    """)
    rows = """
        a1,meeting,2025-09-15T18:00,,,p-a,p-b;s-01,in_person,,,
        a2,meeting,2025-09-15T19:00,,,p-a,s-02;s-03,in_person,,,
        a3,meeting,2025-09-16T18:00,,,p-c,s-04,video,,,
        a4,meeting,2025-09-16T19:00,,,p-d,s-05,video,group,,
    """
    # a1 (two mentors, one mentee) is individual; a2 is a group; a4 says it is a group.
    assert brief(check(individual, rows, as_of="2025-12-20")) == [
        ("s-02", "fall-2025", ()), ("s-03", "fall-2025", ()), ("s-05", "fall-2025", ())]


def test_duty_mentor_each_mentor_must_meet_the_mentee() -> None:
    each = program("""
        rules:
          - {id: each-mentor-meets, kind: meeting-cadence, per: term, duty: mentor}
    """)
    rows = """
        a1,meeting,2025-09-15T18:00,,,p-a,p-b;s-01;s-02;s-03,in_person,,,
        c1,meeting,2025-09-16T18:00,,,p-c,s-04;s-05,video,,,
    """
    found = check(each, rows, as_of="2025-12-20")
    assert [(f.subject, f.mentors) for f in found] == [("s-04", ("p-d",)), ("s-05", ("p-d",))]
    assert found[0].message.startswith("s-04 had no group or individual meeting (in person or "
                                       "by video) with p-d in Fall semester 2025")


# ------------------------------------------------------------------- MedMentors, per unit


def test_a_small_group_encounter_every_month() -> None:
    rows = """
        e1,meeting,2023-09-12T18:00,,,m-1,n-01;n-02;n-03,in_person,,,
        e2,meeting,2023-09-14T18:00,,,m-2,n-04;n-05,video,,,
    """
    found = check(SMALL_GROUP, rows, as_of="2023-10-01", roster=GROUPS)
    assert brief(found) == [("g1", "2023-08", ()), ("g2", "2023-08", ())]  # August had none


def test_a_group_that_only_met_individually_is_a_finding_naming_the_group() -> None:
    rows = """
        e1,meeting,2023-09-12T18:00,,,m-1,n-01;n-02;n-03,in_person,,,
        e2,meeting,2023-09-14T18:00,,,m-2,n-04,video,,,
        e3,meeting,2023-09-15T18:00,,,m-2,n-05,video,,,
    """
    found = [f for f in check(SMALL_GROUP, rows, as_of="2023-10-01", roster=GROUPS)
             if f.period == "2023-09"]
    [finding] = found
    assert (finding.subject, finding.unit, finding.mentors) == ("g2", "g2", ("m-2",))
    assert finding.message.startswith(
        "small group g2 held no group meeting (in person or by video) attended by at least 2 "
        "of its mentees in September 2023; at least 1 a month is required")


def test_mentees_of_another_group_do_not_make_up_the_quorum() -> None:
    # Two mentees attend, so it is a group meeting, but only one of them is in g1.
    rows = """
        e1,meeting,2023-09-12T18:00,,,m-1,n-01;n-04,in_person,,,
        e2,meeting,2023-09-14T18:00,,,m-2,n-04;n-05,video,,,
    """
    september = [f.subject for f in check(SMALL_GROUP, rows, as_of="2023-10-01", roster=GROUPS)
                 if f.period == "2023-09"]
    assert september == ["g1"]


def test_a_unit_smaller_than_min_mentees_needs_all_its_mentees() -> None:
    three = program("""
        rules:
          - {id: trio, kind: meeting-cadence, per: term, subject: unit, min_mentees: 3}
    """)
    rows = """
        a1,meeting,2025-09-15T18:00,,,p-a,s-01;s-02;s-03,in_person,,,
        c1,meeting,2025-09-16T18:00,,,p-c,s-04;s-05,video,,,
    """
    assert check(three, rows, as_of="2025-12-20") == ()


def test_status_per_unit_names_the_unit_and_its_mentors() -> None:
    rows = """
        e1,meeting,2023-10-03T18:00,,,m-1,n-01;n-02,in_person,,,
    """
    status = mr.status(SMALL_GROUP, GROUPS, log(rows), as_of="2023-10-20")
    assert [(o.subject, o.unit, o.mentors, o.period, o.state, o.evidence)
            for o in status.obligations] == [
        ("g1", "g1", ("m-1",), "2023-10", "met", ("e1",)),
        ("g2", "g2", ("m-2",), "2023-10", "pending", ()),
    ]


def test_a_season_of_encounters_from_a_fixture_file() -> None:
    # tests/data/activity/encounters-2023.csv: g2 meets its mentees one at a time in
    # September and by phone in October.
    report = mr.check(SMALL_GROUP, GROUPS, DATA / "encounters-2023.csv", as_of="2023-11-01",
                      metrics=False)
    assert report.rows["events"].rejected == 0
    assert brief(report.findings) == [("g2", "2023-09", ()), ("g2", "2023-10", ())]
