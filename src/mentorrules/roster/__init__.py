"""People and units: the roster model and its readers."""

from __future__ import annotations

from mentorrules.roster.models import Person, Roster, Unit

__all__ = ["Person", "Roster", "Unit"]
