"""Bad input at the command line: one clear line on stderr, exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorrules.cli import main

DATA = Path(__file__).parent.parent / "data" / "cli"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mentorrules: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_missing_roster_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umms", "--roster", str(DATA / "nope.csv"))
    assert code == 2
    assert_one_line_error(err, "nope.csv", "no such file")


def test_roster_without_a_required_column_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umms", "--roster", str(DATA / "roster-no-role.csv"))
    assert code == 2
    assert_one_line_error(err, "roster-no-role.csv:1", "'role'")


def test_roster_with_the_wrong_delimiter_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umms", "--roster", str(DATA / "roster-semicolons.csv"))
    assert code == 2
    assert_one_line_error(err, "';'", "commas")


def test_unknown_program_name_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umm", "--roster", str(DATA / "roster-one.csv"))
    assert code == 2
    assert_one_line_error(err, "'umm'", "umms")


def test_bad_as_of_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umms", "--roster", str(DATA / "roster-one.csv"),
                       "--as-of", "next tuesday")
    assert code == 2
    assert_one_line_error(err, "--as-of", "ISO 8601")


def test_as_of_in_the_autumn_repeated_hour_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umms", "--roster", str(DATA / "roster-one.csv"),
                       "--as-of", "2025-11-02T01:30")
    assert code == 2
    assert_one_line_error(err, "happens twice", "UTC offset")


def test_strict_mode_stops_at_the_first_bad_event_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "umms", "--roster", str(DATA / "roster-one.csv"),
                       "--events", str(DATA / "events-ambiguous.csv"), "--strict")
    assert code == 2
    assert_one_line_error(err, "events-ambiguous.csv:2", "happens twice")


def test_lint_prints_one_line_per_problem_with_file_line_column(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lint", str(DATA / "bad-program.yaml"))
    assert code == 2
    lines = err.strip().splitlines()
    assert any("bad-program.yaml:2:1" in line and "'titel'" in line and "title" in line
               for line in lines)
    assert all(line.startswith(str(DATA / "bad-program.yaml")) for line in lines)


def test_lint_of_the_built_in_programs_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).parents[2]
    code, out, _ = run(capsys, "lint", str(root / "programs" / "umms.yaml"),
                       str(root / "programs" / "medmentors.yaml"), "umms")
    assert code == 0
    assert out.count(": ok") == 3


def test_status_needs_events(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["status", "umms", "--roster", str(DATA / "roster-one.csv")])
    assert exit_info.value.code == 2
    assert "--events" in capsys.readouterr().err


def test_calendar_all_needs_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "calendar", "umms", "--roster", str(DATA / "roster-one.csv"),
                       "--all")
    assert code == 2
    assert_one_line_error(err, "-o DIR")
