"""absence-notice: the other mentor of the pair is told before the absence starts.

Roster (tests/data/activity/roster.csv): cohort c1 = mentors p-a, p-b and mentees
s-01, s-02, s-03; cohort c2 = p-c, p-d with s-04, s-05; p-x mentors only the
MD/PhD overlay. groups.csv: single-mentor small groups (m-1 with n-01..n-03).
An absence row: at = notice sent, start/end = the absence, from = the mentor,
to = who was told.
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
HEADER = "id,type,at,start,end,from,to,channel,format,reply_to,topic\n"


def umms(*rule_ids: str) -> Program:
    program = mr.load_program("umms")
    return program.model_copy(update={"rules": tuple(r for r in program.rules
                                                     if r.id in rule_ids)})


def program(rules: str) -> Program:
    return mr.load_program_text("extends: program.yaml\n" + dedent(rules), base=DATA)


def log(rows: str) -> io.StringIO:
    return io.StringIO(HEADER + dedent(rows).strip() + "\n")


def check(prog: Program, rows: str, as_of: str, roster: Path = ROSTER) -> tuple[Finding, ...]:
    return mr.check(prog, roster, log(rows), as_of=as_of, metrics=False, strict=True).findings


def brief(findings: tuple[Finding, ...]) -> list[tuple[Any, ...]]:
    return [(f.subject, f.unit, f.severity, f.evidence) for f in findings]


NOTICE = umms("absence-notice")


def test_telling_the_partner_and_the_mentees_before_the_absence_is_clean() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b;s-01;s-02;s-03,,,,
    """
    assert check(NOTICE, rows, as_of="2025-12-01") == ()


def test_a_partner_never_told_is_a_finding_once_the_absence_has_started() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,s-01;s-02,,,,
    """
    assert check(NOTICE, rows, as_of="2025-11-02") == ()  # p-b can still be told
    [finding] = check(NOTICE, rows, as_of="2025-11-03T08:01")
    assert (finding.rule, finding.subject, finding.unit, finding.period) == (
        "absence-notice", "p-a", "c1", "2025-11")
    assert (finding.severity, finding.evidence, finding.mentors) == ("error", ("a1",), ("p-a",))
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-11-03T08:00:00-05:00"
    assert finding.message.startswith(
        "the notice of p-a's absence (Mon 3 Nov 08:00 to Sat 8 Nov 00:00) did not reach p-b: "
        "the other mentor of cohort c1 must be told before it starts (handbook: \"Mentors who "
        "anticipate")
    assert finding.details["missing"] == ["p-b"]


def test_a_partner_told_after_the_start_is_told_how_late() -> None:
    rows = """
        a1,absence,2025-11-03T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b;s-01,,,,
    """
    [finding] = check(NOTICE, rows, as_of="2025-11-03T10:00")
    assert "reached p-b on Mon 3 Nov 09:00, 1 hour after it started" in finding.message


def test_a_later_notice_of_the_same_absence_adds_the_partner_in_time() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,s-01;s-02;s-03,,,,
        a2,absence,2025-11-02T20:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b,,,,
    """
    assert check(NOTICE, rows, as_of="2025-12-01") == ()


def test_min_notice_asks_for_more_than_before_the_start() -> None:
    two_days = program("""
        rules:
          - {id: notice-2d, kind: absence-notice, min_notice: 2d}
    """)
    rows = """
        a1,absence,2025-11-02T08:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b;s-01,,,,
        a2,absence,2025-11-01T08:00,2025-11-03T08:00,2025-11-08T00:00,p-c,p-d;s-04,,,,
    """
    # 48 real hours before Mon 3 Nov 08:00 EST is Sat 1 Nov 09:00 EDT (clocks went back
    # on Sun 2 Nov), so p-c's notice (49 hours ahead) is in time and p-a's is not.
    [finding] = check(two_days, rows, as_of="2025-12-01")
    assert (finding.subject, finding.due.isoformat() if finding.due else None) == (
        "p-a", "2025-11-01T09:00:00-04:00")
    assert ("reached p-b on Sun 2 Nov 08:00, only 24 hours before it started: the other "
            "mentor of cohort c1 must be told at least 48 hours before it starts") in (
        finding.message)


