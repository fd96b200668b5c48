"""A CSV file read the fast way gives what an open file read the careful way gives.

A CSV file named by its path is read in blocks of whole lines
(``tabular._file_lines``), its rows taken from the csv module a list at a time,
and a run of ordinary rows handed on whole (:class:`~mentorrules.tabular.FieldRows`),
its line numbers told by counting; an open file is read line by line through
``_Lines``, its line numbers from the count of lines. Both must give the same
rows, bad rows, line numbers and errors whatever the line ends, quoting, blank
lines, bytes that are not UTF-8 and lines too long. Where the fast way meets a
line that may be too long, or a byte that is not UTF-8, it reads the file again
from where it was: no row may be given twice or left out.

Small ``ReadLimits.max_field_bytes`` make the blocks small (half the line cap,
which is 16 fields), so that these files of a few hundred bytes cross many block
ends, and some of their lines are long.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import mentorrules as mr
from mentorrules.activity.readers import COLUMNS, REQUIRED, EventLog
from mentorrules.errors import MentorRulesError, RowError
from mentorrules.tabular import BadRow, FieldRows, Header, ReadLimits, line_cap, read_rows

PROGRAM = mr.load_program(Path(__file__).parents[1] / "data" / "activity" / "readers.yaml")
HEADER = ",".join(COLUMNS)


def rows_of(source: Any, limits: ReadLimits) -> list[Any] | str:
    """Every item ``read_rows(fields=True)`` gives for ``source``, or the error it raises."""
    try:
        return [item if isinstance(item, BadRow | Header) else (item[0], list(item[1]))
                for item in read_rows(source, required=REQUIRED, known=COLUMNS,
                                      what="activity log", limits=limits, fields=True)]
    except MentorRulesError as exc:
        return f"{type(exc).__name__}: {exc}"


def both_ways(path: Path, limits: ReadLimits) -> list[Any] | str:
    """The rows of ``path`` read the fast way, once checked equal to the careful way."""
    fast = rows_of(path, limits)
    with path.open("rb") as handle:
        careful = rows_of(handle, limits)
    assert fast == careful
    return fast


Log = tuple[list[tuple[str, int | None]], list[tuple[int | None, str]], int]


def log_of(source: Any, limits: ReadLimits) -> Log | str:
    """Events ``(id, line)``, rejected rows ``(line, reason)`` and rows read; or the error."""
    log = EventLog(source, PROGRAM, limits=limits)
    try:
        events = [(event.id, event.line) for event in log]
    except MentorRulesError as exc:
        return f"{type(exc).__name__}: {exc}"
    assert log.counts.read == log.counts.used + log.counts.rejected
    return events, [(r.line, r.reason) for r in log.rejected], log.counts.read


def events_both_ways(path: Path, limits: ReadLimits) -> Log:
    fast = log_of(path, limits)
    with path.open("rb") as handle:
        assert log_of(handle, limits) == fast
    assert not isinstance(fast, str), fast
    return fast


def row(n: int, at: str = "2025-10-03T14:05", topic: str = "") -> str:
    return f"e{n},message,{at},,,s-01,p-a,text,,,{topic}"


# --------------------------------------------------------------------------- any text

ENDS = st.sampled_from(["\n", "\r\n", "\r"])
CELLS = st.one_of(
    st.sampled_from(["e1", "e2", "message", "meeting", "2025-10-03T14:05", "s-01", "p-a;p-b",
                     "text", "", " ", "group", "x" * 40]),
    st.text(alphabet="ab ,;\"\r\n\x0c\x85\u2028\x1c\xe9", max_size=8),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV text of rows of any width, quoted or not, with any line ends, blank lines,
    stray bytes that are not UTF-8, a BOM, an unclosed quote; as bytes."""
    parts = ["\ufeff" if draw(st.booleans()) else "", HEADER, draw(ENDS)]
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(["row", "row", "row", "quoted", "blank", "odd"]))
        if kind == "blank":
            parts.append(draw(st.sampled_from(["", " ", "  "])))
        elif kind == "odd":
            parts.append(draw(st.sampled_from(['"open', 'a"b,c', "x," * 30, "y" * 100,
                                               ",".join(["z"] * 11)])))
        else:
            cells = draw(st.lists(CELLS, min_size=10, max_size=12))
            if kind == "quoted":
                cells = ['"' + c.replace('"', '""') + '"' for c in cells]
            else:
                cells = [c.replace('"', "").replace("\r", "").replace("\n", "") for c in cells]
            parts.append(",".join(cells))
        parts.append(draw(ENDS))
    if draw(st.booleans()):
        parts.pop()  # no line end at the end
    data = "".join(parts).encode("utf-8")
    if draw(st.integers(0, 4)) == 0:  # a byte that is not UTF-8 somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xe9" + data[at:]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=csv_files(), field_bytes=st.sampled_from([4, 8, 16, 64, 1024 * 1024]))
