"""survey-participation: everyone asked logs a ``survey`` event while the survey is open.

The program (tests/data/activity2/program.yaml) has ``fall-survey`` for mentors
(open Mon 1 Dec to Fri 19 Dec 2025) and ``mentee-survey`` for mentees (open Mon
16 Mar to Fri 3 Apr 2026). Mentors: m3-a, m4-a, m3-b, m4-b, mp-1; mentees: s-a1,
s-a2 (unit a; s-a2 is also MD/PhD), s-b1 (unit b).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docexamples import docstring_example, prose

import mentorrules as mr
from mentorrules.report import Finding, Obligation
from mentorrules.rules.survey_participation import KIND

DATA = Path(__file__).parents[1] / "data" / "activity2"
PROGRAM = mr.load_program(DATA / "program.yaml")
ROSTER = mr.read_roster(DATA / "roster.csv", PROGRAM)
MENTORS = ("m3-a", "m4-a", "m3-b", "m4-b", "mp-1")
MENTEES = ("s-a1", "s-a2", "s-b1")


def program(options: str) -> mr.Program:
    text = ("extends: program.yaml\nid: variant\nrules:\n"
            f"  - {{id: surveys, kind: survey-participation, {options}}}\n")
    return mr.load_program_text(text, base=DATA)


def took(ident: str, at: str, who: str, topic: str = "fall-survey") -> dict[str, Any]:
    return {"id": ident, "type": "survey", "at": at, "from": who, "topic": topic}


def all_but(*absent: str, at: str = "2025-12-03T20:00") -> list[dict[str, Any]]:
    return [took(f"s-{m}", at, m) for m in MENTORS if m not in absent]


def findings(events: list[dict[str, Any]], as_of: str,
             prog: mr.Program = PROGRAM) -> list[Finding]:
    report = mr.check(prog, ROSTER, events, as_of=as_of, metrics=False)
    return [f for f in report.findings if f.kind == "survey-participation"]


def states(events: list[dict[str, Any]], as_of: str, survey: str = "fall-survey",
           prog: mr.Program = PROGRAM) -> dict[str, Obligation]:
    status = mr.status(prog, ROSTER, events, as_of=as_of)
    return {o.subject: o for o in status.obligations
            if o.kind == "survey-participation" and f"({survey}," in o.message}


def test_completing_while_the_survey_is_open_meets_the_duty() -> None:
    assert findings(all_but(), as_of="2025-12-31") == []
    assert {o.state for o in states(all_but(), "2025-12-31").values()} == {"met"}


def test_no_completion_by_the_end_of_the_due_day_is_a_breach() -> None:
    [finding] = findings(all_but("m3-b"), as_of="2025-12-20T00:00")

    assert (finding.subject, finding.unit, finding.period) == ("m3-b", "b", "fall")
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-12-20T00:00:00-05:00"
    assert finding.message == (
        "m3-b has not completed Fall survey (fall-survey, open Mon 1 Dec to Fri 19 Dec), due by "
        "the end of Fri 19 Dec"
        ' (handbook: "Participate in surveys and focus groups.")')


def test_before_the_due_day_ends_it_is_pending_then_at_risk_within_warn_before() -> None:
    assert findings(all_but("m3-b"), as_of="2025-12-19T23:59") == []
    assert states(all_but("m3-b"), "2025-12-10")["m3-b"].state == "pending"
    assert states(all_but("m3-b"), "2025-12-17T00:00")["m3-b"].state == "at_risk"  # 3d default
    assert states([], "2025-11-20")["m3-a"].state == "pending"  # not even open yet


def test_a_late_completion_is_a_breach_that_says_how_late() -> None:
    log = [*all_but("m4-a"), took("late", "2025-12-22T09:15", "m4-a")]

    [finding] = findings(log, as_of="2026-01-10")

    assert finding.evidence == ("late",)
    assert "m4-a completed Fall survey (fall-survey, open Mon 1 Dec to Fri 19 Dec) on Mon 22 Dec " \
        "09:15, 57 hours 15 minutes after it was due" in finding.message
    assert finding.details["late_hours"] == 57.2


def test_a_completion_before_the_survey_opened_does_not_count_and_is_named() -> None:
    log = [*all_but("m4-a"), took("early", "2025-11-28T10:00", "m4-a")]

    [finding] = findings(log, as_of="2026-01-10")

    assert finding.subject == "m4-a"
    assert finding.evidence == ("early",)
    assert "early was logged before the survey opened and does not count" in finding.message


def test_the_window_opens_at_local_midnight() -> None:
    log = [*all_but("m4-a", "m4-b"),
           took("first-minute", "2025-12-01T00:00", "m4-a"),
           took("last-minute", "2025-11-30T23:59", "m4-b")]

    assert {f.subject for f in findings(log, as_of="2026-01-10")} == {"m4-b"}


def test_participants_follow_the_survey_selector() -> None:
    log = [*all_but(), took("a1", "2026-03-20T12:00", "s-a1", "mentee-survey")]

    found = findings(log, as_of="2026-04-04T00:00")

    assert {(f.subject, f.details["survey"]) for f in found} == {
        ("s-a2", "mentee-survey"), ("s-b1", "mentee-survey")}


def test_surveys_option_limits_the_rule() -> None:
    only_mentees = program("surveys: [mentee-survey]")

    assert {f.details["survey"] for f in findings([], "2026-05-01", only_mentees)} == {
        "mentee-survey"}


def test_an_unknown_survey_topic_is_a_warning() -> None:
    log = [*all_but(), took("typo", "2025-12-04T10:00", "m3-a", "fal-survey")]

    [warning] = findings(log, as_of="2025-12-31")

    assert (warning.severity, warning.subject, warning.evidence) == ("warning", "m3-a", ("typo",))
    assert "(did you mean 'fall-survey'?)" in warning.message
    assert warning.message.endswith("set the topic to one of: fall-survey, mentee-survey")


def test_a_survey_taken_by_someone_not_asked_is_ignored() -> None:
    log = [*all_but(), took("faculty", "2025-12-04T10:00", "f-a")]

    assert findings(log, as_of="2025-12-31") == []


def test_the_docstring_example_holds() -> None:
    doc = KIND.doc
    found, _ = docstring_example(doc, as_of="2026-01-10")

    [late] = [f for f in found if f.subject == "m4-01"]
    assert "m3-01" not in {f.subject for f in found}
    assert prose(late.message.split(" (handbook")[0]) in prose(doc)
