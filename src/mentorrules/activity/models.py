"""Events: one row of the activity log (SPEC section 4).

Events sit on the hot path of every check, so they are slotted dataclasses, not
pydantic models: readers validate each row once and build an :class:`Event`
with an aware ``at`` and its POSIX timestamp ``ts`` (elapsed-time arithmetic is
done on ``ts``; calendar arithmetic on ``at`` in the program's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
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


# --------------------------------------------------------------------------- fast construction
#
# A frozen dataclass sets each of its 14 fields through ``object.__setattr__``,
# which makes ``Event(...)`` cost about as much as reading the CSV row it comes
# from. Readers build events through :func:`make_event` instead: it fills a
# writable object with exactly Event's slots and then makes it an Event (a
# ``__class__`` switch between classes of the same layout), which is 3-4 times
# faster and gives an object no one can tell from ``Event(...)``. Where the
# switch is not allowed (another Python implementation), it is plain ``Event``.

_FIELDS = tuple(f.name for f in fields(Event))


class _Blank:
    __slots__ = _FIELDS


def _fast_event(id: str, type: str, at: datetime, ts: float, sender: str = "",
                recipients: tuple[str, ...] = (), channel: str = "", format: str = "",
                reply_to: str = "", topic: str = "", start: datetime | None = None,
                end: datetime | None = None, extra: dict[str, str] | None = None,
                line: int | None = None) -> Event:
    blank: Any = _Blank.__new__(_Blank)
    blank.id = id
    blank.type = type
    blank.at = at
    blank.ts = ts
    blank.sender = sender
    blank.recipients = recipients
    blank.channel = channel
    blank.format = format
    blank.reply_to = reply_to
    blank.topic = topic
    blank.start = start
    blank.end = end
    blank.extra = extra
    blank.line = line
    blank.__class__ = Event
    event: Event = blank
    return event


def _switch_works() -> bool:
    try:
        probe = _fast_event("probe", "message", datetime(2000, 1, 1), 0.0)
    except TypeError:
        return False
    return type(probe) is Event and probe == Event("probe", "message", datetime(2000, 1, 1), 0.0)


_SWITCH_WORKS = _switch_works()

make_event = _fast_event if _SWITCH_WORKS else Event
"""Build an :class:`Event` (same arguments, same result as ``Event(...)``, faster)."""

EVENT_BLANK: type | None = _Blank if _SWITCH_WORKS else None
"""For a reader's innermost loop, where even a call to :func:`make_event` counts: a class
of Event's layout, whose object (``EVENT_BLANK.__new__(EVENT_BLANK)``) becomes an Event
when every one of Event's fields is set on it and then ``obj.__class__ = Event``, just as
in :func:`make_event`. None where the switch is not allowed (use :func:`make_event`)."""
