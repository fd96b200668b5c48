"""Shared pieces of the activity rule kinds.

Everything here is built once when a rule is bound, so that feeding events - the
hot path, once per event - does dictionary and set look-ups only:

- :class:`RosterIndex`: who is a mentor or a mentee, which units a mentor and a
  mentee share, each unit's mentors and mentees in roster order; one per run
  (:func:`roster_index`), shared by every activity rule and the metrics;
- :func:`contacts`: the ``(unit, mentee, mentor)`` contacts an event makes;
- :class:`PeriodPlan`: the evaluated periods of a rule, which have ended by
  ``as_of``, and which one is current;
- :class:`AbsenceBook`: mentors' notified absences, for partner cover;
- :class:`CadenceEvaluator`: "at least N per period" counting, shared by the
  contact and meeting cadences;
- :func:`when`, :func:`elapsed`, :func:`channel_noun`, ...: words for messages.

Events later than ``as_of`` are ignored by every activity kind: a check "as of"
a moment sees the log as it stood then.

The activity evaluators take events in lists (``feed_batch``, see
:mod:`mentorrules.rules.base`): each has one loop over the list with its
look-ups hoisted into locals, and ``feed(event)`` is ``feed_batch((event,))``,
so the two cannot drift apart.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any, cast

from mentorrules.activity.models import Event
from mentorrules.durations import humanize
from mentorrules.periods import Period, PeriodIndex
from mentorrules.program.models import RuleSpec
from mentorrules.report import Finding, Obligation
from mentorrules.rules.base import BatchFed, Context
from mentorrules.rules.options import CadenceOptions

Contact = tuple[str, str, str]
"""``(unit, mentee, mentor)``: a mentor of ``unit`` was in contact with its ``mentee``."""

Key = tuple[str, str, str]
"""A cadence subject: ``(subject, unit, mentor)``; ``mentor`` is ``""`` for unit duty."""


# --------------------------------------------------------------------------- roster


class RosterIndex:
    """Plain dicts and sets over the roster, for look-ups in ``feed()``.

    ``pupils[mentor][mentee]`` (regular units) and ``pupils_all[mentor][mentee]``
    (overlay units too) are the units in which ``mentor`` mentors ``mentee``:
    one look-up tells whether a message is a contact and for which unit.
    """

    __slots__ = (
        "credit_tables",
        "mentees",
        "mentees_of_unit",
        "mentors",
        "mentors_of_unit",
        "overlay_units",
        "pupils",
        "pupils_all",
        "regular_units",
        "regular_units_of_mentor",
        "role_of",
    )

    def __init__(self, context: Context) -> None:
        roster = context.roster
        self.role_of: dict[str, str] = context.role_of
        self.mentors = frozenset(p for p, role in self.role_of.items() if role == "mentor")
        self.mentees = frozenset(p for p, role in self.role_of.items() if role == "mentee")
        self.regular_units: tuple[str, ...] = tuple(u.id for u in roster.regular_units())
        self.overlay_units: tuple[str, ...] = tuple(u.id for u in roster.overlay_units())
        self.mentors_of_unit: dict[str, tuple[str, ...]] = {
            u.id: u.mentors for u in roster.units.values()
        }
        self.mentees_of_unit: dict[str, tuple[str, ...]] = {
            u.id: u.mentees for u in roster.units.values()
        }
        regular_of_mentor: dict[str, list[str]] = {}
        regular: dict[str, dict[str, tuple[str, ...]]] = {}
        every: dict[str, dict[str, tuple[str, ...]]] = {}
        for unit in roster.units.values():
            for mentor in unit.mentors:
                if not unit.overlay:
                    regular_of_mentor.setdefault(mentor, []).append(unit.id)
                for mentee in unit.mentees:
                    mine = every.setdefault(mentor, {})
                    mine[mentee] = (*mine.get(mentee, ()), unit.id)
                    if not unit.overlay:
                        mine = regular.setdefault(mentor, {})
                        mine[mentee] = (*mine.get(mentee, ()), unit.id)
        self.regular_units_of_mentor = {k: tuple(v) for k, v in regular_of_mentor.items()}
        self.pupils = regular
        self.pupils_all = every
        # by_mentor -> credit_table(): built on first use, then shared like the rest
        self.credit_tables: dict[bool, dict[str, dict[str, tuple[Key, ...]]]] = {}

    def shared(self, mentor: str, mentee: str, *, overlays: bool = False) -> tuple[str, ...]:
        """The units in which ``mentor`` mentors ``mentee`` (regular only unless ``overlays``)."""
        table = self.pupils_all if overlays else self.pupils
        return table.get(mentor, {}).get(mentee, ())


_INDEX_SLOT = "_activity_roster_index"


def roster_index(context: Context) -> RosterIndex:
    """The :class:`RosterIndex` of ``context``'s roster, built once per run.

    Every activity rule of a run and the metrics look at the same roster, and
    the index is read-only after it is built (but for the :func:`credit_table`
    a cadence adds on first use, read-only too), so one is shared: kept in the
    context's own attributes (as its cached properties are), it lives and dies
    with the run.
    """
    memo = vars(context)
    index = memo.get(_INDEX_SLOT)
    if index is None:
        index = memo[_INDEX_SLOT] = RosterIndex(context)
    return cast(RosterIndex, index)


def upto(events: Sequence[Event], until: float) -> Sequence[Event]:
    """The first of time-ordered ``events``: those at or before ``until``.

    Every activity evaluator ignores events after ``as_of``; with a list in time
    order that is one cut, not a test per event. Callers test the last event
    first (``if events and events[-1].ts > until``), which costs less than a call
    when, as mostly, every event is kept.
    """
    return events[:bisect_right(events, until, key=_TS)]


_TS = attrgetter("ts")


def contacts(index: RosterIndex, event: Event, *, overlays: bool = False) -> set[Contact]:
    """The contacts ``event`` makes, as ``(unit, mentee, mentor)``.

    A ``message`` from a mentor to a mentee of one of the mentor's units is a
    contact with each such recipient (a group message counts for each). A
    ``meeting`` is a contact between every mentee and every mentor of the
    mentee's unit who attended (attendees are ``from`` plus ``to``). Overlay
    units (e.g. MD/PhD) count only with ``overlays=True``. Other event types
    make no contact.
    """
    table = index.pupils_all if overlays else index.pupils
    found: set[Contact] = set()
    if event.type == "message":
        sender = event.sender
        mine = table.get(sender)
        if mine is None:
            return found
        for mentee in event.recipients:
            units = mine.get(mentee)
            if units:
                for unit in units:
                    found.add((unit, mentee, sender))
    elif event.type == "meeting":
        people = event.people
        present = [table[p] for p in people if p in table]
        if not present:
            return found
        mentors = [p for p in people if p in table]
        for mentee in people:
            if mentee not in index.mentees:
                continue
            for mentor, mine in zip(mentors, present, strict=True):
                for unit in mine.get(mentee, ()):
                    found.add((unit, mentee, mentor))
    return found


def credit_table(index: RosterIndex, *, by_mentor: bool) -> dict[str, dict[str, tuple[Key, ...]]]:
    """``mentor -> mentee -> subjects``: the cadence subjects a contact between the two meets.

    A subject is ``(mentee, unit, mentor)`` for each regular unit in which the
    mentor mentors the mentee; ``mentor`` is ``""`` unless ``by_mentor``. Only
    mentors of a regular unit are keys, and only their mentees are in their table.
    Built once per run and duty, and shared (read only) by the cadences using it.
    """
    table = index.credit_tables.get(by_mentor)
    if table is None:
        table = index.credit_tables[by_mentor] = {
            mentor: {mentee: tuple((mentee, unit, mentor if by_mentor else "") for unit in units)
                     for mentee, units in mine.items()}
            for mentor, mine in index.pupils.items()
        }
    return table


def meeting_credits(table: dict[str, dict[str, tuple[Key, ...]]], event: Event) -> set[Key]:
    """The subjects of ``table`` (:func:`credit_table`) a meeting meets: every mentee present
    with every mentor of theirs present (what :func:`contacts` finds, as subjects)."""
    found: set[Key] = set()
    people = event.people
    for mentor in people:
        mine = table.get(mentor)
        if mine is not None:
            for person in people:
                keys = mine.get(person)
                if keys is not None:
                    found.update(keys)
    return found


def mentees_present(index: RosterIndex, event: Event) -> int:
    """How many distinct mentees attended ``event``."""
    return len({p for p in event.people if p in index.mentees})


def meeting_format(index: RosterIndex, event: Event) -> str:
    """``group`` or ``individual``: the ``format`` column, else two or more mentees make a group.

    Counting mentees rather than recipients means a pair of mentors meeting one
    mentee is an individual meeting, whoever is named as the organiser.
    """
    if event.format:
        return event.format
    return "group" if mentees_present(index, event) >= 2 else "individual"


# --------------------------------------------------------------------------- periods


class PeriodPlan:
    """The periods a rule evaluates, given its ``per`` and ``terms`` options and ``as_of``.

    ``ended`` lists the evaluated periods over by ``as_of`` (only these can be
    breached); ``current`` is the evaluated period holding ``as_of``, else the
    next one, else None.

    :meth:`find` remembers its last answer ``_p`` with the span ``_lo``..``_hi``
    (end excluded) over which it holds: a period, or the gap between two. A
    feed loop keeps the three in locals and calls ``find`` only for a moment
    outside the span (``if not lo <= ts < hi``).
    """

    __slots__ = ("_hi", "_lo", "_p", "_starts", "current", "ended", "evaluated", "period_index",
                 "periods")

    def __init__(self, context: Context, per: Any, terms: Sequence[str] = ()) -> None:
        self.period_index: PeriodIndex = context.periods(per)
        self.periods: tuple[Period, ...] = self.period_index.periods
        if terms:
            chosen = [t for t in context.periods("term").periods if t.id in set(terms)]
            self.evaluated = tuple(
                any(p.start_ts < t.end_ts and t.start_ts < p.end_ts for t in chosen)
                for p in self.periods
            )
        else:
            self.evaluated = (True,) * len(self.periods)
        as_of = context.as_of_ts
        self.ended = tuple(
            i for i, p in enumerate(self.periods) if self.evaluated[i] and p.end_ts <= as_of
        )
        self.current: int | None = next(
            (i for i, p in enumerate(self.periods) if self.evaluated[i] and p.end_ts > as_of),
            None,
        )
        self._starts = [p.start_ts for p in self.periods]
        # The last answer of find(): events come in time order, so most fall in it again.
        self._lo, self._hi, self._p = 0.0, 0.0, -1

    def find(self, ts: float) -> int:
        """The index of the evaluated period holding ``ts``, or -1."""
        if self._lo <= ts < self._hi:
            return self._p
        i = self.period_index.index(ts)
        if i >= 0:
            period = self.periods[i]
            self._lo, self._hi = period.start_ts, period.end_ts
            self._p = i if self.evaluated[i] else -1
            return self._p
        # No period holds ts: nor any moment up to the next period's start, from the
        # end of the one before (the same bisect as PeriodIndex.index).
        k = bisect_right(self._starts, ts)
        self._lo = self.periods[k - 1].end_ts if k else float("-inf")
        self._hi = self.periods[k].start_ts if k < len(self.periods) else float("inf")
        self._p = -1
        return -1


# --------------------------------------------------------------------------- absences


class AbsenceBook:
    """Mentors' notified absences: when each runs and who was told.

    Absence notices are logged (``at``) before the absence, so an evaluator that
    wants ``absence`` events has them when a partner's contact arrives.
    """

    __slots__ = ("_by_mentor",)

    def __init__(self) -> None:
        self._by_mentor: dict[str, list[tuple[float, float, frozenset[str]]]] = {}

    def add(self, event: Event, forget_before: float | None = None) -> None:
        """Record ``event``; drop the mentor's absences that ended before ``forget_before``."""
        if event.start is None or event.end is None or not event.sender:
            return
        entries = self._by_mentor.setdefault(event.sender, [])
        if forget_before is not None:
            entries[:] = [e for e in entries if e[1] >= forget_before]
        entries.append((event.start.timestamp(), event.end.timestamp(),
                        frozenset(event.recipients)))

    def covers(self, absent: str, partner: str, lo: float, hi: float) -> bool:
        """True when ``absent`` told ``partner`` of an absence overlapping ``lo``..``hi``."""
        for start, end, told in self._by_mentor.get(absent, ()):
            if start <= hi and end >= lo and partner in told:
                return True
        return False


