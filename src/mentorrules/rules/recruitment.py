"""recruitment: the number of mentors selected per level, for the whole program.

Counts the roster's mentors of each level named in the program's
``units.recruitment`` and compares the count with that number: exactly
(``exact: true``, the default) or at most (``exact: false``).

Who counts: people with role ``mentor`` and that level, except mentors whose
units are all overlay units (UMMS's "additional MD/PhD Peer Mentors" are extra
to the 26 pairs). A mentor with no unit yet still counts as recruited;
``referential-integrity`` says that they have no unit.

A program without ``units.recruitment`` numbers gets no findings from this
rule. One finding per level whose count is off. The subject is the program id (the
count is program-wide), ``unit`` is empty, ``evidence`` lists the mentors
counted, and ``details`` holds ``level``, ``expected`` and ``found``.

Options:

* ``exact`` (default ``true``): the count must equal the number; ``false``
  allows fewer (a program still recruiting), never more.

Example::

    units:
      recruitment: {M3: 26, M4: 26}
    rules:
      - id: recruit-26-per-year
        kind: recruitment
        source: >-
          26 students from each year are selected based on their understanding
          of mentoring qualities, prior experiences, dedication, and professionalism.

Passing: 26 M3 and 26 M4 mentors in cohorts (any number of MD/PhD mentors in
``md-phd`` only). Failing: a roster with 27 M3 mentors gives::

    error   recruit-26-per-year: umms
            27 M3 mentors are on the roster, not 26; the handbook says "26 students
            from each year are selected ..."
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding
from mentorrules.rules._structure import overlay_only, plural, says
from mentorrules.rules.base import Context, Kind, RosterEvaluator


class Options(RuleOptions):
    exact: bool = Field(default=True, description="Exactly the number (else at most)")


class Recruitment(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.options, self.context = spec, options, context

    def findings(self) -> Iterator[Finding]:
        program = self.context.program
        wanted = program.units.recruitment
        found: dict[str, list[str]] = {level: [] for level in wanted}
        for person in self.context.roster.people.values():
            if (person.role == "mentor" and person.level in found
                    and not overlay_only(person, program)):
                found[person.level].append(person.id)
        for level, expected in wanted.items():
            ids = found[level]
            if len(ids) == expected or (len(ids) < expected and not self.options.exact):
                continue
            off = "more than" if len(ids) > expected and not self.options.exact else "not"
            yield self.context.finding(
                self.spec,
                subject=program.id,
                message=f"{plural(len(ids), f'{level} mentor') if ids else f'No {level} mentors'}"
                f" {'is' if len(ids) == 1 else 'are'} on the roster, {off} {expected}"
                f"{says(self.spec)}",
                evidence=tuple(ids),
                details={"level": level, "expected": expected, "found": len(ids)},
            )


def _bind(spec: RuleSpec, options: Options, context: Context) -> Recruitment:
    return Recruitment(spec, options, context)


KIND = Kind(name="recruitment", options=Options, doc=__doc__ or "", binder=_bind)
