"""ISO 8601 times for the activity log, resolved in the program's time zone.

A time with an offset (``2025-10-03T14:05:00-04:00``, ``...Z``) is taken as it is.
A time without one is local time in the program's zone; a local time that does
not exist (skipped at the spring change) or exists twice (the autumn change) is
an error naming the row, because guessing would move a deadline by an hour.
Times before 1900 or after 2200 are refused as typos.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

_EARLIEST = datetime(1900, 1, 1).toordinal()
_LATEST = datetime(2200, 1, 1).toordinal()


class TimeError(ValueError):
    """A time that cannot be used, with the reason as its message."""


def resolve(value: object, tz: tzinfo) -> datetime:
    """An aware datetime for ``value`` (ISO text, datetime or date) in zone ``tz``."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        raw = value.strip()
        if not raw:
            raise TimeError("the time is empty")
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise TimeError(f"{raw!r} is not an ISO 8601 time (like 2025-10-03T14:05)") from None
    else:
        raise TimeError(f"expected an ISO 8601 time, got {type(value).__name__}")
    if moment.tzinfo is None:
        moment = localize(moment, tz)
    ordinal = moment.toordinal()
    if not _EARLIEST <= ordinal < _LATEST:
        raise TimeError(f"{moment.isoformat()} is outside 1900-2200; check the year")
    return moment


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach ``tz`` to a wall-clock time, refusing skipped and repeated local times."""
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    offset = early.utcoffset()
    if offset == late.utcoffset():
        return early
    # The two folds disagree: either the wall time repeats (autumn) or never happens (spring).
    round_trip = early.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        raise TimeError(
            f"{naive.isoformat()} does not exist in {tz} (clocks skip it); "
            "add the UTC offset to the time"
        )
    raise TimeError(
        f"{naive.isoformat()} happens twice in {tz} (clocks go back); "
        "add the UTC offset to the time to say which"
    )
