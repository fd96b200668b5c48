"""Names, ids, topics and program texts that try to inject into exports, and fail.

The export corpus (``tests/data/hostile/export``) holds names and ids with CR,
LF, ``;``, ``,``, ``:``, control characters and spreadsheet formulas (``=``,
``+``, ``-``, ``@`` at the start), and program texts that spell out
``BEGIN:VEVENT`` and ``END:VCALENDAR`` after a line break. Every renderer must
keep them as text:

- CSV: parsed back, no cell starts with a formula character (``'`` is put before
  it) and every id survives;
- Markdown: one table row per finding, with as many cells as the header;
- text: no control character reaches the terminal;
- iCalendar: parsed back with ``icalendar`` and ``ical``, no property or
  component appears that a harmless calendar does not have, and the hostile
  names survive as text (line breaks as line breaks, controls removed).
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

import mentorrules as mr
from mentorrules.export.ical import calendars_per_mentor, clean_text
from mentorrules.export.report import render_report, render_status

from .corpus import HOSTILE, PROGRAM, ROSTER

EXPORT = HOSTILE / "export"
FORMULA = tuple("=+-@\t\r")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@cache
def inputs() -> tuple[mr.Program, mr.Roster]:
    program = mr.load_program(EXPORT / "program-injection.yaml")
    return program, mr.read_roster(EXPORT / "roster-injection.csv", program)


@cache
def report() -> mr.Report:
    program, roster = inputs()
    return mr.check(program, roster, EXPORT / "events-injection.csv", as_of="2026-06-01",
                    metrics=False)


@cache
def status() -> mr.Status:
    program, roster = inputs()
    return mr.status(program, roster, EXPORT / "events-injection.csv", as_of="2025-10-10")


def test_the_injection_corpus_reads_whole() -> None:
    _, roster = inputs()
    assert roster.counts.model_dump() == {"read": 12, "used": 12, "rejected": 0}
    assert report().rows["events"].model_dump() == {"read": 4, "used": 4, "rejected": 0}
    assert report().findings
    assert status().obligations
    assert any(p.id.startswith(FORMULA) for p in roster.people.values())


@pytest.mark.parametrize("which", ["report", "status"])
def test_csv_cells_never_start_a_formula_and_ids_survive(which: str) -> None:
    text = render_report(report(), "csv") if which == "report" else render_status(status(), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    items = report().findings if which == "report" else status().obligations
    assert len(rows) == len(items) + 1
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA)]
    shown = {cell.removeprefix("'") for cell in cells}
    for item in items:
        assert item.subject in shown
        assert ";".join(item.mentors) in shown
        assert ";".join(item.evidence) in shown
    formulas = [cell for cell in cells if cell.startswith("'") and cell[1:2] in "=+-@"]
    assert formulas, "the corpus must put formula characters at the start of cells"
    # A CR inside a cell stays inside it (quoted), so it cannot start a row with '='.
    assert any("s8\r=HYPERLINK" in cell for cell in cells)


@pytest.mark.parametrize("which", ["report", "status"])
def test_markdown_rows_keep_their_cells(which: str) -> None:
    text = (render_report(report(), "md") if which == "report"
            else render_status(status(), "md"))
    assert not CONTROL.search(text)
    assert "<" not in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert len(widths) == 1, widths
    items = report().findings if which == "report" else status().obligations
    assert len(table) == len(items) + 2 * (text.count("\n| severity") or 1)


@pytest.mark.parametrize("which", ["report", "status"])
def test_text_sends_no_control_character_to_the_terminal(which: str) -> None:
    text = (render_report(report(), "text") if which == "report"
            else render_status(status(), "text"))
    assert not CONTROL.search(text)
    assert "\x1b" not in text


def test_json_keeps_every_string_exactly() -> None:
    data = json.loads(render_report(report(), "json"))
    subjects = {f["subject"] for f in data["findings"]}
    assert subjects == {f.subject for f in report().findings}


@cache
def allowed_names() -> frozenset[str]:
    """Property and component names a harmless calendar of the same shape uses."""
    program = mr.load_program(PROGRAM)
    roster = mr.read_roster(ROSTER, program)
    harmless = mr.calendar(program, roster, unit="c1", include_names=True)
    return frozenset(names(harmless)) | {"VALARM", "ACTION", "TRIGGER", "LOCATION"}


def names(ics: bytes) -> list[str]:
    unfolded = ics.decode("utf-8").replace("\r\n ", "").split("\r\n")
    found = []
    for line in unfolded:
        if not line:
            continue
        name = re.match(r"[A-Za-z0-9-]+", line)
        assert name is not None, line
        found.append(line[name.end():] if name[0] in ("BEGIN", "END") else name[0])
    return [n.removeprefix(":") for n in found]


def calendars() -> dict[str, bytes]:
    program, roster = inputs()
    made = {f"unit {unit}": mr.calendar(program, roster, unit=unit, include_names=True,
                                        events=EXPORT / "events-injection.csv",
                                        as_of="2025-10-10")
            for unit in ("c1", "=unit")}
    made.update({f"mentor {m}": ics for m, ics in
                 calendars_per_mentor(program, roster, status=status(), include_names=True).items()})
    return made


def test_icalendar_output_has_no_injected_property_or_component() -> None:
    _program, roster = inputs()
    made = calendars()
    assert len(made) == 2 + len(roster.with_role("mentor"))
    for label, ics in made.items():
        assert set(names(ics)) <= allowed_names(), (label, set(names(ics)) - allowed_names())
        lines = ics.decode("utf-8").split("\r\n")
        assert lines.count("BEGIN:VCALENDAR") == lines.count("END:VCALENDAR") == 1
        assert lines[-2] == "END:VCALENDAR"
        assert not CONTROL.search(ics.decode("utf-8").replace("\r\n", ""))
        loose = icalendar.Calendar.from_ical(ics)
        strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
        raw_events = lines.count("BEGIN:VEVENT")
        assert len(loose.walk("VEVENT")) == len(strict.events) == raw_events
        assert not [c for c in loose.subcomponents
                    if c.name not in ("VEVENT", "VTIMEZONE")], label


def unescape(value: str) -> str:
    """An RFC 5545 TEXT value as text (icalendar leaves X- properties escaped)."""
    return re.sub(r"\\([\\;,nN])",
                  lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_hostile_texts_survive_as_text() -> None:
    program, roster = inputs()
    item = program.schedule[0]
    ics = mr.calendar(program, roster, unit="c1", include_names=True)
    loose = icalendar.Calendar.from_ical(ics)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    raw_name = loose["X-WR-CALNAME"].to_ical()
    calname = unescape(raw_name.decode("utf-8") if isinstance(raw_name, bytes) else raw_name)
    assert calname == f"{clean_text(program.title)}: {clean_text(program.units.name)} c1"
    meetings = [e for e in strict.events if e.summary == clean_text(item.title)]
    assert meetings, [e.summary for e in strict.events]
    meeting = meetings[0]
    assert meeting.location == clean_text(item.location or "")
    description = meeting.description or ""
    for person in roster.with_role("mentor"):
        if "c1" in person.units:
            assert clean_text(person.name) in description, person.name
    for person in roster.with_role("mentee"):
        if "c1" in person.units:
            assert clean_text(person.name) in description, person.name
    # The default export names no mentee.
    quiet = mr.calendar(program, roster, unit="c1").decode("utf-8").replace("\r\n ", "")
    assert "Cy" not in quiet
    assert "DROP TABLE" not in quiet
