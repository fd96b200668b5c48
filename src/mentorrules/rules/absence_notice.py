"""absence-notice: a mentor's absence is announced to the other mentor(s) of the unit.

An ``absence`` event is the notice of an absence::

    id,type,at,start,end,from,to
    a-1,absence,2025-11-01T09:00,2025-11-03T08:00,2025-11-08T00:00,p-a,p-b;s-01;s-02

``at`` is when the notice went out, ``start``/``end`` the absence (``end`` is
the moment the mentor is back: ``2025-11-08T00:00``, or just the day
``2025-11-07``, covers all of 7 November), ``from`` the absent mentor, ``to``
everyone told. Several
notices of the same absence (same ``from``, ``start`` and ``end``) add up:
telling the partner in a second notice is fine if it is still in time.

For each regular unit of the absent mentor (their pair or small group;
overlay units such as MD/PhD mentoring have no partner to tell):

- every other mentor of the unit must be told, at or before the absence
  starts (at least ``min_notice`` before, when set). A partner told late, or
  never, is a finding of the rule's severity naming the partner and how late;
  a partner not yet told is only a finding once the deadline has passed by
  ``as_of`` (before that ``status`` shows it as ``pending``, due at the
  deadline);
- telling the mentees is encouraged: when ``mentees`` is not ``ignore``, an
  absence that has begun without any mentee of the unit told is a finding of
  that severity (``info`` by default).

Only absences that overlap a month of the academic year (a month that
overlaps a term) are checked; absences of people who are not mentors, and
events after ``as_of``, are ignored. A finding's ``subject`` is the absent
mentor, its ``period`` the month the absence starts, its ``due`` the notice
deadline, its ``evidence`` the notices.

The absence removes no duty. During an absence notified to the partner, the
partner's answers and contacts count for the absent mentor in rules with
``duty: mentor`` (``reply-window``, ``contact-cadence``, ``meeting-cadence``);
with ``duty: unit`` (the default) the partner's answers count anyway.

``status`` lists each absence not yet over, per unit: ``met`` when every
partner was told in time, ``pending`` until the deadline, ``breached`` after.

Options: ``min_notice`` (a duration; default none: before the start is
enough), ``mentees`` (``ignore``, ``info``, ``warning``, ``error``; default
``info``).

Example (UMMS: "Mentors who anticipate not being able to meet these
requirements due to travel or other reasons are required to notify the other
Mentor in their Pair and are encouraged to notify their mentees as well")::

    - id: absence-notice
      kind: absence-notice
      source: >-
        Mentors who anticipate not being able to meet these requirements due to travel
        or other reasons are required to notify the other Mentor in their Pair and are
        encouraged to notify their mentees as well.
      mentees: info
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from mentorrules.activity.models import Event
from mentorrules.durations import Duration
from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding, Obligation
from mentorrules.rules._activity import (
    PeriodPlan,
    elapsed,
    listing,
    roster_index,
    upto,
    when,
)
from mentorrules.rules.base import BatchFed, Context, Evaluator, Kind, why


class Options(RuleOptions):
    min_notice: Duration | None = Field(
        default=None, description="Notice must go out at least this long before the start"
    )
    mentees: Literal["ignore", "info", "warning", "error"] = Field(
        default="info", description="Severity when no mentee was told (encouraged, not required)"
    )


class _Absence:
    """One absence of one mentor: when each partner was first told, which units' mentees were.

    Only what the findings ask is kept (a notice to a unit's fifteen mentees would
    otherwise keep fifteen times): the time for each other mentor of the absent
    mentor's regular units, and the units of which some mentee was told.
    """

    __slots__ = ("end", "mentor", "notices", "reached", "start", "told")

    def __init__(self, mentor: str, start: datetime, end: datetime) -> None:
        self.mentor = mentor
        self.start = start
        self.end = end
        self.told: dict[str, float] = {}  # partner -> when first told
        self.reached: tuple[str, ...] = ()  # units some mentee of which was told
        self.notices: list[str] = []


class AbsenceNotice(BatchFed):
    """Collects absence notices per (mentor, start, end); judges them at the end."""

    wants = frozenset({"absence"})

    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec = spec
        self.options = options
        self.context = context
        self.index = roster_index(context)
        self.months = PeriodPlan(context, "month").periods
        self.lead = options.min_notice.total_seconds() if options.min_notice else 0.0
        self.until = context.as_of_ts
        self.absences: dict[tuple[str, float, float], _Absence] = {}

    def feed_batch(self, events: Sequence[Event]) -> None:
        units_of_mentor = self.index.regular_units_of_mentor
        mentors_of_unit, mentees_of_unit = self.index.mentors_of_unit, self.index.mentees_of_unit
        absences = self.absences
        months = self.months
        if events and events[-1].ts > self.until:  # events after as_of are ignored
            events = upto(events, self.until)
        for event in events:
            start, end = event.start, event.end
            if start is None or end is None:
                continue
            mentor = event.sender
            if mentor not in units_of_mentor:
                continue
            start_ts, end_ts = start.timestamp(), end.timestamp()
            key = (mentor, start_ts, end_ts)
            absence = absences.get(key)
            if absence is None:
                if not any(m.start_ts < end_ts and start_ts < m.end_ts for m in months):
                    continue
                absence = absences[key] = _Absence(mentor, start, end)
            absence.notices.append(event.id)
            told = absence.told
            for person in event.recipients:
                if person == mentor or person in told:
                    continue
                for unit in units_of_mentor[mentor]:
                    if person in mentors_of_unit[unit]:
                        told[person] = event.ts
                        break
                    if person in mentees_of_unit[unit] and unit not in absence.reached:
                        absence.reached += (unit,)

    # ------------------------------------------------------------------ results

    def _span(self, absence: _Absence) -> str:
        tz = self.context.program.tz
        return (f"{when(absence.start.astimezone(tz))} to "
                f"{when(absence.end.astimezone(tz))}")

    def _deadline(self, absence: _Absence) -> float:
        return absence.start.timestamp() - self.lead

    def _partners(self, absence: _Absence, unit: str) -> list[str]:
        return [m for m in self.index.mentors_of_unit[unit] if m != absence.mentor]

    def _common(self, absence: _Absence, unit: str) -> dict[str, Any]:
        tz = self.context.program.tz
        return {
            "subject": absence.mentor,
            "unit": unit,
            "period": f"{absence.start.astimezone(tz):%Y-%m}",
            "due": self.context.localize(self._deadline(absence)),
            "evidence": tuple(absence.notices),
            "mentors": (absence.mentor,),
        }

    def findings(self) -> Iterator[Finding]:
        units_word = self.context.program.units.name
        for absence in self.absences.values():
            deadline = self._deadline(absence)
            start_ts = absence.start.timestamp()
            for unit in self.index.regular_units_of_mentor[absence.mentor]:
                problems: list[str] = []
                missing: list[str] = []
                late: list[str] = []
                for partner in self._partners(absence, unit):
                    told = absence.told.get(partner)
                    if told is None:
                        if deadline < self.until:
                            missing.append(partner)
                    elif told > deadline:
                        late.append(partner)
                        problems.append(self._lateness(partner, told, start_ts))
                if missing:
                    problems.insert(0, f"did not reach {listing(missing)}")
                if problems:
                    yield self.context.finding(
                        self.spec,
                        message=(f"the notice of {absence.mentor}'s absence "
                                 f"({self._span(absence)}) {'; '.join(problems)}: the other "
                                 f"mentor of {units_word} {unit} must be told "
                                 f"{self._required()}{why(self.spec)}"),
                        details={"missing": missing, "late": late},
                        **self._common(absence, unit),
                    )
                yield from self._mentee_finding(absence, unit, start_ts)

    def _required(self) -> str:
        if self.options.min_notice is None:
            return "before it starts"
        return f"at least {elapsed(self.lead)} before it starts"

    def _lateness(self, partner: str, told: float, start_ts: float) -> str:
        sent = when(self.context.localize(told))
        if told > start_ts:
            return f"reached {partner} on {sent}, {elapsed(told - start_ts)} after it started"
        return f"reached {partner} on {sent}, only {elapsed(start_ts - told)} before it started"

    def _mentee_finding(self, absence: _Absence, unit: str, start_ts: float) -> Iterator[Finding]:
        severity = self.options.mentees
        if severity == "ignore" or start_ts > self.until:
            return
        mentees = self.index.mentees_of_unit.get(unit, ())
        if not mentees or unit in absence.reached:
            return
        yield self.context.finding(
            self.spec,
            severity=severity,
            message=(f"no mentee of {self.context.program.units.name} {unit} was told of "
                     f"{absence.mentor}'s absence ({self._span(absence)}); mentors are "
                     f"encouraged to notify their mentees as well{why(self.spec)}"),
            details={"mentees_told": 0},
            **self._common(absence, unit),
        )

    def obligations(self) -> Iterator[Obligation]:
        return self._obligations(None)

    def obligations_of(self, person_id: str) -> Iterator[Obligation]:
        """The obligations naming ``person_id`` among their mentors, as ``obligations()`` has them."""
        return self._obligations(person_id)

    def _obligations(self, only: str | None) -> Iterator[Obligation]:
        for absence in self.absences.values():
            if only is not None and absence.mentor != only:
                continue
            if absence.end.timestamp() <= self.until:
                continue
            deadline = self._deadline(absence)
            for unit in self.index.regular_units_of_mentor[absence.mentor]:
                partners = self._partners(absence, unit)
                if not partners:
                    continue
                told = absence.told
                if all(p in told and told[p] <= deadline for p in partners):
                    state = "met"
                    message = (f"{listing(partners)} told of {absence.mentor}'s absence "
                               f"({self._span(absence)})")
                else:
                    state = "breached" if deadline < self.until or any(
                        told.get(p, 0.0) > deadline for p in partners) else "pending"
                    waiting = [p for p in partners if p not in told or told[p] > deadline]
                    message = (f"tell {listing(waiting)} of {absence.mentor}'s absence "
                               f"({self._span(absence)}) {self._required()}")
                yield self.context.obligation(
                    self.spec, state=state, message=message, **self._common(absence, unit)
                )


def bind(spec: RuleSpec, options: Options, context: Context) -> Evaluator:
    return AbsenceNotice(spec, options, context)


KIND = Kind(name="absence-notice", options=Options, doc=__doc__ or "", binder=bind)
