"""reply-window: a mentee's message is answered within the window, in real elapsed time.

Roster (tests/data/activity/roster.csv): cohort c1 = mentors p-a, p-b and
mentees s-01, s-02, s-03; cohort c2 = p-c, p-d with s-04, s-05; s-03 is also in
the MD/PhD overlay unit md-phd, whose mentor is p-x. Zone: America/New_York.
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
    """The built-in UMMS program with only the named rules."""
    program = mr.load_program("umms")
    return program.model_copy(update={"rules": tuple(r for r in program.rules
                                                     if r.id in rule_ids)})


def program(rules: str) -> Program:
    """The test program (tests/data/activity/program.yaml) with these rules."""
    return mr.load_program_text("extends: program.yaml\n" + dedent(rules), base=DATA)


def log(rows: str) -> io.StringIO:
    return io.StringIO(HEADER + dedent(rows).strip() + "\n")


def check(prog: Program, rows: str, as_of: str) -> tuple[Finding, ...]:
    return mr.check(prog, ROSTER, log(rows), as_of=as_of, metrics=False, strict=True).findings


def brief(findings: tuple[Finding, ...]) -> list[tuple[Any, ...]]:
    return [(f.rule, f.subject, f.period, f.evidence) for f in findings]


TEXTS = umms("reply-texts-calls")
EMAILS = umms("reply-emails")


def test_a_text_answered_within_24_hours_is_on_time() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
        r1,message,2025-10-07T08:59,,,p-a,s-01,text,,m1,
    """
    assert check(TEXTS, rows, as_of="2025-11-01") == ()


def test_a_late_answer_says_how_late() -> None:
    rows = """
        m1,message,2025-10-31T14:05,,,s-01,p-a,text,,,
        r1,message,2025-11-01T16:35,,,p-a,s-01,text,,m1,
    """
    [finding] = check(TEXTS, rows, as_of="2025-11-15")
    assert finding.rule == "reply-texts-calls"
    assert (finding.subject, finding.unit, finding.period) == ("s-01", "c1", "2025-10")
    assert finding.evidence == ("m1", "r1")
    assert finding.mentors == ("p-a", "p-b")
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-11-01T14:05:00-04:00"
    assert finding.message.startswith(
        "answered 2 hours 30 minutes late (26 hours 30 minutes after the text of Fri 31 Oct "
        "14:05); replies are due within 24 hours (handbook: \"Texts and phone calls must be "
        "responded to within 24 hours.\")"
    )


def test_24_real_hours_across_the_autumn_change_is_late_by_the_wall_clock_23_5() -> None:
    # Clocks go back at 02:00 on Sun 2 Nov 2025: 14:00 EDT to 13:30 EST is 24.5 real hours.
    rows = """
        m1,message,2025-11-01T14:00,,,s-01,p-a,text,,,
        r1,message,2025-11-02T13:30,,,p-a,s-01,text,,m1,
    """
    [finding] = check(TEXTS, rows, as_of="2025-11-15")
    assert finding.message.startswith("answered 30 minutes late (24 hours 30 minutes after")
    assert finding.details["elapsed_seconds"] == 24.5 * 3600


def test_23_5_real_hours_across_the_spring_change_is_on_time_though_the_wall_clock_says_24_5() -> None:
    # Clocks go forward at 02:00 on Sun 8 Mar 2026: 14:00 EST to 14:30 EDT is 23.5 real hours.
    rows = """
        m1,message,2026-03-07T14:00,,,s-01,p-a,text,,,
        r1,message,2026-03-08T14:30,,,p-a,s-01,text,,m1,
    """
    assert check(TEXTS, rows, as_of="2026-04-01") == ()


def test_an_email_answered_after_47_hours_is_on_time_and_after_49_hours_late() -> None:
    rows = """
        e1,message,2025-10-06T09:00,,,s-01,p-a,email,,,
        r1,message,2025-10-08T08:00,,,p-a,s-01,email,,e1,
        e2,message,2025-10-06T09:00,,,s-02,p-b,email,,,
        r2,message,2025-10-08T10:00,,,p-b,s-02,email,,e2,
    """
    [finding] = check(EMAILS, rows, as_of="2025-11-01")
    assert (finding.subject, finding.evidence) == ("s-02", ("e2", "r2"))
    assert finding.message.startswith(
        "answered 1 hour late (49 hours after the e-mail of Mon 6 Oct 09:00); "
        "replies are due within 48 hours"
    )