# --------------------------------------------------------------------------- words

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CHANNEL_NOUNS = {
    "text": "text",
    "phone": "call",
    "email": "e-mail",
    "chat": "chat message",
    "in_person": "conversation",
    "video": "video call",
}
_CHANNEL_WORDS = {"in_person": "in person", "video": "by video", "phone": "by phone",
                  "email": "by e-mail", "text": "by text", "chat": "by chat"}


def when(moment: datetime) -> str:
    """``Fri 31 Oct 14:05`` (locale-independent, in the moment's own zone)."""
    return (f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} "
            f"{moment.hour:02d}:{moment.minute:02d}")  # strftime is five times slower


def channel_noun(channel: str) -> str:
    """What a message on ``channel`` is called: ``text``, ``call``, ``e-mail``, ..."""
    return _CHANNEL_NOUNS.get(channel, f"{channel} message" if channel else "message")


def channels_phrase(channels: Iterable[str]) -> str:
    """``in person or by video`` for ``(in_person, video)``."""
    words = [_CHANNEL_WORDS.get(c, f"by {c}") for c in channels]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def elapsed(seconds: float) -> str:
    """A span of time for messages, in hours up to three days: ``26 hours 30 minutes``.

    People measure reply windows in hours ("within 48 hours"), so a lapse of 26.5
    hours reads better as such than as "1 day 2 hours"; longer spans use
    :func:`mentorrules.durations.humanize`.
    """
    whole = int(abs(seconds))
    if whole >= 3 * 86400:
        return humanize(timedelta(seconds=whole))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n} {name}{'s' if n != 1 else ''}"
             for n, name in ((hours, "hour"), (minutes, "minute")) if n]
    if not parts:
        return f"{secs} second{'s' if secs != 1 else ''}"
    return " ".join(parts)


