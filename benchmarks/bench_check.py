"""Benchmark 1: ``check`` end to end on a million events, against two yardsticks.

- the floor: merely reading the same CSV with Python's ``csv.reader``;
- a straightforward pandas script (benchmarks/pandas_findings.py) computing the
  monthly-contact and reply-window findings, which must equal ``check``'s.

Beside them it measures the floor of the design itself, as a third yardstick
with no target: ``csv.reader``, plus one :class:`~mentorrules.Event` made per
row (fields set from the cells, no time parsed, no check), plus one pass per
consumer of the program (each rule and the metrics), in batches as the engine
gives them, doing a single dict lookup per event it wants. No check in which
every rule looks at its events in Python can cost less; when that floor is
already near 2.5x the reader, the first target needs a different kind of engine
(compiled, or rules evaluated column-wise), not a faster one of this kind.

``check`` runs end to end: program file, roster file, events file, every rule of
the program, findings and metrics. Targets: at most 2.5x the ``csv.reader`` floor, and faster
than pandas. ``python -m benchmarks.bench_check [--size national]``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
from datetime import datetime
from typing import Any

from benchmarks.common import Figure, best_of, progress, table
from benchmarks.generate import AS_OF, SIZES, ensure


def run(size: str = "national", repeat: int = 2, with_pandas: bool = True) -> list[Figure]:
    import mentorrules as mr

    folder = ensure(SIZES[size])
    program, roster, events = (str(folder / n) for n in ("program.yaml", "roster.csv",
                                                          "events.csv"))
    kept: dict[str, Any] = {}

    def floor() -> None:
        with open(events, encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                pass

    def check() -> None:
        kept["report"] = mr.check(program, roster, events, as_of=AS_OF)

    def design_floor() -> None:
        was = gc.isenabled()
        gc.disable()  # as the engine does while it runs
        try:
            _design_floor(events, consumers)
        finally:
            if was:
                gc.enable()

    consumers = _consumers(mr, program, roster)
    runs = {"csv.reader": floor, "check": check, "design floor": design_floor}
    if with_pandas:
        try:
            from benchmarks import pandas_findings
        except ImportError:  # pragma: no cover - pandas is the bench extra
            with_pandas = False
        else:
            import pandas  # noqa: F401  (imported before timing, like mentorrules)

            def by_pandas() -> None:
                kept["pandas"] = pandas_findings.run(folder, AS_OF)

            runs["pandas"] = by_pandas
    progress(f"benchmark 1: {', '.join(runs)} on {size} ({repeat} rounds)")
    timings = best_of(runs, repeat)
    report = kept["report"]
    n = report.rows["events"].read
    figures = [
        Figure("1", f"check, {n:,} events / csv.reader floor",
               timings["check"].cpu / timings["csv.reader"].cpu, "x", "<= 2.5x",
               timings["check"].cpu / timings["csv.reader"].cpu <= 2.5,
               f"check {timings['check']}; csv.reader {timings['csv.reader']}"),
        Figure("1", "design floor / csv.reader floor",
               timings["design floor"].cpu / timings["csv.reader"].cpu, "x",
               detail=f"an Event a row, {_count(consumers)} consumers' passes of one lookup an "
                      f"event ({len(consumers)} distinct 'wants' filtered); "
                      f"{timings['design floor']}"),
        Figure("1", "check: time per event", timings["check"].cpu / n * 1e6, "us",
               detail=f"{len(report.findings):,} findings"),
    ]
    if with_pandas:
        from benchmarks.pandas_findings import of_report

        same = of_report(report.findings) == kept["pandas"]
        ratio = timings["check"].cpu / timings["pandas"].cpu
        figures.append(Figure(
            "1", "check / pandas script (same findings: " + ("yes" if same else "NO") + ")",
            ratio, "x", "< 1x", ratio < 1 and same,
            f"pandas {timings['pandas']}; {len(kept['pandas']):,} findings of 3 rules"))
    return figures


def _consumers(mr: Any, program: str, roster: str) -> list[tuple[frozenset[str], int]]:
    """Per distinct ``wants`` of the rules and the metrics: those types, and how many want them."""
    from mentorrules.engine import Engine, resolve_as_of
    from mentorrules.metrics import MetricsCollector

    prog = mr.load_program(program)
    engine = Engine(prog, mr.read_roster(roster, prog), resolve_as_of(prog, AS_OF),
                    observers=(MetricsCollector,))
    counts: dict[frozenset[str], int] = {}
    for consumer in (*engine.evaluators, *engine.observers):
        if consumer.wants:
            wants = frozenset(consumer.wants)
            counts[wants] = counts.get(wants, 0) + 1
    return list(counts.items())


def _count(consumers: list[tuple[frozenset[str], int]]) -> int:
    return sum(n for _, n in consumers)


def _design_floor(events: str, consumers: list[tuple[frozenset[str], int]]) -> tuple[int, int]:
    """csv.reader, an Event a row, and per consumer one dict lookup per event it wants.

    Returns how many events it made and how many lookups it did.
    """
    from mentorrules.activity.models import EVENT_BLANK, Event, make_event
    from mentorrules.engine import BATCH

    tables = [(wants, [dict[str, int]() for _ in range(n)]) for wants, n in consumers]
    done = [0, 0]

    def hand_over(batch: list[Event]) -> None:
        done[0] += len(batch)
        for wants, dicts in tables:
            mine = tuple([e for e in batch if e.type in wants])  # as Engine._hand_over
            done[1] += len(mine) * len(dicts)
            for lookups in dicts:
                get = lookups.get
                for event in mine:
                    get(event.sender)

    with open(events, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        columns = next(rows)
        at = {name: i for i, name in enumerate(columns)}
        i_id, i_type, i_from, i_to, i_channel, i_format, i_reply, i_topic = (
            at[n] for n in ("id", "type", "from", "to", "channel", "format", "reply_to", "topic"))
        batch: list[Event] = []
        new, blank, moment = object.__new__, EVENT_BLANK, datetime(2025, 1, 1)
        for line, row in enumerate(rows, 2):
            if blank is None:  # pragma: no cover - where the class switch is not allowed
                made: Any = make_event(row[i_id], row[i_type], moment, 0.0, row[i_from],
                                       (row[i_to],), row[i_channel], row[i_format],
                                       row[i_reply], row[i_topic], None, None, None, line)
            else:
                made = new(blank)
                made.id, made.type, made.at, made.ts = row[i_id], row[i_type], moment, 0.0
                made.sender, made.recipients = row[i_from], (row[i_to],)
                made.channel, made.format = row[i_channel], row[i_format]
                made.reply_to, made.topic = row[i_reply], row[i_topic]
                made.start = made.end = made.extra = None
                made.line = line
                made.__class__ = Event
            batch.append(made)
            if len(batch) >= BATCH:
                hand_over(batch)
                batch = []
        hand_over(batch)
    return done[0], done[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_check")
    parser.add_argument("--size", default="national", choices=sorted(SIZES))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args(argv)
    print(table(run(args.size, args.repeat, not args.no_pandas)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
