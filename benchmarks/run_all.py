"""Every benchmark figure against its target, in one run: ``python -m benchmarks``.

Generates the data it needs first (seeded, into benchmarks/data/, git-ignored;
the national set takes a couple of minutes once). Then, in order: 3 school
year, 4 incremental status, 5 calendar export, 1 check on a million events
against csv.reader and pandas, 2 peak memory. Prints a Markdown table of the
figures with their targets and the machine, and saves them to
benchmarks/data/results.json. ``--quick`` runs 1 and 2 on the ``region`` size
(100,000 events) instead of ``national``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchmarks import bench_calendar, bench_check, bench_incremental, bench_memory, bench_school
from benchmarks.common import Figure, machine, save, table
from benchmarks.generate import DATA, SIZES, ensure

COMMAND = "python -m benchmarks"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0]
                                     if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help="benchmarks 1 and 2 on 100,000 events instead of 1,000,000")
    parser.add_argument("--only", type=int, action="append", choices=(1, 2, 3, 4, 5),
                        help="run only this benchmark (repeatable)")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    args = parser.parse_args(argv)
    big = "region" if args.quick else "national"
    wanted = set(args.only or (1, 2, 3, 4, 5))
    started = time.perf_counter()
    for name in ("school", big):
        ensure(SIZES[name])
    figures: list[Figure] = []
    if 3 in wanted:
        figures += bench_school.run("school")
    if 4 in wanted:
        figures += bench_incremental.run("school")
    if 5 in wanted:
        figures += bench_calendar.run("school")
    if 1 in wanted:
        figures += bench_check.run(big, repeat=1 if args.quick else 2,
                                   with_pandas=not args.no_pandas)
    if 2 in wanted:
        figures += bench_memory.run(big)
    figures.sort(key=lambda f: f.bench)
    where = machine()
    print()
    print(table(figures))
    print()
    for f in figures:
        if f.detail:
            print(f"- {f.bench} {f.name}: {f.detail}")
    print()
    print(f"machine: {where['cpus']} CPUs ({where['cpu']}), {where['memory_gib']} GiB, "
          f"{where['system']}, {where['implementation']} {where['python']}; load average "
          f"at the end {', '.join(f'{x:.2f}' for x in where['load_average'] or ())}")
    print(f"reproduce: {COMMAND}{' --quick' if args.quick else ''} "
          f"(took {time.perf_counter() - started:.0f} s)")
    save(figures, DATA / "results.json", command=COMMAND, quick=args.quick)
    print(json.dumps({"missed": [f.name for f in figures if f.ok is False]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
