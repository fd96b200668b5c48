"""Benchmark 2: memory of ``check`` on a million events, in time order and not.

Target (issue 6): "Peak memory for 1M time-ordered events: under 300 MB, and
growing with people, not events."

Each case runs in a fresh process. The peak is the process's peak resident
memory (Linux ``VmHWM``) over a whole ``check``. The growth is measured on the
engine's *state*: its resident memory once every event of a log went through
the rules and before any finding is made (a log cut short has findings for
every period it leaves empty, so finding-making would measure the cut).

What may grow, and what is judged:

- Per person, and per person and period: counts per mentee and month, duties
  per mentor and training, the months' totals. These are people x periods: a
  log covering more of the year fills more of them, but a busier log does not.
- What the findings are made of: each late answer is a finding, and each
  concern raised and each absence notified is reported (a finding or a status
  line). Kept until the findings are made, they grow with the lapses, which
  grow with the log: they are the output. The child measures them
  (``held_bytes``: the objects only they keep alive, by ``sys.getsizeof``,
  which leaves out the allocator's rounding) in :data:`HELD`.
- Everything else: if it grows with the events, the engine keeps something per
  event. This includes the allocator's slack (the growth is resident memory).

So the growth is measured twice. (1) The same people over the same year at
twice the events: the log of the size at half its events a unit
(``generate.py --events-per-unit``: the same roster and calendar, the same
meetings, contacts, concerns and absences; fewer mentee questions and answers,
so fewer late ones) against the full log. Per-period state is the same in
both, so what grows is per event or held for findings. **Judged**: that growth
per extra event, less what the held records grew, must stay under
:data:`PER_EVENT_LIMIT` (9 bytes, a tenth of what a plain set of the event ids
would cost: numbered ids cost runs of numbers in the engine's ``IdSet``). The
total is printed beside it. (2) The first quarter of the log against the whole
log (the figure of earlier releases), printed with the same split but not
judged: a quarter covers three months of the year, so per-person-and-period
state grows with it too, and says nothing about events.

A log out of order is held in memory and sorted once (its peak is printed,
with no target). ``python -m benchmarks.bench_memory [--size national]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, child, peak_rss_mb, progress, table
from benchmarks.generate import AS_OF, SIZES, ensure, size_for

PER_EVENT_LIMIT = 9.0  # bytes an event: a tenth of a plain set of the event ids

HELD = {
    "ReplyWindow": ("late",),  # the answers that came late: a finding each
    "ReferralEvaluator": ("_concerns",),  # every concern raised: a finding or a status line
    "AbsenceNotice": ("absences",),  # every absence notified: findings and status lines
}
"""Per rule class: the attributes holding what its findings are made of (see the docstring)."""


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


_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
           types.MethodType)  # code and modules, not state: not walked


def _reachable(roots: Iterable[object], stop: set[int]) -> dict[int, object]:
    """Every object reachable from ``roots`` (by ``gc.get_referents``) but not through ``stop``."""
    seen: dict[int, object] = {}
    todo = list(roots)
    while todo:
        obj = todo.pop()
        key = id(obj)
        if key in seen or key in stop or isinstance(obj, _OPAQUE):
            continue
        seen[key] = obj
        todo.extend(gc.get_referents(obj))
    return seen


def held(engine: Any) -> tuple[int, dict[str, int]]:
    """Bytes of the objects only :data:`HELD` keeps alive, and how many records each holds.

    An object reachable from the rest of the engine too (a person's id, a unit's
    tuple of mentors, a month's id) is the rest's, not the records'.
    """
    roots: list[object] = []
    counts: dict[str, int] = {}
    for evaluator in engine.evaluators:
        for name in HELD.get(type(evaluator).__name__, ()):
            records = getattr(evaluator, name)  # AttributeError: HELD is out of date
            roots.append(records)
            label = f"{type(evaluator).__name__}.{name}"
            counts[label] = counts.get(label, 0) + len(records)
    rest = _reachable([engine], {id(r) for r in roots})
    own = _reachable(roots, set(rest))
    return sum(sys.getsizeof(o) for o in own.values()), counts


def measure_child(folder: Path, events: Path, mode: str) -> dict[str, Any]:
    """In this (child) process: ``peak`` of a whole check, or ``state`` after streaming.

    ``state`` is the engine's memory once every event went through and before the
    findings are made (``state_mb``), and what of it is held for the findings
    (``held_bytes``, measured after, with ``held_counts``).
    """
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
    state = current_rss_mb()
    held_bytes, held_counts = held(engine)
    return {"people_mb": people, "bound_mb": bound, "state_mb": state, "events": engine.used,
            "held_bytes": held_bytes, "held_counts": held_counts}


MB = 1024 * 1024


def growth(small: dict[str, Any], big: dict[str, Any]) -> tuple[float, float, float]:
    """Per event more in ``big`` than in ``small``: (all of it, held for findings, the rest)."""
    events = big["events"] - small["events"]
    total = (big["state_mb"] - small["state_mb"]) * MB / events
    kept = (big["held_bytes"] - small["held_bytes"]) / events
    return total, kept, total - kept


def _records(got: dict[str, Any]) -> str:
    counts = got["held_counts"]
    late = sum(n for k, n in counts.items() if k.startswith("ReplyWindow."))
    concerns = sum(n for k, n in counts.items() if k.startswith("ReferralEvaluator."))
    absences = sum(n for k, n in counts.items() if k.startswith("AbsenceNotice."))
    return (f"{late:,} late answers, {concerns:,} concerns, {absences:,} absences: "
            f"{got['held_bytes'] / MB:.1f} MB")


def run(size: str = "national") -> list[Figure]:
    folder = ensure(SIZES[size])
    total = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["events"]
    sparse = ensure(size_for(size, None, SIZES[size].events_per_unit // 2))
    cases = {
        ("peak", "in order"): (folder, folder / "events.csv"),
        ("peak", "out of order"): (folder, folder / "events-shuffled.csv"),
        ("state", "first quarter"): (folder, prefix(folder, total // 4)),
        ("state", "half as dense"): (sparse, sparse / "events.csv"),
        ("state", "in order"): (folder, folder / "events.csv"),
    }
    got: dict[tuple[str, str], dict[str, Any]] = {}
    for (mode, name), (where, path) in cases.items():
        progress(f"benchmark 2: memory ({mode}), {name} ({where.name}/{path.name})")
        got[mode, name], _ = child([sys.executable, "-m", "benchmarks.bench_memory", "--child",
                                    str(where), str(path), mode])
    ordered, shuffled = got["peak", "in order"], got["peak", "out of order"]
    quarter, half, full = (got["state", "first quarter"], got["state", "half as dense"],
                           got["state", "in order"])
    dense_all, dense_held, dense_rest = growth(half, full)
    span_all, span_held, span_rest = growth(quarter, full)
    n = int(ordered["events"])
    return [
        Figure("2", f"peak memory, {n:,} events in time order", ordered["peak_mb"], "MB",
               "< 300 MB", ordered["peak_mb"] < 300,
               f"{ordered['people_mb']:.0f} MB after imports, program and roster; "
               f"{full['bound_mb']:.0f} MB once the rules are bound; "
               f"{full['state_mb']:.0f} MB after the last event; "
               f"{ordered['findings']:,} findings"),
        Figure("2", f"memory growth per event, same people and year, twice the events "
               f"({half['events']:,.0f} -> {full['events']:,.0f}), less what findings are "
               f"made of", dense_rest, "bytes",
               f"< {PER_EVENT_LIMIT:.0f} bytes (grows with people)",
               dense_rest < PER_EVENT_LIMIT,
               f"engine state {half['state_mb']:.1f} MB -> {full['state_mb']:.1f} MB: "
               f"{dense_all:.1f} bytes an event in all, of which {dense_held:.1f} the "
               f"records findings are made of ({_records(half)} -> {_records(full)}) and "
               f"{dense_rest:.1f} the rest, allocator slack included"),
        Figure("2", "memory growth per event, same people and year, twice the events, all of it",
               dense_all, "bytes", detail="the figure above with the records held for findings"),
        Figure("2", "memory growth per event in time order (1/4 log -> whole log), all of it",
               span_all, "bytes",
               detail=f"engine state {quarter['state_mb']:.1f} MB after "
               f"{quarter['events']:,.0f} events, {full['state_mb']:.1f} MB after "
               f"{full['events']:,.0f}: {span_held:.1f} bytes an event the records findings "
               f"are made of ({_records(quarter)} -> {_records(full)}), {span_rest:.1f} the "
               f"rest, which also holds the per-person and per-period state that nine more "
               f"months fill (not judged: it grows with the span, not the events)"),
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
    figures = run(args.size)
    print(table(figures))
    print()
    for f in figures:
        if f.detail:
            print(f"- {f.bench} {f.name}: {f.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
