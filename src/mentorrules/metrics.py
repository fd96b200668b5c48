"""Program metrics from the activity log (filled in by the activity work)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mentorrules.activity.models import Event
from mentorrules.report import Finding
from mentorrules.rules.base import Context


class MetricsCollector:
    """Watches messages and meetings; ``result`` gives the metrics table."""

    wants: frozenset[str] = frozenset({"message", "meeting"})

    def __init__(self, context: Context) -> None:
        self.context = context
        self.events = 0

    def feed(self, event: Event) -> None:
        self.events += 1

    def result(self, findings: Sequence[Finding]) -> dict[str, Any]:
        return {"events": self.events}
