"""absence-notice: a mentor's absence is announced to the other mentor(s) of the unit.

An ``absence`` event (``at`` = when the notice went out; ``start``/``end`` = the
absence; ``from`` = the mentor; ``to`` = who was told) must name every other
mentor of each of the mentor's regular units, and be sent before the absence
starts (at least ``min_notice`` before, when set). Telling the mentees is
encouraged: when ``mentees`` is not ``ignore``, a finding of that severity
notes an absence no mentee was told of.

The absence does not remove any duty: during a notified absence the partner's
answers count for reply windows and cadences.

Example (UMMS: "... are required to notify the other Mentor in their Pair and
are encouraged to notify their mentees as well")::

    - id: absence-notice
      kind: absence-notice
      mentees: info
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.program.models import RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind


class Options(RuleOptions):
    min_notice: Duration | None = Field(
        default=None, description="Notice must go out at least this long before the start"
    )
    mentees: Literal["ignore", "info", "warning", "error"] = Field(
        default="info", description="Severity when no mentee was told (encouraged, not required)"
    )


KIND = Kind(name="absence-notice", options=Options, doc=__doc__ or "", binder=not_yet)