def test_a_call_is_answered_on_any_channel_by_the_first_contact_after_it() -> None:
    # No reply_to: the partner's text to the mentee two hours later answers the call.
    rows = """
        c1,message,2025-10-06T09:00,,,s-01,p-a,phone,,,
        t1,message,2025-10-06T11:00,,,p-b,s-01,text,,,
    """
    assert check(TEXTS, rows, as_of="2025-11-01") == ()


def test_a_meeting_both_attended_answers_the_message() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-02,p-a,text,,,
        g1,meeting,2025-10-06T18:00,,,p-b,s-01;s-02,in_person,,,
    """
    assert check(TEXTS, rows, as_of="2025-11-01") == ()


def test_a_contact_before_the_message_does_not_answer_it() -> None:
    rows = """
        t0,message,2025-10-06T08:00,,,p-a,s-01,text,,,
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
    """
    [finding] = check(TEXTS, rows, as_of="2025-11-01")
    assert finding.evidence == ("m1",)
    assert finding.message.startswith(
        "not answered: the text of Mon 6 Oct 09:00 was due an answer by Tue 7 Oct 09:00"
    )


def test_the_partners_reply_to_counts_for_the_unit() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
        r1,message,2025-10-06T10:00,,,p-b,s-01,text,,m1,
    """
    assert check(TEXTS, rows, as_of="2025-11-01") == ()


def test_a_reply_in_a_group_thread_counts_through_reply_to() -> None:
    # The answer goes to the whole cohort thread, not to s-01 alone.
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,chat,,,
        r1,message,2025-10-06T10:00,,,p-a,s-02;s-03,chat,,m1,
    """
    chats = program("""
        rules:
          - {id: reply-chats, kind: reply-window, channels: [chat], within: 24h}
    """)
    assert check(chats, rows, as_of="2025-11-01") == ()


def test_a_mentor_of_another_cohort_does_not_answer_for_c1() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
        r1,message,2025-10-06T10:00,,,p-c,s-01,text,,m1,
    """
    assert brief(check(TEXTS, rows, as_of="2025-11-01")) == [
        ("reply-texts-calls", "s-01", "2025-10", ("m1",)),
    ]


def test_a_group_message_answers_each_mentee_who_wrote() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
        m2,message,2025-10-06T09:30,,,s-02,p-a,text,,,
        r1,message,2025-10-06T12:00,,,p-a,s-01;s-02,text,,,
    """
    assert check(TEXTS, rows, as_of="2025-11-01") == ()


def test_channels_outside_the_rule_open_no_window() -> None:
    rows = """
        e1,message,2025-10-06T09:00,,,s-01,p-a,email,,,
    """
    assert check(TEXTS, rows, as_of="2025-11-01") == ()


def test_a_message_to_the_md_phd_mentor_must_be_answered_by_an_md_phd_mentor() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-03,p-x,text,,,
        r1,message,2025-10-06T10:00,,,p-a,s-03,text,,m1,
    """
    [finding] = check(TEXTS, rows, as_of="2025-11-01")
    assert (finding.subject, finding.unit, finding.mentors) == ("s-03", "md-phd", ("p-x",))


def test_a_message_to_the_pair_and_the_md_phd_mentor_is_answered_by_either() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-03,p-x;p-a,text,,,
        r1,message,2025-10-06T10:00,,,p-a,s-03,text,,m1,
        m2,message,2025-10-08T09:00,,,s-03,p-x;p-a,text,,,
        r2,message,2025-10-08T10:00,,,p-x,s-03,text,,m2,
        m3,message,2025-10-20T09:00,,,s-03,p-x;p-a,text,,,
    """
    [finding] = check(TEXTS, rows, as_of="2025-11-01")
    assert (finding.subject, finding.unit, finding.evidence) == ("s-03", "c1", ("m3",))
    assert finding.mentors == ("p-x", "p-a", "p-b")


def test_units_regular_leaves_overlay_mentors_out() -> None:
    regular = program("""
        rules:
          - {id: reply, kind: reply-window, channels: [text], within: 24h, units: regular}
    """)
    rows = """
        m1,message,2025-10-06T09:00,,,s-03,p-x,text,,,
    """
    assert check(regular, rows, as_of="2025-11-01") == ()


def test_a_message_to_both_pair_mentors_is_one_window_for_the_unit() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a;p-b,text,,,
    """
    assert brief(check(TEXTS, rows, as_of="2025-11-01")) == [
        ("reply-texts-calls", "s-01", "2025-10", ("m1",)),
    ]


def test_a_message_sent_in_a_month_outside_every_term_is_not_evaluated() -> None:
    rows = """
        m1,message,2026-06-10T09:00,,,s-01,p-a,text,,,
    """
    assert check(TEXTS, rows, as_of="2026-08-01") == ()


