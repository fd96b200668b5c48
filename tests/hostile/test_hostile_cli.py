"""The hostile corpus at the command line: exit 2 and one line for refused input, never a traceback.

Every file runs through ``mentorrules.cli.main`` in this process; a handful run
as ``python -m mentorrules.cli`` to prove that nothing reaches standard error but
the one line. Inputs that are read (lenient, the default) exit 0 or 1 with the
row counts and every rejected row in the report; ``--strict`` stops at the first
bad row with exit 2 and one line naming its file and line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mentorrules.cli import main
from mentorrules.export.report import render_report
from mentorrules.report import Report, RowCounts

from .corpus import AS_OF, HOSTILE, PROGRAM, ROSTER, entries, expected

#: The reports say "1 row read" for one row (and "N rows read" otherwise).
ONE_ROW = "1 row read" in render_report(
    Report(program="p", as_of=datetime(2025, 1, 1, tzinfo=UTC),
           rows={"x": RowCounts(read=1, used=1)}), "text")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, *fragments: str, prefix: str = "mentorrules: error: ") -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(prefix), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def command(kind: str, path: Path, *extra: str) -> list[str | Path]:
    if kind == "programs":
        return ["check", path, "--roster", ROSTER, *extra]
    if kind == "rosters":
        return ["check", PROGRAM, "--roster", path, "--no-metrics", *extra]
    return ["check", PROGRAM, "--roster", ROSTER, "--events", path, "--as-of", AS_OF,
            "--no-metrics", *extra]


def counts_line(label: str, counts: dict[str, int]) -> str:
    """``events: 11 rows read, 0 used, 11 rejected`` (``1 row read`` for one)."""
    rows = "row" if counts["read"] == 1 and ONE_ROW else "rows"
    return (f"{label}: {counts['read']:,} {rows} read, {counts['used']:,} used, "
            f"{counts['rejected']:,} rejected")


def assert_lists_rows(out: str, entry: dict[str, Any], kind: str, path: Path) -> None:
    counts = entry["rows"]
    label = "roster" if kind == "rosters" else "events"
    assert counts_line(label, counts) in out, out
    if counts["rejected"]:
        assert f"rejected rows ({counts['rejected']}):" in out
    for line, fragment in entry.get("rejected", {}).items():
        assert f"{path}:{line}: " in out, (line, out)
        shown = " ".join(fragment.split())
        assert shown in out, (fragment, out)


@pytest.mark.parametrize(("kind", "name"), entries("programs", "rosters", "events"))
def test_cli(capsys: pytest.CaptureFixture[str], kind: str, name: str) -> None:
    path = HOSTILE / name
    entry = expected(kind, name)
    code, out, err = run(capsys, *command(kind, path))
    if "error" in entry:
        assert code == 2
        one_line(err, entry["error"]["at"], " ".join(entry["error"]["message"].split()))
        return
    assert code in (0, 1), err
    assert err == ""
    if "rows" in entry:
        assert_lists_rows(out, entry, kind, path)


@pytest.mark.parametrize(("kind", "name"), entries("programs"))
def test_lint(capsys: pytest.CaptureFixture[str], kind: str, name: str) -> None:
    entry = expected(kind, name)
    code, out, err = run(capsys, "lint", HOSTILE / name)
    if "error" in entry:
        assert code == 2
        one_line(err, entry["error"]["at"], entry["error"]["message"], prefix=str(HOSTILE))
    else:
        assert code == 0, err
        assert ": ok (" in out


@pytest.mark.parametrize(("kind", "name"), [(k, n) for k, n in entries("rosters", "events")
                                            if "strict" in expected(k, n)])
def test_strict(capsys: pytest.CaptureFixture[str], kind: str, name: str) -> None:
    entry = expected(kind, name)
    code, _, err = run(capsys, *command(kind, HOSTILE / name, "--strict"))
    assert code == 2
    one_line(err, entry["strict"]["at"], " ".join(entry["strict"]["message"].split()))


@pytest.mark.parametrize("name", [n for k, n in entries("events") if "rows" in expected(k, n)])
def test_status_reads_the_same_rows(capsys: pytest.CaptureFixture[str], name: str) -> None:
    entry = expected("events", name)
    code, out, err = run(capsys, "status", PROGRAM, "--roster", ROSTER, "--events",
                         HOSTILE / name, "--as-of", AS_OF)
    assert code == 0, err
    counts = entry["rows"]
    assert counts_line("events", counts) in out


SUBPROCESS = [
    ["lint", HOSTILE / "yaml/alias-bomb.yaml"],
    ["check", HOSTILE / "yaml/deep-nesting-flow.yaml", "--roster", ROSTER],
    ["check", HOSTILE / "yaml/binary.yaml", "--roster", ROSTER],
    ["check", HOSTILE / "yaml/python-object-new.yaml", "--roster", ROSTER],
    ["check", HOSTILE / "yaml/control-chars.yaml", "--roster", ROSTER],
    ["check", PROGRAM, "--roster", HOSTILE / "csv/roster-binary.csv"],
    ["check", PROGRAM, "--roster", HOSTILE / "csv/roster-empty.csv"],
    ["check", PROGRAM, "--roster", ROSTER, "--events", HOSTILE / "csv/events-latin1.csv",
     "--strict"],
    ["status", PROGRAM, "--roster", ROSTER, "--events", HOSTILE / "csv/events-bad-rows.csv",
     "--strict"],
    ["calendar", HOSTILE / "yaml/tabs.yaml", "--roster", ROSTER],
    ["calendar", PROGRAM, "--roster", HOSTILE / "csv/roster-semicolons.csv"],
]


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MENTORRULES_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2] / "src"),
                                         env.get("PYTHONPATH", "")])
    return env


@pytest.mark.parametrize("argv", SUBPROCESS, ids=lambda argv: Path(str(argv[1])).name
                         if argv[0] == "lint" else f"{argv[0]}-{Path(str(argv[-1])).name}")
def test_no_traceback_reaches_stderr(argv: list[str | Path]) -> None:
    result = subprocess.run([sys.executable, "-m", "mentorrules.cli", *map(str, argv)],
                            capture_output=True, text=True, timeout=60, env=cli_env(),
                            check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    prefix = str(HOSTILE) if argv[0] == "lint" else "mentorrules: error: "
    one_line(result.stderr, prefix=prefix)


def test_calendar_of_hostile_names_in_a_subprocess(tmp_path: Path) -> None:
    export = HOSTILE / "export"
    out = tmp_path / "c1.ics"
    result = subprocess.run(
        [sys.executable, "-m", "mentorrules.cli", "calendar", str(export / "program-injection.yaml"),
         "--roster", str(export / "roster-injection.csv"), "--unit", "c1", "--include-names",
         "--events", str(export / "events-injection.csv"), "--as-of", "2025-10-10", "-o", str(out)],
        capture_output=True, text=True, timeout=60, env=cli_env(), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_lenient_subprocess_lists_rejected_rows() -> None:
    path = HOSTILE / "csv/events-open-quote.csv"
    result = subprocess.run(
        [sys.executable, "-m", "mentorrules.cli", "check", str(PROGRAM), "--roster", str(ROSTER),
         "--events", str(path), "--as-of", AS_OF],
        capture_output=True, text=True, timeout=60, env=cli_env(), check=False)
    assert result.returncode == 1  # the roster's mentees had no contact: findings
    assert result.stderr == ""
    assert counts_line("events", {"read": 1, "used": 0, "rejected": 1}) in result.stdout
    assert f"{path}:2: cannot split the row into fields: a quote is left open" in result.stdout


def test_a_program_with_several_problems_is_still_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    many = Path(__file__).parents[1] / "data" / "bad-programs" / "many-problems.yaml"
    code, _, err = run(capsys, "check", many, "--roster", ROSTER)
    assert code == 2
    one_line(err, "many-problems.yaml:4:11", "(and 4 more problems)")


def test_an_output_path_that_cannot_be_written_is_bad_usage(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "calendar", PROGRAM, "--roster", ROSTER, "-o",
                       tmp_path / "missing" / "x.ics")
    assert code == 2
    one_line(err, "missing")


def test_calendar_says_which_roster_rows_it_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar", PROGRAM, "--roster",
                         HOSTILE / "csv/roster-bad-rows.csv", "--unit", "c1")
    assert code == 0
    assert out.startswith("BEGIN:VCALENDAR")
    assert "4 rejected" in err
