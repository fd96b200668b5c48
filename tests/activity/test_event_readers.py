"""Reading the activity log: the fast path equals the reference, rows are accounted for.

:class:`~mentorrules.activity.readers.FastParser` turns a CSV row (by column
index) or a mapping into an event, or says None and leaves the row to
:func:`~mentorrules.activity.readers.parse_event`, the reference. Whatever it
returns must be exactly the reference's event; a whole log read through
:class:`EventLog` must give the same events and the same rejected rows as the
reference reading every row with ``parse_event``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorrules as mr
from mentorrules.activity.models import Event, make_event
from mentorrules.activity.readers import (
    COLUMNS,
    REQUIRED,
    EventLog,
    EventRowError,
    FastParser,
    parse_event,
)
from mentorrules.errors import UsageError
from mentorrules.tabular import BadRow, read_rows

PROGRAM = mr.load_program(Path(__file__).parents[1] / "data" / "activity" / "readers.yaml")
TZ = PROGRAM.tz
HEADER = ",".join(COLUMNS)


def reference_log(text: str) -> tuple[list[Event], list[tuple[int | None, str | None, str]]]:
    """Every row of a CSV text through ``parse_event``: events and (line, id, reason)."""
    events: list[Event] = []
    rejected: list[tuple[int | None, str | None, str]] = []
    for row in read_rows(io.StringIO(text), required=REQUIRED, known=COLUMNS,
                         what="activity log"):
        if isinstance(row, BadRow):
            rejected.append((row.line, None, row.reason))
            continue
        line, record = row
        try:
            events.append(parse_event(record, TZ, line))
        except EventRowError as exc:
            rejected.append((line, exc.ident, str(exc)))
    return events, rejected


def fast_log(text: str) -> tuple[list[Event], list[tuple[int | None, str | None, str]]]:
    log = EventLog(io.StringIO(text), PROGRAM)
    events = list(log)
    return events, [(r.line, r.id, r.reason) for r in log.rejected]


def same_event(a: Event, b: Event) -> bool:
    """Equal, and equal in what ``==`` leaves out (line, extra) and in zones."""
    zones = (a.at.tzinfo, b.at.tzinfo)
    return (a == b and a.line == b.line and a.extra == b.extra and zones[0] == zones[1]
            and type(zones[0]) is type(zones[1]) and type(a.ts) is type(b.ts) is float
            and (a.at.tzinfo is TZ) == (b.at.tzinfo is TZ))


# --------------------------------------------------------------------------- cells

IDS = st.sampled_from(("e1", "e2", " e3", "e4 ", "", "  ", "m1"))
TYPES = st.sampled_from(("message", "meeting", "absence", "training", "survey", "referral",
                         "Message", " meeting ", "MEETING", "call", ""))
TIMES = st.sampled_from(("2025-10-03T14:05", "2025-10-03T14:05:09", "2025-10-03 14:05",
                         "2025-10-03", "2025-10-03T14:05-04:00", "2025-10-03T18:05Z",
                         " 2025-10-04T08:00", "2025-11-02T01:30", "2026-03-08T02:30",
                         "2025-11-02T01:30-05:00", "1850-01-01T00:00", "soon", "", " "))
PEOPLE = st.sampled_from(("p-a", "s-01", " s-02", "s-01;s-02", "s-01; s-02 ;", ";", "", " "))
CHANNELS = st.sampled_from(("text", "Text", " email ", "in_person", "", "carrier pigeon"))
FORMATS = st.sampled_from(("", "group", "Individual", " group ", "solo"))
REPLIES = st.sampled_from(("", "e1", "e2 ", "m9"))
TOPICS = st.sampled_from(("", "safety-concern", " workshop-fall ", "x"))
ROWS = st.fixed_dictionaries({
    "id": IDS, "type": TYPES, "at": TIMES, "start": st.sampled_from(("", "2025-10-05",
                                                                     "2025-10-06T09:00", "x")),
    "end": st.sampled_from(("", "2025-10-04", "2025-10-08T17:00")), "from": PEOPLE, "to": PEOPLE,
    "channel": CHANNELS, "format": FORMATS, "reply_to": REPLIES, "topic": TOPICS,
})
EXTRA_COLUMNS = st.lists(st.sampled_from(("notes", "extra", "source")), unique=True, max_size=2)


@settings(max_examples=300, deadline=None)
@given(row=ROWS, extras=EXTRA_COLUMNS, dropped=st.sets(st.sampled_from(COLUMNS[3:])),
       order=st.randoms(use_true_random=False))
def test_a_csv_row_parses_as_the_reference_parses_it(row: dict[str, str], extras: list[str],
                                                    dropped: set[str], order: Any) -> None:
    columns = [c for c in COLUMNS if c not in dropped] + extras
    order.shuffle(columns)
    cells = [row.get(c, f" {c} value ") for c in columns]
    parser = FastParser(TZ)
    got = parser.fields(columns)(list(cells), 7)
    try:
        want = parse_event(dict(zip(columns, cells, strict=True)), TZ, 7)
    except EventRowError:
        assert got is None
        return
    assert got is None or same_event(got, want)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(ROWS, max_size=12), extras=EXTRA_COLUMNS,
       dropped=st.sets(st.sampled_from(COLUMNS[3:])), order=st.randoms(use_true_random=False))
def test_a_list_of_csv_rows_parses_as_the_reference_parses_each(
        rows: list[dict[str, str]], extras: list[str], dropped: set[str], order: Any) -> None:
    """Rows parsed a list at a time (the time of a row is reused for the next one with the
    same text): each is the reference's event on its own line, or is passed on."""
    columns = [c for c in COLUMNS if c not in dropped] + extras
    order.shuffle(columns)
    table = [[row.get(c, f" {c} value ") for c in columns] for row in rows]
    out: list[Event] = []
    passed: list[int] = []

    def refused(line: int, cells: list[str]) -> None:
        passed.append(line)
        assert cells[:len(columns)] == table[line - 5]

    FastParser(TZ).rows(columns)(5, [list(cells) for cells in table], out, refused)
    assert len(out) + len(passed) == len(rows)
    made = iter(out)
    for line, cells in enumerate(table, start=5):
        if line in passed:
            continue
        got = next(made)
        assert same_event(got, parse_event(dict(zip(columns, cells, strict=True)), TZ, line))


