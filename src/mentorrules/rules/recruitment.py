"""recruitment: the number of mentors selected per level.

Counts the mentors of each level in the roster (role ``mentor``, in at least one
regular unit) against ``units.recruitment`` of the program.
"""

from __future__ import annotations

from pydantic import Field

from mentorrules.program.models import RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind


class Options(RuleOptions):
    exact: bool = Field(default=True, description="Exactly the number (else at most)")


KIND = Kind(name="recruitment", options=Options, doc=__doc__ or "", binder=not_yet)
