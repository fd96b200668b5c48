"""Benchmark 1's third yardstick: the floor of the design (an Event a row, a pass per rule)."""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.bench_check import _consumers, _design_floor
from benchmarks.generate import AS_OF

import mentorrules as mr
from mentorrules.engine import Engine, resolve_as_of
from mentorrules.metrics import MetricsCollector


def test_the_consumers_are_the_rules_and_metrics_the_engine_feeds(tiny: Path) -> None:
    program = mr.load_program(tiny / "program.yaml")
    engine = Engine(program, mr.read_roster(tiny / "roster.csv", program),
                    resolve_as_of(program, AS_OF), observers=(MetricsCollector,))
    fed = [frozenset(c.wants) for c in (*engine.evaluators, *engine.observers) if c.wants]
    consumers = _consumers(mr, str(tiny / "program.yaml"), str(tiny / "roster.csv"))
    assert sorted(n for _, n in consumers) == sorted(fed.count(w) for w in set(fed))
    assert {w for w, _ in consumers} == set(fed)
    assert sum(n for _, n in consumers) == len(fed) > 5


def test_the_floor_makes_an_event_a_row_and_a_lookup_per_wanting_consumer(tiny: Path) -> None:
    consumers = _consumers(mr, str(tiny / "program.yaml"), str(tiny / "roster.csv"))
    with open(tiny / "events.csv", encoding="utf-8", newline="") as handle:
        types = [row["type"] for row in csv.DictReader(handle)]
    made, lookups = _design_floor(str(tiny / "events.csv"), consumers)
    assert made == len(types) == 900
    assert lookups == sum(n * sum(t in wants for t in types) for wants, n in consumers)
    assert lookups > made