@settings(max_examples=200, deadline=None)
@given(row=ROWS, to_list=st.booleans(), odd=st.sampled_from((None, "id", "from", "type", "at")),
       extra=st.booleans())
def test_a_mapping_parses_as_the_reference_parses_it(row: dict[str, Any], to_list: bool,
                                                    odd: str | None, extra: bool) -> None:
    record: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
    if to_list and "to" in record:
        record["to"] = record["to"].split(";")
    if odd is not None:
        record[odd] = 17 if odd != "at" else None
    if extra:
        record["room"] = 101
    got = FastParser(TZ).record(record, None)
    try:
        want = parse_event(record, TZ)
    except EventRowError:
        assert got is None
        return
    assert got is None or same_event(got, want)


def test_an_ordinary_row_takes_the_fast_path() -> None:
    parser = FastParser(TZ).fields(list(COLUMNS))
    cells = ["e1", "message", "2025-10-03T14:05", "", "", "s-01", "p-a;p-b", "Text", "", "", ""]
    event = parser(list(cells), 2)
    assert event is not None
    assert same_event(event, parse_event(dict(zip(COLUMNS, cells, strict=True)), TZ, 2))


def test_repeated_cells_become_one_string() -> None:
    parser = FastParser(TZ).fields(list(COLUMNS))
    rows = [[f"e{i}", "message", "2025-10-03T14:05", "", "", "s-01", "p-a", "text", "", "", ""]
            for i in range(2)]
    first, second = (parser(row, None) for row in rows)
    assert first is not None
    assert second is not None
    assert first.sender is second.sender
    assert first.recipients is second.recipients


def test_make_event_is_an_event() -> None:
    args: tuple[Any, ...] = ("e1", "message", None, 1.0, "s-01", ("p-a",), "text", "", "", "",
                             None, None, {"x": "1"}, 3)
    made, built = make_event(*args), Event(*args)
    assert type(made) is Event
    assert made == built
    assert hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert made.line == 3
    assert made.extra == {"x": "1"}
    with pytest.raises(AttributeError):
        made.id = "e2"  # type: ignore[misc]


