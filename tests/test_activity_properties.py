"""Properties of the activity rules (contact and meeting cadences, reply windows, absences).

- the order of the input never changes the findings;
- a log generated to meet every duty gives no finding;
- removing one contact from such a log gives exactly the finding for that mentee
  and month;
- reply windows are elapsed time across both daylight-saving changes;
- a contact at 23:59:59 on a period's last day counts for it, one at 00:00:00 of
  the next day for the next period, in the program's zone.

Roster: tests/data/activity/roster.csv (cohorts c1 and c2, the MD/PhD overlay).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from textwrap import dedent
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import mentorrules as mr
from mentorrules import Program
from mentorrules.periods import periods

DATA = Path(__file__).parent / "data" / "activity"


def program(rules: str, base: str = "autumn.yaml") -> Program:
    return mr.load_program_text(f"extends: {base}\n" + dedent(rules), base=DATA)


ALL_RULES = program("""
    rules:
      - {id: monthly-contact, kind: contact-cadence, per: month}
      - {id: term-meeting, kind: meeting-cadence, per: term}
      - {id: reply-texts, kind: reply-window, channels: [text, phone], within: 24h}
      - {id: reply-emails, kind: reply-window, channels: [email], within: 48h}
      - {id: reply-texts-each, kind: reply-window, channels: [text], within: 24h, duty: mentor}
      - {id: each-mentor-monthly, kind: contact-cadence, per: month, duty: mentor, min: 2}
      - {id: absence-notice, kind: absence-notice}
""")
CONTACTS_ONLY = program("""
    rules:
      - {id: monthly-contact, kind: contact-cadence, per: month}
""")
TEXTS_ALL_YEAR = program("""
    rules:
      - {id: reply-texts, kind: reply-window, channels: [text], within: 24h}
""", base="program.yaml")
CONTACTS_ALL_YEAR = program("""
    rules:
      - {id: monthly-contact, kind: contact-cadence, per: month}
      - {id: term-meeting, kind: meeting-cadence, per: term, channels: []}
""", base="program.yaml")
ROSTER = mr.read_roster(DATA / "roster.csv", ALL_RULES, strict=True)
TZ = ALL_RULES.tz

UNITS = {"c1": (("p-a", "p-b"), ("s-01", "s-02", "s-03")),
         "c2": (("p-c", "p-d"), ("s-04", "s-05"))}
UNIT_OF = {mentee: unit for unit, (_, mentees) in UNITS.items() for mentee in mentees}
MENTORS = ("p-a", "p-b", "p-c", "p-d", "p-x")
MENTEES = tuple(UNIT_OF)
MONTHS = periods(ALL_RULES, "month")  # October and November 2025
TERM = periods(ALL_RULES, "term")[0]
AS_OF = "2025-12-15T00:00"
WITHIN = {"text": 24 * 3600, "phone": 24 * 3600, "email": 48 * 3600, "chat": 24 * 3600}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, TZ).isoformat()


def row(ident: str, kind: str, ts: float, sender: str, to: tuple[str, ...], channel: str = "",
        **more: Any) -> dict[str, Any]:
    return {"id": ident, "type": kind, "at": iso(ts), "from": sender, "to": list(to),
            "channel": channel, **more}


def run(prog: Program, rows: list[dict[str, Any]], as_of: str = AS_OF) -> mr.Report:
    return mr.check(prog, ROSTER, rows, as_of=as_of, metrics=False)


def instants(lo: float, hi: float) -> st.SearchStrategy[int]:
    """Whole seconds in ``lo`` .. ``hi`` - 1."""
    return st.integers(int(lo), int(hi) - 1)


# --------------------------------------------------------------------------- any log

@st.composite
def any_log(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Messages, meetings and absences among the roster, in time order, some replying."""
    lo = MONTHS[0].start_ts - 3 * 86400
    hi = MONTHS[-1].end_ts + 3 * 86400
    times = sorted(draw(st.lists(instants(lo, hi), min_size=1, max_size=40)))
    rows: list[dict[str, Any]] = []
    messages: list[str] = []
    people = (*MENTORS, *MENTEES)
    for i, ts in enumerate(times):
        kind = draw(st.sampled_from(("message", "message", "message", "meeting", "absence")))
        ident = f"e{i:03d}"
        to: tuple[str, ...]
        if kind == "message":
            if draw(st.booleans()):  # a mentee writes to a mentor of theirs, or is answered
                mentee = draw(st.sampled_from(MENTEES))
                mentor = draw(st.sampled_from(UNITS[UNIT_OF[mentee]][0] + ("p-x",)))
                sender, to = (mentee, (mentor,)) if draw(st.booleans()) else (mentor, (mentee,))
            else:
                sender = draw(st.sampled_from(people))
                to = tuple(draw(st.sets(st.sampled_from(people), min_size=1, max_size=3)))
            answers = bool(messages) and draw(st.booleans())
            reply = draw(st.sampled_from(messages)) if answers else ""
            rows.append(row(ident, kind, ts, sender, to,
                            draw(st.sampled_from(("text", "phone", "email", "chat"))),
                            reply_to=reply))
            messages.append(ident)
        elif kind == "meeting":
            to = tuple(draw(st.sets(st.sampled_from(people), min_size=1, max_size=4)))
            rows.append(row(ident, kind, ts, draw(st.sampled_from(MENTORS)), to,
                            draw(st.sampled_from(("in_person", "video", "phone"))),
                            format=draw(st.sampled_from(("", "", "group", "individual")))))
        else:
            start = ts + draw(st.integers(-86400, 5 * 86400))
            end = start + draw(st.integers(3600, 7 * 86400))
            to = tuple(draw(st.sets(st.sampled_from(people), max_size=3)))
            rows.append(row(ident, kind, ts, draw(st.sampled_from(MENTORS)), to,
                            start=iso(start), end=iso(end)))
    return rows


