"""The Python facade: load, read, check and status without any files."""

from __future__ import annotations

import json

import pydantic
import pytest

import mentorrules as mr

TINY = """
id: tiny
title: Tiny program
timezone: Europe/London
calendar:
  year: 2025-2026
  terms:
    - {id: autumn, start: 2025-09-01, end: 2025-12-12}
levels: [Y1, Y2]
units:
  mentors: {Y2: 1}
  mentees: {levels: [Y1], min: 1, max: 3}
rules: []
"""

PEOPLE = [
    {"id": "m1", "name": "Ann", "role": "mentor", "level": "Y2", "units": "g1"},
    {"id": "s1", "name": "Bea", "role": "mentee", "level": "Y1", "units": ["g1"], "shoe": 38},
]
EVENTS = [
    {"id": "e2", "type": "message", "at": "2025-10-01T10:00", "from": "m1", "to": "s1",
     "channel": "text"},
    {"id": "e1", "type": "message", "at": "2025-09-30T10:00+01:00", "from": "s1", "to": ["m1"],
     "channel": "text"},
    {"id": "e3", "type": "message", "at": "2025-10-02T10:00", "from": "ghost", "to": "s1",
     "channel": "text"},
]


def test_the_facade_exports_what_it_documents() -> None:
    for name in mr.__all__:
        assert hasattr(mr, name), name


def test_a_program_loads_from_text() -> None:
    program = mr.load_program(TINY)
    assert program.id == "tiny"
    assert str(program.tz) == "Europe/London"


def test_a_roster_reads_from_plain_dicts_and_keeps_extra_columns() -> None:
    roster = mr.read_roster(PEOPLE, mr.load_program(TINY))
    assert roster.people["s1"].extra == {"shoe": "38"}
    assert roster.units["g1"].mentors == ("m1",)
    assert roster.counts.read == 2


def test_check_over_dicts_accounts_for_every_row() -> None:
    report = mr.check(TINY, PEOPLE, EVENTS, as_of="2025-12-31T12:00")
    events = report.rows["events"]
    assert (events.read, events.used, events.rejected) == (3, 2, 1)
    assert events.read == events.used + events.rejected
    (rejected,) = report.rejected
    assert rejected.id == "e3"
    assert "ghost" in rejected.reason
    assert report.notes == ("the events of <input> were not in time order; they were sorted",)


def test_reports_are_immutable_and_serialise_to_json() -> None:
    report = mr.check(TINY, PEOPLE, EVENTS, as_of="2025-12-31T12:00")
    with pytest.raises(pydantic.ValidationError):
        report.program = "other"  # type: ignore[misc]
    data = json.loads(report.model_dump_json())
    assert data["program"] == "tiny"
    assert data["summary"] == {"error": 0, "warning": 0, "info": 0}
    assert data["as_of"].startswith("2025-12-31T12:00:00")


def test_naive_as_of_is_local_to_the_program() -> None:
    report = mr.check(TINY, PEOPLE, as_of="2025-07-01T09:00")
    assert report.as_of.utcoffset() is not None
    assert report.as_of.utcoffset().total_seconds() == 3600  # British Summer Time


def test_a_one_shot_iterator_of_events_is_read_once() -> None:
    program = mr.load_program(TINY)
    log = mr.read_events(iter(EVENTS), program)
    report = mr.check(program, PEOPLE, log, as_of="2025-12-31T12:00")
    assert report.rows["events"].read == 3
    with pytest.raises(mr.UsageError, match="already read"):
        list(log)


def test_status_without_rules_has_no_obligations() -> None:
    status = mr.status(TINY, PEOPLE, EVENTS, as_of="2025-10-15T12:00")
    assert status.obligations == ()
    assert status.rows["roster"].used == 2
