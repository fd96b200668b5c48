"""The engine: run a program's rules over a roster and an activity log.

Events are processed once each, in time order (ties by id), through the
evaluators of the rules that want their type; each evaluator keeps state per
subject, not per event. A log that is already in time order streams: memory
grows with the number of people, not of events. When an event arrives out of
order the engine starts again on the sorted log (re-reading a file, or the
events it kept from a one-shot iterator) and notes that in the report.

Before an event reaches the rules the engine checks what only the roster can
tell: the people it names exist, its id is unique, and ``reply_to`` names an
earlier event. A row failing that is rejected with its line and reason, like a
row the reader could not parse, so ``read == used + rejected`` always holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Protocol

from mentorrules.activity.models import Event
from mentorrules.activity.readers import EventLog
from mentorrules.errors import Location, Problem, RowError
from mentorrules.program.models import Program
from mentorrules.report import Finding, Obligation, RejectedRow, Report, RowCounts, Status
from mentorrules.roster.models import Roster
from mentorrules.rules import registry
from mentorrules.rules.base import Context, Evaluator

Feed = Callable[[Event], None]


class Observer(Protocol):
    """Something that watches the event stream beside the rules (metrics do)."""

    wants: frozenset[str]

    def feed(self, event: Event) -> None: ...


def resolve_as_of(program: Program, as_of: datetime | str | None) -> datetime:
    """``as_of`` as an aware datetime (naive and text times are local to the program)."""
    if as_of is None:
        return datetime.now(program.tz)
    if isinstance(as_of, str):
        from mentorrules.activity.times import TimeError, resolve
        from mentorrules.errors import InputError

        try:
            return resolve(as_of, program.tz)
        except TimeError as exc:
            raise InputError.single(f"--as-of: {exc}", "give a time like 2025-10-31T17:00",
                                    key_path="as_of") from None
    if as_of.tzinfo is None:
        from mentorrules.activity.times import localize

        return localize(as_of, program.tz)
    return as_of


class Engine:
    """One run of one program over one roster, ``as_of`` a moment."""

    def __init__(self, program: Program, roster: Roster, as_of: datetime,
                 observers: Iterable[Callable[[Context], Observer]] = ()) -> None:
        self.program = program
        self.roster = roster
        self.as_of = as_of
        self.notes: list[str] = []
        self._observer_factories = tuple(observers)
        self._reset()

    def _reset(self) -> None:
        self.context = Context(self.program, self.roster, self.as_of)
        self.evaluators: list[Evaluator] = [
            registry.get(spec.kind).bind(spec, self.context) for spec in self.program.active_rules()
        ]
        self.observers: list[Observer] = [make(self.context) for make in self._observer_factories]
        self.rejected: list[RejectedRow] = []
        self.used = 0
        self._seen_ids: set[str] = set()

    def _dispatch(self) -> dict[str, list[Feed]]:
        table: dict[str, list[Feed]] = {}
        for evaluator in (*self.evaluators, *self.observers):
            for kind in evaluator.wants:
                table.setdefault(kind, []).append(evaluator.feed)
        return table

    # ------------------------------------------------------------------ intake

    def _valid(self, event: Event, source: str, reject: Callable[[int | None, str | None, str],
                                                                  None]) -> bool:
        people = self.roster.people
        problem = None
        if event.id in self._seen_ids:
            problem = f"id {event.id!r} is used by an earlier event"
        elif event.sender and event.sender not in people:
            problem = f"'from' names {event.sender!r}, who is not on the roster"
        elif event.reply_to and event.reply_to not in self._seen_ids:
            problem = f"reply_to names {event.reply_to!r}, which is no earlier event"
        else:
            targets = {t.id for t in self.program.referrals.targets} if event.type == "referral" \
                else ()
            for person in event.recipients:
                if person not in people and person not in targets:
                    problem = f"'to' names {person!r}, who is not on the roster"
                    break
        if problem:
            reject(event.line, event.id, problem)
            return False
        self._seen_ids.add(event.id)
        return True

    def run(self, events: Iterable[Event] | None) -> None:
        """Feed every event, in time order, to the evaluators that want it."""
        if events is None:
            return
        if isinstance(events, EventLog):
            log: EventLog | None = events
            source = events.name
        else:
            log = None
            source = "<input>"
        self._strict = log is not None and log.strict
        kept: list[Event] | None = None
        stream: Iterable[Event] = events
        if log is None or not log.restartable:
            kept = []
            stream = _recording(events, kept)
        if self._stream(stream, source):
            return
        self.notes.append(f"the events of {source} were not in time order; they were sorted")
        if log is not None and log.restartable:
            ordered = sorted(log, key=_order)  # re-reads the file: the log recounts its rows
        else:
            assert kept is not None
            for _ in stream:  # drain the one-shot source; _recording keeps every event
                pass
            ordered = sorted(kept, key=_order)
        self._reset()
        ok = self._stream(ordered, source)
        assert ok

    def _stream(self, events: Iterable[Event], source: str) -> bool:
        dispatch = self._dispatch()
        rejected = self.rejected

        strict = getattr(self, "_strict", False)

        def reject(line: int | None, ident: str | None, reason: str) -> None:
            if strict:
                raise RowError([Problem(Location(source, line, None, f"id={ident}"), reason,
                                        "fix the row, or read leniently to skip it")])
            rejected.append(RejectedRow(source=source, line=line, id=ident, reason=reason))

        last = float("-inf")
        group: list[Event] = []
        for event in events:
            ts = event.ts
            if ts < last:
                return False
            if ts != last and group:
                self._flush(group, dispatch, source, reject)
                group = []
            group.append(event)
            last = ts
        if group:
            self._flush(group, dispatch, source, reject)
        return True

    def _flush(self, group: list[Event], dispatch: dict[str, list[Feed]], source: str,
               reject: Callable[[int | None, str | None, str], None]) -> None:
        if len(group) > 1:
            group.sort(key=_order)
        for event in group:
            if not self._valid(event, source, reject):
                continue
            self.used += 1
            for feed in dispatch.get(event.type, ()):
                feed(event)

    # ------------------------------------------------------------------ results

    def findings(self) -> tuple[Finding, ...]:
        found = [f for evaluator in self.evaluators for f in evaluator.findings()]
        found.sort(key=Finding.sort_key)
        return tuple(found)

    def obligations(self) -> tuple[Obligation, ...]:
        found = [o for evaluator in self.evaluators for o in evaluator.obligations()]
        found.sort(key=Obligation.sort_key)
        return tuple(found)


def _order(event: Event) -> tuple[float, str]:
    return (event.ts, event.id)


def _recording(events: Iterable[Event], kept: list[Event]) -> Iterator[Event]:
    for event in events:
        kept.append(event)
        yield event


def _rows(roster: Roster, log: EventLog | None, engine: Engine) -> dict[str, RowCounts]:
    """Row accounting: every row read was used, or rejected by the reader or the engine."""
    rows = {"roster": roster.counts}
    if log is not None:
        rejected = len(log.rejected) + len(engine.rejected)
        rows["events"] = RowCounts(read=log.read, used=engine.used, rejected=rejected)
    elif engine.used or engine.rejected:
        total = engine.used + len(engine.rejected)
        rows["events"] = RowCounts(read=total, used=engine.used, rejected=len(engine.rejected))
    return rows


def _rejected(roster: Roster, log: EventLog | None, engine: Engine) -> tuple[RejectedRow, ...]:
    return (*roster.rejected, *(log.rejected if log is not None else ()), *engine.rejected)


def run_check(program: Program, roster: Roster, events: Iterable[Event] | None,
              as_of: datetime, *, metrics: bool = True) -> Report:
    """Findings for every rule, with row accounting and (optionally) metrics."""
    from mentorrules.metrics import MetricsCollector

    wanted = (MetricsCollector,) if metrics and events is not None else ()
    engine = Engine(program, roster, as_of, observers=wanted)
    engine.run(events)
    log = events if isinstance(events, EventLog) else None
    findings = engine.findings()
    collector = engine.observers[0] if engine.observers else None
    assert collector is None or isinstance(collector, MetricsCollector)
    return Report(
        program=program.id,
        as_of=as_of,
        findings=findings,
        rows=_rows(roster, log, engine),
        rejected=_rejected(roster, log, engine),
        notes=tuple(engine.notes),
        metrics=collector.result(findings) if collector is not None else None,
    )


def run_status(program: Program, roster: Roster, events: Iterable[Event] | None,
               as_of: datetime) -> Status:
    """Every obligation's next due time and state, soonest first."""
    engine = Engine(program, roster, as_of)
    engine.run(events)
    log = events if isinstance(events, EventLog) else None
    return Status(
        program=program.id,
        as_of=as_of,
        obligations=engine.obligations(),
        rows=_rows(roster, log, engine),
        rejected=_rejected(roster, log, engine),
    )


__all__ = ["Engine", "Observer", "resolve_as_of", "run_check", "run_status"]
