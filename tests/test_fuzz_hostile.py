"""Property-based fuzzing of the YAML loader, the readers and the exporters (issue 7).

Each property runs a bounded number of examples (``FUZZ``: about a hundred and
fifty, each under a deadline) and asserts what the library promises for any input:

- nothing escapes but a :class:`~mentorrules.errors.MentorRulesError`;
- every call is quick (the deadline, and a bound on each call);
- input that is read balances: rows read = used + rejected, each rejected row
  with its line and reason, and a path and an open file give the same answer;
- exports parse back (CSV with :mod:`csv`, iCalendar with ``icalendar`` and
  ``ical``) with the strings intact, no cell that a spreadsheet would run, and
  no property or component that the input put there.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import icalendar
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

import mentorrules as mr
from mentorrules.errors import MentorRulesError
from mentorrules.export.ical import calendar_name, clean_text
from mentorrules.export.report import render_report, render_status, safe_cell
from mentorrules.program.loader import load_program_text

HOSTILE = Path(__file__).parent / "data" / "hostile"
PROGRAM_TEXT = (HOSTILE / "program.yaml").read_text("utf-8")
ROSTER = HOSTILE / "roster.csv"
AS_OF = "2026-06-01T00:00"
SECONDS = 5.0  # per call: the slowest examples take a few hundredths of a second
FUZZ = settings(max_examples=150, deadline=timedelta(seconds=SECONDS), print_blob=True,
                suppress_health_check=[HealthCheck.too_slow])
T = TypeVar("T")


@cache
def program() -> mr.Program:
    return mr.load_program(HOSTILE / "program.yaml")


def only_our_errors(call: Callable[[], T]) -> T | MentorRulesError:
    """``call()``, or the MentorRulesError it raised; anything else fails the test."""
    started = time.perf_counter()
    try:
        result: T | MentorRulesError = call()
    except MentorRulesError as exc:
        result = exc
    assert time.perf_counter() - started < SECONDS
    if isinstance(result, MentorRulesError):
        assert str(result)
        assert "\n" not in str(result)  # the command line prints it as one line
    return result


# --------------------------------------------------------------------------- YAML

YAML_BITS = [
    "id", "title", "timezone", "calendar", "terms", "rules", "schedule", "units", "levels",
    "extends", "kind", "per", "within", ":", ": ", "- ", "? ", "&a ", "*a", "&b ", "*b",
    "<<: *a", "!!python/object/apply:os.system ", "!!python/name:os.system ", "!!binary ",
    "!!set ", "!!omap ", "!Ref ", "%YAML 1.1\n", "%TAG !p! tag:yaml.org,2002:python/\n",
    "---\n", "...\n", "[", "]", "{", "}", ", ", "|\n", ">-\n", "'", '"', "# c", "\t", "\n",
    "  ", "\ufeff", "\x00", "\x07", "\x1b", "\x85", "\u2028", "\r\n", "\r", "~", "null",
    "yes", "0x1F", "0b101", "1e999", ".nan", "-.inf", "2025-02-30", "2025-08-04", "18:00",
    "24h", "48 hours", "P2D", "2 months", "America/New_York", "Mars/Olympus", "umms",
    "medmentors", "program.yaml", "../program.yaml", "/dev/null", "9" * 60, "\\x41",
]
yaml_texts = st.lists(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=6)),
                      max_size=60).map("".join)


@st.composite
def mutated_programs(draw: st.DrawFn) -> str:
    """The corpus program with a few bits inserted, deleted or swapped: deep into validation."""
    text = PROGRAM_TEXT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        bit = draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=4)))
        if action == "insert":
            text = text[:at] + bit + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            text = text[:at] + bit + text[at + len(bit):]
    return text


@FUZZ
@given(text=st.one_of(yaml_texts, mutated_programs()))
@example(text="a: &a [*a]\n")
@example(text="x: " + "[" * 500 + "]" * 500)
@example(text="%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\nid: !p!os.system [x]\n")
def test_the_yaml_loader_raises_only_our_errors(text: str) -> None:
    result = only_our_errors(lambda: load_program_text(text, "fuzz.yaml", base=HOSTILE))
    if isinstance(result, MentorRulesError):
        assert "fuzz.yaml" in str(result) or "program" in str(result).lower()
    else:
        assert isinstance(result, mr.Program)


@FUZZ
@given(data=st.lists(st.one_of(st.sampled_from([b.encode("utf-8", "surrogatepass")
                                                for b in YAML_BITS]),
                               st.binary(max_size=6)), max_size=60).map(b"".join))
def test_the_yaml_loader_reads_any_bytes_from_a_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        only_our_errors(lambda: mr.load_program(path))


@FUZZ
@given(name=st.text(max_size=300))
@example(name="a/" + "b" * 5000)
@example(name="x" * 300)
def test_a_program_name_or_path_is_never_a_crash(name: str) -> None:
    only_our_errors(lambda: mr.load_program(name))


# --------------------------------------------------------------------------- readers

ROSTER_HEADER = b"id,name,role,level,community,track,units,email\n"
EVENTS_HEADER = b"id,type,at,start,end,from,to,channel,format,reply_to,topic\n"
CELL_BITS = [
    b",", b";", b'"', b'""', b"\n", b"\r\n", b"\r", b"\xef\xbb\xbf", b"\xe9", b"\xff\xfe",
    b"\x00", b"\x1b", b" ", b"id", b"role", b"mentor", b"mentee", b"faculty", b"name",
    b"units", b"c1", b"p-a", b"p-b", b"s-01", b"s-02", b"type", b"at", b"message",
    b"meeting", b"absence", b"referral", b"2025-10-02T09:00", b"2026-03-08T02:30",
    b"2025-11-02T01:30", b"2025-11-02T01:30-05:00", b"0001-01-01", b"9999-12-31T23:59Z",
    b"from", b"to", b"channel", b"text", b"reply_to", b"e1", b"e2", b"group", b"{", b"}",
    b"[", b"]", b":", b'{"id":"e1","type":"message","at":"2025-10-02T09:00"}', b"NaN",
    b"1e999", b"9" * 30,
]
body = st.lists(st.one_of(st.sampled_from(CELL_BITS), st.binary(max_size=6)),
                max_size=80).map(b"".join)


def outcome(kind: str, source: Any) -> tuple[int, int, list[tuple[int | None, str]]] | str:
    """Row counts and rejected ``(line, reason)`` of reading ``source``, or the error's text."""
    def run() -> tuple[int, int, list[tuple[int | None, str]]]:
        if kind == "roster":
            roster = mr.read_roster(source, program())
            counts, rejected = roster.counts, list(roster.rejected)
        else:
            report = mr.check(program(), ROSTER, mr.read_events(source, program()), as_of=AS_OF,
                              metrics=False)
            counts = report.rows["events"]
            rejected = [r for r in report.rejected if r.source != str(ROSTER)]
        assert counts.read == counts.used + counts.rejected == counts.used + len(rejected)
        assert all(r.reason for r in rejected)
        return counts.read, counts.used, [(r.line, r.reason) for r in rejected]

    result = only_our_errors(run)
    if isinstance(result, MentorRulesError):
        return type(result).__name__ + ": " + str(result).partition(": ")[2]
    return result


