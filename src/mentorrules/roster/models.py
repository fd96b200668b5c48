"""People and units.

A :class:`Person` is one roster row. A :class:`Roster` holds the people in file
order, the units derived from their ``units`` lists, the rows it had to reject
and its row counts. Units are not declared anywhere else: a unit exists because
people name it. Units whose id is one of the program's overlays are overlay
units; every other unit is a regular unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mentorrules.program.models import Role
from mentorrules.report import RejectedRow, RowCounts


class Person(BaseModel):
    """One person of the roster (SPEC section 4). Unknown columns land in ``extra``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    name: str = ""
    role: Role
    level: str = ""
    community: str = ""
    track: str = ""
    units: tuple[str, ...] = ()
    email: str = ""
    extra: dict[str, str] = Field(default_factory=dict)
    line: int | None = Field(default=None, description="Line of the row in its file")


@dataclass(frozen=True, slots=True)
class Unit:
    """A mentoring unit as the roster makes it: its members by role, in roster order."""

    id: str
    overlay: bool
    mentors: tuple[str, ...]
    mentees: tuple[str, ...]
    faculty: tuple[str, ...]
    staff: tuple[str, ...]

    @property
    def members(self) -> tuple[str, ...]:
        return self.mentors + self.mentees + self.faculty + self.staff


@dataclass(frozen=True)
class Roster:
    """People by id, units by id, and what reading the roster rejected."""

    people: Mapping[str, Person]
    units: Mapping[str, Unit]
    source: str = "<input>"
    counts: RowCounts = field(default_factory=RowCounts)
    rejected: tuple[RejectedRow, ...] = ()

    @classmethod
    def build(
        cls,
        people: Iterable[Person],
        *,
        overlay_ids: Iterable[str] = (),
        source: str = "<input>",
        counts: RowCounts | None = None,
        rejected: Iterable[RejectedRow] = (),
    ) -> Roster:
        """Index people (first row of a duplicated id wins; readers reject the rest)."""
        overlays = frozenset(overlay_ids)
        by_id: dict[str, Person] = {}
        for person in people:
            by_id.setdefault(person.id, person)
        members: dict[str, dict[str, list[str]]] = {}
        for person in by_id.values():
            for unit_id in dict.fromkeys(person.units):  # "c01;c01" makes one member, not two
                roles = members.setdefault(
                    unit_id, {"mentor": [], "mentee": [], "faculty": [], "staff": []}
                )
                roles[person.role].append(person.id)
        units = {
            unit_id: Unit(
                id=unit_id,
                overlay=unit_id in overlays,
                mentors=tuple(roles["mentor"]),
                mentees=tuple(roles["mentee"]),
                faculty=tuple(roles["faculty"]),
                staff=tuple(roles["staff"]),
            )
            for unit_id, roles in members.items()
        }
        n = len(by_id)
        rejected_rows = tuple(rejected)
        return cls(
            people=by_id,
            units=units,
            source=source,
            counts=counts or RowCounts(read=n + len(rejected_rows), used=n, rejected=len(rejected_rows)),
            rejected=rejected_rows,
        )

    def __len__(self) -> int:
        return len(self.people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self.people

    def get(self, person_id: str) -> Person | None:
        return self.people.get(person_id)

    def with_role(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if p.role == role]

    def regular_units(self) -> list[Unit]:
        return [u for u in self.units.values() if not u.overlay]

    def overlay_units(self) -> list[Unit]:
        return [u for u in self.units.values() if u.overlay]

    def units_of(self, person_id: str, *, overlay: bool | None = None) -> tuple[Unit, ...]:
        """The units a person belongs to (``overlay`` filters: True, False, or None for all)."""
        person = self.people.get(person_id)
        if person is None:
            return ()
        found = (self.units[u] for u in person.units if u in self.units)
        return tuple(u for u in found if overlay is None or u.overlay == overlay)

    def to_records(self) -> list[dict[str, Any]]:
        return [p.model_dump(mode="json", exclude={"line"}) for p in self.people.values()]
