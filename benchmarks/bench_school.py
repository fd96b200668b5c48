"""Benchmark 3: a school-size year (UMMS: 26 units, about 430 people, 26,000 events).

- ``check`` in process, end to end from the three files, and with the program
  already loaded (as an app that keeps it would run it);
- the whole command line, ``mentorrules check PROGRAM --roster ... --events ...
  --format json``, wall time, against ``python -c pass``, the floor of start-up.

Targets: in-process check under 0.3 s; the command under 1.5 s wall.
``python -m benchmarks.bench_school``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from benchmarks.common import Figure, best_child, best_of, progress, table
from benchmarks.generate import AS_OF, SIZES, ensure


def cli() -> list[str]:
    script = Path(sys.executable).parent / "mentorrules"
    if script.is_file():
        return [str(script)]
    found = shutil.which("mentorrules")
    return [found] if found else [sys.executable, "-m", "mentorrules.cli"]


def run(size: str = "school", repeat: int = 5) -> list[Figure]:
    import mentorrules as mr

    folder = ensure(SIZES[size])
    program, roster, events = (str(folder / n) for n in ("program.yaml", "roster.csv",
                                                          "events.csv"))
    loaded = mr.load_program(program)
    progress(f"benchmark 3: {size} check in process ({repeat} rounds)")
    inproc = best_of({
        "from files": lambda: mr.check(program, roster, events, as_of=AS_OF),
        "program loaded": lambda: mr.check(loaded, roster, events, as_of=AS_OF),
    }, repeat)
    progress(f"benchmark 3: {size} check on the command line ({repeat} rounds)")
    command = [*cli(), "check", program, "--roster", roster, "--events", events, "--as-of",
               AS_OF, "--format", "json"]
    walls = best_child({"cli": command, "pass": [sys.executable, "-c", "pass"],
                        "import": [sys.executable, "-c", "import mentorrules"]}, repeat)
    n = mr.read_events(events, loaded)
    count = sum(1 for _ in n)
    files, kept = inproc["from files"], inproc["program loaded"]
    return [
        Figure("3", f"school year in process: check from the files ({count:,} events)",
               files.cpu, "s", "< 0.3 s", files.cpu < 0.3, str(files)),
        Figure("3", "school year in process: check, program already loaded", kept.cpu, "s",
               "< 0.3 s", kept.cpu < 0.3, str(kept)),
        Figure("3", "school year: `mentorrules check ... --format json`", walls["cli"].wall, "s",
               "< 1.5 s wall", walls["cli"].wall < 1.5,
               f"{walls['cli'].cpu:.3f} s CPU; `python -c pass` {walls['pass'].wall:.3f} s, "
               f"`python -c 'import mentorrules'` {walls['import'].wall:.3f} s wall"),
        Figure("3", "start-up floor: `python -c pass`", walls["pass"].wall, "s",
               detail=f"command / floor = {walls['cli'].wall / walls['pass'].wall:.1f}x"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_school")
    parser.add_argument("--size", default="school", choices=sorted(SIZES))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(table(run(args.size, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
