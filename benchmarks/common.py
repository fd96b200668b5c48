"""What every benchmark script shares: timing, child processes, figures and the table.

Shared machines are noisy, so figures are ratios of two things measured in the
same run, each the best of a few repetitions taken in turn (A, B, A, B, ...).
Times are CPU seconds of this process (``time.process_time``), which other
processes on the machine disturb far less than wall-clock time; wall-clock
time is shown beside them, and is the figure where a target says "wall".
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Timing:
    """The best of some repetitions: CPU and wall seconds (of the same repetition)."""

    cpu: float
    wall: float
    runs: int = 1

    def __str__(self) -> str:
        return f"{self.cpu:.3f} s CPU ({self.wall:.3f} s wall, best of {self.runs})"


@dataclass
class Figure:
    """One measured figure and its target: ``ok`` is None when there is no target."""

    bench: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> str:
        if self.unit == "x":
            return f"{self.value:.2f}x"
        if self.unit in ("s", "ms", "us"):
            return f"{self.value:,.3g} {self.unit}" if self.value < 100 else \
                f"{self.value:,.0f} {self.unit}"
        if self.unit == "MB":
            return f"{self.value:,.0f} MB"
        return f"{self.value:,.4g} {self.unit}".strip()


def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def measure(fn: Callable[[], Any]) -> tuple[Any, Timing]:
    """Run ``fn`` once: its result and its timing."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, Timing(time.process_time() - cpu, time.perf_counter() - wall)


def best_of(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, Timing]:
    """Each of ``fns`` ``repeat`` times, in turn, keeping each one's best CPU time."""
    best: dict[str, Timing] = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            _, timing = measure(fn)
            if name not in best or timing.cpu < best[name].cpu:
                best[name] = Timing(timing.cpu, timing.wall, repeat)
    return best


def child(args: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[dict[str, Any],
                                                                               Timing]:
    """Run a child process; the JSON object it prints last (if any) and its timing.

    The CPU time is the child's own (user + system), from ``RUSAGE_CHILDREN``.
    """
    import resource

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu, started = children_cpu(), time.perf_counter()
    proc = subprocess.run(list(args), capture_output=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})}, cwd=ROOT, check=False)
    timing = Timing(children_cpu() - cpu, time.perf_counter() - started)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): "
                           f"{proc.stderr.decode()[-2000:]}")
    lines = proc.stdout.decode().strip().splitlines()
    data = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return data, timing


def best_child(runs: dict[str, Sequence[str]], repeat: int) -> dict[str, Timing]:
    """Each command ``repeat`` times, in turn; each one's best wall time."""
    best: dict[str, Timing] = {}
    for _ in range(repeat):
        for name, args in runs.items():
            _, timing = child(args)
            if name not in best or timing.wall < best[name].wall:
                best[name] = Timing(timing.cpu, timing.wall, repeat)
    return best


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    Linux's ``VmHWM`` where there is one: ``ru_maxrss`` keeps the peak of the
    process this one was forked from, so a child would report its parent's.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def machine() -> dict[str, Any]:
    """Where the figures come from."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        memory = 0.0
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(memory, 1),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table: figure, measured, target, verdict."""
    rows = [("#", "figure", "measured", "target", "")]
    for f in figures:
        verdict = "" if f.ok is None else ("met" if f.ok else "MISSED")
        rows.append((f.bench, f.name, f.shown(), f.target, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def save(figures: Sequence[Figure], path: Path, **meta: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine(), **meta,
                                "figures": [asdict(f) for f in figures]}, indent=2) + "\n",
                    encoding="utf-8")