@settings(max_examples=40, deadline=None)
@given(rows=any_log(), data=st.data(),
       as_of=st.sampled_from(("2025-10-20T12:00", "2025-11-02T01:30-04:00", AS_OF)))
def test_shuffling_the_input_never_changes_the_findings(
        rows: list[dict[str, Any]], data: st.DataObject, as_of: str) -> None:
    shuffled = data.draw(st.permutations(rows))
    ordered, mixed = run(ALL_RULES, rows, as_of), run(ALL_RULES, list(shuffled), as_of)
    assert mixed.findings == ordered.findings
    assert mr.status(ALL_RULES, ROSTER, list(shuffled), as_of=as_of).obligations == \
        mr.status(ALL_RULES, ROSTER, rows, as_of=as_of).obligations


# --------------------------------------------------------------------------- a dutiful log

@st.composite
def dutiful_log(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A log in which every duty of ALL_RULES is met, and each contact is one event."""
    rows: list[dict[str, Any]] = []
    count = 0

    def ident(prefix: str) -> str:
        nonlocal count
        count += 1
        return f"{prefix}{count:04d}"

    # Two contacts per mentee, mentor and month (each-mentor-monthly asks for two).
    for month in MONTHS:
        for mentee, unit in UNIT_OF.items():
            for mentor in UNITS[unit][0]:
                for _ in range(2):
                    ts = draw(instants(month.start_ts, month.end_ts))
                    if draw(st.booleans()):
                        channel = draw(st.sampled_from(("text", "phone", "email", "chat")))
                        rows.append(row(ident("c"), "message", ts, mentor, (mentee,), channel))
                    else:
                        channel = draw(st.sampled_from(("in_person", "video", "phone")))
                        rows.append(row(ident("c"), "meeting", ts, mentor, (mentee,), channel))
    # A meeting in person or by video per mentee in the term, alone or with the cohort.
    for _unit, (mentors, mentees) in UNITS.items():
        ts = draw(instants(TERM.start_ts, TERM.end_ts))
        channel = draw(st.sampled_from(("in_person", "video")))
        if draw(st.booleans()):
            rows.append(row(ident("g"), "meeting", ts, mentors[0], mentees, channel))
        else:
            for mentee in mentees:
                rows.append(row(ident("g"), "meeting", ts, draw(st.sampled_from(mentors)),
                                (mentee,), channel))
    # Messages from mentees, each answered in time by the mentor it was sent to.
    last = MONTHS[-1].end_ts - 2 * 86400
    for _ in range(draw(st.integers(0, 12))):
        mentee = draw(st.sampled_from(MENTEES))
        choices = UNITS[UNIT_OF[mentee]][0] + (("p-x",) if mentee == "s-03" else ())
        mentor = draw(st.sampled_from(choices))
        channel = draw(st.sampled_from(("text", "phone", "email", "chat")))
        ts = draw(instants(MONTHS[0].start_ts, last))
        asked = ident("q")
        rows.append(row(asked, "message", ts, mentee, (mentor,), channel))
        answer_ts = ts + draw(st.integers(0, WITHIN[channel]))
        how = draw(st.sampled_from(("reply", "message", "meeting")))
        if how == "reply":
            rows.append(row(ident("r"), "message", answer_ts, mentor, (mentee,), "text",
                            reply_to=asked))
        else:
            kind = "message" if how == "message" else "meeting"
            rows.append(row(ident("r"), kind, answer_ts, mentor, (mentee,),
                            "text" if kind == "message" else "video"))
    # Absences told to the partner, and one mentee, before they start.
    for _ in range(draw(st.integers(0, 3))):
        unit = draw(st.sampled_from(sorted(UNITS)))
        mentors, mentees = UNITS[unit]
        absent = draw(st.sampled_from(mentors))
        partner = next(m for m in mentors if m != absent)
        ts = draw(instants(MONTHS[0].start_ts, last))
        start = ts + draw(st.integers(0, 4 * 86400))
        rows.append(row(ident("a"), "absence", ts, absent, (partner, draw(st.sampled_from(mentees))),
                        start=iso(start), end=iso(start + draw(st.integers(3600, 7 * 86400)))))
    return sorted(rows, key=lambda r: (datetime.fromisoformat(r["at"]), r["id"]))


@settings(max_examples=40, deadline=None)
@given(rows=dutiful_log())
def test_a_log_that_meets_every_duty_gives_no_findings(rows: list[dict[str, Any]]) -> None:
    report = run(ALL_RULES, rows)
    assert report.rows["events"].rejected == 0
    assert report.findings == ()


@st.composite
def one_contact_each(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Exactly one contact per mentee and month, by message or meeting, a mentor of the unit."""
    rows = []
    for m, month in enumerate(MONTHS):
        for mentee, unit in UNIT_OF.items():
            mentor = draw(st.sampled_from(UNITS[unit][0]))
            ts = draw(instants(month.start_ts, month.end_ts))
            kind = draw(st.sampled_from(("message", "meeting")))
            channel = "text" if kind == "message" else "video"
            rows.append(row(f"k-{m}-{mentee}", kind, ts, mentor, (mentee,), channel))
    return rows


@settings(max_examples=40, deadline=None)
@given(rows=one_contact_each(), data=st.data())
def test_removing_one_contact_gives_exactly_that_mentees_finding_for_that_month(
        rows: list[dict[str, Any]], data: st.DataObject) -> None:
    assert run(CONTACTS_ONLY, rows).findings == ()
    gone = data.draw(st.sampled_from(rows))
    report = run(CONTACTS_ONLY, [r for r in rows if r is not gone])
    month = next(p.id for p in MONTHS if p.start_ts <= datetime.fromisoformat(gone["at"])
                 .timestamp() < p.end_ts)
    assert [(f.rule, f.subject, f.period) for f in report.findings] == [
        ("monthly-contact", gone["to"][0], month)]


# --------------------------------------------------------------------------- DST

# Sun 2 Nov 2025 06:00 UTC (clocks go back) and Sun 8 Mar 2026 07:00 UTC (forward).
TRANSITIONS = (datetime.fromisoformat("2025-11-02T06:00:00+00:00").timestamp(),
               datetime.fromisoformat("2026-03-08T07:00:00+00:00").timestamp())


@settings(max_examples=60, deadline=None)
@given(change=st.sampled_from(TRANSITIONS), offset=st.integers(-30 * 3600, 6 * 3600),
       took=st.integers(0, 30 * 3600))
def test_a_reply_window_is_real_hours_across_a_daylight_saving_change(
        change: float, offset: int, took: int) -> None:
    sent = change + offset
    rows = [row("m1", "message", sent, "s-01", ("p-a",), "text"),
            row("r1", "message", sent + took, "p-a", ("s-01",), "text", reply_to="m1")]
    found = run(TEXTS_ALL_YEAR, rows, as_of="2026-06-01").findings
    if took <= 24 * 3600:
        assert found == ()
    else:
        [finding] = found
        assert finding.evidence == ("m1", "r1")
        assert finding.details["late_seconds"] == took - 24 * 3600
        assert finding.due == datetime.fromtimestamp(sent + 24 * 3600, TZ)


# --------------------------------------------------------------------------- period edges

BOUNDARIES = [p.start for p in periods(CONTACTS_ALL_YEAR, "month")[1:]]


@settings(max_examples=40, deadline=None)
@given(boundary=st.sampled_from(BOUNDARIES), before=st.booleans(),
       kind=st.sampled_from(("message", "meeting")))
def test_the_last_second_of_a_month_and_the_first_of_the_next_fall_on_their_own_side(
        boundary: datetime, before: bool, kind: str) -> None:
    moment = boundary - timedelta(seconds=1) if before else boundary
    local = moment.replace(tzinfo=None).isoformat()  # wall clock, no offset: 23:59:59 / 00:00:00
    assert local.endswith("T23:59:59" if before else "T00:00:00")
    rows = [{"id": "x1", "type": kind, "at": local, "from": "p-a", "to": ["s-01"],
             "channel": "video"}]
    report = run(CONTACTS_ALL_YEAR, rows, as_of="2026-06-01")
    missed = {f.period for f in report.findings
              if f.subject == "s-01" and f.rule == "monthly-contact"}
    every = {p.id for p in periods(CONTACTS_ALL_YEAR, "month")}
    assert every - missed == {local[:7]}


TERM_EDGES = [(t.start, t.end) for t in periods(CONTACTS_ALL_YEAR, "term")]


@settings(max_examples=20, deadline=None)
@given(edge=st.sampled_from(TERM_EDGES), first=st.booleans(), inside=st.booleans())
def test_a_meeting_on_a_terms_first_or_last_second_counts_for_the_term(
        edge: tuple[datetime, datetime], first: bool, inside: bool) -> None:
    start, end = edge
    if first:
        moment = start if inside else start - timedelta(seconds=1)
    else:
        moment = end - timedelta(seconds=1) if inside else end
    rows = [{"id": "x1", "type": "meeting", "at": moment.replace(tzinfo=None).isoformat(),
             "from": "p-a", "to": ["s-01"], "channel": "video"}]
    report = run(CONTACTS_ALL_YEAR, rows, as_of="2026-06-01")
    term_id = next(t.id for t in periods(CONTACTS_ALL_YEAR, "term") if t.start == start)
    missed = {f.period for f in report.findings
              if f.subject == "s-01" and f.rule == "term-meeting"}
    assert (term_id not in missed) == inside
