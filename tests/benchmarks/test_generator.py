"""The benchmark data generator: seeded, deterministic, and data the library reads cleanly.

Also the end-to-end guard of the readers' fast path: the generated log read
through ``check`` gives the same events and findings as the reference reading
(every row through ``parse_event``), as CSV, as JSON Lines and shuffled.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from benchmarks.generate import AS_OF, SIZES, STATUS_AS_OF, Size, generate

import mentorrules as mr
from mentorrules.activity.readers import COLUMNS, REQUIRED, parse_event
from mentorrules.engine import Monitor, resolve_as_of, run_check, run_status
from mentorrules.tabular import BadRow, read_rows

FILES = ("program.yaml", "roster.csv", "events.csv", "events.jsonl", "events-shuffled.csv",
         "meta.json")


def digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


def reference_events(path: Path, program: mr.Program) -> list[mr.Event]:
    """Every row through ``parse_event``, the reference the fast path must equal."""
    events = []
    for row in read_rows(path, required=REQUIRED, known=COLUMNS, what="activity log"):
        assert not isinstance(row, BadRow)
        line, record = row
        events.append(parse_event(record, program.tz, line))
    return events


def test_the_same_seed_writes_the_same_bytes(tiny: Path, tmp_path: Path) -> None:
    generate(SIZES["tiny"], tmp_path / "again")
    assert digest(tmp_path / "again") == digest(tiny)


def test_another_seed_writes_another_year(tiny: Path, tmp_path: Path) -> None:
    generate(SIZES["tiny"], tmp_path / "other", seed=7)
    assert digest(tmp_path / "other")["events.csv"] != digest(tiny)["events.csv"]


def test_a_size_is_its_units_and_events(tmp_path: Path) -> None:
    meta = generate(Size("two", 2, (12, 15), 400), tmp_path)
    assert (meta["units"], meta["events"]) == (2, 800)
    assert 2 * 12 <= meta["mentees"] <= 2 * 15
    assert meta["mentors"] == 4


def test_the_generated_program_roster_and_log_read_cleanly(tiny: Path) -> None:
    program = mr.load_program(tiny / "program.yaml")
    assert program.units.recruitment == {"M3": 3, "M4": 3}
    roster = mr.read_roster(tiny / "roster.csv", program)
    assert roster.rejected == ()
    assert len(roster.regular_units()) == 3
    assert [u.id for u in roster.overlay_units()] == ["md-phd"]
    report = mr.check(program, roster, tiny / "events.csv", as_of=AS_OF)
    assert report.rejected == ()
    assert report.notes == ()
    assert report.rows["events"].used == 900
    rules = {f.rule for f in report.findings}
    assert {"reply-texts-calls", "reply-emails"} <= rules


def test_the_fast_path_reads_every_generated_row_as_the_reference(tiny: Path) -> None:
    program = mr.load_program(tiny / "program.yaml")
    fast = list(mr.read_events(tiny / "events.csv", program))
    reference = reference_events(tiny / "events.csv", program)
    assert fast == reference
    assert [(e.line, e.at.tzinfo, e.ts) for e in fast] == [
        (e.line, e.at.tzinfo, e.ts) for e in reference]


def test_csv_json_lines_and_shuffled_logs_give_the_same_findings(tiny: Path) -> None:
    program = mr.load_program(tiny / "program.yaml")
    roster = mr.read_roster(tiny / "roster.csv", program)
    reports = {name: mr.check(program, roster, tiny / name, as_of=AS_OF)
               for name in ("events.csv", "events.jsonl", "events-shuffled.csv")}
    findings = {name: r.findings for name, r in reports.items()}
    assert findings["events.csv"] == findings["events.jsonl"] == findings["events-shuffled.csv"]
    assert reports["events-shuffled.csv"].notes != ()


@pytest.mark.slow
def test_a_20000_event_year_checks_as_the_reference_reads_it(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    meta = generate(SIZES["small"], folder)
    assert meta["events"] == 20_000
    program = mr.load_program(folder / "program.yaml")
    roster = mr.read_roster(folder / "roster.csv", program)
    as_of = resolve_as_of(program, AS_OF)
    report = mr.check(program, roster, folder / "events.csv", as_of=as_of)
    assert report.rejected == ()
    reference = reference_events(folder / "events.csv", program)
    want = run_check(program, roster, reference, as_of)
    assert report.findings == want.findings
    assert report.metrics == want.metrics
    for name in ("events.jsonl", "events-shuffled.csv"):
        assert mr.check(program, roster, folder / name, as_of=as_of).findings == want.findings

    moment = resolve_as_of(program, STATUS_AS_OF)
    monitor = Monitor(program, roster, moment)
    monitor.feed_many(reference)
    fresh = run_status(program, roster, reference, moment)
    for mentor in ("m0001a", "m0001b", "m0007a", "m0020b"):
        assert monitor.status_of(mentor) == fresh.for_mentor(mentor)


@pytest.mark.slow
def test_the_pandas_script_finds_what_check_finds(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from benchmarks.pandas_findings import of_report, run

    folder = tmp_path / "small"
    generate(SIZES["small"], folder)
    report = mr.check(folder / "program.yaml", folder / "roster.csv", folder / "events.csv",
                      as_of=AS_OF)
    assert run(folder, AS_OF) == of_report(report.findings)

