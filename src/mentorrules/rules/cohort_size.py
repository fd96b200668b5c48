"""cohort-size: each unit's mentees are within bounds and of the right levels."""

from __future__ import annotations

from mentorrules.program.models import RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind


class Options(RuleOptions):
    pass


KIND = Kind(name="cohort-size", options=Options, doc=__doc__ or "", binder=not_yet)
