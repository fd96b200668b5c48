"""``obligations_of(person)``: exactly what filtering ``obligations()`` by mentor gives.

The Monitor answers one mentor's status from an evaluator's ``obligations_of``
when it has one; it must be the same obligations, in the same order, as the
evaluator's ``obligations()`` restricted to those naming the person among
their ``mentors`` - for every kind that offers it, with either duty.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

import mentorrules as mr
from mentorrules.engine import Engine, resolve_as_of
from mentorrules.program.models import Program
from mentorrules.roster.models import Roster

SAMPLES = Path(mr.__file__).parent / "builtin" / "samples" / "umms"
DATA = Path(__file__).parent.parent / "data" / "activity"

KINDS = {"contact-cadence", "meeting-cadence", "reply-window", "absence-notice", "referral",
         "training-attendance", "survey-participation"}


def _engine(program: Program, roster: Roster, events: Path, as_of: str) -> Engine:
    engine = Engine(program, roster, resolve_as_of(program, as_of))
    engine.run(list(mr.read_events(events, program)))
    return engine


def _cases() -> list[tuple[str, Engine]]:
    umms = mr.load_program("umms")
    umms_roster = mr.read_roster(SAMPLES / "roster.csv", umms)
    program = mr.load_program_text(dedent("""
        extends: program.yaml
        referrals:
          targets: [{id: faculty-mentor, unit_role: faculty}]
          topics: [{id: safety-concern, targets: [faculty-mentor], within: 24h}]
        rules:
          - {id: contact-unit, kind: contact-cadence, per: month}
          - {id: contact-mentor, kind: contact-cadence, per: month, duty: mentor}
          - {id: meet-mentee, kind: meeting-cadence, per: term, subject: mentee, duty: mentor}
          - {id: meet-unit, kind: meeting-cadence, per: month, subject: unit}
          - {id: reply-unit, kind: reply-window, channels: [text, phone], within: 24h}
          - {id: reply-mentor, kind: reply-window, channels: [text, email], within: 24h,
             duty: mentor}
          - {id: tell-partner, kind: absence-notice}
          - {id: refer, kind: referral}
        """), base=DATA)
    roster = mr.read_roster(DATA / "roster.csv", program)
    cases = []
    for as_of in ("2025-10-20T12:00", "2026-04-15T17:00", "2026-09-01T09:00"):
        cases.append((f"umms {as_of}", _engine(umms, umms_roster, SAMPLES / "events.csv",
                                               as_of)))
    for as_of in ("2025-10-06T09:00", "2025-11-20T12:00"):
        cases.append((f"activity {as_of}", _engine(program, roster,
                                                   DATA / "contacts-autumn.csv", as_of)))
        cases.append((f"replies {as_of}", _engine(program, roster, DATA / "reply-october.csv",
                                                  as_of)))
    absences = [
        {"id": "a1", "type": "absence", "at": "2025-11-10T09:00", "from": "p-a", "to": "p-b",
         "channel": "email", "start": "2025-11-25", "end": "2025-11-28"},
        {"id": "a2", "type": "absence", "at": "2025-11-12T09:00", "from": "p-c", "to": "s-04",
         "channel": "email", "start": "2025-11-21", "end": "2025-11-24"},
        {"id": "a3", "type": "absence", "at": "2025-11-13T09:00", "from": "p-d", "to": "p-c",
         "channel": "email", "start": "2025-11-14", "end": "2025-11-30"},
    ]
    engine = Engine(program, roster, resolve_as_of(program, "2025-11-20T12:00"))
    engine.run(list(mr.read_events(absences, program, strict=True)))
    cases.append(("absences", engine))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("name", "engine"), CASES, ids=[name for name, _ in CASES])
def test_obligations_of_is_obligations_filtered_by_mentor(name: str, engine: Engine) -> None:
    people = sorted(engine.roster.people)
    offered = set()
    for evaluator, spec in zip(engine.evaluators, engine.program.active_rules(), strict=True):
        direct = getattr(evaluator, "obligations_of", None)
        if direct is None:
            continue
        offered.add(spec.kind)
        every = list(evaluator.obligations())
        for person in people:
            want = [o for o in every if person in o.mentors]
            assert list(direct(person)) == want, (spec.id, person)
    assert offered <= KINDS
    assert offered & {"contact-cadence", "reply-window"}
