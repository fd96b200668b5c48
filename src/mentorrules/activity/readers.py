"""Read the activity log from CSV, JSON Lines, an open file or an iterable of dicts / Events.

Columns (SPEC section 4): ``id``, ``type``, ``at``, ``start``, ``end``, ``from``,
``to`` (``;``-separated in CSV), ``channel``, ``format``, ``reply_to``,
``topic``; other columns are kept in ``Event.extra``. Each type needs its own
fields (a ``message`` needs ``from``, ``to`` and ``channel``; an ``absence``
needs ``start`` and ``end``; ...). Times follow :mod:`mentorrules.activity.times`.

:func:`read_events` returns an :class:`EventLog`: an iterable that reads lazily
(so a time-ordered file streams through the engine in constant memory) and
counts as it goes: after a full pass ``log.counts`` says how many rows were
read, parsed and rejected, and ``log.rejected`` says which and why. (Rows that
parse but name unknown people or repeat an id are rejected later, by the
engine; a report's ``rows`` and ``rejected`` count both.) A log
read from a path or a list can be iterated again; one read from a one-shot
iterator or an open file cannot, and says so.

The hot path: rows come from :func:`~mentorrules.tabular.read_rows` in lists
(``batched=True``), and each list is parsed in one loop (:meth:`FastParser.rows`
for CSV, :meth:`FastParser.records` for JSON Lines and dicts) into a list of
events, which :class:`EventLog` hands out through :func:`itertools.chain`, so
no Python frame is resumed per event (the counts are made a list at a time
too). A CSV row is parsed from its list of fields by column index (no dict per
row); times go through :class:`~mentorrules.activity.times.TimeParser` (cached
per local day, hour and text; the time of the row before is reused); cells that
repeat (types with their format and channel, people, topics, recipient lists)
are looked up in small bounded caches, which also makes equal values one shared
string; events are filled in place as
:func:`~mentorrules.activity.models.make_event` does. Any row the fast path is
not sure of (an unknown type, a missing field, a bad or empty time, stray spaces
in a type, ...) goes through :func:`parse_event`, the reference, which gives the
same event or the same error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from itertools import chain
from typing import Any

from mentorrules._suggest import did_you_mean
from mentorrules.activity.models import EVENT_BLANK, EVENT_TYPES, Event, make_event
from mentorrules.activity.times import TimeError, TimeParser, resolve
from mentorrules.errors import Location, MentorRulesError, Problem, RowError, UsageError
from mentorrules.program.models import Program
from mentorrules.report import RejectedRow, RowCounts
from mentorrules.tabular import (
    DEFAULT_READ_LIMITS,
    BadRow,
    FieldRows,
    Header,
    ReadLimits,
    Source,
    read_rows,
    source_name,
    split_list,
    text,
    too_many_rejected,
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
        """The reader's own accounting: rows read, parsed into events, and rejected."""
        return RowCounts(read=self.read, used=self.read - len(self.rejected),
                         rejected=len(self.rejected))

    def reject(self, line: int | None, ident: str | None, reason: str) -> None:
        """Record a rejected row (or raise at once in strict mode)."""
        if self.strict:
            raise RowError([Problem(Location(self.name, line, None, f"id={ident}" if ident else ""),
                                    reason, "fix the row, or read leniently to skip it")])
        if len(self.rejected) >= self.limits.max_rejected:
            first = self.rejected[0] if self.rejected else None
            raise too_many_rejected(self.name, self.limits, first.line if first else line,
                                    first.reason if first else reason)
        self.rejected.append(RejectedRow(source=self.name, line=line, id=ident, reason=reason))

    def __iter__(self) -> Iterator[Event]:
        # The events are made a list at a time (_batches) and handed out by chain: no
        # Python frame is resumed per event.
        return chain.from_iterable(self._batches())

    def _batches(self) -> Iterator[list[Event]]:
        """The events, in lists; a list is given before a row that stops the read is refused."""
        if self._passes and not self.restartable:
            raise UsageError(f"the events of {self.name} were already read once; pass a path or "
                             "a list to read them again")
        self._passes += 1
        self.read = 0
        self.rejected = []
        fast = FastParser(self.program.tz)
        tz = fast.tz
        columns: tuple[str, ...] = ()
        parse_rows: RowsParser | None = None

        def refused(line: int, cells: list[str]) -> Event | None:
            """A CSV row the fast path is not sure of: the reference decides."""
            # Cells beyond the columns (the one appended for missing columns) are left out.
            return self._parse(dict(zip(columns, cells, strict=False)), tz, line)

        for chunk in read_rows(self.source, required=REQUIRED, known=COLUMNS,
                               what="activity log", limits=self.limits, fields=True,
                               keep=(Event,), batched=True):
            if type(chunk) is FieldRows:
                rows = chunk.rows
            elif type(chunk) is list:
                rows = chunk
            elif isinstance(chunk, Header):
                columns = chunk.columns
                parse_rows = fast.rows(columns)
                continue
            else:
                rows = [chunk]
            events: list[Event] = []
            read, rejected = self.read, len(self.rejected)
            self.read += len(rows)  # every item is a row: read = used + rejected
            try:
                if type(chunk) is FieldRows:
                    assert parse_rows is not None
                    parse_rows(chunk.line, chunk.rows, events, refused)
                else:
                    self._rows(rows, events, parse_rows, fast, refused)
            except MentorRulesError:
                # A refused row stopped the read (strict, or too many rejected): the rows
                # before it were read, and their events come first.
                self.read = read + len(events) + len(self.rejected) - rejected + 1
                if events:
                    yield events
                raise
            if events:
                yield events

    def _rows(self, rows: list[Any], events: list[Event], parse_rows: RowsParser | None,
              fast: FastParser, refused: Callable[[int, list[str]], Event | None]) -> None:
        """Rows one by one: ``(line, mapping)``, ``(line, fields)``, ``(None, Event)``, BadRow."""

        def other(row: Any) -> Event | None:
            if type(row) is not tuple:
                assert isinstance(row, BadRow)
                self.reject(row.line, None, row.reason)
                return None
            line, cells = row
            if type(cells) is list:
                assert parse_rows is not None
                out: list[Event] = []
                parse_rows(line, [cells], out, refused)
                return out[0] if out else None
            if isinstance(cells, Event):
                return cells
            return self._parse(cells, fast.tz, line)  # a mapping the fast path left

        fast.records(rows, events, other)

    def _parse(self, record: Mapping[str, Any], tz: tzinfo, line: int | None) -> Event | None:
        """The reference parse of one row; a row it refuses is rejected here."""
        try:
            return parse_event(record, tz, line)
        except EventRowError as exc:
            self.reject(line, exc.ident, str(exc))
            return None


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
        end = _optional_time(whole_day_end(record.get("end")), tz)
    except TimeError as exc:
        raise EventRowError(ident, str(exc)) from None
    if start and end and end <= start:
        raise EventRowError(ident, f"ends ({end.isoformat()}) before or when it starts "
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


class _Cache(dict[Any, Any]):
    """Cell text -> its parsed value, computed on first sight; at most ``limit`` entries kept."""

    __slots__ = ("compute", "limit")

    def __init__(self, compute: Callable[[Any], Any], limit: int = 1 << 16,
                 seed: Mapping[Any, Any] | None = None) -> None:
        super().__init__(seed or {})
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: Any) -> Any:
        value = self.compute(key)
        if len(self) < self.limit:
            self[key] = value
        return value


