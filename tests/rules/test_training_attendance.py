"""training-attendance: every attendee logs a ``training`` event for each training by its due day.

The program (tests/data/activity2/program.yaml) has the trainings ``orientation``
(Wed 13 Aug 2025 17:00), ``workshop`` (Wed 8 Oct, due Wed 15 Oct),
``optional-talk`` (not required) and ``m4-seminar`` (Wed 11 Feb 2026, for
fourth-year mentors only). Mentors: m3-a, m4-a (unit a), m3-b, m4-b (unit b) and
mp-1 (a fourth-year MD/PhD mentor in the overlay unit only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docexamples import docstring_example, prose

import mentorrules as mr
from mentorrules.report import Finding, Obligation
from mentorrules.rules.training_attendance import KIND

DATA = Path(__file__).parents[1] / "data" / "activity2"
PROGRAM = mr.load_program(DATA / "program.yaml")
ROSTER = mr.read_roster(DATA / "roster.csv", PROGRAM)
MENTORS = ("m3-a", "m4-a", "m3-b", "m4-b", "mp-1")


def program(options: str) -> mr.Program:
    """The test program with its ``attend`` rule given other options."""
    text = ("extends: program.yaml\nid: variant\nrules:\n"
            f"  - {{id: attend, kind: training-attendance, {options}}}\n")
    return mr.load_program_text(text, base=DATA)


def came(ident: str, at: str, who: str, topic: str) -> dict[str, Any]:
    return {"id": ident, "type": "training", "at": at, "from": who, "topic": topic}


def everyone(topic: str, at: str, *, but: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [came(f"{topic}-{m}", at, m, topic) for m in MENTORS if m not in but]


def findings(events: list[dict[str, Any]], as_of: str,
             prog: mr.Program = PROGRAM) -> list[Finding]:
    report = mr.check(prog, ROSTER, events, as_of=as_of, metrics=False)
    return [f for f in report.findings if f.kind == "training-attendance"]


def missed(events: list[dict[str, Any]], as_of: str, prog: mr.Program = PROGRAM) -> set[str]:
    """``person/training`` for each breach."""
    return {f"{f.subject}/{f.details['training']}" for f in findings(events, as_of, prog)}


def duties(events: list[dict[str, Any]], as_of: str, training: str,
           prog: mr.Program = PROGRAM) -> dict[str, Obligation]:
    """The obligations of one training, by person."""
    status = mr.status(prog, ROSTER, events, as_of=as_of)
    return {o.subject: o for o in status.obligations
            if o.kind == "training-attendance" and f"({training}," in o.message}


def test_attending_on_the_day_meets_the_duty() -> None:
    log = everyone("orientation", "2025-08-13T17:05")

    assert findings(log, as_of="2025-09-01") == []
    assert {o.state for o in duties(log, "2025-09-01", "orientation").values()} == {"met"}


def test_a_missed_training_is_a_breach_once_its_due_day_has_ended() -> None:
    log = everyone("orientation", "2025-08-13T17:05", but=("m4-b",))

    [finding] = findings(log, as_of="2025-08-14T08:00")

    assert (finding.subject, finding.unit, finding.period) == ("m4-b", "b", "fall")
    assert finding.due is not None
    assert finding.due.isoformat() == "2025-08-14T00:00:00-04:00"  # the end of the due day
    assert finding.severity == "error"
    assert finding.mentors == ("m4-b",)
    assert finding.message.startswith(
        "m4-b has not attended Mentor orientation (orientation, Wed 13 Aug 17:00), "
        "due by the end of Wed 13 Aug")


def test_the_message_quotes_the_handbook() -> None:
    [finding] = findings(everyone("orientation", "2025-08-13T17:05", but=("m3-a",)),
                         as_of="2025-09-01")

    assert finding.message.endswith(
        '(handbook: "Attend faculty-led training sessions and Peer Mentoring Program '
        'workshops.")')


def test_before_the_due_day_ends_a_missing_attendance_is_pending_then_at_risk() -> None:
    early = duties([], as_of="2025-08-01T09:00", training="orientation")
    close = duties([], as_of="2025-08-10T09:00", training="orientation")  # warn_before: 7d

    assert findings([], as_of="2025-08-13T23:59") == []
    assert {o.state for o in early.values()} == {"pending"}
    assert {o.state for o in close.values()} == {"at_risk"}
    assert early["m3-a"].message == ("attend Mentor orientation (orientation, Wed 13 Aug 17:00, "
                                     "Room 101) by the end of Wed 13 Aug")


def test_attendance_after_the_due_day_is_a_breach_that_says_how_late() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05", but=("m4-a",)),
           came("late-1", "2025-08-20T17:05", "m4-a", "orientation")]

    [finding] = findings(log, as_of="2025-09-01")

    assert finding.subject == "m4-a"
    assert finding.evidence == ("late-1",)
    assert "attended Mentor orientation (orientation, Wed 13 Aug 17:00) on Wed 20 Aug 17:05, " \
        "6 days 17 hours after it was due" in finding.message
    assert finding.details == {"training": "orientation", "late_hours": 161.1}


def test_due_extends_the_window_for_a_make_up_session() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05"),
           *everyone("workshop", "2025-10-08T17:35", but=("m3-b",)),
           came("make-up", "2025-10-15T12:00", "m3-b", "workshop")]

    assert findings(log, as_of="2025-10-20") == []


def test_the_due_day_ends_at_local_midnight_whatever_the_offset_written() -> None:
    # 03:30 UTC on 14 August is 23:30 on 13 August in New York: in time.
    log = [*everyone("orientation", "2025-08-13T17:05", but=("m3-a", "m4-a")),
           came("utc", "2025-08-14T03:30:00+00:00", "m3-a", "orientation"),
           came("next-day", "2025-08-14T00:00", "m4-a", "orientation")]

    assert missed(log, as_of="2025-09-01") == {"m4-a/orientation"}


def test_attendees_follow_the_training_selector() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05"),
           *everyone("workshop", "2025-10-08T17:35")]

    # m4-seminar is for fourth-year mentors: m4-a, m4-b and the MD/PhD mentor mp-1.
    assert missed(log, as_of="2026-03-01") == {
        "m4-a/m4-seminar", "m4-b/m4-seminar", "mp-1/m4-seminar"}


def test_an_overlay_mentor_is_reported_under_the_overlay_unit() -> None:
    [finding] = findings(everyone("orientation", "2025-08-13T17:05", but=("mp-1",)),
                         as_of="2025-09-01")

    assert (finding.subject, finding.unit) == ("mp-1", "md-phd")


def test_trainings_that_are_not_required_are_not_checked_unless_named() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05"), *everyone("workshop", "2025-10-08T17:35")]
    named = program("trainings: [optional-talk]")

    assert "m3-a/optional-talk" not in missed(log, as_of="2025-12-01")
    assert missed(log, as_of="2025-12-01", prog=named) == {f"{m}/optional-talk" for m in MENTORS}


def test_warn_before_null_means_pending_until_the_due_day_ends() -> None:
    quiet = program("warn_before: null")

    states = {o.state for o in duties([], "2025-08-13T12:00", "orientation", quiet).values()}

    assert states == {"pending"}


def test_an_unknown_training_topic_is_a_warning_with_a_suggestion_not_silence() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05", but=("m4-b",)),
           came("typo", "2025-08-13T17:06", "m4-b", "orientaton")]

    found = {(f.severity, f.subject): f for f in findings(log, as_of="2025-09-01")}

    warning = found[("warning", "m4-b")]
    assert warning.evidence == ("typo",)
    assert "names topic 'orientaton', which is no training of the program " \
        "(did you mean 'orientation'?)" in warning.message
    assert ("error", "m4-b") in found  # the attendance itself is still missing


def test_attendance_by_people_who_need_not_attend_is_ignored() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05"),
           came("faculty", "2025-08-13T17:05", "f-a", "orientation"),
           came("optional", "2025-11-05T12:05", "m3-a", "optional-talk")]

    assert findings(log, as_of="2025-09-01") == []


def test_events_after_as_of_are_not_known_yet() -> None:
    log = [*everyone("orientation", "2025-08-13T17:05", but=("m3-a",)),
           came("later", "2025-08-13T17:30", "m3-a", "orientation")]

    assert duties(log, as_of="2025-08-13T17:10", training="orientation")["m3-a"].state == "at_risk"
    assert duties(log, as_of="2025-08-13T18:00", training="orientation")["m3-a"].state == "met"


def test_the_docstring_example_holds() -> None:
    doc = KIND.doc
    found, _ = docstring_example(doc, as_of="2025-08-20")

    [missing] = [f for f in found if f.subject == "m3-02"]
    assert "m3-01" not in {f.subject for f in found}
    assert prose(missing.message.split(" (handbook")[0]) in prose(doc)