def test_no_mentee_told_is_an_info_finding_mentees_are_only_encouraged() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b,,,,
    """
    [finding] = check(NOTICE, rows, as_of="2025-12-01")
    assert brief((finding,)) == [("p-a", "c1", "info", ("a1",))]
    assert finding.message.startswith(
        "no mentee of cohort c1 was told of p-a's absence (Mon 3 Nov 08:00 to Sat 8 Nov 00:00); "
        "mentors are encouraged to notify their mentees as well")


def test_mentees_ignore_drops_the_encouragement() -> None:
    quiet = program("""
        rules:
          - {id: notice, kind: absence-notice, mentees: ignore}
    """)
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b,,,,
    """
    assert check(quiet, rows, as_of="2025-12-01") == ()


def test_one_mentee_told_is_enough_for_the_encouragement() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b;s-02,,,,
    """
    assert check(NOTICE, rows, as_of="2025-12-01") == ()


def test_telling_the_mentors_and_mentees_of_another_cohort_tells_no_one_it_asks_about() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-c;p-d;s-04;p-a,,,,
    """
    found = check(NOTICE, rows, as_of="2025-12-01")
    assert brief(found) == [("p-a", "c1", "error", ("a1",)), ("p-a", "c1", "info", ("a1",))]
    assert found[0].details["missing"] == ["p-b"]


def test_a_mentor_of_two_cohorts_tells_each_partner_and_each_cohorts_mentees(
        tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER.read_text(encoding="utf-8").replace(
        "p-c,Cat Reyes,mentor,M3,south,MD,c2,", "p-c,Cat Reyes,mentor,M3,south,MD,c2;c3,") + (
        "p-e,Em Ito,mentor,M4,south,MD,c3,\ns-06,Gus Hale,mentee,M1,south,MD,c3,\n"
        "f-3,Dr Holt,faculty,,south,,c3,\n"), encoding="utf-8")
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-c,p-d;s-04,,,,
        a2,absence,2025-11-04T09:00,2025-11-03T08:00,2025-11-08T00:00,p-c,p-e;s-05,,,,
    """
    found = check(NOTICE, rows, as_of="2025-12-01", roster=roster)
    assert brief(found) == [("p-c", "c3", "error", ("a1", "a2")),
                            ("p-c", "c3", "info", ("a1", "a2"))]
    assert "reached p-e on Tue 4 Nov 09:00, 25 hours after it started" in found[0].message


def test_a_mentor_without_a_partner_has_no_one_to_tell_but_the_mentees() -> None:
    solo = mr.load_program("medmentors").model_copy(update={"rules": program("""
        rules:
          - {id: notice, kind: absence-notice, mentees: warning}
    """).rules})
    rows = """
        a1,absence,2023-10-01T09:00,2023-10-03T08:00,2023-10-06T00:00,m-1,,,,,
    """
    found = check(solo, rows, as_of="2023-11-01", roster=DATA / "groups.csv")
    assert brief(found) == [("m-1", "g1", "warning", ("a1",))]


def test_absences_of_mentees_of_overlay_only_mentors_and_outside_the_year_are_not_checked() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,s-01,,,,,
        a2,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-x,,,,,
        a3,absence,2026-06-01T09:00,2026-06-03T08:00,2026-06-08T00:00,p-a,,,,,
    """
    assert check(NOTICE, rows, as_of="2026-08-01") == ()


def test_status_shows_upcoming_absences_met_pending_or_breached() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-10T08:00,2025-11-15T00:00,p-a,p-b;s-01,,,,
        a2,absence,2025-11-01T10:00,2025-11-12T08:00,2025-11-13T00:00,p-c,s-04,,,,
        a3,absence,2025-11-01T11:00,2025-11-03T08:00,2025-11-07T00:00,p-d,s-05,,,,
    """
    status = mr.status(NOTICE, ROSTER, log(rows), as_of="2025-11-05")
    assert [(o.subject, o.state, o.due.isoformat() if o.due else None, o.mentors)
            for o in status.obligations] == [
        ("p-d", "breached", "2025-11-03T08:00:00-05:00", ("p-d",)),
        ("p-a", "met", "2025-11-10T08:00:00-05:00", ("p-a",)),
        ("p-c", "pending", "2025-11-12T08:00:00-05:00", ("p-c",)),
    ]
    assert status.obligations[2].message == (
        "tell p-d of p-c's absence (Wed 12 Nov 08:00 to Thu 13 Nov 00:00) before it starts")
