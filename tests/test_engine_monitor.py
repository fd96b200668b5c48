"""The Monitor: an engine an app keeps, fed one event at a time, asked one mentor's status.

Whatever it was fed, ``status_of(m)`` must equal ``status(...).for_mentor(m)``
of a fresh run over the same events at the same ``as_of``; ``check()`` and
``status()`` must equal the batch results.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

import mentorrules as mr
from mentorrules.activity.models import Event
from mentorrules.engine import Monitor, resolve_as_of, run_check, run_status
from mentorrules.errors import RowError, UsageError

DATA = Path(__file__).parent / "data" / "activity"
PROGRAM = mr.load_program_text(dedent("""
    extends: program.yaml
    referrals:
      targets: [{id: faculty-mentor, unit_role: faculty}]
      topics: [{id: safety-concern, targets: [faculty-mentor], within: 24h}]
    rules:
      - {id: monthly-contact, kind: contact-cadence, per: month, warn_before: 7d}
      - {id: term-meeting, kind: meeting-cadence, per: term, subject: mentee}
      - {id: reply-texts, kind: reply-window, channels: [text, phone], within: 24h}
      - {id: reply-emails, kind: reply-window, channels: [email], within: 48h}
      - {id: tell-partner, kind: absence-notice}
      - {id: refer, kind: referral}
    """), base=DATA)
ROSTER = mr.read_roster(DATA / "roster.csv", PROGRAM)
MENTORS = ("p-a", "p-b", "p-c", "p-d", "p-x")
UNITS = {"p-a": ("p-b", "s-01", "s-02", "s-03"), "p-b": ("p-a", "s-01", "s-02", "s-03"),
         "p-c": ("p-d", "s-04", "s-05"), "p-d": ("p-c", "s-04", "s-05"), "p-x": ("s-03",)}


def random_log(seed: int, n: int = 160) -> list[dict[str, Any]]:
    """A plausible log: mentee messages, answers (some late), contacts, meetings, absences."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    moment = datetime(2025, 9, 1, 8, 0)
    for i in range(n):
        moment += timedelta(minutes=rng.choice((0, 17, 95, 400, 1500, 3000)))
        if moment.hour < 7:
            moment = moment.replace(hour=9)
        at = moment.isoformat(timespec="minutes")
        mentor = rng.choice(MENTORS)
        mentee = rng.choice([p for p in UNITS[mentor] if p.startswith("s-")])
        kind = rng.random()
        row: dict[str, Any] = {"id": f"e{i:03d}", "at": at}
        if kind < 0.4:
            row |= {"type": "message", "from": mentee, "to": mentor,
                    "channel": rng.choice(("text", "phone", "email", "chat")),
                    "topic": "safety-concern" if rng.random() < 0.05 else ""}
        elif kind < 0.75:
            earlier = [r for r in rows[-12:] if r.get("from") == mentee]
            row |= {"type": "message", "from": mentor, "to": mentee, "channel": "text",
                    "reply_to": earlier[-1]["id"] if earlier and rng.random() < 0.7 else ""}
        elif kind < 0.85:
            row |= {"type": "meeting", "from": mentor, "to": list(UNITS[mentor]),
                    "channel": rng.choice(("in_person", "video"))}
        elif kind < 0.93:
            start = moment + timedelta(days=rng.randint(-1, 5))
            row |= {"type": "absence", "from": mentor, "to": list(UNITS[mentor][:1]),
                    "channel": "email", "start": start.date().isoformat(),
                    "end": (start + timedelta(days=3)).date().isoformat()}
        else:
            concern = [r for r in rows[-20:] if r.get("topic") == "safety-concern"]
            row |= {"type": "referral", "from": mentor, "to": "faculty-mentor",
                    "topic": "safety-concern",
                    "reply_to": concern[-1]["id"] if concern else ""}
        rows.append(row)
    return rows


def events_of(rows: list[dict[str, Any]]) -> list[Event]:
    return list(mr.read_events(rows, PROGRAM, strict=True))


