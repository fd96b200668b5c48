"""Durations as people write them: every spelling of one length reads as the same timedelta."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorrules.durations import format_duration, humanize, parse_duration
from mentorrules.errors import DurationError

parts = st.tuples(
    st.integers(0, 400),  # days
    st.integers(0, 23),  # hours
    st.integers(0, 59),  # minutes
    st.integers(0, 59),  # seconds
).filter(lambda p: any(p))


def length(days: int, hours: int, minutes: int, seconds: int) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def spelled(p: tuple[int, int, int, int], names: tuple[str, str, str, str], sep: str) -> str:
    return sep.join(f"{n}{name}" for n, name in zip(p, names, strict=True) if n)


@settings(max_examples=200)
@given(parts)
def test_human_spellings_agree(p: tuple[int, int, int, int]) -> None:
    expected = length(*p)
    plural = tuple(f" {unit}{'s'}" for unit in ("day", "hour", "minute", "second"))
    spellings = [
        spelled(p, ("d", "h", "m", "s"), " "),  # 3d 4h
        spelled(p, ("d", "h", "m", "s"), ""),  # 3d4h
        spelled(p, plural, " "),  # 3 days 4 hours
        spelled(p, plural, ", "),  # 3 days, 4 hours
        spelled(p, (" d", " hrs", " min", " sec"), " and "),  # 3 d and 4 hrs
        spelled(p, ("D", "H", "M", "S"), " "),  # 3D 4H
        f"{int(expected.total_seconds())}s",  # all in seconds
    ]
    for text in spellings:
        assert parse_duration(text) == expected, text


@settings(max_examples=200)
@given(st.integers(1, 24 * 400))
def test_whole_hours_in_hours(hours: int) -> None:
    assert parse_duration(f"{hours}h") == timedelta(hours=hours)  # 76h
    assert parse_duration(f"{hours} hours") == timedelta(hours=hours)


@settings(max_examples=200)
@given(parts)
def test_iso_8601(p: tuple[int, int, int, int]) -> None:
    days, hours, minutes, seconds = p
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    text = "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    assert parse_duration(text) == length(*p), text
    assert parse_duration(text.lower()) == length(*p), text


@settings(max_examples=200)
@given(st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3660)))
def test_format_duration_reads_back(value: timedelta) -> None:
    text = format_duration(value)
    assert parse_duration(text) == value, text


@settings(max_examples=200)
@given(parts)
def test_format_duration_is_short(p: tuple[int, int, int, int]) -> None:
    text = format_duration(length(*p))
    assert len(text.split()) <= 4
    assert "e" not in text


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_garbage_is_a_duration_error(text: str) -> None:
    """Any text either reads as a sensible duration or raises DurationError, nothing else."""
    assert_reads_or_refuses(text)


@settings(max_examples=200)
@given(st.from_regex(r"\A[Pp]?[0-9T.DHMSWYdhmswy ]{0,20}\Z"))
def test_near_misses_are_duration_errors(text: str) -> None:
    assert_reads_or_refuses(text)


def assert_reads_or_refuses(text: str) -> None:
    error: DurationError | None = None
    try:
        result = parse_duration(text)
    except DurationError as exc:
        error = exc
    if error is None:
        assert timedelta(0) < result <= timedelta(days=3660)
    else:
        assert "write it like" in str(error)


@settings(max_examples=100)
@given(st.one_of(st.integers(), st.floats(), st.none(), st.booleans(),
                 st.lists(st.integers(), max_size=2), st.dates()))
def test_non_text_is_a_duration_error(value: object) -> None:
    with pytest.raises(DurationError):
        parse_duration(value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("24 hourz", "unknown unit 'hourz' (did you mean 'hour'?)"),
        ("P1M", "months and years are not a fixed length"),
        ("P1Y2D", "months and years are not a fixed length"),
        ("2 months", "months and years are not a fixed length"),
        ("0h", "longer than zero"),
        ("", "it is empty"),
        ("9" * 400 + "h", "longer than ten years"),
        ("P4000D", "longer than ten years"),
        ("soon", "cannot read 'soon'"),
        ("-1h", "cannot read '-1h'"),
    ],
)
def test_errors_say_why(text: str, reason: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert reason in str(caught.value)
    assert caught.value.text == text
    assert str(caught.value).endswith("write it like 24h, 48 hours, 2d, 90 minutes or P2D")


def test_a_number_needs_a_unit() -> None:
    with pytest.raises(DurationError, match="a number needs a unit"):
        parse_duration(24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("48 hours", timedelta(hours=48)),
        ("2d", timedelta(days=2)),
        ("1h30m", timedelta(minutes=90)),
        ("1.5h", timedelta(minutes=90)),
        ("90 minutes", timedelta(minutes=90)),
        ("1 day 12 hours", timedelta(hours=36)),
        ("2w", timedelta(weeks=2)),
        ("P2D", timedelta(days=2)),
        ("PT36H", timedelta(hours=36)),
        ("P1DT12H", timedelta(hours=36)),
        (" 24h ", timedelta(hours=24)),
    ],
)
def test_examples(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(hours=24), "24h"),
        (timedelta(hours=48), "48h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=1, hours=12, minutes=30), "1d 12h 30m"),
        (timedelta(minutes=90), "1h 30m"),
        (timedelta(seconds=1.5), "1.5s"),
    ],
)
def test_format_duration_examples(value: timedelta, text: str) -> None:
    assert format_duration(value) == text


def test_humanize() -> None:
    assert humanize(timedelta(hours=2, minutes=30)) == "2 hours 30 minutes"
    assert humanize(timedelta(days=1, hours=1, minutes=1)) == "1 day 1 hour"
    assert humanize(timedelta(seconds=5)) == "5 seconds"