# Read again for a long line after the first row, then again for a bad byte before it.
@example(data=(HEADER + '\n"open\n' + "e1,e1\n" * 3 + "e1," + "x" * 70 + "\n").encode()
         + b"\xe9\n", field_bytes=8)
def test_a_path_reads_as_an_open_file_reads(tmp_path_factory: Any, data: bytes,
                                            field_bytes: int) -> None:
    path = tmp_path_factory.mktemp("csv") / "log.csv"
    path.write_bytes(data)
    limits = ReadLimits(max_field_bytes=field_bytes)
    both_ways(path, limits)
    fast = log_of(path, limits)
    with path.open("rb") as handle:
        assert log_of(handle, limits) == fast


def test_lists_of_rows_are_the_rows(tmp_path: Path) -> None:
    lines = [HEADER] + [row(n) for n in range(1, 300)]
    lines[150] = 'e150,message,2025-10-03T14:05,,,s-01,p-a,text,,,"two\nlines"'
    lines[200] = ""
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kw: dict[str, Any] = {"required": REQUIRED, "known": COLUMNS, "what": "activity log",
                          "fields": True}
    flat: list[Any] = []
    kinds = set()
    for item in read_rows(path, batched=True, **kw):
        kinds.add(type(item).__name__)
        if isinstance(item, FieldRows):
            flat.extend((line, fields) for line, fields in enumerate(item.rows, item.line))
        elif isinstance(item, list):
            flat.extend(item)
        else:
            flat.append(item)
    assert kinds == {"Header", "FieldRows", "list"}
    assert flat == list(read_rows(path, **kw))
    # Line 151 runs on to 152; line 202 is blank.
    assert [line for line, _ in flat[1:]] == [*range(2, 152), *range(153, 202), *range(203, 302)]


# --------------------------------------------------------------------------- line numbers


def test_line_numbers_after_rows_that_run_over_several_lines(tmp_path: Path) -> None:
    lines = [HEADER]
    where = {}
    physical = 2
    for n in range(1, 400):
        topic = ""
        if n % 37 == 0:
            topic = '"one\r\ntwo\nthree\rfour"'  # three line ends of three kinds
        elif n % 41 == 0:
            topic = '"a\n\nb"'  # an empty line inside a field
        lines.append(row(n, topic=topic))
        where[f"e{n}"] = physical
        physical += 1 + topic.count("\n") + topic.count("\r") - topic.count("\r\n")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    events, rejected, read = events_both_ways(path, ReadLimits())
    assert rejected == []
    assert read == 399
    assert dict(events) == where
    assert [ident for ident, _ in events] == [f"e{n}" for n in range(1, 400)]