@FUZZ
@given(kind=st.sampled_from(["roster", "events"]), header=st.sampled_from(["good", "none"]),
       suffix=st.sampled_from([".csv", ".jsonl", ".txt"]), data=body)
def test_readers_raise_only_our_errors_and_a_path_reads_like_an_open_file(
        kind: str, header: str, suffix: str, data: bytes) -> None:
    if header == "good" and suffix != ".jsonl":
        data = (ROSTER_HEADER if kind == "roster" else EVENTS_HEADER) + data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        from_path = outcome(kind, path)
        with path.open("rb") as handle:
            from_file = outcome(kind, handle)
    if isinstance(from_path, str) or isinstance(from_file, str):
        # An empty or formatless input may be refused one way and read as no rows the other.
        return
    if suffix == ".jsonl" or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
        assert from_path == from_file


FIELD_VALUES = st.one_of(
    st.text(max_size=12).filter(lambda s: "\x00" not in s),
    st.sampled_from(["mentor", "mentee", "staff", "M1", "M3", "c1", "c1;c2", "p-a", "s-01",
                     "message", "meeting", "absence", "2025-10-02T09:00", "2026-03-08T02:30",
                     "2025-11-02T01:30", "1899-12-31", "=1+1", "+x", "-1", "@a", "a\r\nb",
                     '"quoted"', "", " "]),
)


