"""Durations as people write them: ``24h``, ``48 hours``, ``2d``, ``1 day 12 hours``, ``P2D``.

A duration is elapsed time (a :class:`datetime.timedelta`): ``24h`` is 24 real
hours, also across a daylight-saving change. Units are seconds, minutes, hours,
days and weeks in their usual spellings (``s``, ``sec``, ``min``, ``m``, ``h``,
``hr``, ``hours``, ``d``, ``days``, ``w``, ``weeks``); parts may be combined
(``1h30m``, ``1 day 12 hours``) and numbers may have decimals (``1.5h``). ISO 8601
durations (``P2D``, ``PT36H``, ``P1DT12H``) are read with pendulum. Months and
years are not a fixed length, so they are refused: write days instead, or use a
calendar ``period`` where a rule has one.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

import pendulum
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from mentorrules.errors import DurationError

_UNITS: dict[str, float] = {}
for _names, _seconds in (
    (("s", "sec", "secs", "second", "seconds"), 1.0),
    (("m", "min", "mins", "minute", "minutes"), 60.0),
    (("h", "hr", "hrs", "hour", "hours"), 3600.0),
    (("d", "day", "days"), 86400.0),
    (("w", "wk", "wks", "week", "weeks"), 604800.0),
):
    for _name in _names:
        _UNITS[_name] = _seconds

_CALENDAR_UNITS = {"mo", "month", "months", "y", "yr", "yrs", "year", "years"}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*(?:,|and\b)?")
_MAX = timedelta(days=3660)


def parse_duration(value: object) -> timedelta:
    """Read a duration; raise :class:`DurationError` saying what is wrong."""
    if isinstance(value, timedelta):
        result = value
    elif isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise DurationError(value, "a number needs a unit")
        raise DurationError(value, f"expected text, got {type(value).__name__}")
    else:
        text = value.strip()
        if not text:
            raise DurationError(value, "it is empty")
        result = _parse_iso(value, text) if text[:1] in "Pp" else _parse_human(value, text)
    if result <= timedelta(0):
        raise DurationError(value, "it must be longer than zero")
    if result > _MAX:
        raise DurationError(value, "it is longer than ten years")
    return result


def _parse_iso(original: str, text: str) -> timedelta:
    date_part = text.upper().partition("T")[0]
    if "Y" in date_part or "M" in date_part:
        raise DurationError(original, "months and years are not a fixed length; use days")
    try:
        parsed = pendulum.parse(text.upper())
    except Exception as exc:  # pendulum raises several types for bad text
        raise DurationError(original, "not a valid ISO 8601 duration") from exc
    if not isinstance(parsed, pendulum.Duration):
        raise DurationError(original, "not a valid ISO 8601 duration")
    return timedelta(seconds=parsed.total_seconds())


def _parse_human(original: str, text: str) -> timedelta:
    total = 0.0
    pos = 0
    lowered = text.lower()
    while pos < len(lowered):
        match = _PART.match(lowered, pos)
        if match is None or match.end() == pos:
            raise DurationError(original, f"cannot read {text[pos:].strip()!r}")
        number, unit = match.groups()
        if unit in _CALENDAR_UNITS:
            raise DurationError(original, "months and years are not a fixed length; use days")
        if unit not in _UNITS:
            from mentorrules._suggest import did_you_mean

            raise DurationError(original, f"unknown unit {unit!r}{did_you_mean(unit, _UNITS)}")
        total += float(number) * _UNITS[unit]
        pos = match.end()
    if total > _MAX.total_seconds():  # before timedelta(), which overflows on huge numbers
        raise DurationError(original, "it is longer than ten years")
    return timedelta(seconds=total)


def format_duration(value: timedelta) -> str:
    """The shortest human spelling that reads back to the same value (``1d 12h``)."""
    seconds, micros = divmod(value // timedelta(microseconds=1), 1_000_000)
    if not micros and seconds < 3 * 86400 and seconds % 3600 == 0:
        return f"{seconds // 3600}h"  # people say "48h", not "2d", for reply windows
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    if micros:  # fixed point: "1.5s", never "1e-06s", which would not read back
        parts.append(f"{seconds}.{micros:06d}".rstrip("0") + "s")
    elif seconds:
        parts.append(f"{seconds}s")
    return " ".join(parts) or "0s"


def humanize(value: timedelta) -> str:
    """A phrase for messages: ``2 hours 30 minutes``."""
    seconds = int(abs(value.total_seconds()))
    parts = []
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {name}{'s' if count != 1 else ''}")
    if not parts:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return " ".join(parts[:2])


def _validate(value: Any) -> timedelta:
    return parse_duration(value)


Duration = Annotated[
    timedelta,
    BeforeValidator(_validate),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "description": "Elapsed time such as 24h, 48 hours, 2d, 1h30m or ISO 8601 P2D",
            "examples": ["24h", "48 hours", "2d", "P2D"],
        }
    ),
]
"""A pydantic field type for durations written as people write them."""
