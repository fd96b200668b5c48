"""Calendar periods of a program: months, weeks, terms and the academic year.

Periods are calendar periods in the program's time zone: the month ``2025-11``
runs from 1 November 00:00 local time to 1 December 00:00 local time, however
many hours that is across a daylight-saving change. A term runs from its first
day 00:00 to the end of its last day. Only periods that overlap a term are
listed: a month wholly outside every term is not evaluated.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import pendulum

from mentorrules.program.models import Program

PeriodKind = Literal["week", "month", "term", "year"]


@dataclass(frozen=True, slots=True)
class Period:
    """One calendar period: ``start`` inclusive, ``end`` exclusive, both aware local times."""

    id: str
    kind: str
    label: str
    start: datetime
    end: datetime
    start_ts: float
    end_ts: float

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()


def local_midnight(program: Program, day: date) -> datetime:
    """00:00 of ``day`` in the program's zone (aware)."""
    moment = pendulum.datetime(day.year, day.month, day.day, tz=program.tz)
    return datetime.fromtimestamp(moment.timestamp(), program.tz)


def _period(program: Program, kind: str, pid: str, label: str, first: date, after: date) -> Period:
    start = local_midnight(program, first)
    end = local_midnight(program, after)
    return Period(pid, kind, label, start, end, start.timestamp(), end.timestamp())


def periods(program: Program, kind: PeriodKind) -> tuple[Period, ...]:
    """The periods of ``kind`` that overlap a term, in time order."""
    cal = program.calendar
    if kind == "term":
        return tuple(
            _period(program, "term", t.id, t.name or t.id, t.start, t.end + timedelta(days=1))
            for t in cal.terms
        )
    if kind == "year":
        return (
            _period(
                program, "year", cal.year, f"academic year {cal.year}", cal.start,
                cal.end + timedelta(days=1),
            ),
        )
    found: list[Period] = []
    if kind == "month":
        cursor = pendulum.date(cal.start.year, cal.start.month, 1)
        while cursor <= cal.end:
            after = cursor.add(months=1)
            if _overlaps_term(program, cursor, after):
                found.append(
                    _period(program, "month", cursor.format("YYYY-MM"),
                            cursor.format("MMMM YYYY"), cursor, after)
                )
            cursor = after
    else:
        cursor = pendulum.date(cal.start.year, cal.start.month, cal.start.day).start_of("week")
        while cursor <= cal.end:
            after = cursor.add(weeks=1)
            if _overlaps_term(program, cursor, after):
                year, week, _ = cursor.isocalendar()
                found.append(
                    _period(program, "week", f"{year}-W{week:02d}",
                            f"week of {cursor.format('D MMMM YYYY')}", cursor, after)
                )
            cursor = after
    return tuple(found)


def _overlaps_term(program: Program, first: date, after: date) -> bool:
    return any(t.start < after and first <= t.end for t in program.calendar.terms)


class PeriodIndex:
    """Finds the period holding a timestamp with one bisect (the hot path of cadences)."""

    __slots__ = ("_ends", "_starts", "periods")

    def __init__(self, found: Sequence[Period]) -> None:
        self.periods = tuple(found)
        self._starts = [p.start_ts for p in self.periods]
        self._ends = [p.end_ts for p in self.periods]

    def index(self, ts: float) -> int:
        """The index of the period holding ``ts``, or -1 when no evaluated period does."""
        i = bisect.bisect_right(self._starts, ts) - 1
        if i >= 0 and ts < self._ends[i]:
            return i
        return -1

    def find(self, ts: float) -> Period | None:
        i = self.index(ts)
        return self.periods[i] if i >= 0 else None
