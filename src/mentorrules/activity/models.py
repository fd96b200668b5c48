"""Events: one row of the activity log (SPEC section 4).

Events sit on the hot path of every check, so they are slotted dataclasses, not
pydantic models: readers validate each row once and build an :class:`Event`
with an aware ``at`` and its POSIX timestamp ``ts`` (elapsed-time arithmetic is
done on ``ts``; calendar arithmetic on ``at`` in the program's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

EventType = Literal["message", "meeting", "absence", "training", "survey", "referral"]
EVENT_TYPES: tuple[str, ...] = ("message", "meeting", "absence", "training", "survey", "referral")


@dataclass(frozen=True, slots=True)
class Event:
    """One activity-log row. ``sender``/``recipients`` are the ``from``/``to`` columns."""

    id: str
    type: str
    at: datetime
    ts: float
    sender: str = ""
    recipients: tuple[str, ...] = ()
    channel: str = ""
    format: str = ""
    reply_to: str = ""
    topic: str = ""
    start: datetime | None = None
    end: datetime | None = None
    extra: dict[str, str] | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone the event involves: the sender first, then the recipients."""
        return (self.sender, *self.recipients) if self.sender else self.recipients

    @property
    def meeting_format(self) -> str:
        """``group`` or ``individual``: the ``format`` column, else derived from attendance."""
        if self.format:
            return self.format
        return "group" if len(self.recipients) > 1 else "individual"

    def to_record(self) -> dict[str, Any]:
        """The event in interchange form (``from``/``to`` keys, ISO times)."""
        record: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "at": self.at.isoformat(),
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "from": self.sender,
            "to": list(self.recipients),
            "channel": self.channel,
            "format": self.format,
            "reply_to": self.reply_to,
            "topic": self.topic,
        }
        if self.extra:
            record.update(self.extra)
        return record