@pytest.mark.parametrize("seed", [1, 2])
def test_status_of_each_mentor_equals_a_fresh_status_after_every_few_events(seed: int) -> None:
    events = events_of(random_log(seed))
    as_of = resolve_as_of(PROGRAM, "2025-11-20T12:00")
    monitor = Monitor(PROGRAM, ROSTER, as_of)
    for count, event in enumerate(events, start=1):
        monitor.feed(event)
        if count % 23 and count != len(events):
            continue
        fresh = run_status(PROGRAM, ROSTER, events[:count], as_of)
        for mentor in MENTORS:
            assert monitor.status_of(mentor) == fresh.for_mentor(mentor), (count, mentor)
    assert all(monitor.status_of(mentor) for mentor in MENTORS)
    assert monitor.status().obligations == run_status(PROGRAM, ROSTER, events, as_of).obligations
    want = run_check(PROGRAM, ROSTER, events, as_of, metrics=False)
    assert monitor.check().findings == want.findings


def test_rows_as_dicts_are_read_and_bad_ones_refused_with_a_reason() -> None:
    monitor = Monitor(PROGRAM, ROSTER, "2025-11-20T12:00")
    assert monitor.feed({"id": "e1", "type": "message", "at": "2025-10-02T09:00",
                         "from": "s-01", "to": "p-a", "channel": "text"})
    assert not monitor.feed({"id": "e2", "type": "message", "at": "2025-11-02T01:30",
                             "from": "s-01", "to": "p-a", "channel": "text"})
    assert not monitor.feed({"id": "e3", "type": "message", "at": "2025-10-03T09:00",
                             "from": "ghost", "to": "p-a", "channel": "text"})
    assert not monitor.feed({"id": "e1", "type": "message", "at": "2025-10-04T09:00",
                             "from": "s-01", "to": "p-a", "channel": "text"})
    reasons = [r.reason for r in monitor.rejected]
    assert "happens twice" in reasons[0]
    assert "ghost" in reasons[1]
    assert "earlier" in reasons[2]
    assert monitor.used == 1
    assert monitor.status().rows["events"] == mr.report.RowCounts(read=4, used=1, rejected=3)
    (due,) = [o for o in monitor.status_of("p-a") if o.rule == "reply-texts"]
    assert due.state == "breached"
    assert due.evidence == ("e1",)


def test_a_late_event_is_put_in_its_place() -> None:
    events = events_of(random_log(5, 60))
    as_of = resolve_as_of(PROGRAM, "2025-11-20T12:00")
    late = events[len(events) // 2]
    monitor = Monitor(PROGRAM, ROSTER, as_of)
    for event in events:
        if event is not late:
            monitor.feed(event)
    assert monitor.feed(late)
    fresh = run_status(PROGRAM, ROSTER, events, as_of)
    for mentor in MENTORS:
        assert monitor.status_of(mentor) == fresh.for_mentor(mentor)


def test_without_history_a_late_event_is_an_error() -> None:
    events = events_of(random_log(6, 10))
    monitor = Monitor(PROGRAM, ROSTER, "2025-11-20T12:00", history=False)
    monitor.feed(events[5])
    with pytest.raises(UsageError, match="time order"):
        monitor.feed(events[4])
    with pytest.raises(UsageError, match="history"):
        monitor.advance("2025-12-01T12:00")


def test_advance_judges_at_another_moment() -> None:
    events = events_of(random_log(7, 80))
    monitor = Monitor(PROGRAM, ROSTER, "2025-10-15T12:00")
    monitor.feed_many(events)
    later = resolve_as_of(PROGRAM, "2025-12-01T12:00")
    monitor.advance(later)
    fresh = run_status(PROGRAM, ROSTER, events, later)
    for mentor in MENTORS:
        assert monitor.status_of(mentor) == fresh.for_mentor(mentor)
    earlier = resolve_as_of(PROGRAM, "2025-10-01T08:00")
    again = run_status(PROGRAM, ROSTER, events, earlier)
    assert monitor.status_of("p-a", as_of=earlier) == again.for_mentor("p-a")
    assert monitor.as_of == earlier


def test_strict_raises_on_a_refused_event_and_unknown_people_are_an_error() -> None:
    monitor = Monitor(PROGRAM, ROSTER, "2025-11-20T12:00", strict=True)
    with pytest.raises(RowError, match="ghost"):
        monitor.feed({"id": "e3", "type": "message", "at": "2025-10-03T09:00",
                      "from": "ghost", "to": "p-a", "channel": "text"})
    with pytest.raises(UsageError, match="roster"):
        monitor.status_of("nobody")
