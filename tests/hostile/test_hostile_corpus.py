"""Every file of the hostile corpus gives what MANIFEST.yaml says, quickly, through the library.

Refused inputs raise a :class:`~mentorrules.errors.MentorRulesError` naming the
file, line (and column) and what to do; read inputs give exact row counts, each
rejected row with its line and reason; a strict read stops at the first bad row
with its line. The same holds when the input comes as an open file rather than
a path (the stream path of the readers).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from mentorrules.errors import (
    InputError,
    LimitExceededError,
    MentorRulesError,
    ProgramLimitError,
    RowError,
)

from .corpus import HOSTILE, SECONDS, Outcome, entries, expected, manifest, read

CORPUS = entries("programs", "rosters", "events")
READ = [(kind, name) for kind, name in entries("rosters", "events")
        if "rows" in expected(kind, name)]
REFUSED = [(kind, name) for kind, name in CORPUS if "error" in expected(kind, name)]


def test_the_manifest_lists_every_file_and_only_files_that_exist() -> None:
    on_disk = {str(p.relative_to(HOSTILE)) for folder in ("yaml", "csv", "jsonl", "export")
               for p in (HOSTILE / folder).iterdir()}
    listed = {name for section in ("programs", "rosters", "events", "exports")
              for name in manifest()[section]}
    assert on_disk == listed
    assert all(entry.get("covers") for section in manifest().values()
               for entry in section.values())


def assert_refused(outcome: Outcome, error: dict[str, str]) -> None:
    assert outcome.error is not None, f"accepted: {outcome}"
    text = str(outcome.error)
    assert error["at"] in text, text
    assert error["message"] in text, text
    assert isinstance(outcome.error, InputError)
    # One line, and it ends with what to do next.
    assert "\n" not in text
    assert outcome.error.problems[0].hint, text


def assert_read(outcome: Outcome, entry: dict[str, Any]) -> None:
    assert outcome.error is None, str(outcome.error)
    counts = entry["rows"]
    assert (outcome.read, outcome.used, len(outcome.rejected)) == (
        counts["read"], counts["used"], counts["rejected"])
    assert outcome.read == outcome.used + len(outcome.rejected)
    wanted = entry.get("rejected", {})
    got = outcome.rejected_by_line
    assert sorted(got, key=lambda line: line or 0) == sorted(wanted), got
    for line, fragment in wanted.items():
        assert fragment in got[line], (line, got[line])
    for fragment in entry.get("notes", ()):
        assert any(fragment in note for note in outcome.notes), outcome.notes


@pytest.mark.parametrize(("kind", "name"), CORPUS)
def test_corpus_file(kind: str, name: str) -> None:
    entry = expected(kind, name)
    outcome = read(kind, HOSTILE / name)
    assert outcome.seconds < SECONDS
    if "error" in entry:
        assert_refused(outcome, entry["error"])
    elif "accepted" in entry:
        assert outcome.error is None, str(outcome.error)
    else:
        assert_read(outcome, entry)


@pytest.mark.parametrize(("kind", "name"), READ)
def test_strict_stops_at_the_first_bad_row(kind: str, name: str) -> None:
    entry = expected(kind, name)
    outcome = read(kind, HOSTILE / name, strict=True)
    if "strict" not in entry:  # nothing to reject: strict reads the same
        assert entry["rows"]["rejected"] == 0
        assert_read(outcome, entry)
        return
    assert isinstance(outcome.error, RowError), outcome
    text = str(outcome.error)
    assert entry["strict"]["at"] in text, text
    assert entry["strict"]["message"] in text, text
    first = min(line for line in entry["rejected"])
    assert outcome.error.line == first


@pytest.mark.parametrize(("kind", "name"), REFUSED)
def test_a_refused_file_is_refused_in_strict_mode_too(kind: str, name: str) -> None:
    outcome = read(kind, HOSTILE / name, strict=True)
    assert_refused(outcome, expected(kind, name)["error"])


@pytest.mark.parametrize(("kind", "name"), entries("rosters", "events"))
@pytest.mark.parametrize("mode", ["binary", "text"])
def test_an_open_file_reads_like_the_path(kind: str, name: str, mode: str) -> None:
    """The stream path (an app's upload) gives the same counts and reasons as the path."""
    path = HOSTILE / name
    entry = expected(kind, name)
    handle: Any
    if mode == "binary":
        handle = path.open("rb")
    else:  # what an app that decodes uploads itself would pass
        handle = io.StringIO(path.read_bytes().decode("utf-8", "replace"))
    with handle:
        outcome = read(kind, handle)
    assert outcome.seconds < SECONDS
    if mode == "text" and not path.stat().st_size:  # no name, no bytes: no format either
        assert outcome.error is not None
        assert "empty" in str(outcome.error)
        return
    if "error" in entry:
        assert outcome.error is not None
        assert entry["error"]["message"] in str(outcome.error) or mode == "text"
        return
    assert outcome.error is None, str(outcome.error)
    if mode == "binary":
        assert_read(outcome, entry)
    else:  # text already decoded: replacement characters are not bad bytes
        assert outcome.read == entry["rows"]["read"]
        assert outcome.read == outcome.used + len(outcome.rejected)


def test_a_text_file_opened_in_the_wrong_encoding_is_one_clear_error() -> None:
    for kind, name in (("rosters", "csv/roster-latin1.csv"), ("events", "csv/events-latin1.csv")):
        with (HOSTILE / name).open(encoding="utf-8") as handle:
            outcome = read(kind, handle)
        assert isinstance(outcome.error, InputError)
        assert "not UTF-8" in str(outcome.error)
        assert "'rb'" in str(outcome.error)


def test_only_mentorrules_errors_escape(tmp_path: Path) -> None:
    """Paths that are not files, folders, and odd names are errors too, never crashes."""
    for kind in ("programs", "rosters", "events"):
        for source in (tmp_path / "missing.csv", tmp_path, "a/b\x00c.csv"):
            outcome = read(kind, source)
            assert isinstance(outcome.error, MentorRulesError)


def test_limits_an_app_sets_are_each_a_clear_error() -> None:
    import mentorrules as mr

    path = HOSTILE / "csv/roster-duplicate-ids.csv"
    cases: list[tuple[mr.ReadLimits, str]] = [
        (mr.ReadLimits(max_bytes=100), "over the limit of 100"),
        (mr.ReadLimits(max_rows=2), "more than 2 rows"),
        (mr.ReadLimits(max_rejected=1), "more than 1 rows rejected; the first: id 'p-a'"),
    ]
    for limits, message in cases:
        for source in (path, io.BytesIO(path.read_bytes())):
            with pytest.raises(LimitExceededError) as caught:
                mr.read_roster(source, limits=limits)
            assert message in str(caught.value)
    small = mr.ReadLimits(max_field_bytes=10)
    roster = mr.read_roster(io.BytesIO(b"id,role,name\np-a,mentor,Ada\np-b,mentor,Ben Quill-Smith\n"),
                            limits=small)
    assert (roster.counts.read, roster.counts.used, roster.counts.rejected) == (2, 1, 1)
    assert "longer than 10 characters (ReadLimits.max_field_bytes)" in roster.rejected[0].reason


def test_limits_are_reachable_through_the_facade_with_safe_defaults() -> None:
    import mentorrules as mr
    from mentorrules.program.yamlread import DEFAULT_LIMITS, Limits
    from mentorrules.tabular import DEFAULT_READ_LIMITS

    assert (DEFAULT_LIMITS.max_bytes, DEFAULT_LIMITS.max_depth, DEFAULT_LIMITS.max_nodes) == (
        1024 * 1024, 64, 50_000)
    assert mr.ReadLimits(
        max_bytes=4 * 1024**3, max_field_bytes=1024 * 1024, max_rows=10_000_000,
        max_rejected=100_000) == DEFAULT_READ_LIMITS
    # A program past a limit is both a ProgramError and a LimitExceededError.
    with pytest.raises(ProgramLimitError, match="more than the limit of 1 KB"):
        mr.load_program(HOSTILE / "program.yaml", limits=Limits(max_bytes=1024))
    with pytest.raises(ProgramLimitError, match="has more than 20 values"):
        mr.load_program(HOSTILE / "program.yaml", limits=Limits(max_nodes=20))
    with pytest.raises(ProgramLimitError, match="nests deeper than 2 levels"):
        mr.load_program(HOSTILE / "program.yaml", limits=Limits(max_depth=2))
    with pytest.raises(ProgramLimitError, match="expands to more than 50000 values"):
        mr.load_program(HOSTILE / "yaml/alias-bomb.yaml")
    assert issubclass(ProgramLimitError, mr.ProgramError)
    assert issubclass(ProgramLimitError, LimitExceededError)
    program = mr.load_program(HOSTILE / "program.yaml")
    with pytest.raises(LimitExceededError, match="more than 1 rows"):
        mr.read_roster(HOSTILE / "roster.csv", program, limits=mr.ReadLimits(max_rows=1))
    log = mr.read_events(HOSTILE / "csv/events-unknown-ids.csv", program,
                         limits=mr.ReadLimits(max_rejected=2))
    # check() and status() take what the readers made, with the app's limits.
    with pytest.raises(LimitExceededError, match="more than 2 rows rejected"):
        mr.check(program, mr.read_roster(HOSTILE / "roster.csv", program), log)
