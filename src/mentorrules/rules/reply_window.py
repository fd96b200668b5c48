"""reply-window: a mentee's message on one of ``channels`` is answered ``within`` a time.

The window is elapsed time: 24h is 24 real hours, also across a daylight-saving
change. An answer is a message from a mentor of the unit with ``reply_to``
naming the mentee's message, or else the first contact from a mentor of the
unit to that mentee after it (any channel). A late answer is a breach that says
how late; an unanswered message is ``pending`` until its deadline passes
(``at_risk`` within ``warn_before`` of it), then a breach.

With ``duty: unit`` (the default) either mentor of the pair may answer. With
``duty: mentor`` the addressed mentor must answer, except while they are on a
notified absence, when their partner's answer counts.

Example (UMMS)::

    - id: reply-texts-calls
      kind: reply-window
      source: Texts and phone calls must be responded to within 24 hours.
      channels: [text, phone]
      within: 24h
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Literal

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.program.models import Program, RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind
from mentorrules.rules.options import Duty, unknown


class Options(RuleOptions):
    channels: tuple[str, ...] = Field(min_length=1, description="Channels the window applies to")
    within: Duration = Field(description="Elapsed time allowed for the answer")
    duty: Duty = "unit"
    units: Literal["regular", "all"] = Field(
        default="all", description="all: overlay mentors (e.g. MD/PhD) must answer too"
    )
    warn_before: Duration | None = Field(
        default=timedelta(hours=4), description="Lead time before the deadline for at_risk"
    )


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("channels", options.channels, program.channels, "channel")


KIND = Kind(
    name="reply-window",
    options=Options,
    doc=__doc__ or "",
    binder=not_yet,
    check_references=_references,
)
