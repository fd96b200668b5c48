"""ISO 8601 times for the activity log, resolved in the program's time zone.

A time with an offset (``2025-10-03T14:05:00-04:00``, ``...Z``) is taken as it is.
A time without one is local time in the program's zone; a local time that does
not exist (skipped at the spring change) or exists twice (the autumn change) is
an error naming the row, because guessing would move a deadline by an hour.
Times before 1900 or after 2200 are refused as typos.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

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


_MISSING: Any = object()
# "HH:MM" -> the time and the seconds from the start of the day.
_CLOCK = {f"{minute // 60:02d}:{minute % 60:02d}": (timedelta(minutes=minute), float(minute * 60))
          for minute in range(24 * 60)}
_RECENT = 1024  # texts kept in TimeParser.recent (few: it should stay in the CPU caches)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_fromisoformat = datetime.fromisoformat
_combine = datetime.combine
_time = time


class TimeParser:
    """:func:`resolve` for many times in one zone, fast: ``parse(value) -> (at, ts)``.

    The activity log's hot path. ``at`` is exactly what :func:`resolve` returns and
    ``ts`` is exactly ``at.timestamp()``, but the zone look-ups are cached:

    - a local time's UTC offset is learnt once per local day, for days whose
      offset is the same at 00:00, 12:00 and 23:59:59.999999 under both folds
      (the tz database has no two changes of offset less than 95 hours apart, so
      such a day has none); on a day with a change, once per local hour, for
      hours whose offset is the same at their first and last instant under both
      folds;
    - a time with an offset needs only that offset and the start of its day;
    - the text of a time seen lately gives the same result at once (a log in time
      order has several events a minute): :attr:`recent` maps it to the result,
      and a caller may look there before calling :meth:`parse`;
    - a local time written ``YYYY-MM-DDTHH:MM`` (any one character between the day
      and the hour, as :meth:`datetime.fromisoformat` allows) whose first 11
      characters were seen before in a time of this shape, on a day of one
      offset, is built from what was learnt of that day and the ``HH:MM``,
      without parsing it again.

    An hour holding a daylight-saving change, and anything else unusual
    (whitespace, datetime objects, years out of range) goes through
    :func:`resolve`, so skipped and repeated local times are refused with the
    same errors.
    """

    __slots__ = ("_days", "_hours", "_last_day", "_last_head", "_minute_days", "_offsets",
                 "_utc_days", "recent", "tz")

    _LIMIT = 200_000  # entries per cache: a bound against hostile input

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._days: dict[int, int | None] = {}
        self._hours: dict[int, int | None] = {}
        self._utc_days: dict[int, int | None] = {}
        self._offsets: dict[tzinfo | None, int | None] = {}
        # Texts seen lately, with their result: in a log in time order the same
        # minute comes several times in a row. Emptied when full.
        self.recent: dict[str, tuple[datetime, float]] = {}
        # "YYYY-MM-DDT" of a local time seen in the minute shape, on a day of one
        # offset -> (POSIX seconds at the day's start, the day's start).
        self._minute_days: dict[str, tuple[float, datetime]] = {}
        self._last_head = ""  # of the day found last in _minute_days, and that day
        self._last_day: tuple[float, datetime] | None = None

    def parse(self, value: object) -> tuple[datetime, float]:
        """``(at, ts)`` for ``value``; :class:`TimeError` when :func:`resolve` would raise."""
        if type(value) is str:
            head = value[:11]
            if head == self._last_head:  # in a log in time order, mostly the day before
                day = self._last_day
            else:
                day = self._minute_days.get(head)
                if day is not None:
                    self._last_head, self._last_day = head, day
            if day is not None:
                clock = _CLOCK.get(value[11:])  # None unless the rest is exactly "HH:MM"
                if clock is not None:
                    # Wall-clock arithmetic within a day of one offset gives the datetime
                    # (fields, tzinfo, fold 0) of the text; the sum of two whole floats
                    # under 2**53 is exact, so ts is float(seconds) as below.
                    return (day[1] + clock[0], day[0] + clock[1])
            found = self.recent.get(value)
            if found is not None:
                return found
            try:
                moment = _fromisoformat(value)
            except ValueError:
                moment = None
            if moment is not None:
                ordinal = moment.toordinal()
                zone = moment.tzinfo
                # base: POSIX seconds at 00:00 of the day (for a day with a change: the
                # hour's start less `hour` hours), so that every case adds the same.
                if zone is None:
                    base = self._days.get(ordinal, _MISSING)
                    if base is _MISSING:
                        base = self._learn_day(moment, ordinal)
                    if base is None:
                        key = ordinal * 24 + moment.hour
                        base = self._hours.get(key, _MISSING)
                        if base is _MISSING:
                            base = self._learn_hour(moment, key)
                    offset: int | None = 0
                else:
                    base = self._utc_days.get(ordinal, _MISSING)
                    if base is _MISSING:
                        base = self._learn_utc_day(moment, ordinal)
                    offset = self._offsets.get(zone, _MISSING)
                    if offset is _MISSING:
                        offset = self._learn_offset(moment)
                if base is not None and offset is not None:
                    secs = base + moment.hour * 3600 + moment.minute * 60 + moment.second - offset
                    micro = moment.microsecond
                    ts = (secs * 1_000_000 + micro) / 1_000_000 if micro else float(secs)
                    result = (_combine(moment, moment.time(), self.tz) if zone is None
                              else moment, ts)
                    if len(self.recent) >= _RECENT:
                        self.recent.clear()
                    self.recent[value] = result
                    if (zone is None and self._days.get(ordinal) is not None and len(value) == 16
                            and value[4] == value[7] == "-" and value[13] == ":"
                            and _CLOCK.get(value[11:], (0, -1.0))[1]
                            == moment.hour * 3600 + moment.minute * 60
                            and len(self._minute_days) < self._LIMIT):
                        self._minute_days[value[:11]] = (
                            float(base), _combine(moment, _time(0), self.tz))
                    return result
        at = resolve(value, self.tz)
        return at, at.timestamp()

    def _remember(self, table: dict[Any, int | None], key: Any, value: int | None) -> int | None:
        if len(table) < self._LIMIT:
            table[key] = value
        return value

    def _single_offset(self, moment: datetime,
                       probes: tuple[tuple[int, int, int, int], ...]) -> int | None:
        """The offset (seconds) at every probe ``(hour, minute, second, micro)`` of the
        day of ``moment``, under both folds; None when they differ or it is out of range."""
        if not _EARLIEST <= moment.toordinal() < _LATEST:
            return None
        year, month, day, tz = moment.year, moment.month, moment.day, self.tz
        offsets = {datetime(year, month, day, h, m, s, us, tz, fold=fold).utcoffset()
                   for h, m, s, us in probes for fold in (0, 1)}
        offset = offsets.pop() if len(offsets) == 1 else None
        if offset is None or offset.microseconds:
            return None
        return offset.days * 86_400 + offset.seconds

    def _learn_day(self, moment: datetime, key: int) -> int | None:
        offset = self._single_offset(moment, ((0, 0, 0, 0), (12, 0, 0, 0), (23, 59, 59, 999_999)))
        base = None if offset is None else (key - _EPOCH_DAY) * 86_400 - offset
        return self._remember(self._days, key, base)

    def _learn_hour(self, moment: datetime, key: int) -> int | None:
        hour = moment.hour
        offset = self._single_offset(moment, ((hour, 0, 0, 0), (hour, 59, 59, 999_999)))
        base = None if offset is None else (moment.toordinal() - _EPOCH_DAY) * 86_400 - offset
        return self._remember(self._hours, key, base)

    def _learn_utc_day(self, moment: datetime, key: int) -> int | None:
        in_range = _EARLIEST <= key < _LATEST
        return self._remember(self._utc_days, key,
                              (key - _EPOCH_DAY) * 86_400 if in_range else None)

    def _learn_offset(self, moment: datetime) -> int | None:
        """The offset of ``moment`` in whole seconds (None: it has microseconds)."""
        offset = moment.utcoffset()
        secs = None
        if offset is not None and not offset.microseconds:
            secs = offset.days * 86_400 + offset.seconds
        return self._remember(self._offsets, moment.tzinfo, secs)
