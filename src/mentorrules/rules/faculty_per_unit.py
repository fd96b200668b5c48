"""faculty-per-unit: each regular unit has the program's number of faculty mentors.

The program's ``units.faculty`` says how many faculty mentors one unit has
(UMMS: 1, "each Pair is assigned to a single Faculty Mentor"). Every regular
unit must have exactly that many people with role ``faculty``. A program whose
units have no faculty (``faculty: 0``, MedMentors) gets no findings.

One finding per unit with too few or too many: the subject is the unit, the
message names the faculty it has, and ``evidence`` lists them (empty when it
has none). Unit ids only one row names are left to ``referential-integrity``.

No options.

Example::

    units:
      faculty: 1
    rules:
      - id: one-faculty-mentor
        kind: faculty-per-unit
        source: Each Pair is assigned to a single Faculty Mentor.

Passing: ``f-05,Ada Obi,faculty,,Birch,,c05`` and no other faculty row in
``c05``. Failing: cohort ``c05`` lists no faculty member::

    error   one-faculty-mentor: c05
            Cohort c05 has no faculty mentor, not one; the handbook says "Each
            Pair is assigned to a single Faculty Mentor."
"""

from __future__ import annotations

from collections.abc import Iterator

from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding
from mentorrules.rules._structure import labels, number, regular_units, says, title
from mentorrules.rules.base import Context, Kind, RosterEvaluator


class Options(RuleOptions):
    pass


class FacultyPerUnit(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.context = spec, context

    def findings(self) -> Iterator[Finding]:
        program, roster = self.context.program, self.context.roster
        expected = program.units.faculty
        if not expected:
            return
        for unit in regular_units(self.context):
            found = len(unit.faculty)
            if found == expected:
                continue
            has = ("no faculty mentor" if not found else
                   f"{number(found)} faculty mentor{'s' if found > 1 else ''}, "
                   f"{labels(roster, unit.faculty)}")
            yield self.context.finding(
                self.spec,
                subject=unit.id,
                unit=unit.id,
                message=f"{title(program, unit.id)} has {has}, not {number(expected)}"
                f"{says(self.spec)}",
                evidence=unit.faculty,
                details={"expected": expected, "found": found},
            )


def _bind(spec: RuleSpec, options: Options, context: Context) -> FacultyPerUnit:
    return FacultyPerUnit(spec, options, context)


KIND = Kind(name="faculty-per-unit", options=Options, doc=__doc__ or "", binder=_bind)
