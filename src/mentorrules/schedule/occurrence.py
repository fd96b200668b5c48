"""One dated thing in a calendar: an :class:`Occurrence`, and the :class:`Pattern` it repeats by.

An occurrence is what a mentor sees in a calendar: a title, a start and an
exclusive end, who it is for (``unit``, ``mentor``) and where it came from
(``item_id``, ``kind``, ``rule``). Timed occurrences carry aware datetimes in the
program's time zone; all-day occurrences carry dates, the end being the day
after the last day (iCalendar's convention, so ``end - start`` is the length).

``uid`` is unique and stable per occurrence. Occurrences of one recurring duty
in one term share a ``series`` id and a :class:`Pattern` (the iCalendar RRULE
their dates follow). The exporter writes the occurrences that fit the pattern as
one recurring event with the series id as its UID and EXDATEs for the dates the
calendar skips; the others become single events with their own ``uid``.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

OccurrenceKind = Literal["duty", "deadline", "training", "survey", "term"]
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Pattern(BaseModel):
    """A recurrence rule in the small subset of RFC 5545 the planner produces.

    ``WEEKLY`` with ``byday`` ``"TU"``; ``MONTHLY`` with ``byday`` ``"2TU"`` or
    ``"-1TU"`` (the nth or last weekday), or with ``bymonthday`` ``15`` or ``-1``
    (the last day). :meth:`matches` says whether a day is one of the rule's days,
    with the RFC's semantics (a month without a 31st or a 5th Tuesday has none).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    freq: Literal["WEEKLY", "MONTHLY"]
    byday: str | None = None
    bymonthday: int | None = None

    def matches(self, day: date) -> bool:
        if self.bymonthday is not None:
            last = _calendar.monthrange(day.year, day.month)[1]
            return day.day == (last if self.bymonthday == -1 else self.bymonthday)
        if self.byday is None:
            return False
        weekday = self.byday[-2:]
        if WEEKDAYS[day.weekday()] != weekday:
            return False
        if self.freq == "WEEKLY" or len(self.byday) == 2:
            return True
        nth = int(self.byday[:-2])
        if nth == -1:
            return day.day + 7 > _calendar.monthrange(day.year, day.month)[1]
        return (day.day - 1) // 7 + 1 == nth

    def rrule(self) -> dict[str, Any]:
        """The RRULE parts (without UNTIL) as ``icalendar.vRecur`` takes them."""
        parts: dict[str, Any] = {"FREQ": self.freq}
        if self.byday is not None:
            parts["BYDAY"] = self.byday
        if self.bymonthday is not None:
            parts["BYMONTHDAY"] = self.bymonthday
        return parts


class Occurrence(BaseModel):
    """One occurrence of a duty, deadline, training, survey or term date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    uid: str = Field(description="Stable and unique: the same input gives the same uid")
    series: str | None = Field(
        default=None, description="The uid of the recurring series this occurrence belongs to"
    )
    pattern: Pattern | None = Field(default=None, description="The rule the series follows")
    item_id: str = Field(description="The schedule item, training, survey, term or rule id")
    kind: OccurrenceKind
    title: str
    description: str = ""
    location: str = ""
    start: datetime | date = Field(description="Aware local datetime, or a date when all-day")
    end: datetime | date = Field(description="Exclusive: the day after the last day when all-day")
    all_day: bool
    unit: str | None = None
    mentor: str | None = None
    term: str | None = None
    rule: str | None = Field(default=None, description="The rule this occurrence helps to meet")
    alarm: timedelta | None = Field(default=None, description="Remind this long before start")
    categories: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Occurrence:
        if self.all_day:
            if isinstance(self.start, datetime) or isinstance(self.end, datetime):
                raise ValueError("an all-day occurrence has dates, not datetimes")
        elif not (isinstance(self.start, datetime) and isinstance(self.end, datetime)):
            raise ValueError("a timed occurrence has datetimes")
        elif self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a timed occurrence has aware datetimes")
        if _instant(self.end) <= _instant(self.start):
            raise ValueError("an occurrence ends after it starts")
        return self

    @property
    def day(self) -> date:
        """The (local) day the occurrence starts on."""
        return self.start.date() if isinstance(self.start, datetime) else self.start

    def sort_key(self) -> tuple[Any, ...]:
        """Time order: by day, all-day items first, then by start time, title and uid."""
        moment = self.start.timestamp() if isinstance(self.start, datetime) else 0.0
        return (self.day, not self.all_day, moment, self.title, self.uid)


def _instant(value: datetime | date) -> tuple[date, float]:
    if isinstance(value, datetime):
        return (date.min, value.timestamp())
    return (value, 0.0)
