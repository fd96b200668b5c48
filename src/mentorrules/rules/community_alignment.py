"""community-alignment: a unit's faculty and mentors share one learning community.

For every regular unit, the people named by ``who`` (by default its faculty
and its mentors) must all have the same ``community`` on the roster. Where the
source says "typically", give the rule ``severity: warning``: a mismatch is
then worth a look, not an error.

Findings, one per unit at most of each sort:

* people of the unit in more than one community: the rule's severity. The
  message says who is in which community, the faculty mentor's community first
  (the cohort "belongs to the Faculty Mentor"), else the most common one;
  ``evidence`` lists everyone compared; ``details.communities`` maps each
  community to its people.
* people of the unit with no community on the roster: ``info`` (the check
  cannot be made for them; it is missing data, not a broken rule). When no one
  compared in any unit has a community, a single ``info`` finding about the
  program says so instead of one per unit.

When the program declares its ``communities``, a community it does not
declare (a typo such as ``Brich``) is ``referential-integrity``'s finding, and
that person is left out of the comparison here. Unit ids only one row names
are left to ``referential-integrity`` too.

Options:

* ``who`` (default ``[faculty, mentors]``): which members must share the
  community; any of ``faculty``, ``mentors``, ``mentees``.

Example::

    rules:
      - id: same-learning-community
        kind: community-alignment
        severity: warning   # "typically"
        source: >-
          Each Pair is assigned to a single Faculty Mentor, typically within the
          same Learning Community.
        who: [faculty, mentors]

Passing: ``f-04``, ``m3-04`` and ``m4-04`` all have ``community: Birch``
(mentees may be anywhere unless ``who`` names them).
Failing: cohort ``c04``'s faculty mentor is in Birch, its pair in Cedar::

    warning same-learning-community: c04
            Cohort c04 is not within one learning community: Dr Ada Obi (f-04)
            is in Birch, while Priya Natarajan (m3-04) and Tomás Ruiz (m4-04) are
            in Cedar; the handbook says "... typically within the same Learning
            Community."
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from mentorrules.program.models import RuleOptions, RuleSpec
from mentorrules.report import Finding
from mentorrules.roster.models import Unit
from mentorrules.rules._structure import joined, labels, noun, regular_units, says, title
from mentorrules.rules.base import Context, Kind, RosterEvaluator

Who = Literal["faculty", "mentors", "mentees"]


class Options(RuleOptions):
    who: tuple[Who, ...] = Field(
        default=("faculty", "mentors"),
        description="Which members of a unit must share a learning community",
    )

    @field_validator("who")
    @classmethod
    def _someone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # A validator, not min_length: pydantic would also report a bad item as "too short".
        if not value:
            raise ValueError("name at least one of faculty, mentors, mentees")
        return value


class CommunityAlignment(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec, self.options, self.context = spec, options, context

    def _compared(self, unit: Unit) -> tuple[str, ...]:
        ids: list[str] = []
        for who in ("faculty", "mentors", "mentees"):
            if who in self.options.who:
                ids.extend(getattr(unit, who))
        return tuple(ids)

    def findings(self) -> Iterator[Finding]:
        program, roster = self.context.program, self.context.roster
        units = [(unit, self._compared(unit)) for unit in regular_units(self.context)]
        if not any(roster.people[i].community for _, ids in units for i in ids):
            if any(ids for _, ids in units):
                yield self.context.finding(
                    self.spec,
                    severity="info",
                    subject=program.id,
                    message="The roster gives no learning community for the "
                    f"{joined(list(self.options.who))} of any {noun(program)}, so whether they "
                    "share one is not checked; fill in the community column to check it",
                )
            return
        for unit, ids in units:
            yield from self._unit(unit, ids)

    def _unit(self, unit: Unit, ids: tuple[str, ...]) -> Iterator[Finding]:
        program, roster = self.context.program, self.context.roster
        declared = program.communities
        groups: dict[str, list[str]] = {}
        unknown: list[str] = []
        for ident in ids:
            community = roster.people[ident].community
            if not community:
                unknown.append(ident)
            elif not declared or community in declared:
                groups.setdefault(community, []).append(ident)
            # else: a community the program does not define; referential-integrity says so
        if len(groups) > 1:
            first = self._reference(unit, groups)
            order = [first, *(c for c in groups if c != first)]
            parts = [f"{labels(roster, groups[c])} {'is' if len(groups[c]) == 1 else 'are'} in {c}"
                     for c in order]
            yield self.context.finding(
                self.spec,
                subject=unit.id,
                unit=unit.id,
                message=f"{title(program, unit.id)} is not within one learning community: "
                f"{parts[0]}, while {joined(parts[1:])}{says(self.spec)}",
                evidence=tuple(i for c in order for i in groups[c]),
                details={"communities": {c: groups[c] for c in order}},
            )
        if unknown:
            yield self.context.finding(
                self.spec,
                severity="info",
                subject=unit.id,
                unit=unit.id,
                message=f"The learning community of {labels(roster, unknown)} is not on the "
                f"roster, so {noun(program)} {unit.id} "
                "cannot be checked for one learning community; fill in the community column",
                evidence=tuple(unknown),
            )

    def _reference(self, unit: Unit, groups: dict[str, list[str]]) -> str:
        """The unit's own community: its faculty mentor's, else the most common."""
        if "faculty" in self.options.who:
            communities = {c for c, ids in groups.items() if any(i in unit.faculty for i in ids)}
            if len(communities) == 1:
                return communities.pop()
        best = max(len(ids) for ids in groups.values())
        return next(c for c, ids in groups.items() if len(ids) == best)


def _bind(spec: RuleSpec, options: Options, context: Context) -> CommunityAlignment:
    return CommunityAlignment(spec, options, context)


KIND = Kind(name="community-alignment", options=Options, doc=__doc__ or "", binder=_bind)
