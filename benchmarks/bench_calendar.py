"""Benchmark 5: calendar export, every mentor's calendar of a whole program.

``export.ical.calendars_per_mentor`` (what ``mentorrules calendar --all`` writes)
over the school-size program: the time per mentor calendar. Target: under
20 ms per calendar. ``python -m benchmarks.bench_calendar [--size school]``.
"""

from __future__ import annotations

import argparse
import sys

from benchmarks.common import Figure, best_of, progress, table
from benchmarks.generate import SIZES, ensure


def run(size: str = "school", repeat: int = 3) -> list[Figure]:
    import mentorrules as mr
    from mentorrules.export import ical

    folder = ensure(SIZES[size])
    program = mr.load_program(folder / "program.yaml")
    roster = mr.read_roster(folder / "roster.csv", program)
    kept: dict[str, dict[str, bytes]] = {}

    def export() -> None:
        kept["all"] = ical.calendars_per_mentor(program, roster)

    progress(f"benchmark 5: every mentor's calendar of {size} ({repeat} rounds)")
    timing = best_of({"all": export}, repeat)["all"]
    n = len(kept["all"])
    size_kb = sum(len(c) for c in kept["all"].values()) / n / 1024
    per = timing.cpu / n * 1e3
    return [Figure("5", f"calendar export: per mentor calendar ({n} mentors)", per, "ms",
                   "< 20 ms", per < 20, f"all {n}: {timing}; {size_kb:.1f} KiB each")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_calendar")
    parser.add_argument("--size", default="school", choices=sorted(SIZES))
    args = parser.parse_args(argv)
    print(table(run(args.size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
