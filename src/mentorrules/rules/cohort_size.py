"""cohort-size: each regular unit holds ``min``-``max`` mentees of the right levels.

The program's ``units.mentees`` gives the bounds and the levels of a unit's
mentees (UMMS: 12-15 mentees, M1 or M2; MedMentors: 6-8, M1). Findings:

* a regular unit with fewer than ``min`` or more than ``max`` mentees: subject
  the unit, ``evidence`` its mentees, ``details`` ``min``, ``max`` and ``found``;
* a mentee of a regular unit whose level is not one of ``levels`` (or who has
  no level): subject the mentee, ``unit`` the unit. A level the program does
  not define at all (a typo such as ``M5``) is reported by
  ``referential-integrity`` instead.

Mentees of overlay units (e.g. ``md-phd``) are not counted: they belong to a
regular unit too. Unit ids only one row names are left to
``referential-integrity``.

No options.

Example::

    units:
      mentees: {levels: [M1, M2], min: 12, max: 15}
    rules:
      - id: cohort-12-15
        kind: cohort-size
        source: >-
          Mentor Pairs are assigned to the cohort of 12-15 first- and second-year
          students belonging to the Faculty Mentor.

Passing: cohort ``c07`` has 12 to 15 mentees, each M1 or M2 (MD/PhD students
of ``c07`` count once, for ``c07``). Failing: cohort ``c07`` has 11 mentees::

    error   cohort-12-15: c07
            Cohort c07 has 11 mentees, fewer than 12; the handbook says "Mentor
            Pairs are assigned to the cohort of 12-15 first- and second-year
            students belonging to the Faculty Mentor."
"""

from __future__ import annotations

from collections.abc import Iterator

from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding
from mentorrules.rules._structure import joined, label, noun, plural, regular_units, says, title
from mentorrules.rules.base import Context, Kind, RosterEvaluator


class Options(RuleOptions):
    pass


class CohortSize(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.context = spec, context

    def findings(self) -> Iterator[Finding]:
        program, roster = self.context.program, self.context.roster
        bounds = program.units.mentees
        known_levels = set(program.level_ids)
        for unit in regular_units(self.context):
            n = len(unit.mentees)
            if n < bounds.min or n > bounds.max:
                off = f"fewer than {bounds.min}" if n < bounds.min else f"more than {bounds.max}"
                yield self.context.finding(
                    self.spec,
                    subject=unit.id,
                    unit=unit.id,
                    message=f"{title(program, unit.id)} has "
                    f"{plural(n, 'mentee') if n else 'no mentees'}, {off}{says(self.spec)}",
                    evidence=unit.mentees,
                    details={"min": bounds.min, "max": bounds.max, "found": n},
                )
            for ident in unit.mentees:
                level = roster.people[ident].level
                if level in bounds.levels or (level and level not in known_levels):
                    continue
                where = f"a mentee of {noun(program)} {unit.id},"
                what = f"is at level {level}" if level else "has no level"
                yield self.context.finding(
                    self.spec,
                    subject=ident,
                    unit=unit.id,
                    message=f"{label(roster.get(ident), ident)}, {where} {what}; a "
                    f"{noun(program)} holds {joined(list(bounds.levels), 'or')} mentees"
                    f"{says(self.spec)}",
                    evidence=(ident,),
                    details={"level": level, "levels": list(bounds.levels)},
                )


def _bind(spec: RuleSpec, options: Options, context: Context) -> CohortSize:
    return CohortSize(spec, options, context)


KIND = Kind(name="cohort-size", options=Options, doc=__doc__ or "", binder=_bind)
