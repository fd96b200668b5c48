"""Metrics: the figures a coordinator reports, computed from the activity log.

The program (tests/data/activity2/program.yaml) has terms from 4 Aug to 19 Dec
2025 and 5 Jan to 15 May 2026. Unit a: mentors m3-a, m4-a, mentees s-a1, s-a2
(s-a2 is also MD/PhD, with the overlay mentor mp-1); unit b: m3-b, m4-b, mentee
s-b1. Three mentees and five mentors in all.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import mentorrules as mr
from mentorrules.metrics import metrics_text

DATA = Path(__file__).parent / "data" / "activity2"
PROGRAM = mr.load_program(DATA / "program.yaml")
ROSTER = mr.read_roster(DATA / "roster.csv", PROGRAM)


def msg(ident: str, at: str, who: str, to: str, channel: str = "text",
        reply_to: str = "", topic: str = "") -> dict[str, Any]:
    return {"id": ident, "type": "message", "at": at, "from": who, "to": to,
            "channel": channel, "reply_to": reply_to, "topic": topic}


def meeting(ident: str, at: str, who: str, to: str, fmt: str = "") -> dict[str, Any]:
    return {"id": ident, "type": "meeting", "at": at, "from": who, "to": to,
            "channel": "in_person", "format": fmt}


def metrics(events: list[dict[str, Any]], as_of: str = "2025-10-15T12:00") -> dict[str, Any]:
    report = mr.check(PROGRAM, ROSTER, events, as_of=as_of)
    assert report.metrics is not None
    return report.metrics


def test_meetings_are_counted_per_month_by_format() -> None:
    log = [meeting("g1", "2025-09-09T18:00", "m3-a", "m4-a;s-a1;s-a2"),  # two mentees: group
           meeting("i1", "2025-09-12T12:00", "m3-a", "m4-a;s-a1"),  # two mentors, one mentee
           meeting("i2", "2025-10-02T12:00", "m3-b", "s-b1", fmt="individual"),
           meeting("g2", "2025-10-03T12:00", "m3-b", "s-b1", fmt="group")]  # as written

    found = metrics(log)

    assert found["meetings_per_month"] == {
        "2025-08": {"group": 0, "individual": 0},
        "2025-09": {"group": 1, "individual": 1},
        "2025-10": {"group": 1, "individual": 1},
    }
    assert found["voluntary_one_to_one_meetings"] == 2


def test_months_run_from_the_first_term_month_to_the_month_of_as_of() -> None:
    found = metrics([], as_of="2026-01-20T12:00")

    assert list(found["meetings_per_month"]) == [
        "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"]


def test_contacts_per_mentee_count_each_mentee_of_a_group_message_and_meeting() -> None:
    log = [msg("e1", "2025-09-02T10:00", "m3-a", "s-a1;s-a2", channel="email"),
           msg("e2", "2025-09-20T10:00", "m4-a", "s-a1"),
           meeting("g1", "2025-09-25T18:00", "m3-b", "s-b1;m4-b"),
           msg("x1", "2025-10-02T10:00", "m3-b", "s-a1")]  # not s-a1's unit: no contact

    months = metrics(log)["contacts_per_mentee_per_month"]

    assert months["2025-09"] == {"mean": round(4 / 3, 2), "reached_pct": 100.0}
    assert months["2025-10"] == {"mean": 0.0, "reached_pct": 0.0}


def test_reply_times_run_to_the_named_answer_or_the_next_contact_by_channel() -> None:
    log = [msg("q1", "2025-09-01T10:00", "s-a1", "m3-a"),
           msg("a1", "2025-09-01T12:00", "m4-a", "s-a1", reply_to="q1"),  # 2 h
           msg("q2", "2025-09-02T10:00", "s-a1", "m3-a"),
           msg("q3", "2025-09-02T11:00", "s-b1", "m3-b"),
           msg("n1", "2025-09-02T16:00", "m3-a", "s-a1"),  # next contact: 6 h
           meeting("g1", "2025-09-02T21:00", "m3-b", "s-b1"),  # a meeting answers too: 10 h
           msg("q4", "2025-09-03T10:00", "s-a2", "m3-a", channel="email"),
           msg("w1", "2025-09-03T12:00", "m3-b", "s-a2", channel="email"),  # other unit: no
           msg("q5", "2025-10-15T09:00", "s-b1", "m4-b")]  # waiting at as_of

    replies = metrics(log)["reply_hours_by_channel"]

    assert replies == {
        "email": {"answered": 0, "median_hours": None, "p90_hours": None, "unanswered": 1},
        "text": {"answered": 3, "median_hours": 6.0, "p90_hours": 10.0, "unanswered": 1},
    }


def test_the_90th_percentile_is_the_nearest_rank() -> None:
    log = []
    for i in range(10):
        day = f"2025-09-{i + 1:02d}"
        log += [msg(f"q{i}", f"{day}T08:00", "s-a1", "m3-a"),
                msg(f"a{i}", f"{day}T{9 + i:02d}:00", "m3-a", "s-a1", reply_to=f"q{i}")]

    text = metrics(log)["reply_hours_by_channel"]["text"]

    assert (text["median_hours"], text["p90_hours"]) == (5.5, 9.0)


def test_compliance_is_the_share_of_mentees_and_mentors_not_named_by_a_breach() -> None:
    log = [msg("c1", "2025-10-02T22:10", "s-a1", "m3-a", topic="safety")]  # never referred

    compliance = metrics(log)["compliance_pct_by_rule"]

    assert compliance["refer"] == {"mentees": 66.7, "mentors": 60.0}  # s-a1; m3-a and m4-a
    assert compliance["surveys"] == {"mentees": 100.0, "mentors": 100.0}
    # everyone missed the orientation by 15 October
    assert compliance["attend"] == {"mentees": 100.0, "mentors": 0.0}


def test_events_after_as_of_are_not_counted() -> None:
    log = [meeting("g1", "2025-10-14T18:00", "m3-a", "m4-a;s-a1;s-a2"),
           meeting("g2", "2025-10-16T18:00", "m3-b", "m4-b;s-b1")]

    assert metrics(log)["meetings_per_month"]["2025-10"] == {"group": 1, "individual": 0}


def test_the_metrics_are_plain_json_in_a_stable_order() -> None:
    found = metrics([msg("e1", "2025-09-02T10:00", "m3-a", "s-a1;s-a2")])

    assert json.loads(json.dumps(found)) == found
    assert list(found) == ["mentees", "mentors", "meetings_per_month",
                           "voluntary_one_to_one_meetings", "contacts_per_mentee_per_month",
                           "reply_hours_by_channel", "compliance_pct_by_rule"]
    assert (found["mentees"], found["mentors"]) == (3, 5)


def test_the_text_report_prints_the_metrics_as_tables() -> None:
    log = [meeting("g1", "2025-09-09T18:00", "m3-a", "m4-a;s-a1;s-a2"),
           msg("q1", "2025-09-10T10:00", "s-a1", "m3-a"),
           msg("a1", "2025-09-10T13:30", "m4-a", "s-a1", reply_to="q1")]

    lines = metrics_text(metrics(log))

    assert lines[:4] == [
        "  month    group meetings  individual  contacts/mentee  mentees reached",
        "  2025-08               0           0             0.00             0.0%",
        "  2025-09               1           0             1.00            66.7%",
        "  2025-10               0           0             0.00             0.0%",
    ]
    assert "  voluntary one-to-one meetings: 0 (3 mentees, 5 mentors)" in lines
    assert "  text                       1    3.5h      3.5h           0" in lines
    assert "  refer                   100.0%                 100.0%" in lines


def test_a_month_busier_than_the_mentees_are_many_counts_every_contact() -> None:
    # More contacts in a month than the collector lists before folding them into a count
    # and a set (and more than the engine hands over in one list): nothing is lost.
    rng = random.Random(7)
    writers = {"2025-09": (("m3-a", "s-a1"), ("m4-a", "s-a1"), ("m3-b", "s-b1")),
               "2025-10": (("m3-a", "s-a1;s-a2"), ("mp-1", "s-a2"), ("m4-b", "s-b1"))}
    log: list[dict[str, Any]] = []
    contacts = dict.fromkeys(writers, 0)
    for month, pairs in writers.items():
        for n in range(6000):
            who, to = rng.choice(pairs)
            at = f"{month}-{1 + n * 28 // 6000:02d}T{8 + n % 12:02d}:{n % 60:02d}"
            log.append(msg(f"{month}-{n:04d}", at, who, to))
            contacts[month] += len(to.split(";"))
    log.sort(key=lambda event: (event["at"], event["id"]))

    found = metrics(log, as_of="2025-11-15T12:00")["contacts_per_mentee_per_month"]

    assert found["2025-09"] == {"mean": round(contacts["2025-09"] / 3, 2), "reached_pct": 66.7}
    assert found["2025-10"] == {"mean": round(contacts["2025-10"] / 3, 2), "reached_pct": 100.0}
    assert found["2025-11"] == {"mean": 0.0, "reached_pct": 0.0}
