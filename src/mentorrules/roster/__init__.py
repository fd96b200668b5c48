"""People and units: the roster model and its readers."""

from __future__ import annotations

from mentorrules.roster.models import Person, Roster, Unit
from mentorrules.roster.readers import read_roster

__all__ = ["Person", "Roster", "Unit", "read_roster"]
