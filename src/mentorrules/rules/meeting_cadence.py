"""meeting-cadence: at least ``min`` meetings per ``per`` period, per mentee or per unit.

A qualifying meeting is an event of type ``meeting``

- on one of ``channels`` (default ``in_person`` and ``video``; all channels
  when set to an empty list),
- in one of ``formats`` (``group``, ``individual``). The ``format`` column
  says which; when it is empty, a meeting two or more mentees attended is a
  ``group`` meeting, otherwise ``individual`` (mentors present do not make a
  group),
- on one of ``topics``, when the rule lists topics.

Attendees are ``from`` (the organiser) plus ``to``.

``subject: mentee`` (default)
    every mentee must attend a qualifying meeting together with a mentor of
    their own (regular) unit. A finding names the mentee.
``subject: unit``
    the unit must hold a qualifying meeting that at least ``min_mentees`` of
    its mentees attend together with a mentor of the unit (a unit with fewer
    mentees than that needs all of them). A finding names the unit (both
    ``subject`` and ``unit`` are the unit id).

``duty: unit`` (default): any mentor of the unit may hold the meeting.
``duty: mentor``: each mentor of the unit must attend (a finding per mentor
who did not; a mentor on an absence they notified their partner of is
covered by the partner).

Periods, ``terms``, ``as_of`` and ``warn_before`` work as for
``contact-cadence``: calendar periods in the program's time zone, only those
overlapping a term (or the listed ``terms``), a breach only once the period
has ended by ``as_of``, ``pending``/``at_risk`` before. ``status`` gives the
current period (or the next one) per subject, due at the period's end.

Options: ``per`` (default ``term``), ``min`` (default 1), ``channels``,
``formats``, ``topics``, ``terms``, ``subject``, ``min_mentees`` (default 1),
``duty``, ``warn_before`` (default ``7d``).

Examples::

    # UMMS: "Meet with mentees in person or via video call at least once per
    # semester. Meetings may be held with groups of mentees or individual mentees."
    - id: semester-meeting
      kind: meeting-cadence
      per: term
      min: 1
      subject: mentee
      channels: [in_person, video]
      formats: [group, individual]
      warn_before: 21d

    # MedMentors: "22 small-group encounters per month" - one per group a month.
    - id: monthly-small-group
      kind: meeting-cadence
      per: month
      subject: unit
      formats: [group]
      channels: [in_person, video]
      min_mentees: 2

A phone call with ``s-01`` does not meet ``semester-meeting``; a video call
of ``p-a`` with ``s-01`` and ``s-02`` meets it for both mentees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from mentorrules.activity.models import Event
from mentorrules.periods import Period
from mentorrules.program.models import Program, RuleSpec
from mentorrules.rules._activity import (
    CadenceEvaluator,
    Key,
    channels_phrase,
    contacts,
    credit_table,
    listing,
    meeting_credits,
    meeting_format,
    per_phrase,
)
from mentorrules.rules.base import Context, Evaluator, Kind, why
from mentorrules.rules.options import CadenceOptions, cadence_references


class Options(CadenceOptions):
    per: Literal["week", "month", "term", "year"] = "term"
    channels: tuple[str, ...] = ("in_person", "video")
    formats: tuple[Literal["group", "individual"], ...] = ("group", "individual")
    subject: Literal["mentee", "unit"] = Field(
        default="mentee", description="mentee: every mentee attends; unit: the unit meets"
    )
    min_mentees: int = Field(default=1, ge=1, description="Mentees present, for subject: unit")


class MeetingCadence(CadenceEvaluator):
    """Counts qualifying meetings per mentee or per unit (and mentor) and period."""

    wants = frozenset({"meeting"})
    options: Options

    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.per_unit = options.subject == "unit"
        self.formats = frozenset(options.formats)
        super().__init__(spec, options, context)
        # subject: mentee - the mentees present with a mentor of theirs present
        self._table = None if self.per_unit else credit_table(self.index,
                                                               by_mentor=self.by_mentor)

    def subjects(self) -> Iterator[Key]:
        for unit in self.context.roster.regular_units():
            if self.per_unit:
                if not unit.mentees:
                    continue
                heads = [unit.id]
            else:
                heads = list(unit.mentees)
            for head in heads:
                if self.by_mentor:
                    for mentor in unit.mentors:
                        yield (head, unit.id, mentor)
                else:
                    yield (head, unit.id, "")

    def credits(self, event: Event) -> set[Key]:
        if meeting_format(self.index, event) not in self.formats:
            return set()
        if self._table is not None:
            return meeting_credits(self._table, event)
        met = contacts(self.index, event)
        mentees: dict[str, set[str]] = {}
        mentors: dict[str, set[str]] = {}
        for unit, mentee, mentor in met:
            mentees.setdefault(unit, set()).add(mentee)
            mentors.setdefault(unit, set()).add(mentor)
        keys: set[Key] = set()
        for unit, present in mentees.items():
            size = len(self.index.mentees_of_unit.get(unit, ()))
            if len(present) < min(self.options.min_mentees, size):
                continue
            if self.by_mentor:
                keys.update((unit, unit, mentor) for mentor in mentors[unit])
            else:
                keys.add((unit, unit, ""))
        return keys

    def _what(self) -> str:
        formats = listing(sorted(self.formats)).replace(" and ", " or ")
        words = f"{formats} meeting"
        if self.channels is not None:
            words += f" ({channels_phrase(self.options.channels)})"
        if self.topics is not None:
            words += f" on {listing(sorted(self.topics))}"
        return words

    def _with(self, key: Key) -> str:
        name = self.context.program.units.name
        if key[2]:
            return key[2]
        mentors = self.mentors(key)
        names = f" ({', '.join(mentors)})" if mentors else " (it has no mentor)"
        return f"a mentor of {name} {key[1]}{names}"

    def shortfall(self, key: Key, period: Period, count: int) -> str:
        need = f"at least {self.need} {per_phrase(self.options.per)} is required{why(self.spec)}"
        got = "no" if count == 0 else f"only {count}"
        plural = "s" if count > 1 else ""
        if self.per_unit:
            size = len(self.index.mentees_of_unit.get(key[1], ()))
            quorum = min(self.options.min_mentees, size)
            who = f" with {key[2]}" if key[2] else ""
            return (f"{self.context.program.units.name} {key[1]} held {got} {self._what()}"
                    f"{plural}{who} attended by at least {quorum} of its mentees in "
                    f"{period.label}; {need}")
        return (f"{key[0]} had {got} {self._what()}{plural} with {self._with(key)} in "
                f"{period.label}; {need}")

    def reminder(self, key: Key, period: Period, count: int) -> str:
        who = key[0] if not self.per_unit else f"the mentees of {key[1]}"
        if count >= self.need:
            return f"{self._what()} with {who} done for {period.label} ({count})"
        return (f"{self._what()} with {who} due by the end of {period.label} "
                f"({count} of {self.need} so far)")


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from cadence_references(options, program)


def bind(spec: RuleSpec, options: Options, context: Context) -> Evaluator:
    return MeetingCadence(spec, options, context)


KIND = Kind(
    name="meeting-cadence",
    options=Options,
    doc=__doc__ or "",
    binder=bind,
    check_references=_references,
)
