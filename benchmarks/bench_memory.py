"""Benchmark 2: peak memory of ``check`` on a million events, in time order and not.

Each case runs in a fresh process, which reports its peak resident memory
(Linux ``VmHWM``). The growth per event is the engine's memory after streaming
the first quarter of the time-ordered log and after the whole of it, before
any finding is made (findings are per subject and period, and a log cut short
has many more of them). The engine streams a time-ordered log and keeps state
per person and period; the ids it must remember for exact uniqueness and
``reply_to`` checks are numbered, so they cost runs of numbers, not bytes per
id (a plain set would cost about 90 bytes an event). What still grows with the
log is what the findings are made of (each late reply is one) and the
metrics' unanswered messages. A log out of order is held in memory and sorted
once.
Target: under 300 MB for a million time-ordered events, growing with people,
not events: judged met when the state grows by less than a tenth of what a set
of the ids alone would cost (9 bytes an event).
``python -m benchmarks.bench_memory [--size national]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.common import Figure, child, peak_rss_mb, progress, table
from benchmarks.generate import AS_OF, SIZES, ensure

PER_EVENT_LIMIT = 9.0  # bytes an event: a tenth of a plain set of the event ids


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


def current_rss_mb() -> float:
    """Resident memory now, in MB (Linux), else the peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return peak_rss_mb()


def measure_child(folder: Path, events: Path, mode: str) -> dict[str, float]:
    """In this (child) process: ``peak`` of a whole check, or ``state`` after streaming.

    ``state`` is the engine's memory once every event went through and before the
    findings are made: the part that could grow with the log.
    """
    import gc

    import mentorrules as mr
    from mentorrules.engine import Engine, resolve_as_of
    from mentorrules.metrics import MetricsCollector

    program = mr.load_program(folder / "program.yaml")
    roster = mr.read_roster(folder / "roster.csv", program)
    people = current_rss_mb()
    if mode == "peak":
        report = mr.check(program, roster, events, as_of=AS_OF)
        return {"people_mb": people, "peak_mb": peak_rss_mb(),
                "events": report.rows["events"].read, "findings": len(report.findings)}
    engine = Engine(program, roster, resolve_as_of(program, AS_OF),
                    observers=(MetricsCollector,))
    bound = current_rss_mb()
    engine.run(mr.read_events(events, program))
    gc.collect()
    return {"people_mb": people, "bound_mb": bound, "state_mb": current_rss_mb(),
            "events": engine.used}


def run(size: str = "national") -> list[Figure]:
    folder = ensure(SIZES[size])
    total = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["events"]
    cases = {
        ("peak", "in order"): folder / "events.csv",
        ("peak", "out of order"): folder / "events-shuffled.csv",
        ("state", "first quarter"): prefix(folder, total // 4),
        ("state", "in order"): folder / "events.csv",
    }
    got: dict[tuple[str, str], dict[str, float]] = {}
    for (mode, name), path in cases.items():
        progress(f"benchmark 2: memory ({mode}), {name} ({path.name})")
        got[mode, name], _ = child([sys.executable, "-m", "benchmarks.bench_memory", "--child",
                                    str(folder), str(path), mode])
    ordered, shuffled = got["peak", "in order"], got["peak", "out of order"]
    quarter, full = got["state", "first quarter"], got["state", "in order"]
    per_event = (full["state_mb"] - quarter["state_mb"]) * 1024 * 1024 / (
        full["events"] - quarter["events"])
    n = int(ordered["events"])
    return [
        Figure("2", f"peak memory, {n:,} events in time order", ordered["peak_mb"], "MB",
               "< 300 MB", ordered["peak_mb"] < 300,
               f"{ordered['people_mb']:.0f} MB after imports, program and roster; "
               f"{full['bound_mb']:.0f} MB once the rules are bound; "
               f"{full['state_mb']:.0f} MB after the last event; "
               f"{ordered['findings']:,} findings"),
        Figure("2", "memory growth per event in time order (1/4 log -> whole log)", per_event,
               "bytes", f"< {PER_EVENT_LIMIT:.0f} bytes (grows with people)",
               per_event < PER_EVENT_LIMIT,
               f"engine state {quarter['state_mb']:.0f} MB after {quarter['events']:,.0f} "
               f"events, {full['state_mb']:.0f} MB after {full['events']:,.0f}"),
        Figure("2", f"peak memory, {n:,} events out of order", shuffled["peak_mb"], "MB",
               detail="the log is held in memory and sorted once"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory")
    parser.add_argument("--size", default="national", choices=sorted(SIZES))
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "EVENTS", "MODE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        folder, events, mode = args.child
        print(json.dumps(measure_child(Path(folder), Path(events), mode)))
        return 0
    print(table(run(args.size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
