"""faculty-per-unit: the number of faculty mentors in each regular unit."""

from __future__ import annotations

from mentorrules.program.models import RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind


class Options(RuleOptions):
    pass


KIND = Kind(name="faculty-per-unit", options=Options, doc=__doc__ or "", binder=not_yet)
