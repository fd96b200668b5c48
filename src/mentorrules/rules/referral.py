"""referral: a concern outside a peer mentor's scope is referred on, in time.

A ``message`` or ``meeting`` whose ``topic`` is one of the program's referral
topics raises a concern about the mentee involved. A mentor of the mentee's
unit must then log a ``referral`` event with that ``topic``, to one of the
topic's allowed targets (a target id, or a person the target resolves to: the
unit's faculty mentor, or anyone with the target's role), within the topic's
``within`` window. ``topics`` limits the rule to some topics (all by default).

Example (UMMS: "... scenarios that should be referred to faculty/administrators
instead of Peer Mentors")::

    referrals:
      targets:
        - {id: faculty-mentor, unit_role: faculty}
        - {id: administrator, role: staff}
      topics:
        - {id: mental-health-crisis, targets: [faculty-mentor, administrator], within: 24h}
    rules:
      - id: refer-out-of-scope
        kind: referral
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.program.models import Program, RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind
from mentorrules.rules.options import unknown


class Options(RuleOptions):
    topics: tuple[str, ...] = Field(default=(), description="Referral topic ids (all if empty)")
    warn_before: Duration | None = None


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("topics", options.topics, (t.id for t in program.referrals.topics), "topic")


KIND = Kind(
    name="referral",
    options=Options,
    doc=__doc__ or "",
    binder=not_yet,
    check_references=_references,
)
