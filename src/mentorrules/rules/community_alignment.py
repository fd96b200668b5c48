"""community-alignment: a unit's faculty and mentors share a learning community."""

from __future__ import annotations

from pydantic import Field

from mentorrules.program.models import RuleOptions
from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind


class Options(RuleOptions):
    who: tuple[str, ...] = Field(default=("faculty", "mentors"))


KIND = Kind(name="community-alignment", options=Options, doc=__doc__ or "", binder=not_yet)
