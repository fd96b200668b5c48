"""Benchmark 2's split of the engine's state: what findings are made of, and the rest."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.bench_memory import HELD, growth, held, measure_child
from benchmarks.generate import AS_OF, SIZES, generate, size_for

import mentorrules as mr
from mentorrules.engine import Engine, resolve_as_of
from mentorrules.metrics import MetricsCollector


def run(folder: Path) -> Engine:
    program = mr.load_program(folder / "program.yaml")
    roster = mr.read_roster(folder / "roster.csv", program)
    engine = Engine(program, roster, resolve_as_of(program, AS_OF), observers=(MetricsCollector,))
    engine.run(mr.read_events(folder / "events.csv", program))
    return engine


def test_every_held_record_is_an_attribute_of_a_rule_the_benchmark_binds(tiny: Path) -> None:
    engine = run(tiny)
    bound = {type(e).__name__: e for e in engine.evaluators}
    for kind, names in HELD.items():
        assert kind in bound, kind
        for name in names:
            len(getattr(bound[kind], name))


def test_held_counts_the_records_and_only_what_they_alone_keep(tiny: Path) -> None:
    engine = run(tiny)
    size, counts = held(engine)
    late = counts["ReplyWindow.late"]
    assert late == sum(1 for f in engine.findings() if f.kind == "reply-window"
                       and f.message.startswith("answered"))
    records = sum(counts.values())
    assert late > 0
    assert records > late
    # two ids, two times and a few pointers a late answer; a concern or an absence is
    # some hundreds of bytes: not the mentees, units and months they share with the rest
    assert 100 * records < size < 1000 * records


def test_the_state_child_reports_its_memory_and_the_held_records(tiny: Path) -> None:
    got = measure_child(tiny, tiny / "events.csv", "state")
    assert got["events"] == 900
    assert got["state_mb"] >= got["bound_mb"] > 0
    assert got["held_bytes"] > 0
    assert set(got["held_counts"]) == {f"{k}.{n}" for k, names in HELD.items() for n in names}


def test_growth_is_per_extra_event_and_splits_off_the_held_records() -> None:
    small = {"events": 500_000, "state_mb": 100.0, "held_bytes": 1_000_000}
    big = {"events": 1_000_000, "state_mb": 103.0, "held_bytes": 2_500_000}
    total, kept, rest = growth(small, big)
    assert total == pytest.approx(3 * 1024 * 1024 / 500_000)
    assert kept == pytest.approx(3.0)
    assert rest == pytest.approx(total - 3.0)


def test_the_log_at_half_the_events_has_the_same_people_year_and_all_but_questions(
        tiny: Path, tmp_path: Path) -> None:
    # The premise of the judged figure: what differs is only mentees' questions and the
    # answers (each unit's stream draws them last, so the sparse log's are the first of
    # the dense log's), plus the one message a unit may add to reach its count.
    sparse = tmp_path / "sparse"
    meta = generate(size_for("tiny", None, SIZES["tiny"].events_per_unit // 2), sparse)
    assert meta["events"] == 450
    for name in ("program.yaml", "roster.csv"):
        assert (sparse / name).read_bytes() == (tiny / name).read_bytes()

    def rows(folder: Path) -> Counter[tuple[str, ...]]:
        with open(folder / "events.csv", encoding="utf-8", newline="") as handle:
            return Counter((*r[1:9], r[10]) for r in list(csv.reader(handle))[1:])

    few, many = rows(sparse), rows(tiny)
    assert sum((few - many).values()) <= 3  # one message a unit at most
    others = {k: n for k, n in few.items() if k[0] != "message"}
    assert others == {k: n for k, n in many.items() if k[0] != "message"}
