"""`mentorrules check PROGRAM --roster FILE`: formats, --fail-on and exit codes (SPEC section 7).

Exit 0 clean, 1 findings at or above --fail-on, 2 bad input. The programs are
tests/data/rosters/pairs.yaml (three Mentor Pairs) and the built-in programs; without
--events only the roster (structure) rules are checked.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mentorrules.cli import main

DATA = Path(__file__).parents[1] / "data" / "rosters"
SAMPLES = Path(__file__).parents[2] / "src" / "mentorrules" / "builtin" / "samples"
PAIRS = str(DATA / "pairs.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def roster(name: str) -> str:
    return str(DATA / name)


def test_a_clean_roster_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, PAIRS, "--roster", roster("pairs.csv"))
    assert (code, err) == (0, "")
    assert "0 errors, 0 warnings, 0 info" in out
    assert "roster: 19 rows read, 19 used, 0 rejected" in out
    assert "no findings: everything checked is in order" in out


def test_json_lines_rosters_are_read_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, PAIRS, "--roster", roster("pairs.jsonl"))
    assert code == 0
    assert "roster: 19 rows read, 19 used, 0 rejected" in out


def test_text_groups_findings_by_unit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-two-m3.csv"))
    assert code == 1
    program, unit = out.split("\nprogram\n")[1].split("\nunit c02\n")
    assert program.count("recruit-3-per-year: pairs") == 2
    assert "  error   pair-composition: c02\n" in unit
    assert "Cohort c02's mentors are Kofi Mensah (m-3, M3) and Søren Berg (m-4, M3)" in unit
    assert "evidence: m-3, m-4" in unit


def test_no_colour_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-two-m3.csv"))
    assert "\x1b[" not in out


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_a_warning_fails_only_from_warning_up(capsys: pytest.CaptureFixture[str], fail_on: str,
                                               code: int) -> None:
    result, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-community-mismatch.csv"),
                         "--fail-on", fail_on)
    assert result == code
    assert "0 errors, 1 warning, 0 info" in out


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_an_error_fails_unless_never(capsys: pytest.CaptureFixture[str], fail_on: str,
                                     code: int) -> None:
    result, _, _ = run(capsys, PAIRS, "--roster", roster("pairs-cohort-too-small.csv"),
                       "--fail-on", fail_on)
    assert result == code


def test_information_alone_never_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-community-missing.csv"),
                       "--fail-on", "warning")
    assert code == 0
    assert "0 errors, 0 warnings, 1 info" in out


def test_json_has_the_findings_of_spec_section_4(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-cohort-too-small.csv"),
                       "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["program"] == "pairs"
    assert data["summary"] == {"error": 1, "warning": 0, "info": 0}
    (finding,) = data["findings"]
    assert {k: finding[k] for k in ("rule", "kind", "severity", "subject", "unit", "period",
                                    "due", "evidence")} == {
        "rule": "cohort-2-3", "kind": "cohort-size", "severity": "error", "subject": "c02",
        "unit": "c02", "period": None, "due": None, "evidence": ["s-3"]}
    assert finding["message"].startswith("Cohort c02 has 1 mentee, fewer than 2;")


def test_csv_is_one_row_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-mentee-wrong-level.csv"),
                    "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["rule"], r["subject"], r["unit"]) for r in rows] == [
        ("cohort-2-3", "s-3", "c02"), ("cohort-2-3", "s-4", "c02")]


def test_markdown_is_a_table_per_unit(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-mentee-two-units.csv"),
                    "--format", "md")
    assert "## c03\n" in out
    assert "| error | every-mentee-assigned | s-8 |" in out


def test_bad_rows_are_errors_that_name_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, PAIRS, "--roster", roster("pairs-bad-rows.csv"))
    assert code == 1
    assert "roster: 22 rows read, 19 used, 3 rejected" in out
    assert "pairs-bad-rows.csv:11: id 's-3' is already used on line 10" in out
    assert "known-ids: line 12" in out


def test_strict_stops_at_the_first_bad_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, PAIRS, "--roster", roster("pairs-bad-rows.csv"), "--strict")
    assert (code, out) == (2, "")
    assert "pairs-bad-rows.csv:11" in err
    assert "Traceback" not in err


def test_a_roster_with_mistakes_reads_like_the_handbook(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "umms", "--roster", roster("umms-mistakes.csv"))
    assert code == 1
    assert "8 errors, 1 warning, 0 info" in out
    assert ("Cohort c07 has 11 mentees, fewer than 12; the handbook says \"Mentor Pairs are "
            "assigned to the cohort of 12-15 first- and second-year students belonging to the "
            "Faculty Mentor.\"") in out
    assert "Cohort c5 is named only by Rahul Miller (s-189) on line 235" in out


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_the_samples_check_clean_under_the_builtin_programs(
        capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, name, "--roster", str(SAMPLES / name / "roster.csv"),
                       "--fail-on", "warning")
    assert code == 0, out[:2000]
    assert "0 errors, 0 warnings, 0 info" in out
    rows = {"umms": 434, "medmentors": 160}[name]
    assert f"roster: {rows} rows read, {rows} used, 0 rejected" in out


def test_the_readme_example(capsys: pytest.CaptureFixture[str]) -> None:
    # The README's "Rosters" section shows readme-example.csv and this output.
    code, out, _ = run(capsys, "umms", "--roster", roster("readme-example.csv"))
    assert code == 1
    assert "5 errors, 1 warning, 0 info" in out.splitlines()[0]
    expected = (DATA / "readme-example.txt").read_text(encoding="utf-8")
    assert out.split("\n\n", 1)[1] == expected
