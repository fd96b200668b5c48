"""Benchmark 1: ``check`` end to end on a million events, against two yardsticks.

- the floor: merely reading the same CSV with Python's ``csv.reader``;
- a straightforward pandas script (benchmarks/pandas_findings.py) computing the
  monthly-contact and reply-window findings, which must equal ``check``'s.

``check`` runs end to end: program file, roster file, events file, every rule of
the program, findings and metrics. Targets: at most 2.5x the floor, and faster
than pandas. ``python -m benchmarks.bench_check [--size national]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
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

    runs = {"csv.reader": floor, "check": check}
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
