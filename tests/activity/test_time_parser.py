"""TimeParser (the readers' cached fast path) gives exactly what ``resolve`` gives.

Same ``at`` (value, tzinfo and fold), ``ts == at.timestamp()``, and the same
error for the same bad input: above all around daylight-saving changes, where a
local time may not exist or exist twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mentorrules.activity.times import TimeError, TimeParser, resolve

ZONES = ("America/New_York", "Europe/London")
PARSERS = {name: TimeParser(pendulum.timezone(name)) for name in ZONES}


def changes(zone: str) -> list[datetime]:
    """Local wall-clock times of every offset change of ``zone`` in 2018-2032."""
    tz, utc = ZoneInfo(zone), ZoneInfo("UTC")
    found = []
    day = datetime(2018, 1, 1, 12, tzinfo=tz)
    while day.year < 2033:
        following = day + timedelta(days=1)
        if following.utcoffset() != day.utcoffset():
            moment = day.astimezone(utc)
            while (moment + timedelta(hours=1)).astimezone(tz).utcoffset() == day.utcoffset():
                moment += timedelta(hours=1)
            found.append((moment + timedelta(hours=1)).astimezone(tz).replace(tzinfo=None))
        day = following
    return found


CHANGES = {zone: changes(zone) for zone in ZONES}


def outcome(call: object) -> tuple[object, ...]:
    """``(at, ts, tzinfo, fold)`` of a parse, or ``("error", message)``."""
    assert callable(call)
    try:
        at, ts = call()
    except TimeError as exc:
        return ("error", str(exc))
    return (at, ts, at.tzinfo, at.fold)


def reference(text: object, zone: str) -> tuple[object, ...]:
    def call() -> tuple[datetime, float]:
        at = resolve(text, pendulum.timezone(zone))
        return at, at.timestamp()

    return outcome(call)


def fast(text: object, zone: str) -> tuple[object, ...]:
    return outcome(lambda: PARSERS[zone].parse(text))


def render(moment: datetime, style: str, suffix: str) -> str:
    if style == "date":
        return moment.date().isoformat()
    sep = " " if style == "space" else "T"
    return moment.isoformat(sep=sep, timespec=style if style in (
        "minutes", "seconds", "microseconds") else "minutes") + suffix


STYLES = st.sampled_from(("minutes", "seconds", "microseconds", "space", "date"))
SUFFIXES = st.sampled_from(("", "", "", "Z", "+00:00", "-04:00", "+01:00", "+05:30", "-03:30"))


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES), index=st.integers(0, 29),
       shift=st.integers(-3 * 3600, 3 * 3600), micro=st.integers(0, 999_999),
       style=STYLES, suffix=SUFFIXES)
def test_times_around_a_change_match_resolve(zone: str, index: int, shift: int, micro: int,
                                             style: str, suffix: str) -> None:
    moment = CHANGES[zone][index] + timedelta(seconds=shift, microseconds=micro)
    text = render(moment, style, suffix)
    assert fast(text, zone) == reference(text, zone)


@settings(max_examples=100, deadline=None)
@given(zone=st.sampled_from(ZONES),
       moment=st.datetimes(min_value=datetime(1899, 12, 1), max_value=datetime(2200, 2, 1)),
       style=STYLES, suffix=SUFFIXES)
@example(zone="America/New_York", moment=datetime(1899, 12, 31, 23, 59), style="minutes",
         suffix="")
@example(zone="Europe/London", moment=datetime(2199, 12, 31, 23, 59), style="minutes",
         suffix="-05:00")
def test_any_time_matches_resolve(zone: str, moment: datetime, style: str, suffix: str) -> None:
    text = render(moment, style, suffix)
    assert fast(text, zone) == reference(text, zone)


@pytest.mark.parametrize("text", [" 2025-10-03T14:05 ", "", "  ", "2025-13-01", "yesterday",
                                  "2025-10-03T14:05+25:00", "2025-10-03T14:05:00.5+05:30:07"])
def test_unusual_text_matches_resolve(text: str) -> None:
    for zone in ZONES:
        assert fast(text, zone) == reference(text, zone)


@pytest.mark.parametrize("value", [None, 17, datetime(2025, 10, 3, 14, 5),
                                   datetime(2025, 11, 2, 1, 30)])
def test_values_that_are_not_text_go_through_resolve(value: object) -> None:
    assert fast(value, "America/New_York") == reference(value, "America/New_York")


def test_a_skipped_local_time_is_an_error() -> None:
    parser = TimeParser(pendulum.timezone("America/New_York"))
    parser.parse("2026-03-08T01:59")  # the hour before is cached as an ordinary hour
    with pytest.raises(TimeError, match="does not exist"):
        parser.parse("2026-03-08T02:30")
    assert parser.parse("2026-03-08T03:00")[1] == parser.parse("2026-03-08T01:59")[1] + 60


def test_a_repeated_local_time_is_an_error_until_an_offset_says_which() -> None:
    parser = TimeParser(pendulum.timezone("Europe/London"))
    with pytest.raises(TimeError, match="happens twice"):
        parser.parse("2025-10-26T01:15")
    first = parser.parse("2025-10-26T01:15+01:00")[1]
    second = parser.parse("2025-10-26T01:15+00:00")[1]
    assert second - first == 3600


def test_elapsed_time_across_a_change_is_real_time() -> None:
    parser = TimeParser(pendulum.timezone("America/New_York"))
    before = parser.parse("2025-11-01T14:00")[1]
    after = parser.parse("2025-11-02T14:00")[1]
    assert after - before == 25 * 3600


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES), index=st.integers(0, 29),
       steps=st.lists(st.tuples(st.integers(-2, 2), st.integers(0, 59), st.sampled_from("T x")),
                      min_size=1, max_size=80))
def test_the_minutes_of_a_few_hours_match_resolve(zone: str, index: int,
                                                  steps: list[tuple[int, int, str]]) -> None:
    """Times written to the minute, many in the same hours around a change: the ones
    built from an hour seen before are what ``resolve`` gives, and so is everything
    kept in ``recent``."""
    parser = TimeParser(pendulum.timezone(zone))
    start = CHANGES[zone][index].replace(minute=0, second=0, microsecond=0)
    for hours, minute, sep in steps:
        moment = start + timedelta(hours=hours, minutes=minute)
        text = moment.strftime(f"%Y-%m-%d{sep}%H:%M")
        assert outcome(lambda text=text: parser.parse(text)) == reference(text, zone)
    for text, (at, ts) in parser.recent.items():
        assert (at, ts, at.tzinfo, at.fold) == reference(text, zone)