# --------------------------------------------------------------------------- whole logs


def csv_text(*rows: str) -> str:
    return HEADER + "\n" + "\n".join(rows) + "\n"


MESSY = csv_text(
    "e1,message,2025-10-03T14:05,,,s-01,p-a,text,,,",
    "",
    "e2,message,2025-11-02T01:30,,,s-01,p-a,text,,,",
    "e3,message,2026-03-08T02:30,,,s-01,p-a,text,,,",
    "e4,meeting,2025-10-03T14:05,,,p-a,s-01;s-02,In_Person,group,,",
    "e5,message,2025-10-03T14:05,,,s-01,p-a,text",
    "e7,absence,2025-10-03T14:05,2025-10-10,2025-10-09,p-a,p-b,text,,,",
    "e8,chat,2025-10-03T14:05,,,s-01,p-a,text,,,",
    "e9,message,2025-10-03T14:05,,,s-01,p-a,text,,e9,",
    "e10,message,2025-10-03T14:05,,, s-01 ,p-a ; p-b,TEXT,,,",
    'e6,message,"2025-10-03T14:05,,,s-01,p-a,text,,,',
)


def test_a_messy_log_reads_as_the_reference_reads_it() -> None:
    got_events, got_rejected = fast_log(MESSY)
    want_events, want_rejected = reference_log(MESSY)
    assert len(got_events) == len(want_events)
    assert all(same_event(a, b) for a, b in zip(got_events, want_events, strict=True))
    assert got_rejected == want_rejected


def test_every_row_is_used_or_rejected_with_its_line() -> None:
    log = EventLog(io.StringIO(MESSY), PROGRAM)
    events = list(log)
    assert log.counts.read == log.counts.used + log.counts.rejected == 10
    assert [e.id for e in events] == ["e1", "e4", "e10"]
    assert events[2].recipients == ("p-a", "p-b")
    assert events[2].channel == "text"
    reasons = {r.line: r.reason for r in log.rejected}
    assert sorted(reasons) == [4, 5, 7, 8, 9, 10, 12]
    assert "fields but the header has" in reasons[7]
    assert "ends" in reasons[8]
    assert "unknown event type 'chat'" in reasons[9]
    assert "answers itself" in reasons[10]
    assert "fields" in reasons[12]


def test_a_local_time_in_a_daylight_saving_change_names_its_row() -> None:
    log = EventLog(io.StringIO(MESSY), PROGRAM)
    list(log)
    by_line = {r.line: r for r in log.rejected}
    assert by_line[4].id == "e2"
    assert "happens twice" in by_line[4].reason
    assert by_line[5].id == "e3"
    assert "does not exist" in by_line[5].reason
    assert "add the UTC offset" in by_line[4].reason


def test_a_csv_file_and_its_json_lines_give_the_same_events(tmp_path: Path) -> None:
    rows = [
        {"id": "e1", "type": "message", "at": "2025-10-03T14:05-04:00", "from": "s-01",
         "to": ["p-a"], "channel": "text"},
        {"id": "e2", "type": "meeting", "at": "2025-10-04T09:00-04:00", "end":
         "2025-10-04T10:00-04:00", "from": "p-a", "to": ["s-01", "s-02"], "channel": "video",
         "room": "B2"},
    ]
    jsonl = tmp_path / "log.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    csv_file = tmp_path / "log.csv"
    csv_file.write_text(
        HEADER + ",room\n"
        "e1,message,2025-10-03T14:05-04:00,,,s-01,p-a,text,,,,\n"
        "e2,meeting,2025-10-04T09:00-04:00,,2025-10-04T10:00-04:00,p-a,s-01;s-02,video,,,,B2\n",
        encoding="utf-8")
    from_jsonl = list(EventLog(jsonl, PROGRAM))
    from_csv = list(EventLog(csv_file, PROGRAM))
    assert [(e.id, e.ts, e.recipients, e.end) for e in from_jsonl] == [
        (e.id, e.ts, e.recipients, e.end) for e in from_csv]
    assert from_jsonl[1].extra == from_csv[1].extra == {"room": "B2"}
    assert from_jsonl[0].extra is None
    assert from_csv[0].extra == {"room": ""}


