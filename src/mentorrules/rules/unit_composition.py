"""unit-composition: each regular unit has the mentors the program asks for, by level.

The program's ``units.mentors`` says how many mentors of each level one unit
has (UMMS: ``{M3: 1, M4: 1}``, a Mentor Pair; MedMentors: ``{M2: 1}``). Every
regular unit must have exactly that many of each level, and no mentor of any
other level (a mentor with no level counts as another level).

One finding per unit whose mentors differ: the subject is the unit, the
message names every mentor of the unit with their level, and ``evidence``
lists them. Left to ``referential-integrity``: units with no mentor at all,
and unit ids only one row names (likely typos). Overlay units are checked by
``membership``.

No options.

Example::

    units:
      mentors: {M3: 1, M4: 1}
    rules:
      - id: pair-composition
        kind: unit-composition
        source: Mentor Pairs, consisting of one third- and one fourth-year Peer Mentor, are formed.

Passing: cohort ``c03`` has mentors ``m3-03`` (M3) and ``m4-03`` (M4).
Failing: cohort ``c03`` has ``m3-03`` (M3) and ``m3-17`` (M3)::

    error   pair-composition: c03
            Cohort c03's mentors are Priya Natarajan (m3-03, M3) and Tomás Ruiz
            (m3-17, M3), not one M3 and one M4 mentor; the handbook says "Mentor
            Pairs, consisting of one third- and one fourth-year Peer Mentor, are formed."
"""

from __future__ import annotations

from collections.abc import Iterator

from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding
from mentorrules.rules._structure import (
    counts_by_level,
    labels,
    level_phrase,
    regular_units,
    says,
    title,
)
from mentorrules.rules.base import Context, Kind, RosterEvaluator


class Options(RuleOptions):
    pass


class UnitComposition(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.context = spec, context

    def findings(self) -> Iterator[Finding]:
        program, roster = self.context.program, self.context.roster
        expected = {level: n for level, n in program.units.mentors.items() if n}
        for unit in regular_units(self.context):
            if not unit.mentors:
                continue  # referential-integrity: a unit with no mentor
            by_level = counts_by_level(roster, unit.mentors)
            found = {level: len(ids) for level, ids in by_level.items()}
            if found == expected:
                continue
            whose = (f"{title(program, unit.id)}'s mentors are" if len(unit.mentors) > 1
                     else f"{title(program, unit.id)}'s only mentor is")
            yield self.context.finding(
                self.spec,
                subject=unit.id,
                unit=unit.id,
                message=f"{whose} {labels(roster, unit.mentors, level=True)}, "
                f"not {level_phrase(expected, 'mentor')}{says(self.spec)}",
                evidence=unit.mentors,
                details={"expected": expected, "found": found},
            )


def _bind(spec: RuleSpec, options: Options, context: Context) -> UnitComposition:
    return UnitComposition(spec, options, context)


KIND = Kind(name="unit-composition", options=Options, doc=__doc__ or "", binder=_bind)
