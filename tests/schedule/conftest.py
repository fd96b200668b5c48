"""Fixtures for the planning tests: the built-in programs and small rosters from tests/data/ical."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mentorrules.program.loader import load_program
from mentorrules.program.models import Program
from mentorrules.roster.models import Person, Roster

DATA = Path(__file__).parent.parent / "data" / "ical"


def read_roster(path: Path, program: Program) -> Roster:
    """A roster CSV (SPEC section 4) read with the csv module alone."""
    with path.open(newline="", encoding="utf-8") as handle:
        people = [
            Person(
                id=row["id"], name=row["name"], role=row["role"], level=row["level"],
                community=row["community"], track=row["track"],
                units=tuple(u for u in row["units"].split(";") if u), email=row["email"],
            )
            for row in csv.DictReader(handle)
        ]
    return Roster.build(people, overlay_ids=program.overlay_ids, source=path.name)


@pytest.fixture(scope="session")
def umms() -> Program:
    return load_program("umms")


@pytest.fixture(scope="session")
def medmentors() -> Program:
    return load_program("medmentors")


@pytest.fixture(scope="session")
def umms_roster(umms: Program) -> Roster:
    return read_roster(DATA / "umms-roster.csv", umms)


@pytest.fixture(scope="session")
def medmentors_roster(medmentors: Program) -> Roster:
    return read_roster(DATA / "medmentors-roster.csv", medmentors)
