"""meeting-cadence: at least ``min`` meetings per ``per`` period, per mentee or per unit.

A meeting is an event of type ``meeting`` on one of ``channels`` (default: in
person or video) whose format is one of ``formats`` (``group`` or
``individual``; derived from the attendees when the row leaves it empty).
With ``subject: mentee`` every mentee must attend such a meeting with a mentor
of their unit; with ``subject: unit`` the unit must hold such a meeting with at
least ``min_mentees`` of its mentees.

Examples::

    # UMMS: "Meet with mentees in person or via video call at least once per semester."
    - id: semester-meeting
      kind: meeting-cadence
      per: term
      channels: [in_person, video]
      formats: [group, individual]

    # MedMentors: "22 small-group encounters per month"
    - id: monthly-small-group
      kind: meeting-cadence
      per: month
      subject: unit
      formats: [group]
      min_mentees: 2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from mentorrules.program.models import Program
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind
from mentorrules.rules.options import CadenceOptions, cadence_references


class Options(CadenceOptions):
    per: Literal["week", "month", "term", "year"] = "term"
    channels: tuple[str, ...] = ("in_person", "video")
    formats: tuple[Literal["group", "individual"], ...] = ("group", "individual")
    subject: Literal["mentee", "unit"] = Field(
        default="mentee", description="mentee: every mentee attends; unit: the unit meets"
    )
    min_mentees: int = Field(default=1, ge=1, description="Mentees present, for subject: unit")


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from cadence_references(options, program)


KIND = Kind(
    name="meeting-cadence",
    options=Options,
    doc=__doc__ or "",
    binder=not_yet,
    check_references=_references,
)
