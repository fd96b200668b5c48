"""``feed_batch``: events fed in lists leave an evaluator as feeding them one by one.

The engine hands each evaluator, and the metrics, the events it wants in lists:
each list in time order, each after the one before (mentorrules.rules.base).
However the log is cut into lists, and wherever ``as_of`` falls (events after it
are ignored, also in the middle of a list), the findings, the obligations,
``obligations_of(person)`` and the metrics are those of a ``feed`` loop, one
event at a time.

Checked on the shipped programs with their sample logs, and on UMMS with more
rules using the options the shipped programs leave alone (``duty: mentor``,
``subject: unit`` with a quorum, ``units: regular``, weeks, ``channels``), as of
the demo's moment, before and after the log, at an event, on the night clocks go
back, and at random moments; cut into lists as the engine cuts them, one event
a list, and at random places.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorrules as mr
from mentorrules.activity.models import Event
from mentorrules.engine import Engine, resolve_as_of
from mentorrules.metrics import MetricsCollector
from mentorrules.program.models import Program
from mentorrules.roster.models import Roster
from mentorrules.rules._activity import PeriodPlan
from mentorrules.rules.base import BatchEvaluator

SAMPLES = Path(mr.__file__).parent / "builtin" / "samples"

UMMS_MORE = mr.load_program_text("""
extends: umms
rules:
  - {id: contact-each-mentor, kind: contact-cadence, per: month, duty: mentor, min: 2}
  - {id: contact-in-person-weekly, kind: contact-cadence, per: week,
     channels: [in_person, video]}
  - {id: meet-as-unit-each-mentor, kind: meeting-cadence, per: month, subject: unit,
     duty: mentor, min_mentees: 3, formats: [group], channels: []}
  - {id: meet-each-mentor, kind: meeting-cadence, per: term, duty: mentor}
  - {id: reply-each-mentor, kind: reply-window, channels: [text, email, chat], within: 12h,
     duty: mentor}
  - {id: reply-regular-units, kind: reply-window, channels: [text, phone, chat], within: 6h,
     units: regular}
  - {id: tell-partner-early, kind: absence-notice, min_notice: 2d, mentees: warning}
