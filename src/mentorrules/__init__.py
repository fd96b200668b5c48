"""mentorrules: the rules of a student peer-mentoring program, as code.

One YAML file declares a program; this facade loads it and checks rosters and
activity logs against it, says what is due next, and exports calendars::

    import mentorrules as mr

    program = mr.load_program("umms")                 # a name, a path or YAML text
    roster = mr.read_roster("roster.csv", program)    # a path, a file, or dicts
    events = mr.read_events("events.csv", program)
    report = mr.check(program, roster, events, as_of="2026-03-01T09:00")
    print(report.summary, report.findings[:3])
    status = mr.status(program, roster, events, as_of="2026-03-01T09:00")

    monitor = mr.Monitor(program, roster)             # an app keeps it and feeds it
    monitor.feed({"id": "e1", "type": "message", ...})
    monitor.status_of("m3-07")                        # one mentor's obligations

Everything returned is immutable and serialises to JSON (``model_dump_json()``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from mentorrules.activity.models import Event
from mentorrules.activity.readers import EventLog, read_events
from mentorrules.engine import Monitor
from mentorrules.errors import (
    InputError,
    LimitExceededError,
    MentorRulesError,
    ProgramError,
    ProgramLimitError,
    RowError,
    UnknownProgramError,
    UnknownRuleKindError,
    UsageError,
)
from mentorrules.program.loader import ProgramSource, load_program, load_program_text
from mentorrules.program.models import Program, RuleSpec
from mentorrules.program.yamlread import Limits
from mentorrules.report import Finding, Obligation, Report, Status
from mentorrules.roster.models import Person, Roster, Unit
from mentorrules.roster.readers import read_roster
from mentorrules.tabular import DEFAULT_READ_LIMITS, ReadLimits, Source

__version__ = "0.1.0"

__all__ = [
    "Event",
    "EventLog",
    "Finding",
    "InputError",
    "LimitExceededError",
    "Limits",
    "MentorRulesError",
    "Monitor",
    "Obligation",
    "Person",
    "Program",
    "ProgramError",
    "ProgramLimitError",
    "ReadLimits",
    "Report",
    "Roster",
    "RowError",
    "RuleSpec",
    "Status",
    "Unit",
    "UnknownProgramError",
    "UnknownRuleKindError",
    "UsageError",
    "__version__",
    "calendar",
    "check",
    "load_program",
    "load_program_text",
    "read_events",
    "read_roster",
    "status",
]

RosterSource = Roster | Source
EventSource = EventLog | Source | Iterable[Event]


def _inputs(program: ProgramSource, roster: RosterSource, events: EventSource | None,
            strict: bool, limits: ReadLimits) -> tuple[Program, Roster, EventLog | None]:
    prog = load_program(program)
    ros = read_roster(roster, prog, strict=strict, limits=limits)
    log = None if events is None else read_events(events, prog, strict=strict, limits=limits)
    return prog, ros, log


def check(
    program: ProgramSource,
    roster: RosterSource,
    events: EventSource | None = None,
    *,
    as_of: datetime | str | None = None,
    metrics: bool = True,
    strict: bool = False,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> Report:
    """Check a roster (and an activity log, if given) against a program's rules.

    ``as_of`` (default: now) decides which periods are over: a period still open
    is never a breach. Naive and text times are local to the program's zone.
    ``strict`` stops at the first bad row; ``limits`` bound what the readers accept.
    """
    from mentorrules.engine import resolve_as_of, run_check

    prog, ros, log = _inputs(program, roster, events, strict, limits)
    return run_check(prog, ros, log, resolve_as_of(prog, as_of), metrics=metrics)


def status(
    program: ProgramSource,
    roster: RosterSource,
    events: EventSource | None = None,
    *,
    as_of: datetime | str | None = None,
    strict: bool = False,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> Status:
    """Every obligation's next due time and state (met, pending, at_risk, breached)."""
    from mentorrules.engine import resolve_as_of, run_status

    prog, ros, log = _inputs(program, roster, events, strict, limits)
    return run_status(prog, ros, log, resolve_as_of(prog, as_of))


def calendar(
    program: ProgramSource,
    roster: RosterSource | None = None,
    *,
    mentor: str | None = None,
    unit: str | None = None,
    events: EventSource | None = None,
    as_of: datetime | str | None = None,
    include_names: bool = False,
) -> bytes:
    """An iCalendar (RFC 5545) file of the program's schedule, for one mentor, unit or all."""
    from mentorrules.export.ical import build_calendar

    prog = load_program(program)
    ros = read_roster(roster, prog) if roster is not None else None
    current = None
    if events is not None:
        if ros is None:
            raise UsageError("deadlines from an activity log need the roster too; pass roster=")
        current = status(prog, ros, events, as_of=as_of)
    return build_calendar(prog, ros, mentor=mentor, unit=unit, status=current,
                          include_names=include_names)
