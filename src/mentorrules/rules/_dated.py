"""One-off duties with a due day, shared by training-attendance and survey-participation.

Each *item* (a training, a survey) is owed once by each person its selector picks:
an event of one type (``training``, ``survey``) from that person whose ``topic``
is the item's id, inside the item's window: from ``opens`` 00:00 (when the item
has one) to the end of its due day, local time in the program's zone. Events
after ``as_of`` are not known yet at ``as_of`` and are ignored.

State is one small record per (item, person), filled in by ``feed`` with plain
dict lookups; messages are built only in ``findings()`` and ``obligations()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mentorrules._suggest import did_you_mean
from mentorrules.activity.models import Event
from mentorrules.periods import local_midnight
from mentorrules.program.models import Program, RuleSpec, Selector
from mentorrules.report import Finding, Obligation
from mentorrules.roster.models import Roster
from mentorrules.rules._activity import elapsed, upto, when
from mentorrules.rules.base import BatchFed, Context, why


@dataclass(frozen=True, slots=True)
class Item:
    """One training or survey, as the evaluator needs it."""

    id: str
    title: str  # "Fall program survey (fall-survey)"
    opens: datetime | None  # window start, inclusive (None: no lower bound)
    due: datetime  # window end, exclusive: 00:00 after the due day
    due_day: date
    period: str | None  # the term id, or None
    people: tuple[str, ...]  # who owes it, in roster order
    what: str  # for messages: "attend ... (Wed 13 Aug 2025 17:00)"


@dataclass(slots=True)
class _Record:
    """What one person did about one item: the first event in the window or after it."""

    early: str = ""  # first event before the window opened (does not count)
    done: str = ""  # first event at or after the window opened
    done_ts: float = 0.0


@dataclass(frozen=True, slots=True)
class Wording:
    """The words of one kind: ``attended`` / ``completed``, ``training`` / ``survey``."""

    noun: str
    done: str
    detail_key: str


def selected(selector: Selector, roster: Roster) -> tuple[str, ...]:
    return tuple(p.id for p in roster.people.values() if selector.selects(p))


def end_of_day(program: Program, day: date) -> datetime:
    """The exclusive end of ``day``: 00:00 of the next day, local time."""
    return local_midnight(program, day + timedelta(days=1))


def term_id(program: Program, *days: date) -> str | None:
    """The id of the term holding the first of ``days`` that lies in a term."""
    for day in days:
        term = program.calendar.term_of(day)
        if term is not None:
            return term.id
    return None


def time_text(moment: datetime) -> str:
    """``Wed 13 Aug 17:00``: the words every activity rule uses for a moment."""
    return when(moment)


def day_text(day: date) -> str:
    """``Fri 19 Dec``: the day part of :func:`time_text`."""
    return when(datetime.combine(day, time())).rsplit(" ", 1)[0]


def home_unit(roster: Roster, person_id: str) -> str | None:
    """A person's first regular unit, else their first overlay unit, else None."""
    units = roster.units_of(person_id, overlay=False) or roster.units_of(person_id, overlay=True)
    return units[0].id if units else None


