"""The activity log: events and their readers."""

from __future__ import annotations

from mentorrules.activity.models import EVENT_TYPES, Event

__all__ = ["EVENT_TYPES", "Event"]
