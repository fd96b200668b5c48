"""Benchmark 4: incremental status, as an app keeps it.

An app keeps a :class:`mentorrules.engine.Monitor`, appends each new event
(``feed``) and, on a page view, asks one mentor's status (``status_of``). The
monitor is first given the log up to the last ``--appends`` events (the app's
history), then the rest arrive one at a time, each followed by a query for the
mentor it concerns. Each call is timed with ``time.process_time``; what reading
the clock twice costs (about a microsecond on a virtual machine) is measured
and taken off. Compared with recomputing from scratch: ``status`` over all
events so far, for that mentor. Targets: under 20 microseconds per appended
event, under 1 ms per query. ``python -m benchmarks.bench_incremental``.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks.common import Figure, progress, table
from benchmarks.generate import SIZES, STATUS_AS_OF, ensure


def run(size: str = "school", appends: int = 2000, recomputes: int = 5) -> list[Figure]:
    import mentorrules as mr
    from mentorrules.engine import Monitor, resolve_as_of, run_status

    folder = ensure(SIZES[size])
    program = mr.load_program(folder / "program.yaml")
    roster = mr.read_roster(folder / "roster.csv", program)
    as_of = resolve_as_of(program, STATUS_AS_OF)
    events = [e for e in mr.read_events(folder / "events.csv", program) if e.at <= as_of]
    mentors = {p.id for p in roster.people.values() if p.role == "mentor"}
    history, live = events[:-appends], events[-appends:]
    progress(f"benchmark 4: monitor on {size}: {len(history):,} events of history, "
             f"{len(live):,} appended one at a time")

    monitor = Monitor(program, roster, as_of)
    started = time.process_time()
    monitor.feed_many(history)
    bulk = time.process_time() - started
    feeding = querying = 0.0
    queries = 0
    asked: list[tuple[int, str]] = []
    for n, event in enumerate(live):
        started = time.process_time()
        monitor.feed(event)
        feeding += time.process_time() - started
        mentor = next((p for p in event.people if p in mentors), None)
        if mentor is None:
            continue
        started = time.process_time()
        monitor.status_of(mentor)
        querying += time.process_time() - started
        queries += 1
        asked.append((len(history) + n + 1, mentor))
    # What timing one call costs (reading the clock twice), taken off each figure.
    clock = min(_clock_cost() for _ in range(5))
    per_event = (feeding / len(live) - clock) * 1e6
    per_query = (querying / queries - clock) * 1e3

    progress(f"benchmark 4: {recomputes} recomputations from scratch")
    step = max(1, len(asked) // recomputes)
    samples = asked[::step][:recomputes]
    started = time.process_time()
    for count, mentor in samples:
        run_status(program, roster, events[:count], as_of).for_mentor(mentor)
    scratch = (time.process_time() - started) / len(samples) * 1e3
    return [
        Figure("4", f"monitor: feed one event ({size}, {len(live):,} appends)", per_event, "us",
               "< 20 us", per_event < 20,
               f"bulk history {bulk / len(history) * 1e6:.1f} us/event; reading the clock "
               f"around each call, {clock * 1e6:.2f} us, taken off"),
        Figure("4", "monitor: one mentor's status after an append", per_query, "ms", "< 1 ms",
               per_query < 1, f"{queries:,} queries"),
        Figure("4", "recompute from scratch: status of all events so far, one mentor", scratch,
               "ms", detail=f"{scratch / (per_event / 1e3 + per_query):,.0f}x the monitor's "
               "append + query"),
    ]


def _clock_cost(rounds: int = 2000) -> float:
    """Seconds that timing an empty block costs, as the loop above times each call."""
    spent = 0.0
    for _ in range(rounds):
        started = time.process_time()
        spent += time.process_time() - started
    return spent / rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_incremental")
    parser.add_argument("--size", default="school", choices=sorted(SIZES))
    parser.add_argument("--appends", type=int, default=2000)
    args = parser.parse_args(argv)
    print(table(run(args.size, args.appends)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