class DatedDutyEvaluator(BatchFed):
    """Evaluates one rule of a kind whose items are owed once, by a due day."""

    def __init__(
        self,
        spec: RuleSpec,
        context: Context,
        *,
        event_type: str,
        items: Sequence[Item],
        declared: Iterable[str],
        warn_before: timedelta | None,
        wording: Wording,
    ) -> None:
        self.wants = frozenset({event_type})
        self.spec = spec
        self.context = context
        self.items = tuple(items)
        self.wording = wording
        self._as_of_ts = context.as_of_ts
        self._warn = warn_before.total_seconds() if warn_before else None
        self._declared = tuple(declared)
        self._opens_ts = {i.id: i.opens.timestamp() if i.opens else float("-inf")
                          for i in self.items}
        # (item id, person id) -> record: the only state feed() touches.
        self._records: dict[tuple[str, str], _Record] = {
            (item.id, person): _Record() for item in self.items for person in item.people
        }
        self._known = frozenset(self._declared)
        # (topic, person) -> event ids of events naming no declared item.
        self._unknown: dict[tuple[str, str], list[str]] = {}

    def feed_batch(self, events: Sequence[Event]) -> None:
        records = self._records
        opens_ts = self._opens_ts
        if events and events[-1].ts > self._as_of_ts:  # events after as_of are ignored
            events = upto(events, self._as_of_ts)
        for event in events:
            ts = event.ts
            record = records.get((event.topic, event.sender))
            if record is None:
                if event.topic not in self._known:
                    self._unknown.setdefault((event.topic, event.sender), []).append(event.id)
                continue
            if record.done:
                continue
            if ts < opens_ts[event.topic]:
                if not record.early:
                    record.early = event.id
                continue
            record.done = event.id
            record.done_ts = ts

    # ------------------------------------------------------------------ results

    def _assess(self, only: str | None = None) -> Iterator[tuple[Item, str, _Record, str, str]]:
        """(item, person, record, state, message) for every duty, in item then roster order.

        With ``only``, the duties of that person alone.
        """
        spec, as_of_ts, warn = self.spec, self._as_of_ts, self._warn
        noun, done_word = self.wording.noun, self.wording.done
        for item in self.items:
            due_ts = item.due.timestamp()
            for person in item.people:
                if only is not None and person != only:
                    continue
                record = self._records[(item.id, person)]
                due_text = f"the end of {day_text(item.due_day)}"
                if record.done and record.done_ts < due_ts:
                    when = time_text(self.context.localize(record.done_ts))
                    yield item, person, record, "met", f"{done_word} {item.title} on {when}"
                    continue
                early = ""
                if record.early:
                    early = (f"; {record.early} was logged before the {noun} opened and does "
                             "not count")
                if record.done:
                    done_at = self.context.localize(record.done_ts)
                    late = elapsed(record.done_ts - due_ts)
                    message = (f"{person} {done_word} {item.title} on {time_text(done_at)}, "
                               f"{late} after it was due (by {due_text}){early}{why(spec)}")
                    yield item, person, record, "breached", message
                elif due_ts <= as_of_ts:
                    message = (f"{person} has not {done_word} {item.title}, due by {due_text}"
                               f"{early}{why(spec)}")
                    yield item, person, record, "breached", message
                else:
                    at_risk = warn is not None and as_of_ts >= due_ts - warn
                    yield (item, person, record, "at_risk" if at_risk else "pending",
                           f"{item.what} by {due_text}{early}")

    def findings(self) -> Iterator[Finding]:
        context, spec, roster = self.context, self.spec, self.context.roster
        key = self.wording.detail_key
        for item, person, record, state, message in self._assess():
            if state != "breached":
                continue
            evidence = tuple(e for e in (record.done, record.early) if e)
            details: dict[str, object] = {key: item.id}
            if record.done:
                details["late_hours"] = round((record.done_ts - item.due.timestamp()) / 3600, 1)
            yield context.finding(
                spec, subject=person, unit=home_unit(roster, person), period=item.period,
                due=item.due, message=message, evidence=evidence, mentors=(person,),
                details=details,
            )
        yield from self._unknown_topics()

    def _unknown_topics(self) -> Iterator[Finding]:
        noun, roster = self.wording.noun, self.context.roster
        declared = ", ".join(self._declared) or "(none)"
        for (topic, person), ids in self._unknown.items():
            shown = f"topic {topic!r}" if topic else "no topic"
            yield self.context.finding(
                self.spec, severity="warning", subject=person, unit=home_unit(roster, person),
                message=(f"{self.wants_type} event{'s' if len(ids) > 1 else ''} from {person} "
                         f"name{'' if len(ids) > 1 else 's'} {shown}, which is no {noun} of the "
                         f"program{did_you_mean(topic, self._declared)}, so "
                         f"{'they are' if len(ids) > 1 else 'it is'} not counted; set the topic "
                         f"to one of: {declared}"),
                evidence=tuple(ids), mentors=(person,), details={"unknown_topic": topic},
            )

    @property
    def wants_type(self) -> str:
        return next(iter(self.wants)).capitalize()

    def obligations(self) -> Iterator[Obligation]:
        return self._obligations(None)

    def obligations_of(self, person_id: str) -> Iterator[Obligation]:
        """The obligations naming ``person_id`` among their mentors, as ``obligations()`` has them."""
        return self._obligations(person_id)

    def _obligations(self, only: str | None) -> Iterator[Obligation]:
        context, spec, roster = self.context, self.spec, self.context.roster
        for item, person, record, state, message in self._assess(only):
            evidence = tuple(e for e in (record.done, record.early) if e)
            yield context.obligation(
                spec, subject=person, unit=home_unit(roster, person), mentors=(person,),
                period=item.period, due=item.due, state=state, message=message,
                evidence=evidence,
            )