def per_phrase(per: str) -> str:
    """``a month``, ``a term``, ..."""
    return f"a {per}"


def listing(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- cadences


class CadenceEvaluator(BatchFed):
    """Counts qualifying events per subject and period; a subclass says what qualifies.

    Subjects are :data:`Key` tuples fixed at bind time (:meth:`subjects`); state
    is one list of counts per subject (one slot per period of the calendar) and
    at most ``min`` evidence ids per subject and period, so memory grows with
    the roster, not with the log. Evidence is dropped once an ended period is
    met (no finding or obligation shows it); the current period keeps it. With ``duty: mentor`` the evaluator also
    wants ``absence`` events: while a mentor is on an absence they told their
    partner of, the partner's qualifying events count for them too.
    """

    wants: frozenset[str] = frozenset()

    def __init__(self, spec: RuleSpec, options: CadenceOptions, context: Context) -> None:
        self.spec = spec
        self.options = options
        self.context = context
        self.index = roster_index(context)
        self.plan = PeriodPlan(context, options.per, options.terms)
        self.need = options.min
        self.channels = frozenset(options.channels) if options.channels else None
        self.topics = frozenset(options.topics) if options.topics else None
        self.by_mentor = options.duty == "mentor"
        self.until = context.as_of_ts
        self.book = AbsenceBook() if self.by_mentor else None
        if self.by_mentor:
            self.wants = self.wants | {"absence"}
        self.keys: tuple[Key, ...] = tuple(self.subjects())
        self._keys_of: dict[str, tuple[Key, ...]] | None = None  # mentor -> keys, on demand
        self._direct = self.message_credits()
        self.counts: dict[Key, list[int]] = {}
        self.evidence: dict[tuple[Key, int], list[str]] = {}
        self._slots = len(self.plan.periods)
        self._current = self.plan.current

    # -- what subclasses provide

    def subjects(self) -> Iterator[Key]:
        raise NotImplementedError

    def credits(self, event: Event) -> set[Key]:
        """The subjects ``event`` counts for (already inside an evaluated period)."""
        raise NotImplementedError

    def message_credits(self) -> dict[str, dict[str, tuple[Key, ...]]] | None:
        """``sender -> recipient -> subjects``: what a message to one recipient counts for.

        A kind whose messages count by sender and recipient alone returns the
        table (built once, at bind time), and a message is then credited
        without calling :meth:`credits`: a sender missing from the table credits
        nothing, a message to one recipient credits the subjects listed for them
        and a message to several the union of theirs, as :meth:`credits` would.
        None (the default): :meth:`credits` judges every event.
        """
        return None

    def shortfall(self, key: Key, period: Period, count: int) -> str:
        """The message of a finding: why ``key`` fell short in ``period``."""
        raise NotImplementedError

    def reminder(self, key: Key, period: Period, count: int) -> str:
        """The message of an obligation for ``key`` in ``period``."""
        raise NotImplementedError

    # -- the hot path

    def feed_batch(self, events: Sequence[Event]) -> None:
        if events and events[-1].ts > self.until:  # events after as_of are ignored
            events = upto(events, self.until)
        book = self.book
        direct = self._direct
        channels, topics = self.channels, self.topics
        plan = self.plan
        lo, hi, p = plan._lo, plan._hi, plan._p  # find()'s last answer and where it holds
        need = self.need
        counts = self.counts
        evidence = self.evidence
        keys: Iterable[Key] | None
        for event in events:
            if book is not None and event.type == "absence":
                book.add(event, forget_before=event.ts)
                continue
            if channels is not None and event.channel not in channels:
                continue
            if topics is not None and event.topic not in topics:
                continue
            keys = None
            if direct is not None and event.type == "message":  # message_credits(), inlined
                mine = direct.get(event.sender)
                if mine is None:  # a sender whose messages count for no one (a mentee)
                    continue
                recipients = event.recipients
                if len(recipients) == 1:
                    keys = mine.get(recipients[0])
                    if keys is None:
                        continue
                else:  # a set: a recipient named twice counts once
                    keys = {key for person in recipients for key in mine.get(person, ())}
            ts = event.ts
            if not lo <= ts < hi:  # PeriodPlan.find, its cache check inlined
                plan.find(ts)
                lo, hi, p = plan._lo, plan._hi, plan._p
            if p < 0:
                continue
            if keys is None:
                keys = self.credits(event)
            if book is not None and keys:
                extra = self._covered(keys, ts)
                if extra:
                    keys = extra.union(keys)
            for key in keys:
                row = counts.get(key)
                if row is None:
                    row = counts[key] = [0] * self._slots
                n = row[p] + 1
                row[p] = n
                if n <= need:  # evidence: an ended period shows it only while unmet
                    if n < need or p == self._current:
                        ids = evidence.get((key, p))
                        if ids is None:
                            evidence[(key, p)] = [event.id]
                        else:
                            ids.append(event.id)
                    elif n > 1:
                        del evidence[(key, p)]

    def _covered(self, keys: Iterable[Key], ts: float) -> set[Key]:
        """Keys of mentors on a notified absence whose partner made one of ``keys``."""
        assert self.book is not None
        extra: set[Key] = set()
        for subject, unit, mentor in keys:
            for other in self.index.mentors_of_unit.get(unit, ()):
                if other != mentor and self.book.covers(other, mentor, ts, ts):
                    extra.add((subject, unit, other))
        return extra

    # -- results

    def count(self, key: Key, p: int) -> int:
        row = self.counts.get(key)
        return row[p] if row is not None else 0

    def mentors(self, key: Key) -> tuple[str, ...]:
        return (key[2],) if key[2] else self.index.mentors_of_unit.get(key[1], ())

    def findings(self) -> Iterator[Finding]:
        periods = self.plan.periods
        for p in self.plan.ended:
            period = periods[p]
            for key in self.keys:
                n = self.count(key, p)
                if n >= self.need:
                    continue
                yield self.context.finding(
                    self.spec,
                    subject=key[0],
                    unit=key[1],
                    period=period.id,
                    due=period.end,
                    message=self.shortfall(key, period, n),
                    evidence=tuple(self.evidence.get((key, p), ())),
                    mentors=self.mentors(key),
                    details={"count": n, "min": self.need},
                )

    def obligations(self) -> Iterator[Obligation]:
        return self._obligations(self.keys)

    def obligations_of(self, person_id: str) -> Iterator[Obligation]:
        """The obligations naming ``person_id`` among their mentors, as ``obligations()`` has them."""
        keys_of = self._keys_of
        if keys_of is None:
            found: dict[str, dict[Key, None]] = {}
            for key in self.keys:
                for mentor in self.mentors(key):
                    found.setdefault(mentor, {})[key] = None
            keys_of = self._keys_of = {m: tuple(keys) for m, keys in found.items()}
        return self._obligations(keys_of.get(person_id, ()))

    def _obligations(self, keys: Iterable[Key]) -> Iterator[Obligation]:
        p = self.plan.current
        if p is None:
            return
        period = self.plan.periods[p]
        warn = self.options.warn_before
        warn_ts = period.end_ts - warn.total_seconds() if warn is not None else None
        for key in keys:
            n = self.count(key, p)
            yield self.context.obligation(
                self.spec,
                subject=key[0],
                unit=key[1],
                mentors=self.mentors(key),
                period=period.id,
                due=period.end,
                state=self.context.state_for(period, n >= self.need, warn_ts),
                message=self.reminder(key, period, n),
                evidence=tuple(self.evidence.get((key, p), ())),
            )
