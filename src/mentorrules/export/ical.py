"""iCalendar (RFC 5545) export of planned occurrences, for Google, Apple and Outlook.

:func:`to_ical` renders occurrences (from :func:`mentorrules.schedule.plan`);
:func:`build_calendar` plans and renders in one call; :func:`calendars_per_mentor`
gives one calendar per mentor; :func:`write_calendar` and
:func:`write_calendars_per_mentor` write files and keep their versions (below).

What the output holds:

- ``METHOD:PUBLISH``, ``X-WR-CALNAME``, ``X-WR-CALDESC``, ``REFRESH-INTERVAL``
  and ``X-PUBLISHED-TTL`` (valid DURATION values) and one ``VTIMEZONE`` for the
  program's zone, covering the academic year and every occurrence with a year
  to spare each side, so every ``TZID`` used is defined in the file. There is
  no ``X-WR-TIMEZONE``: every time carries its zone, and readers that apply
  ``X-WR-TIMEZONE`` by rewriting UTC times into local ones lose the second
  01:30 of the night daylight-saving time ends.
- Timed items are local times with ``TZID``; an item that starts or ends in that
  repeated hour, which has no local spelling of its own (RFC 5545 reads a
  repeated local time as the first one), is written in UTC.
- Deadlines are ``VEVENT``s (Google and Outlook ignore ``VTODO``), transparent
  so that they do not block free/busy time, as are all-day items, whose
  ``DTSTART``/``DTEND`` are ``DATE`` values with an exclusive end.
- A recurring series is written as one ``VEVENT`` with ``RRULE`` (``UNTIL`` its
  last occurrence) and ``EXDATE`` for the days the calendar skips, when that is
  exact: every occurrence that falls on a day of the rule, at the rule's time,
  with the same content, is part of it; any other occurrence (a deadline moved
  off a break, the 30th standing for "day 31") is a single ``VEVENT``.
- ``VALARM`` display reminders for occurrences with an ``alarm`` (``alarms=False``
  leaves them out).
- Text is escaped by ``icalendar``; before that, control characters are removed
  and every kind of line break becomes a newline, so no input string can start a
  property or a component.

Versions. ``UID`` comes from the planner (program, item, term, unit or mentor:
see :func:`mentorrules.schedule.make_uid`), so a re-export updates events rather
than duplicating them. Each ``VEVENT`` carries ``X-MENTORRULES-HASH``, a hash of
its content. Without ``previous`` every event has ``SEQUENCE:0`` and ``DTSTAMP``
= ``stamp`` (default: 00:00 UTC on the first day of the academic calendar), so
identical input gives byte-identical output. With ``previous`` (the bytes of the
earlier export of the same calendar) an event whose hash is unchanged keeps its
earlier ``SEQUENCE`` and ``DTSTAMP``, and a changed one gets ``SEQUENCE`` one
higher and a ``DTSTAMP`` one second after its earlier one, or ``stamp`` if that
is later. That is the only way to raise ``SEQUENCE`` exactly when an item
changes without keeping state: the previous file *is* the state, and
:func:`write_calendar` reads it from the path it is about to overwrite.
"""

from __future__ import annotations

import hashlib
import re
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar

from mentorrules.errors import InputError
from mentorrules.program.models import Program
from mentorrules.roster.models import Roster
from mentorrules.schedule import HasObligations, Occurrence, plan

PRODID = "-//mentorrules//mentorrules calendar export//EN"
HASH_PROPERTY = "X-MENTORRULES-HASH"
DEFAULT_REFRESH = timedelta(hours=12)

__all__ = [
    "DEFAULT_REFRESH",
    "HASH_PROPERTY",
    "PRODID",
    "build_calendar",
    "calendar_name",
    "calendars_per_mentor",
    "clean_text",
    "to_ical",
    "write_calendar",
    "write_calendars_per_mentor",
]

