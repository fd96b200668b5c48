"""contact-cadence: at least N contacts per period with every mentee.

Roster (tests/data/activity/roster.csv): cohort c1 = mentors p-a, p-b and
mentees s-01, s-02, s-03; cohort c2 = p-c, p-d with s-04, s-05; s-03 is also in
the MD/PhD overlay unit md-phd (mentor p-x). Most tests use autumn.yaml: one
term from 1 October to 30 November 2025, zone America/New_York.
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


def program(rules: str, base: str = "autumn.yaml") -> Program:
    """A test program (tests/data/activity/``base``) with these rules."""
    return mr.load_program_text(f"extends: {base}\n" + dedent(rules), base=DATA)


def with_umms_rules(*rule_ids: str, base: str = "autumn.yaml") -> Program:
    """The named rules of the built-in UMMS program, on a test program's calendar."""
    umms = mr.load_program("umms")
    return program("rules: []\n", base).model_copy(
        update={"rules": tuple(r for r in umms.rules if r.id in rule_ids)})


def log(rows: str) -> io.StringIO:
    return io.StringIO(HEADER + dedent(rows).strip() + "\n")


def check(prog: Program, rows: str, as_of: str) -> tuple[Finding, ...]:
    return mr.check(prog, ROSTER, log(rows), as_of=as_of, metrics=False, strict=True).findings


def brief(findings: tuple[Finding, ...]) -> list[tuple[Any, ...]]:
    return [(f.subject, f.period, f.evidence) for f in findings]


MONTHLY = with_umms_rules("monthly-contact")
OCTOBER_FOR_ALL = """
    g1,message,2025-10-02T19:00,,,p-a,s-01;s-02;s-03,chat,,,
    g2,message,2025-10-03T08:30,,,p-c,s-04;s-05,email,,,
"""


def test_one_group_message_a_month_counts_for_every_recipient() -> None:
    assert check(MONTHLY, OCTOBER_FOR_ALL, as_of="2025-11-01") == ()


def test_a_mentee_nobody_contacted_in_a_month_is_a_finding_for_that_month() -> None:
    rows = """
        g1,message,2025-10-02T19:00,,,p-a,s-01;s-02,chat,,,
        g2,message,2025-10-03T08:30,,,p-c,s-04;s-05,email,,,
    """
    [finding] = check(MONTHLY, rows, as_of="2025-11-01")
    assert (finding.rule, finding.subject, finding.unit, finding.period) == (
        "monthly-contact", "s-03", "c1", "2025-10")
    assert finding.mentors == ("p-a", "p-b")
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-11-01T00:00:00-04:00"
    assert finding.message == (
        "s-03 had no contact from a mentor of cohort c1 (p-a, p-b) in October 2025; at least "
        "1 a month is required (handbook: \"Maintain active communication with mentees, with at "
        "least one communication per month.\")"
    )


def test_a_meeting_both_attended_is_a_contact() -> None:
    rows = """
        g1,message,2025-10-02T19:00,,,p-a,s-01;s-02,chat,,,
        g2,message,2025-10-03T08:30,,,p-c,s-04;s-05,email,,,
        m1,meeting,2025-10-20T17:00,,,s-03,p-b,in_person,,,
    """
    assert check(MONTHLY, rows, as_of="2025-11-01") == ()


def test_a_message_from_the_mentee_is_not_a_contact() -> None:
    rows = OCTOBER_FOR_ALL.replace("s-01;s-02;s-03", "s-01;s-02") + """
        m1,message,2025-10-20T17:00,,,s-03,p-a,text,,,
    """
    assert brief(check(MONTHLY, rows, as_of="2025-11-01")) == [("s-03", "2025-10", ())]


def test_mentors_of_another_unit_do_not_count() -> None:
    # p-x mentors s-03 in the MD/PhD overlay, p-c in cohort c2: neither is s-03's pair.
    rows = OCTOBER_FOR_ALL.replace("s-01;s-02;s-03", "s-01;s-02") + """
        x1,message,2025-10-10T12:00,,,p-x,s-03,text,,,
        x2,meeting,2025-10-11T12:00,,,p-c,s-03;s-04,video,,,
    """
    assert brief(check(MONTHLY, rows, as_of="2025-11-01")) == [("s-03", "2025-10", ())]


def test_a_month_still_open_at_as_of_is_pending_not_a_breach() -> None:
    # October is contacted; November has no contact yet but is not over on 20 November.
    assert check(MONTHLY, OCTOBER_FOR_ALL, as_of="2025-11-20") == ()
    status = mr.status(MONTHLY, ROSTER, log(OCTOBER_FOR_ALL), as_of="2025-11-20")
    assert {(o.subject, o.period, o.state) for o in status.obligations} == {
        (mentee, "2025-11", "pending") for mentee in ("s-01", "s-02", "s-03", "s-04", "s-05")
    }


