"""membership: every mentee in exactly one regular unit; overlay units cover their people.

Regular units: every person with role ``mentee`` must be in exactly one regular
unit (a unit whose id is not one of the program's ``overlays``).

* in none: "not assigned to any cohort" (subject the mentee, no unit);
* in two or more: the message names the units (subject the mentee, ``unit``
  the first of them, ``details.units`` all of them).

A mentee whose only unit is an id no one else names is left to
``referential-integrity``, which reports the likely typo with its line.

Overlay units (``overlays:`` in the program, e.g. UMMS's ``md-phd``):

* everyone matching the overlay's ``covers`` selector (roles, levels, tracks)
  is in the overlay unit; each one who is not is a finding (subject the
  person, ``unit`` the overlay). If no one at all names the overlay unit while
  people should be in it, one finding about the overlay lists them instead;
* the overlay unit has at least ``min_mentors`` members matching its
  ``mentors`` selector;
* everyone in the overlay unit matches ``mentors`` or ``covers``; anyone else
  is a finding (e.g. an MD-track mentee put in ``md-phd``).

No options.

Example::

    overlays:
      - id: md-phd
        name: MD/PhD Peer Mentoring
        mentors: {roles: [mentor], tracks: [MD/PhD]}
        min_mentors: 1
        covers: {roles: [mentee], tracks: [MD/PhD]}
    rules:
      - id: every-mentee-assigned
        kind: membership
        source: >-
          Mentor Pairs are assigned to the cohort of 12-15 first- and second-year
          students belonging to the Faculty Mentor; additional MD/PhD Peer Mentors
          provide additional mentoring to all MD/PhD students.

Passing: ``s-041,Sam Lee,mentee,M1,,MD/PhD,c03;md-phd`` (one cohort, and the
MD/PhD overlay, which does not count as a cohort).

Failing: ``s-041`` is listed in cohorts ``c03`` and ``c07``::

    error   every-mentee-assigned: s-041
            Sam Lee (s-041) is in two cohorts, c03 and c07, not exactly one; the
            handbook says "Mentor Pairs are assigned to the cohort of 12-15 ..."

and an MD/PhD student missing from ``md-phd``::

    error   every-mentee-assigned: s-007
            Andrés Shah (s-007) is not in md-phd (MD/PhD Peer Mentoring), which
            covers every MD/PhD mentee; the handbook says "..."
"""

from __future__ import annotations

from collections.abc import Iterator

from mentorrules.program.models import Overlay, RuleOptions, RuleSpec, Selector
from mentorrules.report import Finding
from mentorrules.roster.models import Person
from mentorrules.rules._structure import (
    is_phantom,
    joined,
    label,
    labels,
    noun,
    number,
    says,
)
from mentorrules.rules.base import Context, Kind, RosterEvaluator

_ROLE = {"mentor": "a mentor", "mentee": "a mentee", "faculty": "a faculty member",
         "staff": "a staff member"}


class Options(RuleOptions):
    pass


def describe(selector: Selector, *, many: bool = False) -> str:
    """``MD/PhD mentor``; with ``many``: ``MD/PhD mentors``."""
    roles = "/".join(selector.roles)
    who = (roles + ("s" if many else "")) if roles else ("people" if many else "person")
    return " ".join(part for part in ("/".join(selector.levels), "/".join(selector.tracks), who)
                    if part)


class Membership(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.context = spec, context

    def findings(self) -> Iterator[Finding]:
        for person in self.context.roster.people.values():
            if person.role == "mentee":
                yield from self._regular(person)
        for overlay in self.context.program.overlays:
            yield from self._overlay(overlay)

    def _regular(self, person: Person) -> Iterator[Finding]:
        program, units = self.context.program, self.context.roster.units
        named = [units[u] for u in dict.fromkeys(person.units)
                 if u in units and u not in program.overlay_ids]
        real = [unit.id for unit in named if not is_phantom(unit)]
        if len(real) == 1 or (not real and named):
            return
        who = label(person, person.id)
        if not real:
            message = f"{who} is not assigned to any {noun(program)}"
        else:
            message = (f"{who} is in {number(len(real))} {noun(program)}s, {joined(real)}, "
                       "not exactly one")
        yield self.context.finding(
            self.spec,
            subject=person.id,
            unit=real[0] if real else None,
            message=message + says(self.spec),
            evidence=(person.id,),
            details={"units": real},
        )

    def _overlay(self, overlay: Overlay) -> Iterator[Finding]:
        roster = self.context.roster
        unit = roster.units.get(overlay.id)
        ref = f"{overlay.id} ({overlay.name})" if overlay.name else overlay.id
        covered = [p.id for p in roster.people.values() if overlay.covers.selects(p)]
        if unit is None:
            if covered:
                yield self.context.finding(
                    self.spec,
                    subject=overlay.id,
                    unit=overlay.id,
                    message=f"No one is in {ref}, which covers every "
                    f"{describe(overlay.covers)}: {labels(roster, covered)} should be in it, "
                    f"with at least {number(overlay.min_mentors)} "
                    f"{describe(overlay.mentors, many=overlay.min_mentors != 1)}"
                    f"{says(self.spec)}",
                    evidence=tuple(covered),
                )
            return
        members = set(unit.members)
        for ident in covered:
            if ident not in members:
                yield self.context.finding(
                    self.spec,
                    subject=ident,
                    unit=overlay.id,
                    message=f"{label(roster.get(ident), ident)} is not in {ref}, which covers "
                    f"every {describe(overlay.covers)}{says(self.spec)}",
                    evidence=(ident,),
                )
        mentors = [i for i in unit.mentors if overlay.mentors.selects(roster.people[i])]
        if len(mentors) < overlay.min_mentors:
            yield self.context.finding(
                self.spec,
                subject=overlay.id,
                unit=overlay.id,
                message=f"{ref} has {number(len(mentors))} "
                f"{describe(overlay.mentors, many=len(mentors) != 1)}, fewer than the "
                f"{number(overlay.min_mentors)} it needs{says(self.spec)}",
                evidence=tuple(mentors),
                details={"min_mentors": overlay.min_mentors, "found": len(mentors)},
            )
        for ident in unit.members:
            person = roster.people[ident]
            if overlay.mentors.selects(person) or overlay.covers.selects(person):
                continue
            track = f"on the {person.track} track" if person.track else "with no track"
            yield self.context.finding(
                self.spec,
                subject=ident,
                unit=overlay.id,
                message=f"{label(person, ident)}, {_ROLE[person.role]} {track}, is in {ref}, "
                "which is for "
                f"{describe(overlay.mentors, many=True)} and "
                f"{describe(overlay.covers, many=True)} only{says(self.spec)}",
                evidence=(ident,),
            )


def _bind(spec: RuleSpec, options: Options, context: Context) -> Membership:
    return Membership(spec, options, context)


KIND = Kind(name="membership", options=Options, doc=__doc__ or "", binder=_bind)