@FUZZ
@given(kind=st.sampled_from(["roster", "events"]),
       rows=st.lists(st.lists(FIELD_VALUES, max_size=13), max_size=12),
       quote_all=st.booleans())
def test_every_well_formed_csv_row_is_read_and_accounted_for(
        kind: str, rows: list[list[str]], quote_all: bool) -> None:
    header = (ROSTER_HEADER if kind == "roster" else EVENTS_HEADER).decode().strip().split(",")
    buffer = io.StringIO()
    # Well formed: a field holding CR or LF is quoted (the csv module quotes only the
    # characters of its own line ending; a bare CR elsewhere ends a line, as in any reader).
    writer = (csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL) if quote_all
              else csv.writer(buffer, lineterminator="\r\n"))
    writer.writerow(header)
    writer.writerows(rows)
    result = outcome(kind, io.BytesIO(buffer.getvalue().encode("utf-8")))
    assert not isinstance(result, str), result
    read, _, rejected = result
    blank = sum(1 for row in rows if not row or (len(row) == 1 and not row[0].strip()))
    assert read == len(rows) - blank
    assert len({line for line, _ in rejected}) == len(rejected)


VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
              st.sampled_from(["p-a", "s-01", "mentor", "c1", "message", "text"]),
              st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
              st.datetimes(timezones=st.just(UTC)), st.dates(min_value=date(1, 1, 2))),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=6)
KEYS = st.sampled_from(["id", "name", "role", "level", "units", "type", "at", "start", "end",
                        "from", "to", "channel", "format", "reply_to", "topic", "extra", "line",
                        "x"])


@FUZZ
@given(kind=st.sampled_from(["roster", "events"]),
       rows=st.lists(st.one_of(st.dictionaries(KEYS, VALUES, max_size=8), VALUES), max_size=8))
def test_python_rows_of_any_shape(kind: str, rows: list[Any]) -> None:
    """An app's own rows (from a database, a form): any values, any types."""
    result = outcome(kind, rows)
    if not isinstance(result, str):
        assert result[0] == len(rows)


@settings(FUZZ, max_examples=100)
@given(rows=st.lists(st.one_of(st.dictionaries(KEYS, VALUES, max_size=8), VALUES), max_size=8))
def test_a_monitor_takes_any_rows(rows: list[Any]) -> None:
    """The incremental engine an app feeds one row at a time: refused, never a crash."""
    from mentorrules.engine import Monitor

    monitor = Monitor(program(), mr.read_roster(ROSTER, program()), as_of=AS_OF)
    accepted = 0
    for row in rows:
        def feed(row: Any = row) -> bool:
            return monitor.feed(row)

        accepted += only_our_errors(feed) is True
    assert accepted + len(monitor.rejected) == len(rows)
    only_our_errors(monitor.check)


# --------------------------------------------------------------------------- exporters

HOSTILE_TEXT = st.lists(
    # No lone surrogates: no file holds them, and a row that does is rejected (fuzzed above).
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(
        ["\r", "\n", "\r\n", ";", ",", ":", "\\", "\\n", '"', "'", "=", "+", "-", "@", "\t",
         "\x00", "\x07", "\x1b[2J", "\x85", "\u2028", "|", "<b>", "BEGIN:VEVENT", "END:VCALENDAR",
         "\r\nATTENDEE:mailto:x@example.com", "=HYPERLINK(\"http://x\")"])),
    min_size=1, max_size=12).map("".join)