def test_an_answer_after_as_of_is_not_seen() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
        r1,message,2025-10-06T10:00,,,p-a,s-01,text,,m1,
    """
    assert check(TEXTS, rows, as_of="2025-10-06T09:30") == ()
    status = mr.status(TEXTS, ROSTER, log(rows), as_of="2025-10-06T09:30")
    assert [(o.subject, o.state) for o in status.obligations] == [("s-01", "pending")]


# ------------------------------------------------------------------- duty: mentor

PER_MENTOR = program("""
    rules:
      - id: reply-texts
        kind: reply-window
        channels: [text]
        within: 24h
        duty: mentor
""")


def test_duty_mentor_the_partners_answer_does_not_count_without_an_absence() -> None:
    rows = """
        m1,message,2025-11-04T09:00,,,s-01,p-a,text,,,
        r1,message,2025-11-04T10:00,,,p-b,s-01,text,,m1,
    """
    [finding] = check(PER_MENTOR, rows, as_of="2025-12-01")
    assert (finding.subject, finding.mentors) == ("s-01", ("p-a",))


def test_duty_mentor_a_partners_answer_during_a_notified_absence_counts() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b,,,,
        m1,message,2025-11-04T09:00,,,s-01,p-a,text,,,
        r1,message,2025-11-04T10:00,,,p-b,s-01,text,,m1,
    """
    assert check(PER_MENTOR, rows, as_of="2025-12-01") == ()


def test_duty_mentor_an_absence_the_partner_was_not_told_of_does_not_let_them_cover() -> None:
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,s-01;s-02,,,,
        m1,message,2025-11-04T09:00,,,s-01,p-a,text,,,
        r1,message,2025-11-04T10:00,,,p-b,s-01,text,,m1,
    """
    assert brief(check(PER_MENTOR, rows, as_of="2025-12-01")) == [
        ("reply-texts", "s-01", "2025-11", ("m1",)),
    ]


def test_duty_mentor_the_absent_mentor_still_owes_the_answer_after_coming_back() -> None:
    # The absence ended before the message: the partner's answer no longer counts.
    rows = """
        a1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-04T00:00,p-a,p-b,,,,
        m1,message,2025-11-04T09:00,,,s-01,p-a,text,,,
        r1,message,2025-11-04T10:00,,,p-b,s-01,text,,m1,
        r2,message,2025-11-06T10:00,,,p-a,s-01,text,,m1,
    """
    [finding] = check(PER_MENTOR, rows, as_of="2025-12-01")
    assert finding.evidence == ("m1", "r2")
    assert finding.message.startswith("answered 25 hours late (49 hours after the text")


# ------------------------------------------------------------------- status


def test_status_lists_open_windows_soonest_first_with_whom_to_remind() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
        m2,message,2025-10-06T12:00,,,s-04,p-c,text,,,
        m3,message,2025-10-06T07:00,,,s-02,p-b,text,,,
        r3,message,2025-10-06T08:00,,,p-b,s-02,text,,m3,
    """
    status = mr.status(TEXTS, ROSTER, log(rows), as_of="2025-10-07T06:00")
    assert [(o.subject, o.state, o.due.isoformat() if o.due else None, o.mentors)
            for o in status.obligations] == [
        ("s-02", "met", "2025-10-07T07:00:00-04:00", ("p-a", "p-b")),
        ("s-01", "at_risk", "2025-10-07T09:00:00-04:00", ("p-a", "p-b")),
        ("s-04", "pending", "2025-10-07T12:00:00-04:00", ("p-c", "p-d")),
    ]
    assert status.obligations[1].message == (
        "reply to s-01: the text of Mon 6 Oct 09:00 (m1) is due an answer by Tue 7 Oct 09:00"
    )


def test_status_keeps_an_overdue_unanswered_message_as_breached() -> None:
    rows = """
        m1,message,2025-10-06T09:00,,,s-01,p-a,text,,,
    """
    status = mr.status(TEXTS, ROSTER, log(rows), as_of="2025-10-08T09:00")
    assert [(o.subject, o.state) for o in status.obligations] == [("s-01", "breached")]


def test_an_october_log_from_a_fixture_file() -> None:
    # tests/data/activity/reply-october.csv: three texts, an e-mail and a call.
    report = mr.check(umms("reply-texts-calls", "reply-emails"), ROSTER,
                      DATA / "reply-october.csv", as_of="2025-11-01", metrics=False)
    assert report.rows["events"].rejected == 0
    assert brief(report.findings) == [
        ("reply-emails", "s-02", "2025-10", ("e-20", "r-21")),
        ("reply-texts-calls", "s-04", "2025-10", ("t-30",)),
    ]
