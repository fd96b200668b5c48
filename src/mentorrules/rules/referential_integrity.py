"""referential-integrity: every row is usable and every id, level, community and track exists.

Findings (subject in brackets):

* a roster row the reader could not use: no id, an unknown role, an id already
  used, a row that does not split into fields [the row's id, else ``line N``].
  The message gives the file and line and the reason;
* a mentor's or mentee's ``level`` that is not one of the program's ``levels``
  [the person]; faculty and staff need no level and are not checked;
* a ``track`` not among the program's ``tracks``, and a ``community`` not among
  its ``communities`` [the person]; each only when the program declares that
  list (UMMS declares its tracks; no program declares the communities, which
  a school names for itself with ``extends:``);
* a unit id only one row names [the unit]: a unit needs at least two people,
  so this is almost always a typo. The message gives the row's line and the
  closest unit id. The other structure kinds ignore such a "unit", so one typo
  is one finding;
* a mentor with no unit, and a faculty member with no unit when the program's
  units have faculty [the person]. Mentees with no unit are ``membership``'s;
  staff need no unit;
* a regular unit (named by two or more rows) with no mentor [the unit]; the
  rest of its composition is ``unit-composition``'s.

No options.

Example::

    rules:
      - id: known-ids
        kind: referential-integrity
        source: Every person, unit, level, learning community and track named must exist.

Passing: every unit id is named by two or more rows, every level, track and
community is one the program declares, and no row was rejected.
Failing: line 40 puts ``s-017`` in ``c3`` instead of ``c03``::

    error   known-ids: c3
            Cohort c3 is named only by Ana Souza (s-017) on line 40, so no one else
            is in it (did you mean 'c03'?); check the unit id for a typo
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mentorrules._suggest import did_you_mean
from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding
from mentorrules.roster.models import Person, Unit
from mentorrules.rules._structure import (
    is_overlay,
    is_phantom,
    joined,
    label,
    labels,
    level_phrase,
    noun,
    says,
    title,
)
from mentorrules.rules.base import Context, Kind, RosterEvaluator

_ROLE = {"mentor": "a mentor", "faculty": "a faculty mentor"}
_DIGITS = re.compile(r"\d+")


def _plain(unit_id: str) -> str:
    """``c5``, ``C05`` and ``c005`` all read ``c5``: how unit ids are usually mistyped."""
    return _DIGITS.sub(lambda m: str(int(m.group())), unit_id.lower())


def _suggest(unit_id: str, units: Iterable[Unit]) -> str:
    others = [u.id for u in units if not is_phantom(u)]
    same = [other for other in others if _plain(other) == _plain(unit_id)]
    return f" (did you mean {same[0]!r}?)" if same else did_you_mean(unit_id, others)


class Options(RuleOptions):
    pass


class ReferentialIntegrity(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.context = spec, context

    def findings(self) -> Iterator[Finding]:
        yield from self._rejected()
        for person in self.context.roster.people.values():
            yield from self._person(person)
        for unit in self.context.roster.units.values():
            yield from self._unit(unit)

    def _rejected(self) -> Iterator[Finding]:
        for row in self.context.roster.rejected:
            where = f"{row.source}:{row.line}" if row.line else row.source
            yield self.context.finding(
                self.spec,
                subject=row.id or (f"line {row.line}" if row.line else "(row)"),
                message=f"The roster row at {where} was not used: {row.reason}",
                evidence=(row.id,) if row.id else (),
                details={"source": row.source, "line": row.line},
            )

    def _person(self, person: Person) -> Iterator[Finding]:
        program = self.context.program
        checks = [("level", person.level, program.level_ids, "levels")]
        if person.role not in ("mentor", "mentee"):
            checks = []
        if program.tracks:
            checks.append(("track", person.track, program.tracks, "tracks"))
        if program.communities:
            checks.append(("community", person.community, program.communities,
                           "learning communities"))
        first_unit = person.units[0] if person.units else None
        for field, value, known, plural in checks:
            if not value or value in known:
                continue
            yield self.context.finding(
                self.spec,
                subject=person.id,
                unit=first_unit,
                message=f"{label(person, person.id, line=True)} has {field} {value!r}, "
                f"which the program does not define{did_you_mean(value, known)}; its {plural} "
                f"are {joined(list(known))}{says(self.spec)}",
                evidence=(person.id,),
                details={"field": field, "value": value},
            )
        needs_unit = person.role == "mentor" or (person.role == "faculty" and program.units.faculty)
        if needs_unit and not person.units:
            yield self.context.finding(
                self.spec,
                subject=person.id,
                message=f"{label(person, person.id, line=True)} is {_ROLE[person.role]} "
                f"but in no {noun(program)}; give the row its unit ids",
                evidence=(person.id,),
            )

    def _unit(self, unit: Unit) -> Iterator[Finding]:
        program, roster = self.context.program, self.context.roster
        name = unit.id if is_overlay(program, unit) else title(program, unit.id)
        if is_phantom(unit):
            (ident,) = unit.members
            person = roster.get(ident)
            at = f" on line {person.line}" if person is not None and person.line else ""
            yield self.context.finding(
                self.spec,
                subject=unit.id,
                unit=unit.id,
                message=f"{name} is named only by {label(person, ident)}{at}, so no one else "
                f"is in it{_suggest(unit.id, roster.units.values())}; check the unit id for a "
                "typo",
                evidence=(ident,),
                details={"line": person.line if person is not None else None},
            )
        elif not unit.mentors and not is_overlay(program, unit) and program.units.mentors:
            expected = {level: n for level, n in program.units.mentors.items() if n}
            yield self.context.finding(
                self.spec,
                subject=unit.id,
                unit=unit.id,
                message=f"{name} has no mentor, only {labels(roster, unit.members)}; a "
                f"{noun(program)} has {level_phrase(expected, 'mentor')}{says(self.spec)}",
                evidence=unit.members,
            )


def _bind(spec: RuleSpec, options: Options, context: Context) -> ReferentialIntegrity:
    return ReferentialIntegrity(spec, options, context)


KIND = Kind(name="referential-integrity", options=Options, doc=__doc__ or "", binder=_bind)