IDS = HOSTILE_TEXT.map(lambda s: s.strip()).filter(bool)


def roster_of(mentors: list[tuple[str, str]], mentees: list[tuple[str, str]]) -> mr.Roster:
    people = [mr.Person(id=ident, name=name, role="mentor", level=level, units=("c1",))
              for (ident, name), level in zip(mentors, ("M3", "M4"), strict=False)]
    people += [mr.Person(id=ident, name=name, role="mentee", level="M1", units=("c1",))
               for ident, name in mentees]
    return mr.read_roster(people, program())


people_lists = st.lists(st.tuples(IDS, HOSTILE_TEXT), min_size=3, max_size=5,
                        unique_by=lambda person: person[0])


@FUZZ
@given(people=people_lists)
def test_csv_and_markdown_keep_any_text_as_text(people: list[tuple[str, str]]) -> None:
    roster = roster_of(people[:2], people[2:])
    mentee = people[2][0]
    events = [{"id": "e1", "type": "message", "at": "2025-10-02T09:00", "from": mentee,
               "to": [people[0][0]], "channel": "text"}]
    report = mr.check(program(), roster, events, as_of=AS_OF, metrics=False)
    status = mr.status(program(), roster, events, as_of="2025-10-02T12:00")
    assert report.rows["events"].used == 1
    for text, items in ((render_report(report, "csv"), report.findings),
                        (render_status(status, "csv"), status.obligations)):
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == len(items) + 1
        assert not [cell for row in rows for cell in row if cell.startswith(tuple("=+-@\t\r"))]
        cells = {cell for row in rows for cell in row}
        for item in items:
            assert safe_cell(item.subject) in cells
    for text in (render_report(report, "md"), render_status(status, "md")):
        table = [line for line in text.splitlines() if line.startswith("|")]
        assert len({len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) for line in table}) <= 1
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    for text in (render_report(report, "text"), render_status(status, "text")):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]", text)


@cache
def allowed_names() -> frozenset[str]:
    roster = mr.read_roster(ROSTER, program())
    return frozenset(ical_names(mr.calendar(program(), roster, unit="c1", include_names=True)))


def ical_names(ics: bytes) -> list[str]:
    """Each content line's property name, or the component a BEGIN/END line names."""
    found = []
    for line in ics.decode("utf-8").replace("\r\n ", "").split("\r\n"):
        if line:
            name = re.match(r"[A-Za-z0-9-]+", line)
            assert name is not None, line
            found.append(line[name.end() + 1:] if name[0] in ("BEGIN", "END") else name[0])
    return found


@settings(FUZZ, max_examples=60)
@given(people=people_lists, title=HOSTILE_TEXT)
def test_icalendar_export_of_any_names_parses_back_with_nothing_injected(
        people: list[tuple[str, str]], title: str) -> None:
    roster = roster_of(people[:2], people[2:])
    ics = mr.calendar(program(), roster, unit="c1", include_names=True)
    assert set(ical_names(ics)) <= allowed_names()
    lines = ics.decode("utf-8").split("\r\n")
    loose = icalendar.Calendar.from_ical(ics)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    assert len(loose.walk("VEVENT")) == len(strict.events) == lines.count("BEGIN:VEVENT")
    meeting = next(e for e in strict.events if e.summary == "Monthly cohort meeting")
    for ident, name in people:
        shown = clean_text(name.strip())
        expected = f"{shown} ({clean_text(ident)})" if shown else clean_text(ident)
        assert expected in (meeting.description or "")
    mentor = people[0][0]
    titled = program().model_copy(update={"title": title})
    named = mr.calendar(titled, roster, mentor=mentor)
    assert set(ical_names(named)) <= allowed_names()
    raw = icalendar.Calendar.from_ical(named)["X-WR-CALNAME"].to_ical()
    calname = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1],
                     raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    assert calname == clean_text(calendar_name(titled, roster, mentor=mentor))