# Line breaks in any spelling (CRLF first) become "\n", which icalendar escapes as "\n".
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufeff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` safe for an iCalendar TEXT value: one kind of line break, no controls."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


class _Text(icalendar.vText):
    """A TEXT value escaped exactly as RFC 5545 says.

    ``icalendar.vText`` reads a literal backslash followed by ``N`` as a line
    break; a name or topic that holds those two characters must keep them.
    """

    def to_ical(self) -> bytes:
        escaped = (
            str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n")
        )
        return escaped.encode("utf-8")


def _text(value: str) -> _Text:
    return _Text(clean_text(value))


# --------------------------------------------------------------------------- entry points


def to_ical(
    program: Program,
    occurrences: Iterable[Occurrence],
    *,
    name: str,
    include_names: bool = False,
    description: str | None = None,
    alarms: bool = True,
    refresh: timedelta = DEFAULT_REFRESH,
    stamp: datetime | None = None,
    previous: bytes | None = None,
) -> bytes:
    """Render ``occurrences`` as one iCalendar object (UTF-8 bytes, CRLF lines).

    ``name`` becomes ``X-WR-CALNAME``; ``include_names`` only says, in
    ``X-WR-CALDESC``, whether mentee names were included when planning.
    ``stamp`` and ``previous`` set ``DTSTAMP`` and ``SEQUENCE`` (module docstring).
    """
    zone = zoneinfo.ZoneInfo(program.timezone)
    base = _utc(stamp) if stamp else datetime.combine(program.calendar.start, time(0), UTC)
    versions = _versions(previous) if previous else {}

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _text(name))
    privacy = (
        "Mentee names included."
        if include_names
        else "Mentee names are left out; export with --include-names to add them."
    )
    about = description if description is not None else f"{program.title}. {privacy}"
    cal.add("x-wr-caldesc", _text(about))
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
    ordered = sorted(occurrences, key=Occurrence.sort_key)
    days = [program.calendar.start, program.calendar.end, *(o.day for o in ordered)]
    first, last = min(days), max(days)
    cal.add_component(
        icalendar.Timezone.from_tzinfo(
            zone,
            tzid=program.timezone,
            first_date=date(first.year - 1, 1, 1),
            last_date=date(last.year + 1, 12, 31),
        )
    )
    for block in _blocks(ordered, zone):
        event = _event(block, zone, alarms=alarms)
        digest = _digest(block, alarms)
        sequence, dtstamp = 0, base
        earlier = versions.get(block.uid)
        if earlier is not None:
            if earlier.digest == digest:
                sequence, dtstamp = earlier.sequence, earlier.stamp
            else:
                sequence = earlier.sequence + 1
                dtstamp = max(base, earlier.stamp + timedelta(seconds=1))
        event.add("dtstamp", dtstamp)
        event.add("sequence", sequence)
        event.add(HASH_PROPERTY, icalendar.vText(digest))
        cal.add_component(event)
    return bytes(cal.to_ical())


def calendar_name(
    program: Program, roster: Roster | None = None, *, mentor: str | None = None,
    unit: str | None = None,
) -> str:
    """``UMMS Peer Mentoring Program: Ada Lovelace`` (mentor), ``...: cohort c-01`` (unit)."""
    if mentor is not None:
        person = roster.get(mentor) if roster else None
        return f"{program.title}: {(person.name.strip() if person else '') or mentor}"
    if unit is not None:
        return f"{program.title}: {program.units.name} {unit}"
    return program.title


def build_calendar(
    program: Program,
    roster: Roster | None = None,
    *,
    mentor: str | None = None,
    unit: str | None = None,
    status: HasObligations | None = None,
    include_names: bool = False,
    name: str | None = None,
    alarms: bool = True,
    refresh: timedelta = DEFAULT_REFRESH,
    stamp: datetime | None = None,
    previous: bytes | None = None,
) -> bytes:
    """:func:`~mentorrules.schedule.plan` then :func:`to_ical`, named by :func:`calendar_name`."""
    occurrences = plan(
        program, roster, mentor=mentor, unit=unit, status=status, include_names=include_names
    )
    return to_ical(
        program,
        occurrences,
        name=name or calendar_name(program, roster, mentor=mentor, unit=unit),
        include_names=include_names,
        alarms=alarms,
        refresh=refresh,
        stamp=stamp,
        previous=previous,
    )


def calendars_per_mentor(
    program: Program,
    roster: Roster,
    *,
    status: HasObligations | None = None,
    include_names: bool = False,
    alarms: bool = True,
    refresh: timedelta = DEFAULT_REFRESH,
    stamp: datetime | None = None,
    previous: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """One calendar per person with role ``mentor``, by mentor id, in roster order.

    ``previous`` maps mentor ids to their earlier exports (see the module docstring).
    """
    found: dict[str, bytes] = {}
    for person in roster.with_role("mentor"):
        found[person.id] = build_calendar(
            program,
            roster,
            mentor=person.id,
            status=status,
            include_names=include_names,
            alarms=alarms,
            refresh=refresh,
            stamp=stamp,
            previous=(previous or {}).get(person.id),
        )
    return found


def write_calendar(path: str | Path, data: bytes | None = None, **plan_args: Any) -> bytes:
    """Write a calendar to ``path``; an earlier file there serves as ``previous``.

    Either give ``data`` (already rendered), or the arguments of
    :func:`build_calendar` (``program=``, ``roster=``, ``mentor=``, ...) and the
    calendar is built with the existing file as ``previous``. Returns the bytes.
    """
    target = Path(path)
    if data is None:
        earlier = target.read_bytes() if target.is_file() else None
        data = build_calendar(previous=earlier, **plan_args)
    target.write_bytes(data)
    return data


def write_calendars_per_mentor(
    folder: str | Path, program: Program, roster: Roster, **options: Any
) -> dict[str, Path]:
    """Write ``<folder>/<mentor id>.ics`` for every mentor (earlier files are ``previous``).

    Mentor ids are made safe as file names (characters other than letters, digits,
    ``.``, ``-`` and ``_`` become ``_``). Returns the path written per mentor id.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    paths = {m.id: target / f"{_file_stem(m.id)}.ics" for m in roster.with_role("mentor")}
    earlier = {mid: p.read_bytes() for mid, p in paths.items() if p.is_file()}
    rendered = calendars_per_mentor(program, roster, previous=earlier, **options)
    for mentor_id, data in rendered.items():
        paths[mentor_id].write_bytes(data)
    return paths


def _file_stem(text: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", text).lstrip(".")
    return stem or "_"


# --------------------------------------------------------------------------- series


@dataclass(frozen=True, slots=True)
class _Block:
    """What becomes one VEVENT: one occurrence, or a series of them under one RRULE."""

    uid: str
    first: Occurrence
    members: tuple[Occurrence, ...]
    exdates: tuple[date, ...] = ()

    @property
    def recurring(self) -> bool:
        return len(self.members) > 1


def _blocks(occurrences: Sequence[Occurrence], zone: zoneinfo.ZoneInfo) -> list[_Block]:
    blocks: list[_Block] = []
    series: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        local = _spelt_locally(occ.start, zone) and _spelt_locally(occ.end, zone)
        if occ.series is not None and occ.pattern is not None and local:
            series.setdefault(occ.series, []).append(occ)
        else:
            blocks.append(_Block(occ.uid, occ, (occ,)))
    for uid, members in series.items():
        blocks += _series_blocks(uid, members)
    blocks.sort(key=lambda b: (b.first.sort_key(), b.uid))
    return blocks


def _series_blocks(uid: str, members: list[Occurrence]) -> list[_Block]:
    """One RRULE block for the members that fit it exactly; single blocks for the rest."""
    pattern = members[0].pattern
    assert pattern is not None
    fitting = [o for o in members if pattern.matches(o.day)]
    if fitting:
        head = fitting[0]
        fitting = [o for o in fitting if _same_shape(head, o)]
    if len(fitting) < 2:
        return [_Block(o.uid, o, (o,)) for o in members]
    chosen = {o.uid for o in fitting}
    days = {o.day for o in fitting}
    exdates: list[date] = []
    day = fitting[0].day
    while day <= fitting[-1].day:
        if pattern.matches(day) and day not in days:
            exdates.append(day)
        day += timedelta(days=1)
    rest = [_Block(o.uid, o, (o,)) for o in members if o.uid not in chosen]
    return [_Block(uid, fitting[0], tuple(fitting), tuple(exdates)), *rest]


def _same_shape(head: Occurrence, other: Occurrence) -> bool:
    """True when ``other`` is what ``head``'s RRULE makes on ``other``'s day."""
    if head.all_day != other.all_day:
        return False
    if isinstance(head.start, datetime) and isinstance(other.start, datetime):
        # A recurrence keeps the local start time and DTEND - DTSTART as a wall-clock span.
        assert isinstance(head.end, datetime)
        assert isinstance(other.end, datetime)
        if other.start.time() != head.start.time():
            return False
        span = head.end.replace(tzinfo=None) - head.start.replace(tzinfo=None)
        zone = other.start.tzinfo
        expected = (other.start.replace(tzinfo=None) + span).replace(tzinfo=zone)
        if expected.timestamp() != other.end.timestamp():
            return False
    elif other.end - other.start != head.end - head.start:
        return False
    fields = ("title", "description", "location", "alarm", "categories", "kind", "rule")
    return all(getattr(head, f) == getattr(other, f) for f in fields)


# --------------------------------------------------------------------------- events


def _event(block: _Block, zone: zoneinfo.ZoneInfo, *, alarms: bool) -> icalendar.Event:
    occ = block.first
    event = icalendar.Event()
    event.add("uid", block.uid)
    start, end = _times(occ, zone)
    event.add("dtstart", start)
    event.add("dtend", end)
    if block.recurring:
        last = block.members[-1].start
        until: datetime | date = _utc(last) if isinstance(last, datetime) else last
        assert occ.pattern is not None
        event.add("rrule", icalendar.vRecur({**occ.pattern.rrule(), "UNTIL": until}))
        if block.exdates:
            event.add("exdate", [_exdate(occ, d, zone) for d in block.exdates])
    event.add("summary", _text(occ.title))
    if occ.description:
        event.add("description", _text(occ.description))
    if occ.location:
        event.add("location", _text(occ.location))
    if occ.categories:
        event.add("categories", [clean_text(c) for c in occ.categories])
    if occ.all_day or occ.kind == "deadline":
        event.add("transp", "TRANSPARENT")
    if alarms and occ.alarm is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _text(occ.title))
        alarm.add("trigger", -occ.alarm)
        event.add_component(alarm)
    return event


def _times(occ: Occurrence, zone: zoneinfo.ZoneInfo) -> tuple[datetime | date, datetime | date]:
    """DTSTART and DTEND: local times with TZID, or both in UTC when one must be.

    The second 01:30 of the night daylight-saving time ends has no local spelling
    of its own (RFC 5545 reads a repeated local time as the first one), so an
    occurrence touching it is written in UTC, start and end alike.
    """
    if not isinstance(occ.start, datetime) or not isinstance(occ.end, datetime):
        return occ.start, occ.end
    if _spelt_locally(occ.start, zone) and _spelt_locally(occ.end, zone):
        return occ.start.astimezone(zone), occ.end.astimezone(zone)
    return occ.start.astimezone(UTC), occ.end.astimezone(UTC)


def _spelt_locally(value: datetime | date, zone: zoneinfo.ZoneInfo) -> bool:
    if not isinstance(value, datetime):
        return True
    local = value.astimezone(zone)
    return local.replace(fold=0).timestamp() == local.timestamp()


def _exdate(occ: Occurrence, day: date, zone: zoneinfo.ZoneInfo) -> datetime | date:
    if isinstance(occ.start, datetime):
        return datetime.combine(day, occ.start.time(), zone)
    return day


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("stamp must be an aware datetime")
    return value.astimezone(UTC).replace(microsecond=0)


def _digest(block: _Block, alarms: bool) -> str:
    """A hash of everything a VEVENT is made from (its block of occurrences, and whether
    alarms are on): it changes exactly when the event would. Hashing the occurrences'
    fields costs a fraction of serialising the event a second time."""
    return hashlib.sha256(repr((block, alarms)).encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------- previous


@dataclass(frozen=True, slots=True)
class _Version:
    digest: str
    sequence: int
    stamp: datetime


def _versions(previous: bytes) -> dict[str, _Version]:
    try:
        earlier = icalendar.Calendar.from_ical(previous)
        found: dict[str, _Version] = {}
        for event in earlier.walk("VEVENT"):
            uid = str(event.get("uid", ""))
            digest = event.get(HASH_PROPERTY)
            stamp = event.get("dtstamp")
            if not uid or digest is None or stamp is None:
                continue
            found[uid] = _Version(
                str(digest), int(event.get("sequence", 0)), _utc(stamp.dt)
            )
    except (ValueError, TypeError, AttributeError) as exc:
        raise InputError.single(
            f"the earlier calendar export cannot be read ({exc})",
            "write to a new file, or delete the old one to start the versions afresh",
        ) from exc
    return found
