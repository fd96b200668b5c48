"""Huge inputs, made at test time (never committed): refused or bounded, in time and memory.

- a 50 MB program file is refused from its size, before it is read;
- a program just under the 1 MB limit that holds 500,000 values is refused when
  PyYAML has read 50,000 of them, not after building them all;
- a line with a 1 GB field (CSV roster and activity log, JSON Lines roster) is
  one rejected row, read in 16 MB pieces and never held whole, and the rows
  around it are read as usual;
- a log of a million bad rows stops at ``ReadLimits.max_rejected`` with the
  first row's reason instead of keeping a million reasons.

Each case is timed and its peak memory measured: in this process with
``tracemalloc`` (what Python allocates), and at the command line from the peak
resident size of the ``mentorrules`` child process (``os.wait4``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

import mentorrules as mr
from mentorrules.errors import LimitExceededError, ProgramError
from mentorrules.report import RejectedRow

from .corpus import AS_OF, PROGRAM, ROSTER

MB = 1024 * 1024
GB = 1024 * MB
CHUNK = b"x" * (16 * MB)
T = TypeVar("T")


def write(path: Path, head: bytes, fill: int, tail: bytes) -> Path:
    """``head``, ``fill`` bytes of ``x`` written in 16 MB chunks, then ``tail``."""
    with path.open("wb") as handle:
        handle.write(head)
        left = fill
        while left:
            piece = CHUNK[: min(left, len(CHUNK))]
            handle.write(piece)
            left -= len(piece)
        handle.write(tail)
    return path


@pytest.fixture
def big(tmp_path: Path) -> Iterator[Path]:
    """A folder whose files are deleted after the test (pytest keeps old tmp folders)."""
    yield tmp_path
    for path in tmp_path.iterdir():
        path.unlink()


def measured(call: Callable[[], T], *, trace: bool = True) -> tuple[T | Exception, float, float]:
    """``call()``'s result (or the MentorRulesError it raised), seconds, peak MB traced.

    ``trace=False`` leaves tracemalloc off (it slows code that allocates many small
    objects several times over) and gives a peak of 0; the command line's peak
    resident size measures those cases.
    """
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        result: T | Exception = call()
    except mr.MentorRulesError as exc:
        result = exc
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / MB if trace else 0.0
        tracemalloc.stop()
    return result, seconds, peak


def cli(*argv: str | Path) -> tuple[int, str, str, float, float]:
    """Run the command line in a child: exit code, stdout, stderr, seconds, peak RSS in MB."""
    env = {k: v for k, v in os.environ.items() if k != "MENTORRULES_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2] / "src"),
                                         env.get("PYTHONPATH", "")])
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "mentorrules.cli", *map(str, argv)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert child.stdout is not None
    assert child.stderr is not None
    out = child.stdout.read().decode("utf-8")
    err = child.stderr.read().decode("utf-8")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    child.stderr.close()
    return child.returncode, out, err, time.perf_counter() - started, usage.ru_maxrss / 1024


def one_line(err: str, fragment: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mentorrules: error: ")
    assert fragment in lines[0]


def test_a_50_mb_program_is_refused_from_its_size(big: Path) -> None:
    path = write(big / "program-50mb.yaml", b"id: big\ntitle: '", 50 * MB, b"'\n")
    result, seconds, peak = measured(lambda: mr.load_program(path))
    assert isinstance(result, ProgramError)
    assert "more than the limit of 1 MB" in str(result)
    assert f"{path}: " in str(result)
    assert seconds < 1
    assert peak < 5
    code, _, err, seconds, rss = cli("lint", path)
    assert code == 2
    assert "more than the limit of 1 MB" in err
    assert seconds < 10
    assert rss < 200
    text = path.read_text("utf-8")
    result, seconds, _ = measured(lambda: mr.load_program_text(text))
    assert isinstance(result, ProgramError)
    assert "larger than the limit of 1 MB" in str(result)
    assert seconds < 1


@pytest.mark.slow
def test_a_program_of_half_a_million_values_is_refused_as_it_is_read(big: Path) -> None:
    values = 500_000
    path = big / "program-values.yaml"
    path.write_text("id: values\ntitle: [" + "1," * (values - 1) + "1]\n", "utf-8")
    assert path.stat().st_size < MB
    result, seconds, _ = measured(lambda: mr.load_program(path), trace=False)
    assert isinstance(result, ProgramError)
    assert "the document has more than 50000 values" in str(result)
    assert f"{path}:2:" in str(result)
    assert seconds < 10  # about 2 s
    code, _, err, seconds, rss = cli("check", path, "--roster", ROSTER)
    assert code == 2
    one_line(err, "more than 50000 values")
    assert seconds < 10
    assert rss < 300


def field_file(big: Path, kind: str, size: int) -> tuple[Path, int]:
    """A file of three rows whose middle one (line 3) holds a field of ``size`` bytes."""
    if kind == "roster":
        path = big / "roster-1gb-field.csv"
        head = (b"id,name,role,level,community,track,units,email\n"
                b"p-a,Ada Park,mentor,M3,north,MD,c1,\np-b,")
        tail = b",mentor,M4,north,MD,c1,\ns-01,Cy Rowe,mentee,M1,north,MD,c1,\n"
    elif kind == "events":
        path = big / "events-1gb-field.csv"
        head = (b"id,type,at,from,to,channel,topic\n"
                b"e1,message,2025-10-02T09:00,s-01,p-a,text,\ne2,message,2025-10-02T10:00,"
                b"s-01,p-a,text,\"")
        tail = b"\"\ne3,message,2025-10-02T12:00,p-a,s-01,text,\n"
    else:
        path = big / "roster-1gb-line.jsonl"
        head = (b'{"id":"p-a","role":"mentor","level":"M3","units":["c1"]}\n'
                b'\n{"id":"p-b","role":"mentor","name":"')
        tail = b'"}\n{"id":"s-01","role":"mentee","level":"M1","units":["c1"]}\n'
    return write(path, head, size, tail), 3


def read_big(kind: str, source: Any) -> tuple[int, int, list[RejectedRow]]:
    program = mr.load_program(PROGRAM)
    if kind == "events":
        report = mr.check(program, ROSTER, source, as_of=AS_OF, metrics=False)
        counts = report.rows["events"]
        rejected = [r for r in report.rejected if r.source != str(ROSTER)]
    else:
        roster = mr.read_roster(source, program)
        counts, rejected = roster.counts, list(roster.rejected)
    assert counts.read == counts.used + counts.rejected
    return counts.read, counts.used, rejected


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["roster", "events", "jsonl"])
def test_a_1_gb_field_is_one_rejected_row_read_in_bounded_memory(big: Path, kind: str) -> None:
    path, line = field_file(big, kind, GB)
    for source in ("path", "open file"):
        def call(source: str = source) -> tuple[int, int, list[RejectedRow]]:
            if source == "path":
                return read_big(kind, path)
            with path.open("rb") as handle:
                return read_big(kind, handle)

        result, seconds, peak = measured(call)
        assert not isinstance(result, Exception), result
        read, used, rejected = result
        assert (read, used, len(rejected)) == (3, 2, 1), (source, rejected)
        assert rejected[0].line == line
        assert "over the limit of 16,777,216 (16 x ReadLimits.max_field_bytes)" in \
            rejected[0].reason
        assert seconds < 20, (source, seconds)
        assert peak < 120, (source, peak)  # two 16 MB pieces as bytes and text, and buffers
    argv: list[str | Path] = (["check", PROGRAM, "--roster", ROSTER, "--events", path,
                               "--as-of", AS_OF, "--no-metrics"] if kind == "events"
                              else ["check", PROGRAM, "--roster", path, "--no-metrics"])
    code, out, err, seconds, rss = cli(*argv)
    assert code in (0, 1), err
    assert err == ""
    assert "3 rows read, 2 used, 1 rejected" in out
    assert f"{path}:{line}: " in out
    assert seconds < 20
    assert rss < 300


@pytest.mark.slow
def test_a_log_of_a_million_bad_rows_stops_at_max_rejected(big: Path) -> None:
    path = big / "events-1m-bad-rows.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,type,at,from,to,channel\n")
        handle.writelines(f"e{i},message,someday,s-01,p-a,text\n" for i in range(1_000_000))
    program = mr.load_program(PROGRAM)
    result, seconds, _ = measured(
        lambda: mr.check(program, ROSTER, path, as_of=AS_OF, metrics=False), trace=False)
    assert isinstance(result, LimitExceededError)
    text = str(result)
    assert f"{path}:2: more than 100,000 rows rejected; the first: 'someday' is not an ISO" in text
    assert "ReadLimits.max_rejected" in text
    assert seconds < 10  # about 2 s
    code, _, err, seconds, rss = cli("check", PROGRAM, "--roster", ROSTER, "--events", path)
    assert code == 2
    one_line(err, "more than 100,000 rows rejected")
    assert seconds < 10
    assert rss < 300