def test_inside_warn_before_of_the_month_end_the_obligation_is_at_risk() -> None:
    # UMMS warns 7 days ahead: from 24 November 00:00 for a month ending 1 December 00:00.
    rows = OCTOBER_FOR_ALL + """
        n1,message,2025-11-03T10:00,,,p-b,s-01,text,,,
    """
    status = mr.status(MONTHLY, ROSTER, log(rows), as_of="2025-11-24T00:00")
    states = {o.subject: o.state for o in status.obligations}
    assert states == {"s-01": "met", "s-02": "at_risk", "s-03": "at_risk", "s-04": "at_risk",
                      "s-05": "at_risk"}
    [met] = [o for o in status.obligations if o.subject == "s-01"]
    assert met.evidence == ("n1",)
    assert met.due is not None
    assert met.due.isoformat() == "2025-12-01T00:00:00-05:00"


def test_the_last_second_of_a_month_counts_for_it_and_midnight_for_the_next() -> None:
    rows = """
        g1,message,2025-10-31T23:59:59,,,p-a,s-01;s-02;s-03,text,,,
        g2,message,2025-11-01T00:00:00,,,p-c,s-04;s-05,text,,,
    """
    assert brief(check(MONTHLY, rows, as_of="2025-12-01")) == [
        ("s-01", "2025-11", ()), ("s-02", "2025-11", ()), ("s-03", "2025-11", ()),
        ("s-04", "2025-10", ()), ("s-05", "2025-10", ()),
    ]


def test_a_month_outside_every_term_is_not_evaluated() -> None:
    gap = mr.load_program_text(dedent("""
        extends: program.yaml
        calendar:
          year: 2025-2026
          terms:
            - {id: early, start: 2025-09-01, end: 2025-10-31}
            - {id: late, start: 2025-12-01, end: 2025-12-19}
        rules:
          - {id: monthly-contact, kind: contact-cadence, per: month}
    """), base=DATA)
    rows = """
        s1,message,2025-09-02T12:00,,,p-a,s-01;s-02;s-03,text,,,
        s2,message,2025-09-02T12:00,,,p-c,s-04;s-05,text,,,
        o1,message,2025-10-02T12:00,,,p-a,s-01;s-02;s-03,text,,,
        o2,message,2025-10-02T12:00,,,p-c,s-04;s-05,text,,,
        d1,message,2025-12-02T12:00,,,p-a,s-01;s-02;s-03,text,,,
        d2,message,2025-12-02T12:00,,,p-c,s-04;s-05,text,,,
    """
    assert check(gap, rows, as_of="2026-01-15") == ()  # no finding for November


def test_min_two_counts_each_contact_and_shows_the_one_there_was() -> None:
    twice = program("""
        rules:
          - {id: twice-monthly, kind: contact-cadence, per: month, min: 2}
    """)
    rows = OCTOBER_FOR_ALL + """
        t1,message,2025-10-10T12:00,,,p-b,s-01;s-02;s-03,text,,,
        t2,message,2025-10-10T12:00,,,p-d,s-04,text,,,
    """
    [finding] = check(twice, rows, as_of="2025-11-01")
    assert (finding.subject, finding.evidence) == ("s-05", ("g2",))
    assert finding.message.startswith("s-05 had only 1 contact from a mentor of cohort c2")
    assert finding.details == {"count": 1, "min": 2}


def test_a_meeting_with_both_mentors_counts_once_for_the_unit() -> None:
    twice = program("""
        rules:
          - {id: twice-monthly, kind: contact-cadence, per: month, min: 2}
    """)
    rows = """
        m1,meeting,2025-10-10T12:00,,,p-a,p-b;s-01,in_person,,,
    """
    found = check(twice, rows, as_of="2025-11-01")
    assert ("s-01", "2025-10", ("m1",)) in brief(found)


def test_channels_and_topics_narrow_what_counts() -> None:
    limits = program("""
        rules:
          - id: talk-limits
            kind: contact-cadence
            per: term
            topics: [mentoring-limits]
            channels: [in_person, video]
    """)
    rows = """
        l1,meeting,2025-10-10T12:00,,,p-a,s-01;s-02,in_person,,,mentoring-limits
        l2,message,2025-10-10T12:00,,,p-a,s-03,text,,,mentoring-limits
        l3,meeting,2025-10-11T12:00,,,p-c,s-04;s-05,video,,,study-skills
    """
    found = check(limits, rows, as_of="2025-12-01")
    assert brief(found) == [("s-03", "autumn-2025", ()), ("s-04", "autumn-2025", ()),
                            ("s-05", "autumn-2025", ())]
    assert found[0].message.startswith(
        "s-03 had no contact on mentoring-limits in person or by video from a mentor of "
        "cohort c1 (p-a, p-b) in Autumn term 2025; at least 1 a term is required")