def test_a_line_end_split_between_two_reads(tmp_path: Path) -> None:
    limits = ReadLimits(max_field_bytes=8)  # the cap is 128, reads are of 64 bytes
    block = line_cap(limits) // 2
    body = ""
    n = 0
    while len(body) < 20 * block:  # rows of every length, so CRLFs fall on every byte
        n += 1
        body += f"e{n},message,{'x' * (n % 9)},,,s,p,t,,,\r\n"
    path = tmp_path / "log.csv"
    path.write_bytes((HEADER + "\r\n" + body).encode("utf-8"))
    rows = both_ways(path, limits)
    assert isinstance(rows, list)
    assert [item[0] for item in rows[1:]] == list(range(2, n + 2))


# --------------------------------------------------------------------------- reading again


def test_a_long_line_is_one_bad_row_and_no_row_is_read_twice(tmp_path: Path) -> None:
    limits = ReadLimits(max_field_bytes=32)  # lines of 512 characters at most
    cap = line_cap(limits)
    lines = [HEADER, *(row(n) for n in range(1, 301)),
             ",".join(["y" * 20] * 20),  # 419 characters: past what the fast way reads
             *(row(n) for n in range(301, 601)),
             "z" * (cap + 100),  # past the cap: a bad row, never held whole
             *(row(n) for n in range(601, 611))]
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events, rejected, read = events_both_ways(path, limits)
    assert [ident for ident, _ in events] == [f"e{n}" for n in range(1, 611)]
    assert [line for _, line in events] == [*range(2, 302), *range(303, 603), *range(604, 614)]
    assert read == 612
    assert [line for line, _ in rejected] == [302, 603]
    assert "the row has 20 fields but the header has 11" in rejected[0][1]
    assert f"line 603 is {cap + 101:,} characters long, over the limit of {cap:,}" in \
        rejected[1][1]


def test_a_bad_byte_and_a_long_line_read_again_twice(tmp_path: Path) -> None:
    limits = ReadLimits(max_field_bytes=32)
    data = "\n".join([HEADER, *(row(n) for n in range(1, 101))]).encode() + b"\n"
    data += b"e101,message,2025-10-03T14:05,,,s-01,p-a,text,,,caf\xe9\n"
    data += "\n".join([*(row(n) for n in range(102, 201)), "w" * 300,
                       *(row(n) for n in range(201, 251))]).encode() + b"\n"
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    events, rejected, read = events_both_ways(path, limits)
    assert read == 251
    assert [ident for ident, _ in events] == [f"e{n}" for n in range(1, 251) if n != 101]
    assert [line for line, _ in rejected] == [102, 202]
    assert "not UTF-8" in rejected[0][1]


def test_line_ends_that_only_str_splitlines_knows(tmp_path: Path) -> None:
    tricky = ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"]
    lines = [HEADER, *(row(n, topic=f"a{c}b") for n, c in enumerate(tricky, start=1)),
             *(row(n, topic=f'"c{c}d"') for n, c in enumerate(tricky, start=11))]
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events, rejected, read = events_both_ways(path, ReadLimits())
    assert (rejected, read) == ([], 12)
    assert events == [(f"e{n}", n + 1) for n in range(1, 7)] + [
        (f"e{n}", n - 3) for n in range(11, 17)]
    topics = [event.topic for event in EventLog(path, PROGRAM)]
    assert topics[0] == "a\x0cb"
    assert topics[-1] == "c\u2029d"


# --------------------------------------------------------------------------- strict


def test_strict_gives_the_events_before_the_bad_row_first(tmp_path: Path) -> None:
    lines = [HEADER, row(1), row(2), row(3), "e4,message,someday,,,s-01,p-a,text,,,", row(5)]
    for source in ("path", "file"):
        path = tmp_path / "log.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        log = EventLog(path if source == "path" else io.BytesIO(path.read_bytes()), PROGRAM,
                       strict=True)
        got: list[str] = []
        with pytest.raises(RowError, match="someday"):
            got.extend(event.id for event in log)
        assert got == ["e1", "e2", "e3"]
        assert log.read == 4