""")


class Case:
    """A program, a roster and a log, read once; its events sorted as the engine sorts them."""

    def __init__(self, name: str, program: Program, sample: str) -> None:
        self.name = name
        self.program = program
        folder = SAMPLES / sample
        self.roster: Roster = mr.read_roster(folder / "roster.csv", program, strict=True)
        events = list(mr.read_events(folder / "events.csv", program, strict=True))
        self.events: list[Event] = sorted(events, key=lambda e: (e.ts, e.id))
        self.demo: str = json.loads((folder / "demo.json").read_text())["as_of"]
        self.people = sorted(self.roster.people)

    def moments(self) -> list[datetime | str]:
        """Moments to judge at: the demo's, before and after the log, at events, around them."""
        first, middle, last = self.events[0], self.events[len(self.events) // 2], self.events[-1]
        return [self.demo, first.at - timedelta(days=1), first.at, middle.at,
                middle.at - timedelta(seconds=1), last.at + timedelta(days=60)]


CASES = {case.name: case for case in (
    Case("umms", mr.load_program("umms"), "umms"),
    Case("medmentors", mr.load_program("medmentors"), "medmentors"),
    Case("umms-more", UMMS_MORE, "umms"),
)}
# UMMS's sample covers the autumn of 2025: clocks go back at 02:00 on 2 November.
DST_NIGHT = "2025-11-02T01:30-04:00"  # the first 01:30 of the night


def bind(case: Case, as_of: datetime | str) -> list[tuple[str, Any]]:
    """``(name, evaluator)`` for every rule of ``case`` that wants events, then the metrics."""
    engine = Engine(case.program, case.roster, resolve_as_of(case.program, as_of))
    bound: list[tuple[str, Any]] = [
        (spec.id, evaluator)
        for spec, evaluator in zip(case.program.active_rules(), engine.evaluators, strict=True)
        if evaluator.wants
    ]
    bound.append(("metrics", MetricsCollector(engine.context)))
    return bound


def outcome(evaluator: Any, people: Sequence[str]) -> Any:
    """Everything an evaluator tells: findings, obligations, each person's (or the metrics)."""
    if isinstance(evaluator, MetricsCollector):
        return evaluator.result(())
    told: dict[str, Any] = {"findings": list(evaluator.findings()),
                            "obligations": list(evaluator.obligations())}
    obligations_of = getattr(evaluator, "obligations_of", None)
    if obligations_of is not None:
        told["obligations_of"] = {person: list(obligations_of(person)) for person in people}
    return told


def wanted(evaluator: Any, events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.type in evaluator.wants]


@cache
def one_by_one(name: str, as_of: datetime | str) -> dict[str, Any]:
    """What each evaluator of ``CASES[name]`` tells fed one event at a time, up to ``as_of``.

    Only the events up to ``as_of`` are fed: the evaluators fed in lists get the
    whole log, so that ignoring what comes after ``as_of`` is checked too.
    """
    case = CASES[name]
    until = resolve_as_of(case.program, as_of).timestamp()
    known = [e for e in case.events if e.ts <= until]
    told = {}
    for rule, evaluator in bind(case, as_of):
        for event in wanted(evaluator, known):
            evaluator.feed(event)
        told[rule] = outcome(evaluator, case.people)
    return told


def in_lists(case: Case, as_of: datetime | str, cuts: Sequence[float]) -> dict[str, Any]:
    """What each evaluator tells when the log is cut into lists at the fractions ``cuts``.

    As the engine does, each evaluator gets the events it wants of each list, and
    no empty list.
    """
    n = len(case.events)
    at = sorted({0, n, *(int(f * n) for f in cuts)})
    lists = [case.events[start:end] for start, end in pairwise(at)]
    told = {}
    for rule, evaluator in bind(case, as_of):
        assert isinstance(evaluator, BatchEvaluator | MetricsCollector), rule
        for events in lists:
            mine = wanted(evaluator, events)
            if mine:
                evaluator.feed_batch(mine)
        told[rule] = outcome(evaluator, case.people)
    return told


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Where two outcomes differ, briefly: ``rule: part`` (pytest's diff of it all is slow)."""
    assert got.keys() == want.keys()
    found = []
    for rule in want:
        if isinstance(want[rule], dict) and "findings" in want[rule]:
            found += [f"{rule}: {part}" for part in want[rule] if got[rule][part] != want[rule][part]]
        elif got[rule] != want[rule]:
            found.append(rule)
    return found


def every(case: Case, size: int) -> list[float]:
    """The cuts that make lists of ``size`` events."""
    n = len(case.events)
    return [i / n for i in range(size, n, size)]


@pytest.mark.parametrize("name", list(CASES))
def test_lists_as_the_engine_cuts_them_tell_what_one_by_one_tells(name: str) -> None:
    case = CASES[name]
    told = in_lists(case, case.demo, every(case, 4096))
    assert differences(told, one_by_one(name, case.demo)) == []


@pytest.mark.parametrize("name", list(CASES))
def test_the_whole_log_in_one_list_tells_what_one_by_one_tells(name: str) -> None:
    case = CASES[name]
    for as_of in (case.demo, case.moments()[-1]):
        assert differences(in_lists(case, as_of, ()), one_by_one(name, as_of)) == []


def test_lists_of_one_event_tell_what_one_by_one_tells() -> None:
    case = CASES["umms-more"]
    told = in_lists(case, DST_NIGHT, every(case, 1))
    assert differences(told, one_by_one(case.name, DST_NIGHT)) == []


def test_the_comparison_sees_the_events_that_matter() -> None:
    """The sample logs give the rules something to say, so equal outcomes mean something."""
    told = one_by_one("umms-more", CASES["umms-more"].demo)
    for rule in ("semester-meeting", "monthly-contact", "reply-texts-calls", "reply-emails",
                 "absence-notice", "refer-out-of-scope", "contact-each-mentor",
                 "reply-each-mentor", "meet-as-unit-each-mentor"):
        assert told[rule]["obligations"] or told[rule]["findings"], rule
    assert told["metrics"]["reply_hours_by_channel"]
    assert any(told["reply-texts-calls"]["obligations_of"].values())
    medmentors = one_by_one("medmentors", CASES["medmentors"].demo)
    assert medmentors["monthly-small-group"]["findings"]


def test_the_engine_tells_what_its_rules_fed_one_by_one_tell() -> None:
    """A whole check (which feeds the rules in lists) agrees with the rules fed one by one."""
    case = CASES["umms-more"]
    report = mr.check(case.program, case.roster, case.events, as_of=case.demo)
    told = one_by_one(case.name, case.demo)
    expected = sorted((f for rule, t in told.items() if rule != "metrics"
                       for f in t["findings"]), key=lambda f: f.sort_key())
    assert [f for f in report.findings if f.rule in told] == expected
    assert report.metrics is not None
    assert report.metrics["reply_hours_by_channel"] == told["metrics"]["reply_hours_by_channel"]
    assert (report.metrics["contacts_per_mentee_per_month"]
            == told["metrics"]["contacts_per_mentee_per_month"])


@settings(max_examples=12, deadline=None)
@given(data=st.data(), name=st.sampled_from(list(CASES)),
       cuts=st.lists(st.floats(0, 1), max_size=12))
def test_any_cut_into_lists_at_any_moment_tells_what_one_by_one_tells(
        data: st.DataObject, name: str, cuts: list[float]) -> None:
    case = CASES[name]
    as_of = data.draw(st.sampled_from([*case.moments(), DST_NIGHT]), label="as_of")
    assert differences(in_lists(case, as_of, cuts), one_by_one(name, as_of)) == []


UMMS_YEAR = (CASES["umms"].events[0].ts - 7 * 86400, CASES["umms"].events[-1].ts + 7 * 86400)


@settings(max_examples=4, deadline=None)
@given(cuts=st.lists(st.floats(0, 1), max_size=8), moment=st.integers(*map(int, UMMS_YEAR)))
def test_any_cut_at_a_random_moment_tells_what_one_by_one_tells(
        cuts: list[float], moment: int) -> None:
    case = CASES["umms-more"]
    as_of = datetime.fromtimestamp(moment, case.program.tz)
    assert differences(in_lists(case, as_of, cuts), one_by_one(case.name, as_of)) == []


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(st.integers(0, 20 * 86400), min_size=1, max_size=40),
       per=st.sampled_from(("week", "month", "term")), fall_only=st.booleans())
def test_the_period_look_up_the_loops_inline_answers_as_the_calendar_does(
        steps: list[int], per: str, fall_only: bool) -> None:
    """The loops keep ``PeriodPlan.find``'s last answer and the span it holds for in
    locals, and call ``find`` only outside that span: for moments in time order,
    in periods, in gaps between them (weeks of the winter break, summer) and in
    periods a rule does not evaluate, that gives the calendar's answer."""
    case = CASES["umms"]
    context = Engine(case.program, case.roster, resolve_as_of(case.program, case.demo)).context
    plan = PeriodPlan(context, per, ("fall-2025",) if fall_only else ())
    lo, hi, p = plan._lo, plan._hi, plan._p
    ts = plan.periods[0].start_ts - 10 * 86400.0
    for step in steps:
        ts += step
        if not lo <= ts < hi:
            plan.find(ts)
            lo, hi, p = plan._lo, plan._hi, plan._p
        i = plan.period_index.index(ts)
        assert p == (i if i >= 0 and plan.evaluated[i] else -1)


def test_batch_fed_gives_feed_batch_each_event_as_a_list_of_one() -> None:
    from mentorrules.rules.base import BatchFed

    class Lists(BatchFed):
        def __init__(self) -> None:
            self.lists: list[tuple[object, ...]] = []

        def feed_batch(self, events: Any) -> None:
            self.lists.append(tuple(events))

    lists = Lists()
    lists.feed("e1")  # type: ignore[arg-type]
    lists.feed("e2")  # type: ignore[arg-type]
    assert lists.lists == [("e1",), ("e2",)]
