"""Read the activity log from CSV, JSON Lines, an open file or an iterable of dicts / Events.

Columns (SPEC section 4): ``id``, ``type``, ``at``, ``start``, ``end``, ``from``,
``to`` (``;``-separated in CSV), ``channel``, ``format``, ``reply_to``,
``topic``; other columns are kept in ``Event.extra``. Each type needs its own
fields (a ``message`` needs ``from``, ``to`` and ``channel``; an ``absence``
needs ``start`` and ``end``; ...). Times follow :mod:`mentorrules.activity.times`.

:func:`read_events` returns an :class:`EventLog`: an iterable that reads lazily
(so a time-ordered file streams through the engine in constant memory) and
counts as it goes: after a full pass ``log.counts`` says how many rows were
read, accepted and rejected, and ``log.rejected`` says which and why. A log
read from a path or a list can be iterated again; one read from a one-shot
iterator or an open file cannot, and says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from mentorrules._suggest import did_you_mean
from mentorrules.activity.models import EVENT_TYPES, Event
from mentorrules.activity.times import TimeError, resolve
from mentorrules.errors import Location, Problem, RowError, UsageError
from mentorrules.program.models import Program
from mentorrules.report import RejectedRow, RowCounts
from mentorrules.tabular import (
    DEFAULT_READ_LIMITS,
    BadRow,
    ReadLimits,
    Source,
    read_rows,
    source_name,
    split_list,
    text,
)

COLUMNS = ("id", "type", "at", "start", "end", "from", "to", "channel", "format", "reply_to",
           "topic")
REQUIRED = ("id", "type", "at")
NEEDS: dict[str, tuple[str, ...]] = {
    "message": ("from", "to", "channel"),
    "meeting": ("to",),
    "absence": ("from", "start", "end"),
    "training": ("from", "topic"),
    "survey": ("from", "topic"),
    "referral": ("from", "to", "topic"),
}
FORMATS = ("", "group", "individual")


class EventLog:
    """Events read from one source, with row accounting filled in as they are read."""

    def __init__(self, source: Source, program: Program, *, strict: bool = False,
                 limits: ReadLimits = DEFAULT_READ_LIMITS) -> None:
        self.source = source
        self.name = source_name(source)
        self.program = program
        self.strict = strict
        self.limits = limits
        self.read = 0
        self.rejected: list[RejectedRow] = []
        self._passes = 0
        self.restartable = isinstance(source, str | os.PathLike) or (
            isinstance(source, Sequence) and not isinstance(source, bytes))

    @property
    def counts(self) -> RowCounts:
        return RowCounts(read=self.read, used=self.read - len(self.rejected),
                         rejected=len(self.rejected))

    def reject(self, line: int | None, ident: str | None, reason: str) -> None:
        """Record a rejected row (or raise at once in strict mode)."""
        if self.strict:
            raise RowError([Problem(Location(self.name, line, None, f"id={ident}" if ident else ""),
                                    reason, "fix the row, or read leniently to skip it")])
        self.rejected.append(RejectedRow(source=self.name, line=line, id=ident, reason=reason))

    def __iter__(self) -> Iterator[Event]:
        if self._passes and not self.restartable:
            raise UsageError(f"the events of {self.name} were already read once; pass a path or "
                             "a list to read them again")
        self._passes += 1
        self.read = 0
        self.rejected = []
        tz = self.program.tz
        for row in read_rows(self.source, required=REQUIRED, known=COLUMNS, what="activity log",
                             limits=self.limits):
            self.read += 1
            if isinstance(row, BadRow):
                self.reject(row.line, None, row.reason)
                continue
            line, record = row
            if isinstance(record, Event):
                yield record
                continue
            try:
                yield parse_event(record, tz, line)
            except EventRowError as exc:
                self.reject(line, exc.ident, str(exc))


class EventRowError(ValueError):
    def __init__(self, ident: str | None, reason: str) -> None:
        self.ident = ident
        super().__init__(reason)


def parse_event(record: Mapping[str, Any], tz: tzinfo, line: int | None = None) -> Event:
    """One event from one record, or :class:`EventRowError` saying what is wrong."""
    ident = text(record.get("id"))
    if not ident:
        raise EventRowError(None, "the row has no id")
    kind = text(record.get("type")).lower()
    if kind not in EVENT_TYPES:
        raise EventRowError(ident, f"unknown event type {kind!r}{did_you_mean(kind, EVENT_TYPES)};"
                            f" use one of: {', '.join(EVENT_TYPES)}")
    for column in NEEDS[kind]:
        if not record.get(column):
            raise EventRowError(ident, f"a {kind} needs {column!r}")
    try:
        at = resolve(record.get("at"), tz)
        start = _optional_time(record.get("start"), tz)
        end = _optional_time(record.get("end"), tz)
    except TimeError as exc:
        raise EventRowError(ident, str(exc)) from None
    if start and end and end < start:
        raise EventRowError(ident, f"ends ({end.isoformat()}) before it starts "
                            f"({start.isoformat()})")
    fmt = text(record.get("format")).lower()
    if fmt not in FORMATS:
        raise EventRowError(ident, f"unknown format {fmt!r}; use group or individual")
    reply_to = text(record.get("reply_to"))
    if reply_to == ident:
        raise EventRowError(ident, "the event answers itself (reply_to is its own id)")
    extra = {str(k): text(v) for k, v in record.items() if k not in COLUMNS and k != "extra"}
    return Event(
        id=ident,
        type=kind,
        at=at,
        ts=at.timestamp(),
        sender=text(record.get("from")),
        recipients=split_list(record.get("to")),
        channel=text(record.get("channel")).lower(),
        format=fmt,
        reply_to=reply_to,
        topic=text(record.get("topic")),
        start=start,
        end=end,
        extra=extra or None,
        line=line,
    )


def _optional_time(value: Any, tz: tzinfo) -> datetime | None:
    if value is None or value == "":
        return None
    return resolve(value, tz)


def read_events(source: Source | EventLog, program: Program, *, strict: bool = False,
                limits: ReadLimits = DEFAULT_READ_LIMITS) -> EventLog:
    """An :class:`EventLog` over ``source`` (a path, file object, or iterable of rows)."""
    if isinstance(source, EventLog):
        return source
    return EventLog(source, program, strict=strict, limits=limits)


def events_from(rows: Iterable[Mapping[str, Any]], program: Program) -> list[Event]:
    """Parse rows at once (strict): a convenience for tests and small scripts."""
    return list(read_events(list(rows), program, strict=True))