# --------------------------------------------------------------------------- one pass or many


def rows() -> Iterator[dict[str, str]]:
    yield {"id": "e1", "type": "message", "at": "2025-10-03T14:05", "from": "s-01", "to": "p-a",
           "channel": "text"}


def test_a_log_from_a_one_shot_iterator_reads_once() -> None:
    log = EventLog(rows(), PROGRAM)
    assert [e.id for e in log] == ["e1"]
    with pytest.raises(UsageError, match="already read once"):
        list(log)


def test_a_log_from_an_open_file_reads_once() -> None:
    log = EventLog(io.StringIO(csv_text("e1,message,2025-10-03T14:05,,,s-01,p-a,text,,,")),
                   PROGRAM)
    assert len(list(log)) == 1
    with pytest.raises(UsageError):
        list(log)


def test_a_log_from_a_path_or_a_list_reads_again_and_recounts(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(MESSY, encoding="utf-8")
    for source in (path, list(rows())):
        log = EventLog(source, PROGRAM)
        first = list(log)
        counts = log.counts
        assert list(log) == first
        assert log.counts == counts


def test_an_end_written_as_a_day_means_the_end_of_that_day() -> None:
    """ "Away 3 to 7 November" includes the 7th: the absence ends at 00:00 on the 8th."""
    import mentorrules as mr

    program = mr.load_program("umms")
    row = {"id": "a-1", "type": "absence", "at": "2025-11-01T09:00", "start": "2025-11-03",
           "end": "2025-11-07", "from": "m3-01", "to": "m4-01"}
    csv_text = "id,type,at,start,end,from,to\na-1,absence,2025-11-01T09:00,2025-11-03,2025-11-07,m3-01,m4-01\n"
    import io

    for source in ([row], io.StringIO(csv_text)):
        (event,) = mr.read_events(source, program, strict=True)
        assert event.start is not None
        assert event.end is not None
        assert event.start.isoformat() == "2025-11-03T00:00:00-05:00"
        assert event.end.isoformat() == "2025-11-08T00:00:00-05:00"


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(ROWS, st.booleans(), st.booleans()), max_size=10))
def test_a_list_of_mappings_parses_as_the_reference_parses_each(
        rows: list[tuple[dict[str, str], bool, bool]]) -> None:
    """Mappings parsed a list at a time (JSON Lines, dicts): each is the reference's event,
    or is passed on; a list of recipients is cached by its texts."""
    items: list[Any] = []
    for number, (row, to_list, extra) in enumerate(rows, start=3):
        record: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
        if to_list and "to" in record:
            record["to"] = record["to"].split(";")
        if extra:
            record["room"] = "B2"
        items.append((number, record))
    items.append(BadRow(99, "not a row"))
    out: list[Event] = []
    passed: list[Any] = []

    def other(item: Any) -> None:
        passed.append(item)

    parser = FastParser(TZ)
    parser.records(items, out, other)
    parser.records(items, out, other)  # again, with the caches filled
    assert len(out) + len(passed) == 2 * len(items)
    assert passed[-1] == items[-1]
    made = iter(out)
    for item in items * 2:
        if any(item is p for p in passed):
            continue
        number, record = item
        assert same_event(next(made), parse_event(record, TZ, number))


@pytest.mark.parametrize("line", ['{"id": "e1"}', '{"id": "e1"} ', '{"id": "e1"}\r\n',
                                  '{"id": "e1"}\x0c', '{"id": "e1"}\u2028', '{"id": "e1"} x',
                                  '{"id": "e1"}{}', '{"id": "e1", }', '{"id": NaN}', '{',
                                  '{"a": {"b": [1, 2.5, null, true]}}', ' {"id": "e1"}', "[1]"])
def test_a_json_line_decodes_as_the_json_decoder_decodes_it(line: str) -> None:
    from mentorrules.tabular import _JSON, _json_decode

    def outcome(decode: Any) -> Any:
        try:
            return decode(line)
        except ValueError as exc:
            return f"{type(exc).__name__}: {exc}"

    assert outcome(_json_decode) == outcome(_JSON.decode)
