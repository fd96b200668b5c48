"""Run the examples a rule kind's docstring gives (its YAML and its log) as tests."""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path

import mentorrules as mr
from mentorrules.builtin import samples
from mentorrules.report import Finding, Obligation


def literal_blocks(doc: str) -> list[str]:
    """The literal blocks (after ``::``) of a docstring, dedented."""
    blocks = []
    for part in doc.split("::\n\n")[1:]:
        lines = []
        for line in part.splitlines():
            if line and not line.startswith(" "):
                break
            lines.append(line)
        blocks.append(textwrap.dedent("\n".join(lines)).strip("\n") + "\n")
    return blocks


def prose(text: str) -> str:
    return " ".join(text.replace("``", "").split())


def docstring_example(doc: str, as_of: str) -> tuple[list[Finding], list[Obligation]]:
    """The docstring's YAML laid over UMMS, its log, and the sample UMMS roster."""
    yaml, log = literal_blocks(doc)[:2]
    example = mr.load_program_text("extends: umms\n" + yaml)
    roster = mr.read_roster(Path(str(samples / "umms" / "roster.csv")), example)
    events = list(csv.DictReader(io.StringIO(log)))
    report = mr.check(example, roster, events, as_of=as_of, metrics=False)
    status = mr.status(example, roster, events, as_of=as_of)
    kind = doc.split(":", 1)[0]
    return ([f for f in report.findings if f.kind == kind],
            [o for o in status.obligations if o.kind == kind])
