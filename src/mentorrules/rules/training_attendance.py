"""training-attendance: every mentor attends the program's required trainings and workshops.

Attendance is an event of type ``training`` from the mentor whose ``topic`` is
the training's id, on or before the training's due day (by default the day of
the session). Trainings are declared in the program's ``trainings`` section;
``trainings`` limits the rule to some of them (all required ones by default).
Who must attend is the training's ``attendees`` selector.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.program.models import Program, RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind
from mentorrules.rules.options import unknown


class Options(RuleOptions):
    trainings: tuple[str, ...] = Field(default=(), description="Training ids (all if empty)")
    warn_before: Duration | None = timedelta(days=7)


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("trainings", options.trainings, (t.id for t in program.trainings), "training")


KIND = Kind(
    name="training-attendance",
    options=Options,
    doc=__doc__ or "",
    binder=not_yet,
    check_references=_references,
)
