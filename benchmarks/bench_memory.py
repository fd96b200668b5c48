"""Benchmark 2: peak memory of ``check`` on a million events, in time order and not.

Each case runs in a fresh process, which reports its peak resident memory
(``ru_maxrss``) after loading the program and roster ("people") and after the
check. The log in time order is also checked on its first quarter and half, so
the growth per event shows: the engine streams a time-ordered log and keeps
state per person, except the set of event ids it needs for exact uniqueness
and ``reply_to`` checks. A log out of order is held in memory and sorted once.
Target: under 300 MB for a million time-ordered events, growing with people,
not events. ``python -m benchmarks.bench_memory [--size national]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.common import Figure, child, peak_rss_mb, progress, table
from benchmarks.generate import AS_OF, SIZES, ensure


def prefix(folder: Path, rows: int) -> Path:
    """The first ``rows`` events of the time-ordered log, as a file of its own."""
    path = folder / f"events-first-{rows}.csv"
    if not path.is_file():
        with open(folder / "events.csv", encoding="utf-8") as source, \
                open(path, "w", encoding="utf-8") as target:
            for n, line in enumerate(source):
                if n > rows:
                    break
                target.write(line)
    return path


def measure_child(folder: Path, events: Path) -> dict[str, float]:
    """In this (child) process: memory after loading the people, and at the peak."""
    import mentorrules as mr

    program = mr.load_program(folder / "program.yaml")
    roster = mr.read_roster(folder / "roster.csv", program)
    people = peak_rss_mb()
    report = mr.check(program, roster, events, as_of=AS_OF)
    return {"people_mb": people, "peak_mb": peak_rss_mb(),
            "events": report.rows["events"].read, "findings": len(report.findings)}


def run(size: str = "national") -> list[Figure]:
    folder = ensure(SIZES[size])
    total = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["events"]
    cases = {
        "in order": folder / "events.csv",
        "out of order": folder / "events-shuffled.csv",
        "first quarter": prefix(folder, total // 4),
        "first half": prefix(folder, total // 2),
    }
    got: dict[str, dict[str, float]] = {}
    for name, path in cases.items():
        progress(f"benchmark 2: peak memory, {name} ({path.name})")
        got[name], _ = child([sys.executable, "-m", "benchmarks.bench_memory", "--child",
                              str(folder), str(path)])
    ordered, shuffled = got["in order"], got["out of order"]
    quarter, half = got["first quarter"], got["first half"]
    per_event = (ordered["peak_mb"] - quarter["peak_mb"]) * 1024 * 1024 / (
        ordered["events"] - quarter["events"])
    n = int(ordered["events"])
    return [
        Figure("2", f"peak memory, {n:,} events in time order", ordered["peak_mb"], "MB",
               "< 300 MB", ordered["peak_mb"] < 300,
               f"{ordered['people_mb']:.0f} MB after reading program and roster; "
               f"{quarter['peak_mb']:.0f} / {half['peak_mb']:.0f} MB at 1/4 and 1/2 of the log"),
        Figure("2", "growth per event (in order)", per_event, "bytes",
               "grows with people, not events", None,
               "the set of event ids (exact uniqueness and reply_to) and the findings"),
        Figure("2", f"peak memory, {n:,} events out of order", shuffled["peak_mb"], "MB",
               detail="the log is held and sorted once"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory")
    parser.add_argument("--size", default="national", choices=sorted(SIZES))
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "EVENTS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_child(Path(args.child[0]), Path(args.child[1]))))
        return 0
    print(table(run(args.size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