def _strip(value: str) -> str:
    return value.strip()


def _lower(value: str) -> str:
    return value.strip().lower()


def _kind(value: str) -> str | None:
    kind = value.strip().lower()
    return next((k for k in EVENT_TYPES if k == kind), None)


def _format(value: str) -> str | None:
    fmt = value.strip().lower()
    return next((f for f in FORMATS if f == fmt), None)


#: What the cells (type, format, channel) of a row mean: the type, format and channel as
#: an event holds them, then whether the type needs from, to, topic, start or end, start,
#: and end.
Kinds = tuple[str, str, str, bool, bool, bool, bool, bool, bool]


def _kinds(cells: tuple[str, str, str]) -> Kinds | None:
    """What ``(type, format, channel)`` cells mean, or None when parse_event refuses them."""
    type_cell, format_cell, channel_cell = cells
    kind, fmt = _kind(type_cell), _format(format_cell)
    if kind is None or fmt is None:
        return None
    needs = NEEDS[kind]
    if "channel" in needs and not channel_cell:
        return None
    assert set(needs) <= {"from", "to", "channel", "topic", "start", "end"}
    return (kind, fmt, _lower(channel_cell), "from" in needs, "to" in needs, "topic" in needs,
            "start" in needs or "end" in needs, "start" in needs, "end" in needs)


#: ``parse(line, rows, out, refused)``: see :meth:`FastParser.rows`.
RowsParser = Callable[[int, list[list[str]], list[Event], Callable[[int, list[str]], "Event | None"]],
                      None]


