"""Option pieces shared by several rule kinds, and reference checks they share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Literal

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.program.models import Program, RuleOptions

Duty = Literal["unit", "mentor"]


class CadenceOptions(RuleOptions):
    """Options common to the cadence kinds (contacts and meetings per period)."""

    per: Literal["week", "month", "term", "year"] = Field(
        default="month", description="The calendar period each count covers"
    )
    min: int = Field(default=1, ge=1, description="At least this many per period")
    channels: tuple[str, ...] = Field(default=(), description="Channels that count (all if empty)")
    topics: tuple[str, ...] = Field(default=(), description="Only contacts on these topics count")
    terms: tuple[str, ...] = Field(default=(), description="Only periods in these terms (all if empty)")
    duty: Duty = Field(default="unit", description="unit: any mentor of the unit; mentor: each")
    warn_before: Duration | None = Field(
        default=timedelta(days=7), description="Lead time before the period ends for at_risk"
    )


def unknown(
    key: str, names: Iterable[str], known: Iterable[str], what: str
) -> Iterator[tuple[str, str]]:
    """A ``(key, problem)`` for each of ``names`` that is not in ``known``."""
    from mentorrules._suggest import did_you_mean

    pool = list(known)
    for i, name in enumerate(names):
        if name not in pool:
            yield (
                f"{key}[{i}]",
                f"unknown {what} {name!r}{did_you_mean(name, pool)}; "
                f"the program declares: {', '.join(pool) or '(none)'}",
            )


def cadence_references(options: CadenceOptions, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("channels", options.channels, program.channels, "channel")
    yield from unknown("terms", options.terms, (t.id for t in program.calendar.terms), "term")
