"""Read a roster from CSV, JSON Lines, an open file or an iterable of dicts / Persons.

Columns (SPEC section 4): ``id`` (unique), ``name``, ``role`` (``mentor`` |
``mentee`` | ``faculty`` | ``staff``), ``level``, ``community``, ``track``,
``units`` (``;``-separated in CSV), ``email``. Other columns are kept in
``Person.extra``. A row without an id, with an unknown role, or with an id
already used is rejected with its line; in strict mode the first such row stops
the read with a :class:`~mentorrules.errors.RowError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from mentorrules._suggest import did_you_mean
from mentorrules.errors import InputError, Location, Problem, RowError
from mentorrules.program.models import Program
from mentorrules.report import RejectedRow, RowCounts
from mentorrules.roster.models import Person, Roster
from mentorrules.tabular import (
    DEFAULT_READ_LIMITS,
    BadRow,
    ReadLimits,
    Source,
    read_rows,
    source_name,
    split_list,
    text,
    too_many_rejected,
)

COLUMNS = ("id", "name", "role", "level", "community", "track", "units", "email")
REQUIRED = ("id", "role")
ROLES = ("mentor", "mentee", "faculty", "staff")
_NOT_EXTRA = frozenset((*COLUMNS, "extra", "line"))


def read_roster(
    source: Source | Roster,
    program: Program | None = None,
    *,
    strict: bool = False,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> Roster:
    """Read every row; rejected rows are kept on the roster with their reasons.

    ``program`` tells which unit ids are overlay units (e.g. ``md-phd``).
    """
    if isinstance(source, Roster):
        if program is None or all(u.overlay == (u.id in program.overlay_ids)
                                  for u in source.units.values()):
            return source
        # Read without the program (or for another one): which units are overlays changes.
        return Roster.build(source.people.values(), overlay_ids=program.overlay_ids,
                            source=source.source, counts=source.counts, rejected=source.rejected)
    name = source_name(source)
    people: list[Person] = []
    rejected: list[RejectedRow] = []
    first_line: dict[str, int | None] = {}
    read = 0

    def reject(line: int | None, ident: str | None, reason: str) -> None:
        if strict:
            raise RowError([Problem(Location(name, line, None, f"id={ident}" if ident else ""),
                                    reason, "fix the row, or read leniently to skip it")])
        if len(rejected) >= limits.max_rejected:
            first = rejected[0] if rejected else None
            raise too_many_rejected(name, limits, first.line if first else line,
                                    first.reason if first else reason)
        rejected.append(RejectedRow(source=name, line=line, id=ident, reason=reason))

    rows: Iterable[Any] = read_rows(source, required=REQUIRED, known=COLUMNS, what="roster",
                                    limits=limits)
    for row in _decoded(rows, name):
        read += 1
        if isinstance(row, BadRow):
            reject(row.line, None, row.reason)
            continue
        line, record = row
        person = _person(record, line, reject)
        if person is None:
            continue
        if person.id in first_line:
            where = first_line[person.id]
            reject(line, person.id, f"id {person.id!r} is already used"
                   + (f" on line {where}" if where else ""))
            continue
        first_line[person.id] = line
        people.append(person)
    counts = RowCounts(read=read, used=len(people), rejected=len(rejected))
    return Roster.build(people, overlay_ids=program.overlay_ids if program else (),
                        source=name, counts=counts, rejected=rejected)


def _decoded(rows: Iterable[Any], name: str) -> Iterator[Any]:
    """``rows``, with a text file opened in another encoding turned into a clear error."""
    try:
        yield from rows
    except UnicodeDecodeError as exc:
        raise InputError.single(
            f"the roster is not UTF-8 ({exc.reason} at byte {exc.start})",
            "save it as UTF-8, or pass the file opened in binary mode ('rb') to have each "
            "bad row reported", file=name) from None


def _person(record: Any, line: int | None, reject: Any) -> Person | None:
    if isinstance(record, Person):
        return record
    ident = text(record.get("id"))
    if not ident:
        reject(line, None, "the row has no id")
        return None
    role = text(record.get("role")).lower()
    if role not in ROLES:
        reject(line, ident, f"unknown role {role!r}{did_you_mean(role, ROLES)}; "
               f"use one of: {', '.join(ROLES)}")
        return None
    units = record.get("units")
    if isinstance(units, Mapping):
        reject(line, ident, "units must be a list of unit ids (or ';'-separated text), "
               "not a mapping")
        return None
    # "extra" and "line" come back from a Person given as a row (model_dump), not from files.
    extra = {str(k): text(v) for k, v in record.items() if k not in _NOT_EXTRA}
    if isinstance(record.get("extra"), dict):
        extra.update({str(k): text(v) for k, v in record["extra"].items()})
    try:
        return Person(
            id=ident,
            name=text(record.get("name")),
            role=role,
            level=text(record.get("level")),
            community=text(record.get("community")),
            track=text(record.get("track")),
            units=split_list(units),
            email=text(record.get("email")),
            extra=extra,
            line=line if line is not None else _int_or_none(record.get("line")),
        )
    except ValidationError as exc:
        reject(line, ident, "; ".join(e["msg"] for e in exc.errors()))
        return None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
