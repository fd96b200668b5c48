"""The hostile corpus: its manifest, and one way to read each kind of input.

Every test in this folder goes through :func:`read`, so the library, the row
accounting and the command line are all judged against the same expectations
(``tests/data/hostile/MANIFEST.yaml``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

import mentorrules as mr
from mentorrules.errors import MentorRulesError
from mentorrules.report import RejectedRow

HOSTILE = Path(__file__).parents[1] / "data" / "hostile"
PROGRAM = HOSTILE / "program.yaml"
ROSTER = HOSTILE / "roster.csv"
AS_OF = "2026-06-01T00:00"
SECTIONS = ("programs", "rosters", "events")
#: A generous bound on reading any corpus file (the slowest take a few milliseconds).
SECONDS = 5.0

Kind = Literal["programs", "rosters", "events"]


@cache
def manifest() -> dict[str, dict[str, dict[str, Any]]]:
    data: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(
        (HOSTILE / "MANIFEST.yaml").read_text("utf-8"))
    return data


def entries(*kinds: str) -> list[tuple[str, str]]:
    """``(kind, relative path)`` of every manifest entry of the given sections."""
    return [(kind, name) for kind in kinds for name in manifest()[kind]]


def expected(kind: str, name: str) -> dict[str, Any]:
    return manifest()[kind][name]


@cache
def program() -> mr.Program:
    return mr.load_program(PROGRAM)


@dataclass
class Outcome:
    """What reading one input gave: an error, or row counts with the rejected rows."""

    error: MentorRulesError | None = None
    read: int = 0
    used: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    used_lines: set[int] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def rejected_by_line(self) -> dict[int | None, str]:
        return {row.line: row.reason for row in self.rejected}


def read(kind: str, source: Any, *, strict: bool = False) -> Outcome:
    """Read ``source`` as the manifest section ``kind`` says; only MentorRulesError is caught."""
    started = time.perf_counter()
    outcome = Outcome()
    try:
        if kind == "programs":
            mr.load_program(source)
        elif kind == "rosters":
            roster = mr.read_roster(source, program(), strict=strict)
            outcome.read, outcome.used = roster.counts.read, roster.counts.used
            outcome.rejected = list(roster.rejected)
            assert roster.counts.rejected == len(roster.rejected)
            outcome.used_lines = {p.line for p in roster.people.values() if p.line is not None}
        else:
            log = mr.read_events(source, program(), strict=strict)
            report = mr.check(program(), ROSTER, log, as_of=AS_OF, metrics=False, strict=strict)
            counts = report.rows["events"]
            outcome.read, outcome.used = counts.read, counts.used
            outcome.rejected = [r for r in report.rejected if r.source != str(ROSTER)]
            assert counts.rejected == len(outcome.rejected)
            outcome.notes = report.notes
            if log.restartable:
                refused = {r.line for r in outcome.rejected}
                outcome.used_lines = {e.line for e in log if e.line is not None} - refused
    except MentorRulesError as exc:
        outcome.error = exc
    outcome.seconds = time.perf_counter() - started
    return outcome


_SPAN = re.compile(r"from line (\d+) to (?:the end of the file \()?line (\d+)")


def data_lines(path: Path, kind: str) -> Iterator[int]:
    """Line numbers of every non-blank line that should be a row (after a CSV header)."""
    raw = path.read_bytes()
    if path.suffix == ".csv":
        lines = re.split(rb"\r\n|\r|\n", raw)
        numbered = [(i, line) for i, line in enumerate(lines, start=1) if line.strip()]
        yield from (i for i, _ in numbered[1:])  # the first non-blank line is the header
    else:
        lines = raw.split(b"\n")
        yield from (i for i, line in enumerate(lines, start=1)
                    if line.removeprefix(b"\xef\xbb\xbf").strip())


def covered_lines(outcome: Outcome) -> set[int]:
    """Lines a used or rejected row accounts for (a rejected row may name the lines it ran over)."""
    covered = set(outcome.used_lines)
    for row in outcome.rejected:
        if row.line is not None:
            covered.add(row.line)
        for match in _SPAN.finditer(row.reason):
            covered.update(range(int(match[1]), int(match[2]) + 1))
    return covered
