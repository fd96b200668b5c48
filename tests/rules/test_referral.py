"""referral: a concern on an out-of-scope topic is referred to an allowed target in time.

The program (tests/data/activity2/program.yaml) declares the targets
``faculty-mentor`` (the unit's faculty), ``administrator`` (role staff: st-1) and
``dean`` (a named office), and the topics ``safety`` (to faculty-mentor or
administrator within 24h) and ``standing`` (to the dean within 3d). Unit a:
mentors m3-a, m4-a, faculty f-a, mentees s-a1, s-a2 (s-a2 is also MD/PhD, with
the overlay mentor mp-1). Unit b: m3-b, m4-b, f-b, mentee s-b1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docexamples import docstring_example, prose

import mentorrules as mr
from mentorrules.report import Finding, Obligation
from mentorrules.rules.referral import KIND

DATA = Path(__file__).parents[1] / "data" / "activity2"
PROGRAM = mr.load_program(DATA / "program.yaml")
ROSTER = mr.read_roster(DATA / "roster.csv", PROGRAM)


def program(options: str) -> mr.Program:
    text = ("extends: program.yaml\nid: variant\nrules:\n"
            f"  - {{id: refer, kind: referral, {options}}}\n")
    return mr.load_program_text(text, base=DATA)


def said(ident: str, at: str, who: str, to: str, topic: str = "safety") -> dict[str, Any]:
    return {"id": ident, "type": "message", "at": at, "from": who, "to": to,
            "channel": "text", "topic": topic}


def met(ident: str, at: str, who: str, to: str, topic: str = "safety") -> dict[str, Any]:
    return {"id": ident, "type": "meeting", "at": at, "from": who, "to": to,
            "channel": "in_person", "topic": topic}


def referred(ident: str, at: str, who: str, to: str, topic: str = "safety",
             reply_to: str = "") -> dict[str, Any]:
    return {"id": ident, "type": "referral", "at": at, "from": who, "to": to, "topic": topic,
            "reply_to": reply_to}


def findings(events: list[dict[str, Any]], as_of: str,
             prog: mr.Program = PROGRAM) -> list[Finding]:
    report = mr.check(prog, ROSTER, events, as_of=as_of, metrics=False)
    return [f for f in report.findings if f.kind == "referral"]


def breached(events: list[dict[str, Any]], as_of: str, prog: mr.Program = PROGRAM) -> set[str]:
    """``mentee/first raising event`` for each breach."""
    return {f"{f.subject}/{f.evidence[0]}" for f in findings(events, as_of, prog)}


def duties(events: list[dict[str, Any]], as_of: str,
           prog: mr.Program = PROGRAM) -> list[Obligation]:
    return [o for o in mr.status(prog, ROSTER, events, as_of=as_of).obligations
            if o.kind == "referral"]


RAISED = said("c1", "2025-10-02T22:10", "s-a1", "m3-a")


def test_a_referral_to_an_allowed_target_within_the_window_meets_the_duty() -> None:
    log = [RAISED, referred("r1", "2025-10-03T08:30", "m3-a", "administrator")]

    assert findings(log, as_of="2025-11-01") == []
    [duty] = duties(log, as_of="2025-11-01")
    assert (duty.state, duty.subject, duty.unit, duty.evidence) == ("met", "s-a1", "a",
                                                                    ("c1", "r1"))
    assert duty.message.endswith("to administrator 10 hours 20 minutes after it was raised, "
                                 "within 24h")


def test_targets_resolve_to_people_the_units_faculty_or_anyone_with_the_role() -> None:
    to_faculty = [RAISED, referred("r1", "2025-10-03T08:30", "m4-a", "f-a")]
    to_staff = [RAISED, referred("r1", "2025-10-03T08:30", "m4-a", "st-1")]

    assert findings(to_faculty, as_of="2025-11-01") == []
    assert findings(to_staff, as_of="2025-11-01") == []


def test_a_referral_to_a_target_the_topic_does_not_allow_does_not_count_and_says_so() -> None:
    log = [RAISED, referred("r1", "2025-10-03T08:30", "m3-a", "f-b")]  # another unit's faculty

    [finding] = findings(log, as_of="2025-11-01")

    assert finding.evidence == ("c1", "r1")
    assert "r1 to f-b does not count: safety goes to faculty-mentor (f-a) or administrator " \
        "(anyone with the role staff)" in finding.message


def test_a_named_office_is_reached_only_by_its_id() -> None:
    raised = said("c1", "2025-10-02T22:10", "s-a1", "m3-a", topic="standing")
    to_dean = [raised, referred("r1", "2025-10-04T10:00", "m3-a", "dean", topic="standing")]
    to_faculty = [raised, referred("r1", "2025-10-04T10:00", "m3-a", "f-a", topic="standing")]

    assert findings(to_dean, as_of="2025-11-01") == []
    assert breached(to_faculty, as_of="2025-11-01") == {"s-a1/c1"}


def test_a_late_referral_is_a_breach_that_says_how_late() -> None:
    log = [RAISED, referred("r1", "2025-10-04T09:30", "m4-a", "administrator")]

    [finding] = findings(log, as_of="2025-11-01")

    assert (finding.subject, finding.unit, finding.period) == ("s-a1", "a", "fall")
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-10-03T22:10:00-04:00"
    assert finding.mentors == ("m3-a", "m4-a")
    assert finding.details == {"topic": "safety", "late_hours": 11.3}
    assert finding.message.startswith(
        "m4-a referred the concern about s-a1 on Risk of harm (safety), raised by c1 on Thu 2 Oct "
        "22:10 to administrator 35 hours 20 minutes after it was raised, 11 hours 20 minutes "
        "later than the 24h allowed")
    assert finding.message.endswith(
        '(handbook: "Scenarios that should be referred to faculty/administrators instead of '
        'Peer Mentors.")')


def test_no_referral_is_pending_until_the_deadline_then_a_breach() -> None:
    [before] = duties([RAISED], as_of="2025-10-03T20:00")

    assert before.state == "pending"
    assert before.message == ("refer the concern about s-a1 on Risk of harm (safety), raised by "
                              "c1 on Thu 2 Oct 22:10 to faculty-mentor (f-a) or administrator "
                              "(anyone with the role staff) by Fri 3 Oct 22:10")
    assert findings([RAISED], as_of="2025-10-03T22:09") == []
    assert breached([RAISED], as_of="2025-10-03T22:10") == {"s-a1/c1"}


def test_warn_before_makes_a_concern_at_risk_near_its_deadline() -> None:
    warned = program("warn_before: 6h")

    assert duties([RAISED], as_of="2025-10-03T15:00", prog=warned)[0].state == "pending"
    assert duties([RAISED], as_of="2025-10-03T17:00", prog=warned)[0].state == "at_risk"


def test_a_concern_raised_by_a_mentor_or_in_a_meeting_is_about_every_mentee_there() -> None:
    log = [met("g1", "2025-10-02T18:00", "m3-a", "m4-a;s-a1;s-a2"),
           said("m1", "2025-10-05T10:00", "m3-b", "s-b1")]

    assert breached(log, as_of="2025-11-01") == {"s-a1/g1", "s-a2/g1", "s-b1/m1"}


def test_one_referral_answers_every_mentee_of_the_same_event() -> None:
    log = [met("g1", "2025-10-02T18:00", "m3-a", "m4-a;s-a1;s-a2"),
           referred("r1", "2025-10-03T09:00", "m3-a", "administrator")]

    assert findings(log, as_of="2025-11-01") == []


def test_without_reply_to_a_referral_answers_the_oldest_open_concern() -> None:
    log = [said("c1", "2025-10-02T09:00", "s-a1", "m3-a"),
           said("c2", "2025-10-02T11:00", "s-a2", "m3-a"),
           referred("r1", "2025-10-02T12:00", "m3-a", "administrator")]

    assert breached(log, as_of="2025-11-01") == {"s-a2/c2"}


def test_reply_to_names_the_concern_a_referral_answers() -> None:
    log = [said("c1", "2025-10-02T09:00", "s-a1", "m3-a"),
           said("c2", "2025-10-02T11:00", "s-a2", "m3-a"),
           referred("r1", "2025-10-02T12:00", "m3-a", "administrator", reply_to="c2")]

    assert breached(log, as_of="2025-11-01") == {"s-a1/c1"}


def test_more_messages_on_the_topic_within_the_window_are_the_same_concern() -> None:
    log = [RAISED,
           said("c2", "2025-10-02T23:00", "s-a1", "m3-a"),
           said("c3", "2025-10-03T07:15", "m3-a", "s-a1"),
           referred("r1", "2025-10-03T08:30", "m3-a", "administrator", reply_to="c2"),
           said("c4", "2025-10-03T09:00", "s-a1", "m3-a"),  # thanks: still the same concern
           said("c5", "2025-10-20T09:00", "s-a1", "m3-a")]  # weeks later: a new concern

    assert breached(log, as_of="2025-11-01") == {"s-a1/c5"}
    [first] = [o for o in duties(log, as_of="2025-11-01") if o.state == "met"]
    assert first.evidence == ("c1", "c2", "c3", "c4", "r1")


def test_only_the_mentees_mentors_or_a_mentor_who_heard_it_can_refer() -> None:
    other_unit = [RAISED, referred("r1", "2025-10-03T08:30", "m3-b", "administrator")]
    md_phd = [said("c1", "2025-10-02T22:10", "s-a2", "mp-1"),
              referred("r1", "2025-10-03T08:30", "mp-1", "administrator")]

    assert breached(other_unit, as_of="2025-11-01") == {"s-a1/c1"}
    assert findings(md_phd, as_of="2025-11-01") == []


def test_a_referral_naming_a_concern_it_cannot_answer_says_why_in_the_finding() -> None:
    log = [RAISED,
           referred("r1", "2025-10-03T08:30", "m3-a", "dean", topic="standing", reply_to="c1"),
           referred("r2", "2025-10-03T09:00", "m3-b", "administrator", reply_to="c1")]

    [finding] = findings(log, as_of="2025-11-01")

    assert finding.evidence == ("c1", "r1", "r2")
    assert "; r1 names c1 but is on standing, not safety; r2 is from m3-b, who is no mentor " \
        "of s-a1 and did not hear the concern" in finding.message


def test_a_referral_naming_a_concern_already_referred_answers_and_notes_nothing() -> None:
    log = [RAISED,
           referred("r1", "2025-10-03T08:30", "m3-a", "administrator", reply_to="c1"),
           referred("r2", "2025-10-03T09:00", "m3-a", "dean", topic="standing", reply_to="c1"),
           said("c6", "2025-10-05T09:00", "s-a1", "m3-a"),
           referred("r3", "2025-10-05T10:00", "m3-a", "administrator", reply_to="c1")]

    assert breached(log, as_of="2025-11-01") == {"s-a1/c6"}
    [first] = [o for o in duties(log, as_of="2025-11-01") if o.state == "met"]
    assert first.evidence == ("c1", "r1")


def test_a_referral_before_the_concern_does_not_answer_it() -> None:
    log = [referred("r0", "2025-10-01T08:30", "m3-a", "administrator"), RAISED]

    assert breached(log, as_of="2025-11-01") == {"s-a1/c1"}


def test_what_a_mentee_tells_faculty_directly_raises_no_peer_mentor_concern() -> None:
    log = [said("c1", "2025-10-02T22:10", "s-a1", "f-a")]

    assert findings(log, as_of="2025-11-01") == []


def test_topics_option_limits_the_rule() -> None:
    only_standing = program("topics: [standing]")

    assert findings([RAISED], as_of="2025-11-01", prog=only_standing) == []


def test_a_referral_on_an_unknown_topic_is_a_warning() -> None:
    log = [RAISED, referred("r1", "2025-10-03T08:30", "m3-a", "administrator", topic="safty")]

    found = {f.severity: f for f in findings(log, as_of="2025-11-01")}

    assert found["warning"].evidence == ("r1",)
    assert "topic 'safty', which is no referral topic of the program (did you mean " \
        "'safety'?)" in found["warning"].message
    assert found["error"].subject == "s-a1"


def test_events_after_as_of_are_not_known_yet() -> None:
    log = [RAISED, referred("r1", "2025-10-03T08:30", "m3-a", "administrator")]

    assert duties(log, as_of="2025-10-03T08:00")[0].state == "pending"


def test_the_docstring_example_holds() -> None:
    doc = KIND.doc
    found, [duty] = docstring_example(doc, as_of="2025-11-01")

    assert found == []
    assert duty.state == "met"
    assert prose(duty.message) in prose(doc)


def test_the_docstring_example_without_the_referral() -> None:
    doc = "\n".join(line for line in KIND.doc.splitlines() if "r-1,referral" not in line)
    _, [duty] = docstring_example(doc, as_of="2025-10-03T17:00")

    assert duty.state == "at_risk"
    head, tail = prose(duty.message).split(" raised by c-1 on Thu 2 Oct 22:10 ")
    assert head.startswith("refer the concern about s-038")
    assert tail == ("to faculty-mentor (f-04) or administrator (anyone with the role staff) "
                    "by Fri 3 Oct 22:10")
