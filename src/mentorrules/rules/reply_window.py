"""reply-window: a mentee's message on one of ``channels`` is answered ``within`` a time.

A *window* opens when a ``message`` goes from a mentee to a mentor of one of
the mentee's units on one of ``channels``. With ``units: all`` (the default)
overlay units count (a message to an MD/PhD Peer Mentor must be answered
too); with ``units: regular`` only the mentee's regular unit does.

The window closes at the *answer*, whichever comes first of

- a ``message`` from a mentor who owes the answer whose ``reply_to`` names
  the mentee's message (to anyone: a reply in a group thread counts), and
- any *contact* from such a mentor to that mentee after it, on any channel:
  a message to the mentee or a meeting both attended.

The window is elapsed time: ``24h`` is 24 real hours, also across a
daylight-saving change (a text sent at 14:00 the day before clocks go back
is due at 13:00 the next day by the wall clock). An answer exactly at the
deadline is on time.

Who owes the answer (``duty``):

``unit`` (default)
    any mentor of the unit written to: a pair partner's answer always
    counts. A message to mentors of two units (the pair and the MD/PhD
    mentor) is one window that a mentor of either unit answers; the finding
    names the regular unit and all those mentors.
``mentor``
    the mentor the message was sent to (a window per addressed mentor). While
    that mentor is on an absence they notified the partner of, and the
    absence overlaps the time from the message to the answer, the notified
    partner's answer counts for them. The duty does not disappear: without
    an answer from one of them the window breaches.

What ``check`` reports (one finding per window, ``subject`` the mentee, the
``period`` the month of the message, ``evidence`` the message and its
answer):

- a late answer: "answered 2 hours 30 minutes late (26 hours 30 minutes after
  the text of Fri 31 Oct 14:05)";
- no answer by ``as_of`` although the deadline has passed: "not answered".

What ``status`` gives: each open window (``pending``; ``at_risk`` from
``warn_before`` before the deadline; ``breached`` once it has passed and
still unanswered) and each window answered on time whose deadline is still
ahead (``met``), due at the deadline, naming the mentors who owe the answer.

Which messages are evaluated: those sent in a month that overlaps a term
(the months ``contact-cadence`` evaluates; the academic year including its
breaks, but not a summer month outside every term). Events after ``as_of``
are ignored. A message with no ``channel`` in ``channels`` opens no window.

Options: ``channels`` (required), ``within`` (required), ``duty``,
``units`` (``all``/``regular``), ``warn_before`` (default ``4h``).

Example (UMMS)::

    - id: reply-texts-calls
      kind: reply-window
      source: Texts and phone calls must be responded to within 24 hours.
      channels: [text, phone]
      within: 24h
      warn_before: 4h
    - id: reply-emails
      kind: reply-window
      source: E-mails must be replied to within 48 hours.
      channels: [email]
      within: 48 hours

With these rules an e-mail answered after 47 hours is on time and one
answered after 49 hours is late by one hour.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Literal

from pydantic import Field

from mentorrules.activity.models import Event
from mentorrules.durations import Duration
from mentorrules.program.models import Program, RuleOptions, RuleSpec
from mentorrules.report import Finding, Obligation
from mentorrules.rules._activity import (
    AbsenceBook,
    PeriodPlan,
    channel_noun,
    elapsed,
    roster_index,
    upto,
    when,
)
from mentorrules.rules.base import BatchFed, Context, Evaluator, Kind, why
from mentorrules.rules.options import Duty, unknown


class Options(RuleOptions):
    channels: tuple[str, ...] = Field(min_length=1, description="Channels the window applies to")
    within: Duration = Field(description="Elapsed time allowed for the answer")
    duty: Duty = "unit"
    units: Literal["regular", "all"] = Field(
        default="all", description="all: overlay mentors (e.g. MD/PhD) must answer too"
    )
    warn_before: Duration | None = Field(
        default=timedelta(hours=4), description="Lead time before the deadline for at_risk"
    )


_NOBODY: frozenset[str] = frozenset()
_NO_PUPILS: dict[str, tuple[str, ...]] = {}


class _Window:
    """One mentee message awaiting an answer from ``answerers`` (or covering ``partners``)."""

    __slots__ = ("answer_id", "answer_ts", "answerers", "channel", "deadline", "mentee",
                 "mentors", "message", "owner", "partners", "period", "ts", "unit")

    def __init__(self, message: str, ts: float, channel: str, mentee: str, unit: str,
                 mentors: tuple[str, ...], answerers: frozenset[str], partners: frozenset[str],
                 deadline: float, period: str, owner: str = "") -> None:
        self.message = message
        self.ts = ts
        self.channel = channel
        self.mentee = mentee
        self.unit = unit
        self.mentors = mentors
        self.owner = owner
        self.answerers = answerers
        self.partners = partners
        self.deadline = deadline
        self.period = period
        self.answer_id = ""
        self.answer_ts = 0.0


class _LateAnswers:
    """The windows answered late, kept until their findings are made (one finding each).

    The one record of this rule that grows with the log rather than the people: a
    late answer is a lapse, and its finding cites both messages. So the windows are
    not kept whole (about 360 bytes each, with their times as float objects) but in
    columns, about 230 bytes a window, half of it the text of the two ids: the ids,
    the two times in an array of doubles, and the mentee, unit, mentors, month and
    channel, strings and tuples shared with the roster, the months and every other
    window of the same people. :meth:`windows` gives them back as they were, in the
    order they were answered.
    """

    __slots__ = ("channels", "ids", "mentees", "mentors", "periods", "times", "units")

    def __init__(self) -> None:
        self.ids: list[str] = []  # a message's id, its answer's id, the next message's, ...
        self.times = array("d")  # a message's time, its answer's, the next message's, ...
        self.mentees: list[str] = []
        self.units: list[str] = []
        self.mentors: list[tuple[str, ...]] = []
        self.periods: list[str] = []
        self.channels: list[str] = []

    def __len__(self) -> int:
        return len(self.mentees)

    def add(self, window: _Window, answer: Event) -> None:
        self.ids += (window.message, answer.id)
        self.times.extend((window.ts, answer.ts))
        self.mentees.append(window.mentee)
        self.units.append(window.unit)
        self.mentors.append(window.mentors)
        self.periods.append(window.period)
        self.channels.append(window.channel)

    def windows(self, within: float) -> Iterator[_Window]:
        """Each late window, answered (its deadline ``within`` after it opened, as ever)."""
        ids, times = self.ids, self.times
        for i, (mentee, unit, mentors, period, channel) in enumerate(zip(
                self.mentees, self.units, self.mentors, self.periods, self.channels,
                strict=True)):
            ts = times[2 * i]
            window = _Window(ids[2 * i], ts, channel, mentee, unit, mentors, _NOBODY, _NOBODY,
                             ts + within, period)
            window.answer_id, window.answer_ts = ids[2 * i + 1], times[2 * i + 1]
            yield window


class ReplyWindow(BatchFed):
    """Keeps the open windows (by mentee and by message id) and the late answers."""

    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec = spec
        self.options = options
        self.context = context
        self.index = roster_index(context)
        self.months = PeriodPlan(context, "month")
        self.channels = frozenset(options.channels)
        self.within = options.within.total_seconds()
        self.overlays = options.units == "all"
        self.by_mentor = options.duty == "mentor"
        self.until = context.as_of_ts
        self.book = AbsenceBook() if self.by_mentor else None
        self.wants = frozenset({"message", "meeting", "absence"} if self.by_mentor
                               else {"message", "meeting"})
        self.regular = frozenset(self.index.regular_units)
        self._mentors = self.index.mentors
        self._table = self.index.pupils_all if self.overlays else self.index.pupils
        # units written to -> (the window's unit, its mentors, who may answer): one
        # entry per combination of units met, shared by every window it opens
        self._groups: dict[tuple[str, ...], tuple[str, tuple[str, ...], frozenset[str]]] = {}
        # with duty mentor: (mentor, units shared with the mentee) -> (mentors, answerers,
        # partners), shared the same way
        self._owed: dict[tuple[str, tuple[str, ...]],
                         tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}
        self.by_mentee: dict[str, list[_Window]] = {}
        self.by_message: dict[str, list[_Window]] = {}
        self.late = _LateAnswers()
        self.recent: list[_Window] = []  # answered on time, deadline still ahead of as_of

    # ------------------------------------------------------------------ hot path

    def feed_batch(self, events: Sequence[Event]) -> None:
        if events and events[-1].ts > self.until:  # events after as_of are ignored
            events = upto(events, self.until)
        mentors = self._mentors
        channels = self.channels
        by_mentee, by_message = self.by_mentee, self.by_message
        book = self.book
        months = self.months
        lo, hi, p = months._lo, months._hi, months._p  # PeriodPlan.find's last answer
        for event in events:
            kind = event.type
            if kind == "message":
                sender = event.sender
                if sender in mentors:
                    # A mentor's message answers the window it replies to, then any window
                    # of a mentee it goes to (_answers inlined: an answerer, or a covering
                    # partner).
                    if event.reply_to:
                        waiting = by_message.get(event.reply_to)
                        if waiting:
                            for window in waiting[:]:  # a copy: _close removes from the list
                                if sender in window.answerers or (
                                        book is not None and sender in window.partners
                                        and book.covers(window.owner, sender, window.ts,
                                                        event.ts)):
                                    self._close(window, event)
                    for mentee in event.recipients:
                        waiting = by_mentee.get(mentee)
                        if waiting:
                            for window in waiting[:]:
                                if sender in window.answerers or (
                                        book is not None and sender in window.partners
                                        and book.covers(window.owner, sender, window.ts,
                                                        event.ts)):
                                    self._close(window, event)
                    continue
                # Anyone else's message on a channel of the rule opens a window if it goes
                # to a mentor of the sender's: only a mentee's can (the table of mentors'
                # mentees is looked up rather than the much larger set of mentees).
                if event.channel not in channels:
                    continue
                ts = event.ts
                if not lo <= ts < hi:  # PeriodPlan.find, its cache check inlined
                    months.find(ts)
                    lo, hi, p = months._lo, months._hi, months._p
                if p < 0:
                    continue
                period = months.periods[p].id
                recipients = event.recipients
                if self.by_mentor or len(recipients) != 1:
                    self._open(event, period)
                    continue
                # _open inlined for its common case: duty unit, a message to one mentor
                addressed = self._table.get(recipients[0], _NO_PUPILS).get(sender)
                if not addressed:
                    continue
                group = self._groups.get(addressed)
                if group is None:
                    group = self._groups[addressed] = self._group(addressed)
                window = _Window(event.id, ts, event.channel, sender, group[0], group[1],
                                 group[2], _NOBODY, ts + self.within, period)
                waiting = by_mentee.get(sender)
                if waiting is None:
                    by_mentee[sender] = [window]
                else:
                    waiting.append(window)
                by_message[event.id] = [window]
            elif kind == "meeting":
                self._answer_meeting(event)
            elif kind == "absence" and book is not None:
                ts = event.ts
                oldest = min((ws[0].ts for ws in by_mentee.values() if ws), default=ts)
                book.add(event, forget_before=min(oldest, ts))

    def _open(self, event: Event, period: str) -> None:
        """Open the windows of ``event``, sent in the month ``period`` by someone not a
        mentor: none unless a mentee writes to mentors of theirs."""
        mentee = event.sender
        deadline = event.ts + self.within
        table = self._table
        opened: list[_Window] = []
        if self.by_mentor:
            seen: set[str] = set()
            for mentor in event.recipients:
                units = table.get(mentor, _NO_PUPILS).get(mentee)
                if not units or mentor in seen:
                    continue
                seen.add(mentor)
                owed = self._owed.get((mentor, units))
                if owed is None:
                    owed = self._owed[mentor, units] = self._owing(mentor, units)
                opened.append(_Window(event.id, event.ts, event.channel, mentee, units[0],
                                      *owed, deadline, period, owner=mentor))
        else:
            written: dict[str, None] = {}  # the units written to, in order
            for mentor in event.recipients:
                for unit in table.get(mentor, _NO_PUPILS).get(mentee, ()):
                    written[unit] = None
            addressed = tuple(written)
            if addressed:
                # One window: an answer from a mentor of any unit written to answers it.
                group = self._groups.get(addressed)
                if group is None:
                    group = self._groups[addressed] = self._group(addressed)
                unit, mentors, answerers = group
                opened.append(_Window(event.id, event.ts, event.channel, mentee, unit, mentors,
                                      answerers, _NOBODY, deadline, period))
        if opened:
            self.by_mentee.setdefault(mentee, []).extend(opened)
            self.by_message[event.id] = opened

    def _owing(self, mentor: str, units: tuple[str, ...]
               ) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
        """With duty ``mentor``: a window's mentors, answerers and covering partners."""
        partners = frozenset(
            m for u in units for m in self.index.mentors_of_unit[u] if m != mentor
        )
        return (mentor,), frozenset((mentor,)), partners

    def _group(self, addressed: tuple[str, ...]) -> tuple[str, tuple[str, ...], frozenset[str]]:
        """The window's unit (the first regular one written to), mentors and answerers."""
        units = tuple(dict.fromkeys(addressed))
        unit = next((u for u in units if u in self.regular), units[0])
        mentors = tuple(dict.fromkeys(m for u in units for m in self.index.mentors_of_unit[u]))
        return unit, mentors, frozenset(mentors)

    def _answers(self, window: _Window, mentor: str, ts: float) -> bool:
        if mentor in window.answerers:
            return True
        return (self.book is not None and mentor in window.partners
                and self.book.covers(window.owner, mentor, window.ts, ts))

    def _answer_meeting(self, event: Event) -> None:
        people = event.people
        by_mentee = self.by_mentee
        for p in people:
            if p in by_mentee:
                break
        else:
            return
        mentors = [p for p in people if p in self._mentors]
        for mentee in people:
            waiting = self.by_mentee.get(mentee)
            if not waiting:
                continue
            for window in list(waiting):
                if any(self._answers(window, m, event.ts) for m in mentors):
                    self._close(window, event)

    def _close(self, window: _Window, answer: Event) -> None:
        mine = self.by_mentee[window.mentee]
        mine.remove(window)
        if not mine:
            del self.by_mentee[window.mentee]
        siblings = self.by_message[window.message]
        siblings.remove(window)
        if not siblings:
            del self.by_message[window.message]
        if answer.ts - window.ts > self.within:
            self.late.add(window, answer)
        elif window.deadline > self.until:
            window.answer_id = answer.id
            window.answer_ts = answer.ts
            self.recent.append(window)

    # ------------------------------------------------------------------ results

    def _open_windows(self) -> Iterator[_Window]:
        for windows in self.by_mentee.values():
            yield from windows

    def _what(self, window: _Window) -> str:
        return f"the {channel_noun(window.channel)} of {when(self.context.localize(window.ts))}"

    def findings(self) -> Iterator[Finding]:
        rule = f"; replies are due within {elapsed(self.within)}{why(self.spec)}"
        for window in self.late.windows(self.within):
            took = window.answer_ts - window.ts
            yield self._finding(
                window,
                f"answered {elapsed(took - self.within)} late ({elapsed(took)} after "
                f"{self._what(window)}){rule}",
                (window.message, window.answer_id),
                {"elapsed_seconds": took, "late_seconds": took - self.within},
            )
        for window in self._open_windows():
            if window.deadline < self.until:
                yield self._finding(
                    window,
                    f"not answered: {self._what(window)} was due an answer by "
                    f"{when(self.context.localize(window.deadline))}{rule}",
                    (window.message,),
                    {},
                )

    def _finding(self, window: _Window, message: str, evidence: tuple[str, ...],
                 details: dict[str, float]) -> Finding:
        return self.context.finding(
            self.spec,
            subject=window.mentee,
            unit=window.unit,
            period=window.period,
            due=self.context.localize(window.deadline),
            message=message,
            evidence=evidence,
            mentors=window.mentors,
            details={"within_seconds": self.within, **details},
        )

    def obligations(self) -> Iterator[Obligation]:
        return self._obligations(None)

    def obligations_of(self, person_id: str) -> Iterator[Obligation]:
        """The obligations naming ``person_id`` among their mentors, as ``obligations()`` has them."""
        return self._obligations(person_id)

    def _obligations(self, only: str | None) -> Iterator[Obligation]:
        warn = self.options.warn_before
        lead = warn.total_seconds() if warn is not None else None
        for window in self._open_windows():
            if only is not None and only not in window.mentors:
                continue
            if window.deadline < self.until:
                state = "breached"
            elif lead is not None and self.until >= window.deadline - lead:
                state = "at_risk"
            else:
                state = "pending"
            due = self.context.localize(window.deadline)
            yield self.context.obligation(
                self.spec, subject=window.mentee, unit=window.unit,
                mentors=window.mentors, due=due, state=state,
                message=f"reply to {window.mentee}: {self._what(window)} ({window.message}) "
                        f"is due an answer by {when(due)}",
                evidence=(window.message,),
            )
        for window in self.recent:
            if only is not None and only not in window.mentors:
                continue
            yield self.context.obligation(
                self.spec, subject=window.mentee, unit=window.unit,
                mentors=window.mentors, due=self.context.localize(window.deadline),
                state="met",
                message=f"{self._what(window)} from {window.mentee} ({window.message}) was "
                        f"answered ({window.answer_id})",
                evidence=(window.message, window.answer_id),
            )


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("channels", options.channels, program.channels, "channel")


def bind(spec: RuleSpec, options: Options, context: Context) -> Evaluator:
    return ReplyWindow(spec, options, context)


KIND = Kind(
    name="reply-window",
    options=Options,
    doc=__doc__ or "",
    binder=bind,
    check_references=_references,
)
