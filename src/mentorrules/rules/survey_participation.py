"""survey-participation: everyone asked completes the program's surveys and focus groups.

Participation is an event of type ``survey`` from the person whose ``topic`` is
the survey's id, between the survey's ``opens`` and ``due`` days. Surveys are
declared in the program's ``surveys`` section; ``surveys`` limits the rule to
some of them (all required ones by default).
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
    surveys: tuple[str, ...] = Field(default=(), description="Survey ids (all if empty)")
    warn_before: Duration | None = timedelta(days=3)


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("surveys", options.surveys, (s.id for s in program.surveys), "survey")


KIND = Kind(
    name="survey-participation",
    options=Options,
    doc=__doc__ or "",
    binder=not_yet,
    check_references=_references,
)