class FastParser:
    """The readers' hot path: rows to events, or None when :func:`parse_event` must decide.

    Holds one :class:`TimeParser` and the caches of repeated cells for one pass
    over a log. :meth:`rows` makes a parser for lists of CSV rows of given
    columns (:meth:`fields` one for a single row); :meth:`records` parses lists
    of mappings (JSON Lines, dicts; :meth:`record` one mapping). They give
    exactly the event :func:`parse_event` gives, or leave the row to it whenever
    they are not sure.
    """

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.times = TimeParser(tz)
        self.time = self.times.parse
        self.kinds = _Cache(_kind)
        self.formats = _Cache(_format)
        self.people = _Cache(_strip)
        self.groups = _Cache(split_list)
        self.channels = _Cache(_lower)
        self.topics = _Cache(_strip)
        self.lists: dict[tuple[str, ...], tuple[str, ...]] = {}  # JSON lists of recipients

    def rows(self, columns: Sequence[str]) -> RowsParser:
        """A parser of CSV rows whose fields are in the order of ``columns``.

        ``parse(line, rows, out, refused)`` appends to ``out`` the event of each
        of ``rows``, the first on line ``line`` and each of the others on the
        next line: a row it is sure of, it parses; a row it is not, it passes to
        ``refused(line, fields)`` and appends what that returns unless it is
        None. Each row has a field per column (one more, ``""``, is appended to
        stand for the columns the header lacks).
        """
        where = {name: i for i, name in enumerate(columns)}
        pad = any(name not in where for name in COLUMNS)
        blank = len(columns)  # a missing column reads the "" appended to each row
        (i_id, i_type, i_at, i_start, i_end, i_from, i_to, i_channel, i_format, i_reply,
         i_topic) = (where.get(name, blank) for name in COLUMNS)
        extras = tuple((name, i) for i, name in enumerate(columns)
                       if name not in COLUMNS and name != "extra")
        kinds = _Cache(_kinds)
        time, span = self.time, self._span
        people, groups, topics = self.people, self.groups, self.topics
        blank_event, event_class, make = EVENT_BLANK, Event, make_event
        new = object.__new__

        def parse(line: int, rows: list[list[str]], out: list[Event],
                  refused: Callable[[int, list[str]], Event | None]) -> None:
            add = out.append
            line -= 1
            last_at: str | None = None
            last_moment: tuple[datetime, float] | None = None
            for row in rows:
                line += 1
                if pad:
                    row.append("")
                known = kinds[row[i_type], row[i_format], row[i_channel]]
                ident = row[i_id].strip()
                reply_to = row[i_reply]
                if reply_to:
                    reply_to = reply_to.strip()
                sender, to, topic = row[i_from], row[i_to], row[i_topic]
                if known is not None and ident and reply_to != ident:
                    (kind, fmt, channel, need_from, need_to, need_topic, need_span, need_start,
                     need_end) = known
                    if (sender or not need_from) and (to or not need_to) and (
                            topic or not need_topic):
                        cell = row[i_at]
                        if cell == last_at:  # a log in time order: the time just before
                            moment = last_moment
                        else:
                            try:
                                moment = time(cell)
                            except TimeError:
                                moment = None
                            last_at, last_moment = cell, moment
                        raw_start, raw_end = row[i_start], row[i_end]
                        start = end = None
                        if raw_start or raw_end or need_span:
                            spans = span(raw_start, raw_end, need_start, need_end)
                            if spans is None:
                                moment = None
                            else:
                                start, end = spans
                        if moment is not None:
                            at, ts = moment
                            sender = people[sender]
                            to = groups[to]
                            if topic:
                                topic = topics[topic]
                            extra = ({name: row[i].strip() for name, i in extras}
                                     if extras else None)
                            if blank_event is None:
                                add(make(ident, kind, at, ts, sender, to, channel, fmt,
                                         reply_to, topic, start, end, extra, line))
                                continue
                            made: Any = new(blank_event)
                            made.id = ident
                            made.type = kind
                            made.at = at
                            made.ts = ts
                            made.sender = sender
                            made.recipients = to
                            made.channel = channel
                            made.format = fmt
                            made.reply_to = reply_to
                            made.topic = topic
                            made.start = start
                            made.end = end
                            made.extra = extra
                            made.line = line
                            made.__class__ = event_class
                            add(made)
                            continue
                event = refused(line, row)
                if event is not None:
                    add(event)

        return parse

    def _span(self, raw_start: str, raw_end: str, need_start: bool, need_end: bool
              ) -> tuple[datetime | None, datetime | None] | None:
        """``(start, end)`` of a row's cells, or None when parse_event would refuse them."""
        if (need_start and not raw_start) or (need_end and not raw_end):
            return None
        try:
            start = self.time(raw_start)[0] if raw_start else None
            end = self.time(whole_day_end(raw_end))[0] if raw_end else None
        except TimeError:
            return None
        if start is not None and end is not None and end <= start:
            return None
        return start, end

    def fields(self, columns: Sequence[str]) -> Callable[[list[str], int | None], Event | None]:
        """A parser of one CSV row whose fields are in the order of ``columns``: its event,
        or None when it is not sure of it (see :meth:`rows`)."""
        parse_rows = self.rows(columns)

        def parse(row: list[str], line: int | None) -> Event | None:
            out: list[Event] = []
            parse_rows(1 if line is None else line, [row], out, _unsure)
            if not out:
                return None
            return out[0] if line is not None else replace(out[0], line=None)

        return parse

    def record(self, record: Mapping[str, Any], line: int | None) -> Event | None:
        """The event of one mapping whose cells are text (or absent), else None."""
        out: list[Event] = []
        self.records([(line, record)], out, _unsure_item)
        return out[0] if out else None

    def records(self, rows: list[Any], out: list[Event], other: Callable[[Any], Event | None]
                ) -> None:
        """Append to ``out`` the event of each ``(line, mapping)`` of ``rows`` whose cells are
        text (or absent, or a list for ``to``); any other item, or a row it is not sure of,
        goes to ``other``, and what that returns is appended unless it is None."""
        add = out.append
        kinds, formats, people, groups = self.kinds, self.formats, self.people, self.groups
        channels, topics, lists = self.channels, self.topics, self.lists
        recent, time = self.times.recent, self.time
        make = make_event
        for item in rows:
            if type(item) is tuple and type(item[1]) is dict:
                line, record = item
                get = record.get
                cells = (get("id"), get("type"), get("from"), get("channel"), get("format"),
                         get("reply_to"), get("topic"))
                to = get("to")
                kind = None
                if _TEXT_OR_NONE.issuperset(map(type, cells)) and (
                        to is None or type(to) is str or type(to) is list):
                    ident_raw, kind_raw, sender, channel, fmt_raw, reply_raw, topic = cells
                    kind = kinds[kind_raw] if kind_raw is not None else None
                if kind is not None:
                    needs = True
                    for name in NEEDS[kind]:
                        if not get(name):
                            needs = False
                    ident = ident_raw.strip() if ident_raw is not None else ""
                    fmt = formats[fmt_raw] if fmt_raw is not None else ""
                    reply_to = reply_raw.strip() if reply_raw is not None else ""
                    if needs and ident and fmt is not None and reply_to != ident:
                        try:
                            raw = get("at")
                            moment = recent.get(raw) if type(raw) is str else None
                            at, ts = time(raw) if moment is None else moment
                            raw = get("start")
                            start = None if raw is None or raw == "" else time(raw)[0]
                            raw = get("end")
                            end = None if raw is None or raw == "" else time(whole_day_end(raw))[0]
                        except TimeError:
                            start = end = at = None
                        if at is not None and (start is None or end is None or end > start):
                            if to is None:
                                recipients: tuple[str, ...] = ()
                            elif type(to) is str:
                                recipients = groups[to]
                            elif _TEXT.issuperset(map(type, to)):  # a list of texts: cached
                                key = tuple(to)
                                recipients = lists.get(key)  # type: ignore[assignment]
                                if recipients is None:
                                    recipients = split_list(to)
                                    if len(lists) < 1 << 16:
                                        lists[key] = recipients
                            else:
                                recipients = split_list(to)
                            extra = (None if record.keys() <= _NOT_EXTRA else
                                     {str(k): text(v) for k, v in record.items()
                                      if k not in _NOT_EXTRA} or None)
                            sender = people[sender] if sender is not None else ""
                            channel = channels[channel] if channel is not None else ""
                            topic = topics[topic] if topic is not None else ""
                            add(make(ident, kind, at, ts, sender, recipients, channel, fmt,
                                     reply_to, topic, start, end, extra, line))
                            continue
            event = other(item)
            if event is not None:
                add(event)


_TEXT: frozenset[type] = frozenset((str,))
_TEXT_OR_NONE: frozenset[type] = frozenset((str, type(None)))
_NOT_EXTRA = frozenset((*COLUMNS, "extra"))  # keys of a mapping that are not Event.extra


def _unsure(line: int, cells: list[str]) -> None:
    return None


def _unsure_item(item: Any) -> None:
    return None


def whole_day_end(value: Any) -> Any:
    """An ``end`` written as a day (``2025-11-07``) means the end of that day: the next 00:00.

    People write "away until 7 November" meaning all of that day; the end of a span is
    exclusive, so the day after is what they mean.
    """
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
        except ValueError:
            return value  # not a date after all: the time parser says what is wrong
    if isinstance(value, date) and not isinstance(value, datetime):
        return value + timedelta(days=1)
    return value


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
