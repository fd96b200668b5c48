"""peer-hours: each mentor gives at least ``hours`` hours of mentoring per term.

A rule kind from a third-party package, used by the plug-in tests: it is
registered through the ``mentorrules.rules`` entry-point group exactly as the
built-in kinds are. The package also registers a program, ``peerschool``, under
``mentorrules.programs``.

Example::

    rules:
      - id: twenty-hours
        kind: peer-hours
        hours: 20
        channels: [in_person, video]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import Field

from mentorrules.program.models import Program, RuleOptions, RuleSpec
from mentorrules.rules.base import Context, Kind, RosterEvaluator


class Options(RuleOptions):
    hours: int = Field(ge=1, description="Hours of mentoring per term")
    channels: tuple[str, ...] = Field(default=(), description="Channels that count (all if empty)")


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    for i, channel in enumerate(options.channels):
        if channel not in program.channels:
            yield f"channels[{i}]", f"unknown channel {channel!r}"


class _Evaluator(RosterEvaluator):
    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec = spec
        self.options = options

    def findings(self) -> Iterable[Any]:
        return ()


KIND = Kind(
    name="peer-hours",
    options=Options,
    doc=__doc__ or "",
    binder=_Evaluator,
    check_references=_references,
)

NOT_A_KIND = object()

PROGRAM = Path(__file__).with_name("peerschool.yaml")
