"""Row accounting on every hostile file: read = used + rejected, and no line goes missing.

The counts alone could balance while a row vanished inside another (a quote left
open swallows the lines after it), so each non-blank line of every file must be
accounted for: the line of a used row, the line of a rejected row, or one of the
lines a rejected row says it ran over.
"""

from __future__ import annotations

import pytest

import mentorrules as mr

from .corpus import HOSTILE, PROGRAM, covered_lines, data_lines, entries, expected, read

READ = [(kind, name) for kind, name in entries("rosters", "events")
        if "rows" in expected(kind, name)]


@pytest.mark.parametrize(("kind", "name"), READ)
def test_read_equals_used_plus_rejected_and_no_line_is_lost(kind: str, name: str) -> None:
    path = HOSTILE / name
    outcome = read(kind, path)
    assert outcome.error is None
    assert outcome.read == outcome.used + len(outcome.rejected)
    assert all(row.reason and row.line for row in outcome.rejected)
    lost = sorted(set(data_lines(path, kind)) - covered_lines(outcome))
    assert lost == [], f"lines neither used nor rejected: {lost}"


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md"])
def test_every_report_says_how_many_rows_were_read_used_and_rejected(fmt: str) -> None:
    from mentorrules.export.report import render_report, render_status

    events = HOSTILE / "csv/events-bad-rows.csv"
    report = mr.check(PROGRAM, HOSTILE / "csv/roster-bad-rows.csv", events,
                      as_of="2026-06-01", metrics=False)
    assert report.rows["roster"].model_dump() == {"read": 6, "used": 2, "rejected": 4}
    assert report.rows["events"].model_dump() == {"read": 11, "used": 0, "rejected": 11}
    assert len(report.rejected) == 15
    status = mr.status(PROGRAM, HOSTILE / "csv/roster-bad-rows.csv", events, as_of="2026-06-01")
    assert status.rows == report.rows
    assert status.rejected == report.rejected
    rendered = render_report(report, fmt)
    if fmt == "text":
        assert "roster: 6 rows read, 2 used, 4 rejected" in rendered
        assert "events: 11 rows read, 0 used, 11 rejected" in rendered
        assert "rejected rows (15):" in rendered
        assert "events-bad-rows.csv:12: '2025-10-02T09:00+25:00' is not an ISO 8601" in rendered
    elif fmt == "md":
        assert "- events: 11 rows read, 0 used, 11 rejected" in rendered
    elif fmt == "json":
        assert '"rejected": 11' in rendered
        assert rendered.count('"reason"') == 15
    text = render_status(status, "text")
    assert "events: 11 rows read, 0 used, 11 rejected" in text


def test_rows_given_as_python_objects_are_counted_too() -> None:
    """An app that keeps its log in a database passes rows; hostile values are rejected."""
    program = mr.load_program(PROGRAM)
    rows: list[object] = [
        {"id": "p-a", "role": "mentor", "level": "M3", "units": ["c1"]},
        {"id": "p-b", "role": "mentor", "level": "M4", "units": "c1"},
        {"id": "s-01", "role": "mentee", "level": "M1", "units": {"c1": 1}},
        {"id": "", "role": "mentee"},
        ["not", "a", "mapping"],
        None,
        {"id": "s-02", "role": "robot"},
    ]
    roster = mr.read_roster(rows, program)
    assert roster.counts.model_dump() == {"read": 7, "used": 2, "rejected": 5}
    events: list[object] = [
        {"id": "e1", "type": "message", "at": "2025-10-02T09:00", "from": "p-a", "to": ["p-b"],
         "channel": "text"},
        {"id": "e2", "type": "message", "at": 12.5, "from": "p-a", "to": "p-b", "channel": "text"},
        {"id": "e3", "type": "message", "at": None},
        42,
        {"id": "e1", "type": "message", "at": "2025-10-03T09:00", "from": "p-a", "to": "p-b",
         "channel": "text"},
    ]
    report = mr.check(program, roster, events, as_of="2026-06-01", metrics=False)
    assert report.rows["events"].model_dump() == {"read": 5, "used": 1, "rejected": 4}
