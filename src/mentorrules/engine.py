"""The engine: run a program's rules over a roster and an activity log.

Events are processed once each, in time order (ties by id), through the
evaluators of the rules that want their type; each evaluator keeps state per
subject, not per event. A log that is already in time order streams: memory
grows with the number of people, not of events. The one record of every event
is the set of accepted ids (exact uniqueness and "``reply_to`` names an
earlier event" need it), an :class:`~mentorrules.idset.IdSet`: a plain set up
to 65,536 ids, then numbered ids (``e0000123``, ``81734``) cost a few runs of
numbers whatever their count, and only ids without a number (UUIDs) cost about
90 bytes each. When an event
arrives out of order the engine starts again on the sorted log (re-reading a
file, or the events it kept from a one-shot iterator), sorting it once, and
notes that in the report.

Accepted events reach the rules in lists of a few thousand (``feed_batch``,
for the evaluators that have it; ``feed`` one by one for the others), which
saves a Python call per event and rule. While the events stream, the cyclic
garbage collector is paused, as :mod:`timeit` pauses it: the engine makes no
reference cycles per event, so the collector would only walk the rules' state
over and over (a sixth of a large check). :func:`run_check` and
:func:`run_status` keep it paused while the findings and obligations are made
too. It is switched back on at the end, if it was on.

Before an event reaches the rules the engine checks what only the roster can
tell: the people it names exist, its id is unique, and ``reply_to`` names an
earlier event. A row failing that is rejected with its line and reason, like a
row the reader could not parse, so ``read == used + rejected`` always holds.

:class:`Monitor` is the same engine kept by an app: fed one event at a time,
asked one mentor's status at any moment.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import chain
from operator import attrgetter
from typing import Any, Protocol, cast

from mentorrules.activity.models import Event
from mentorrules.activity.readers import EventLog
from mentorrules.errors import Location, Problem, RowError, UsageError
from mentorrules.idset import IdSet
from mentorrules.program.models import Program
from mentorrules.report import Finding, Obligation, RejectedRow, Report, RowCounts, Status
from mentorrules.roster.models import Roster
from mentorrules.rules import registry
from mentorrules.rules.base import Context, Evaluator
from mentorrules.tabular import DEFAULT_READ_LIMITS, too_many_rejected

Batch = Callable[[Sequence[Event]], None]

BATCH = 4096
"""How many accepted events the engine gathers before handing them to the rules."""


class Observer(Protocol):
    """Something that watches the event stream beside the rules (metrics do)."""

    wants: frozenset[str]

    def feed(self, event: Event) -> None: ...

    # and optionally, as rules may: def feed_batch(self, events: Sequence[Event]) -> None


def _batch_of(evaluator: Any) -> Batch:
    """``evaluator.feed_batch``, or a loop over ``evaluator.feed`` for one without it."""
    batch = getattr(evaluator, "feed_batch", None)
    if callable(batch):
        return cast(Batch, batch)
    feed = evaluator.feed

    def one_by_one(events: Sequence[Event]) -> None:
        for event in events:
            feed(event)

    return one_by_one


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if on) for the duration; see the module docstring."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def resolve_as_of(program: Program, as_of: datetime | str | None) -> datetime:
    """``as_of`` as an aware datetime (naive and text times are local to the program)."""
    if as_of is None:
        return datetime.now(program.tz)
    if isinstance(as_of, str) or as_of.tzinfo is None:
        # A naive datetime in a skipped or repeated local hour is bad input too, not a crash.
        from mentorrules.activity.times import TimeError, resolve
        from mentorrules.errors import InputError

        try:
            return resolve(as_of, program.tz)
        except TimeError as exc:
            raise InputError.single(f"--as-of: {exc}", "give a time like 2025-10-31T17:00",
                                    key_path="as_of") from None
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
        self._strict = False
        self._limits = DEFAULT_READ_LIMITS
        self._source = "<input>"
        self._targets = frozenset(t.id for t in program.referrals.targets)
        self._reset()

    def _reset(self) -> None:
        self.context = Context(self.program, self.roster, self.as_of)
        self.evaluators: list[Evaluator] = [
            registry.get(spec.kind).bind(spec, self.context) for spec in self.program.active_rules()
        ]
        self.observers: list[Observer] = [make(self.context) for make in self._observer_factories]
        self.rejected: list[RejectedRow] = []
        self.used = 0
        # Every accepted id, for exact uniqueness and for "reply_to names an earlier
        # event": compact for numbered ids (see IdSet).
        self._seen_ids = IdSet()
        self._feeds = self._dispatch()
        self._batches = self._batch_dispatch()

    def _dispatch(self) -> dict[str, tuple[Batch, ...]]:
        """Per event type: the batch feeds wanting it (a single event goes as a 1-tuple)."""
        table: dict[str, list[Batch]] = {}
        for evaluator in (*self.evaluators, *self.observers):
            batch = _batch_of(evaluator)
            for kind in evaluator.wants:
                table.setdefault(kind, []).append(batch)
        return {kind: tuple(feeds) for kind, feeds in table.items()}

    def _batch_dispatch(self) -> tuple[tuple[frozenset[str], tuple[Batch, ...]], ...]:
        """Per distinct ``wants``: the batch feeds of the evaluators and observers wanting it."""
        table: dict[frozenset[str], list[Batch]] = {}
        for evaluator in (*self.evaluators, *self.observers):
            if evaluator.wants:
                table.setdefault(frozenset(evaluator.wants), []).append(_batch_of(evaluator))
        return tuple((wants, tuple(feeds)) for wants, feeds in table.items())

    def _hand_over(self, accepted: list[Event]) -> None:
        """Give ``accepted`` (time-ordered) to every evaluator, each only the types it wants."""
        for wants, batches in self._batches:
            # a tuple: evaluators wanting the same types share it, and none can change it
            mine = tuple([e for e in accepted if e.type in wants])
            if mine:
                for batch in batches:
                    batch(mine)

    # ------------------------------------------------------------------ intake

    def _problem(self, event: Event) -> str | None:
        """Why the roster or the log so far refuses ``event`` (None: it is fine)."""
        people = self.roster.people
        if event.id in self._seen_ids:
            return f"id {event.id!r} is used by an earlier event"
        if event.sender and event.sender not in people:
            return f"'from' names {event.sender!r}, who is not on the roster"
        if event.reply_to and event.reply_to not in self._seen_ids:
            return f"reply_to names {event.reply_to!r}, which is no earlier event"
        targets = self._targets if event.type == "referral" else ()
        for person in event.recipients:
            if person not in people and person not in targets:
                return f"'to' names {person!r}, who is not on the roster"
        return None

    def _reject(self, event: Event, reason: str) -> None:
        if self._strict:
            raise RowError([Problem(Location(self._source, event.line, None, f"id={event.id}"),
                                    reason, "fix the row, or read leniently to skip it")])
        if len(self.rejected) >= self._limits.max_rejected:  # bounded, like the readers
            first = self.rejected[0] if self.rejected else None
            raise too_many_rejected(self._source, self._limits,
                                    first.line if first else event.line,
                                    first.reason if first else reason)
        self.rejected.append(RejectedRow(source=self._source, line=event.line, id=event.id,
                                         reason=reason))

    def feed(self, event: Event) -> bool:
        """Check one event and give it to the rules; the caller keeps time order (ties by id).

        Returns False when the event is refused (it is then in :attr:`rejected`).
        The checks are :meth:`_problem`'s, written out: an app calls this per event.
        """
        people = self.roster.people
        sender, reply_to = event.sender, event.reply_to
        if (sender and sender not in people) or (reply_to and reply_to not in self._seen_ids):
            return self._refused(event)
        for person in event.recipients:
            if person not in people and (person not in self._targets
                                         or event.type != "referral"):
                return self._refused(event)
        if not self._seen_ids.add(event.id):
            return self._refused(event)
        self.used += 1
        one = (event,)
        for batch in self._feeds.get(event.type, ()):
            batch(one)
        return True

    def _refused(self, event: Event) -> bool:
        """Reject ``event`` with the reason :meth:`_problem` gives; False, for ``feed``."""
        self._reject(event, self._problem(event) or "refused")
        return False

    def run(self, events: Iterable[Event] | None) -> None:
        """Feed every event, in time order, to the evaluators that want it."""
        if events is None:
            return
        if isinstance(events, EventLog):
            log: EventLog | None = events
            self._source = events.name
            restartable = events.restartable
        else:
            log = None
            self._source = "<input>"
            restartable = isinstance(events, Sequence)
        self._strict = log is not None and log.strict
        self._limits = log.limits if log is not None else DEFAULT_READ_LIMITS
        with _collector_paused():
            self._run(events, restartable)

    def _run(self, events: Iterable[Event], restartable: bool) -> None:
        kept: list[Event] | None = None
        stream: Iterable[Event] = events
        if not restartable:
            kept = []
            stream = _recording(events, kept)
        if self._stream(stream):
            return
        self.notes.append(f"the events of {self._source} were not in time order; they were sorted")
        if restartable:
            ordered = list(events)  # re-reads a file: the log recounts its rows
        else:
            assert kept is not None
            for _ in stream:  # drain the one-shot source; _recording keeps every event
                pass
            ordered = kept
        # One sort, by time only: no key tuples for a million events. Ties keep their
        # order here and are put in id order by _stream, like every tie.
        ordered.sort(key=_by_ts)
        self._reset()
        ok = self._stream(ordered)
        assert ok

    def _stream(self, events: Iterable[Event]) -> bool:
        """Feed time-ordered ``events``; False (at once) when one goes back in time.

        Events of the same moment are gathered, put in id order if they are not,
        and checked when the next moment begins (the sentinel at the end begins
        the last one); accepted ones go to the rules :data:`BATCH` at a time. The
        checks are written out here rather than called, because this loop runs
        once per event.
        """
        seen = self._seen_ids
        remember = seen.add
        plain, room = seen.room()  # while room lasts, ids go straight into the plain set
        people = self.roster.people
        targets = self._targets
        used = 0
        accepted: list[Event] = []
        keep = accepted.append
        hand_over = self._hand_over
        last = float("-inf")
        last_id = ""
        shuffled = False  # events of one moment not in id order
        group: list[Event] = []
        try:
            for event in chain(events, _END):
                ts = event.ts
                if ts == last:
                    ident = event.id
                    if ident < last_id:
                        shuffled = True
                    last_id = ident
                    group.append(event)
                    continue
                if ts < last:
                    return False
                if shuffled:
                    group.sort(key=_by_id)
                    shuffled = False
                for ready in group:
                    sender = ready.sender
                    reply_to = ready.reply_to
                    if (sender and sender not in people) or (reply_to and reply_to not in (
                            plain if room else seen)):
                        self._refused(ready)
                        continue
                    for person in ready.recipients:
                        if person not in people and (person not in targets
                                                     or ready.type != "referral"):
                            self._refused(ready)
                            break
                    else:
                        if room:
                            ident = ready.id
                            if ident in plain:
                                self._refused(ready)
                                continue
                            plain.add(ident)
                            room -= 1
                        elif not remember(ready.id):
                            self._refused(ready)
                            continue
                        used += 1
                        keep(ready)
                        if len(accepted) >= BATCH:
                            hand_over(accepted)
                            accepted.clear()
                group = [event]
                last = ts
                last_id = event.id
            if accepted:
                hand_over(accepted)
            return True
        finally:
            self.used += used

    # ------------------------------------------------------------------ results

    def findings(self) -> tuple[Finding, ...]:
        found = [f for evaluator in self.evaluators for f in evaluator.findings()]
        found.sort(key=Finding.sort_key)
        return tuple(found)

    def obligations(self) -> tuple[Obligation, ...]:
        found = [o for evaluator in self.evaluators for o in evaluator.obligations()]
        found.sort(key=Obligation.sort_key)
        return tuple(found)


_by_ts = attrgetter("ts")
_by_id = attrgetter("id")


class _Sentinel:
    """Comes after every event: its moment begins when the last real one ends."""

    ts = float("inf")
    id = ""


_END: tuple[Any, ...] = (_Sentinel(),)


def _order(event: Event) -> tuple[float, str]:
    return (event.ts, event.id)


def _recording(events: Iterable[Event], kept: list[Event]) -> Iterator[Event]:
    for event in events:
        kept.append(event)
        yield event


class Monitor:
    """An engine an app keeps and feeds: events one at a time, one mentor's status at once.

    ::

        monitor = Monitor(program, roster, as_of="2026-02-20T12:00")
        monitor.feed({"id": "e1", "type": "message", "at": "2026-02-20T09:12",
                      "from": "s-17", "to": "m-3", "channel": "text"})
        for due in monitor.status_of("m-3"):
            print(due.due, due.state, due.message)

    ``feed`` checks an event as :func:`run_check` does (known people, unique id,
    ``reply_to`` an earlier event) and gives it to the rules at once: its cost
    does not grow with the log. A refused event is in :attr:`rejected` with its
    reason (``strict=True`` raises instead). ``status_of`` gives one person's
    obligations, soonest first, exactly as ``status(...).for_mentor(id)`` would
    for the same events and ``as_of``; ``status`` and ``check`` give the whole
    program's.

    The rules judge at one moment, ``as_of``: events after it are ignored, as in
    ``check``. Events must come in time order (ties by id); one that comes late
    (and :meth:`advance`, which moves ``as_of``) makes the monitor replay the
    events it kept (``history=True``, the default) - a full recomputation, as
    rare as late events. With ``history=False`` memory grows with the people
    only and a late event is a :class:`~mentorrules.errors.UsageError`.

    An evaluator that has ``obligations_of(person_id)`` answers ``status_of``
    directly; for one without it the monitor groups all its obligations by
    mentor once. Either answer is kept until the evaluator is fed again (the
    rules judge at the fixed ``as_of``, so nothing else changes it).
    """

    def __init__(self, program: Program, roster: Roster, as_of: datetime | str | None = None,
                 *, history: bool = True, strict: bool = False) -> None:
        from mentorrules.activity.readers import FastParser

        self.program = program
        self.roster = roster
        self.as_of = resolve_as_of(program, as_of)
        self.strict = strict
        self._history: list[Event] | None = [] if history else None
        self._rows = FastParser(program.tz)
        self.rejected: list[RejectedRow] = []
        self._start()

    def _start(self) -> None:
        self._engine = Engine(self.program, self.roster, self.as_of)
        self._engine._strict = self.strict
        self._last: tuple[float, str] = (float("-inf"), "")
        evaluators = self._engine.evaluators
        self._direct = [getattr(e, "obligations_of", None) for e in evaluators]
        # Per evaluator: person -> their obligations (a direct evaluator's answers, or
        # everyone's grouped once), kept until the evaluator is fed again.
        self._known: list[dict[str, tuple[Obligation, ...]]] = [{} for _ in evaluators]
        self._stale = [True] * len(evaluators)
        self._wanted_by: dict[str, tuple[int, ...]] = {}
        for i, evaluator in enumerate(evaluators):
            for kind in evaluator.wants:
                self._wanted_by[kind] = (*self._wanted_by.get(kind, ()), i)

    # ------------------------------------------------------------------ intake

    @property
    def used(self) -> int:
        """Events accepted so far."""
        return self._engine.used

    def feed(self, event: Event | Mapping[str, Any]) -> bool:
        """Take one event (an :class:`Event` or a row as a dict); False if it is refused."""
        if not isinstance(event, Event):
            if not isinstance(event, Mapping):  # an app's row from JSON may be anything
                self._refuse(None, f"a row is a mapping, not a {type(event).__name__}")
                return False
            parsed = self._parse(event)
            if parsed is None:
                return False
            event = parsed
        engine = self._engine
        order = (event.ts, event.id)
        if order < self._last:
            return self._late(event)
        before = len(engine.rejected)
        accepted = engine.feed(event)
        if not accepted:
            self.rejected.extend(engine.rejected[before:])
            del engine.rejected[before:]
            return False
        self._last = order
        if self._history is not None:
            self._history.append(event)
        for i in self._wanted_by.get(event.type, ()):
            self._stale[i] = True  # dropped at the next query, not here: feeding stays cheap
        return True

    def feed_many(self, events: Iterable[Event | Mapping[str, Any]]) -> int:
        """Feed each event in turn; the number accepted."""
        return sum(1 for event in events if self.feed(event))

    def _parse(self, row: Mapping[str, Any]) -> Event | None:
        from mentorrules.activity.readers import EventRowError, parse_event

        event = self._rows.record(row, None)
        if event is not None:
            return event
        try:
            return parse_event(row, self.program.tz)
        except EventRowError as exc:
            self._refuse(exc.ident, str(exc))
            return None

    def _refuse(self, ident: str | None, reason: str) -> None:
        if self.strict:
            raise RowError([Problem(Location("<input>", None, None, f"id={ident}"), reason,
                                    "fix the event, or feed leniently to skip it")])
        self.rejected.append(RejectedRow(source="<input>", line=None, id=ident, reason=reason))

    def _late(self, event: Event) -> bool:
        if self._history is None:
            raise UsageError(
                f"event {event.id!r} ({event.at.isoformat()}) comes after a later one; feed "
                "events in time order, or keep history (the default) to allow late events")
        if event.id in self._engine._seen_ids:
            self._refuse(event.id, f"id {event.id!r} is used by an earlier event")
            return False
        self._replay([*self._history, event])
        return any(e is event for e in self._history)

    def _replay(self, events: list[Event]) -> None:
        events.sort(key=_order)
        self._history = [] if self._history is not None else None
        kept = [r for r in self.rejected if r.source != "<input>" or r.id is None]
        self.rejected = []
        self._start()
        for event in events:
            self.feed(event)
        self.rejected = [*kept, *self.rejected]

    def advance(self, as_of: datetime | str) -> None:
        """Judge at another moment: the rules are bound again and the history replayed."""
        moment = resolve_as_of(self.program, as_of)
        if moment == self.as_of:
            return
        if self._history is None:
            raise UsageError("a monitor without history cannot move as_of; make a new one "
                             "and feed it again, or keep history")
        self.as_of = moment
        self._replay(list(self._history))

    # ------------------------------------------------------------------ results

    def status_of(self, person_id: str,
                  as_of: datetime | str | None = None) -> tuple[Obligation, ...]:
        """What ``person_id`` owes, soonest due first (as ``status(...).for_mentor``).

        ``as_of`` other than the monitor's moves it there first (see :meth:`advance`).
        """
        if as_of is not None:
            self.advance(as_of)
        if person_id not in self.roster.people:
            raise UsageError(f"no one with id {person_id!r} is on the roster; give a mentor id "
                             "from the roster")
        found: list[Obligation] = []
        for i, evaluator in enumerate(self._engine.evaluators):
            known = self._known[i]
            if self._stale[i]:
                known.clear()
                self._stale[i] = False
                if self._direct[i] is None:  # every obligation, grouped by mentor once
                    grouped: dict[str, list[Obligation]] = {}
                    for obligation in evaluator.obligations():
                        for mentor in obligation.mentors:
                            grouped.setdefault(mentor, []).append(obligation)
                    known.update((mentor, tuple(mine)) for mentor, mine in grouped.items())
            mine = known.get(person_id)
            if mine is None:
                direct = self._direct[i]
                mine = () if direct is None else tuple(
                    o for o in direct(person_id) if person_id in o.mentors)
                known[person_id] = mine
            found.extend(mine)
        found.sort(key=Obligation.sort_key)
        return tuple(found)

    def _rows_counts(self) -> dict[str, RowCounts]:
        used, rejected = self._engine.used, len(self.rejected)
        return {"roster": self.roster.counts,
                "events": RowCounts(read=used + rejected, used=used, rejected=rejected)}

    def status(self) -> Status:
        """Every obligation of the program at ``as_of``."""
        return Status(program=self.program.id, as_of=self.as_of,
                      obligations=self._engine.obligations(), rows=self._rows_counts(),
                      rejected=(*self.roster.rejected, *self.rejected))

    def check(self) -> Report:
        """The findings at ``as_of`` (without metrics)."""
        return Report(program=self.program.id, as_of=self.as_of,
                      findings=self._engine.findings(), rows=self._rows_counts(),
                      rejected=(*self.roster.rejected, *self.rejected))


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
    if events is None:
        # No activity log: judge the roster only. Activity rules would find every duty unmet.
        skipped = [s.id for s, e in zip(program.active_rules(), engine.evaluators, strict=True)
                   if e.wants]
        engine.evaluators = [e for e in engine.evaluators if not e.wants]
        if skipped:
            rules = "activity rule" if len(skipped) == 1 else "activity rules"
            engine.notes.append(f"no activity log given: {len(skipped)} {rules} not "
                                f"checked ({', '.join(skipped)})")
    with _collector_paused():  # the findings too: tens of thousands of objects, no cycles
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
    with _collector_paused():
        engine.run(events)
        log = events if isinstance(events, EventLog) else None
        return Status(
            program=program.id,
            as_of=as_of,
            obligations=engine.obligations(),
            rows=_rows(roster, log, engine),
            rejected=_rejected(roster, log, engine),
        )


__all__ = ["Engine", "Monitor", "Observer", "resolve_as_of", "run_check", "run_status"]