def test_umms_explain_limits_is_checked_in_the_fall_term_only() -> None:
    explain = with_umms_rules("explain-limits", base="program.yaml")
    rows = """
        l1,meeting,2025-09-10T12:00,,,p-a,s-01;s-02;s-03,in_person,,,mentoring-limits
        l2,message,2025-09-11T12:00,,,p-d,s-04;s-05,email,,,mentoring-limits
    """
    assert check(explain, rows, as_of="2026-06-01") == ()
    found = check(explain, rows.replace("s-04;s-05", "s-04"), as_of="2026-06-01")
    assert [(f.subject, f.period, f.severity) for f in found] == [
        ("s-05", "fall-2025", "warning")]


def test_a_term_still_open_at_as_of_gives_pending() -> None:
    explain = with_umms_rules("explain-limits", base="program.yaml")
    status = mr.status(explain, ROSTER, log("x1,message,2025-09-01T12:00,,,p-a,s-01,text,,,"),
                       as_of="2025-10-01")
    assert check(explain, "x1,message,2025-09-01T12:00,,,p-a,s-01,text,,,",
                 as_of="2025-10-01") == ()
    assert {o.state for o in status.obligations} == {"pending"}
    assert {o.period for o in status.obligations} == {"fall-2025"}


def test_between_terms_status_shows_the_next_period() -> None:
    monthly = program("rules: [{id: monthly, kind: contact-cadence}]\n", base="program.yaml")
    status = mr.status(monthly, ROSTER, log(OCTOBER_FOR_ALL), as_of="2026-06-15")
    assert status.obligations == ()  # the calendar is over: nothing is due
    status = mr.status(monthly, ROSTER, log(OCTOBER_FOR_ALL), as_of="2025-07-01")
    assert {(o.period, o.state) for o in status.obligations} == {("2025-08", "pending")}


def test_events_after_as_of_are_not_seen() -> None:
    rows = OCTOBER_FOR_ALL + """
        n1,message,2025-11-25T10:00,,,p-b,s-01,text,,,
    """
    status = mr.status(MONTHLY, ROSTER, log(rows), as_of="2025-11-20")
    assert {o.subject: o.state for o in status.obligations}["s-01"] == "pending"


# ------------------------------------------------------------------- duty: mentor

PER_MENTOR = program("""
    rules:
      - {id: each-mentor-monthly, kind: contact-cadence, per: month, duty: mentor}
""")


def test_duty_mentor_each_mentor_owes_the_contact() -> None:
    rows = """
        g1,message,2025-10-02T19:00,,,p-a,s-01;s-02;s-03,chat,,,
        g2,message,2025-10-03T08:30,,,p-c,s-04;s-05,email,,,
        g3,message,2025-10-03T08:30,,,p-d,s-04;s-05,email,,,
    """
    found = check(PER_MENTOR, rows, as_of="2025-11-01")
    assert [(f.subject, f.mentors) for f in found] == [
        ("s-01", ("p-b",)), ("s-02", ("p-b",)), ("s-03", ("p-b",))]
    assert found[0].message.startswith("s-01 had no contact from p-b in October 2025")


def test_duty_mentor_the_partner_covers_a_notified_absence() -> None:
    rows = """
        a1,absence,2025-09-28T09:00,2025-10-01T00:00,2025-10-15T00:00,p-b,p-a,,,,
        g1,message,2025-10-02T19:00,,,p-a,s-01;s-02;s-03,chat,,,
        g2,message,2025-10-03T08:30,,,p-c,s-04;s-05,email,,,
        g3,message,2025-10-03T08:30,,,p-d,s-04;s-05,email,,,
    """
    assert check(PER_MENTOR, rows, as_of="2025-11-01") == ()


def test_an_autumn_log_from_a_fixture_file() -> None:
    # tests/data/activity/contacts-autumn.csv: October is covered for everyone by group
    # messages; in November s-03 hears only from the MD/PhD mentor, which is not the pair.
    report = mr.check(MONTHLY, ROSTER, DATA / "contacts-autumn.csv", as_of="2025-12-01",
                      metrics=False)
    assert report.rows["events"].rejected == 0
    assert brief(report.findings) == [("s-03", "2025-11", ())]
