"""The engine: one pass in time order (ties by id), re-sort on disorder, intake checks.

Roster (tests/data/activity/roster.csv): cohort c1 = mentors p-a, p-b, mentees
s-01..s-03, faculty f-1; cohort c2 = p-c, p-d with s-04, s-05; s-03 is also in
the md-phd overlay with mentor p-x. Zone: America/New_York.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

import mentorrules as mr
import mentorrules.engine as engine_module
from mentorrules.activity.models import Event
from mentorrules.engine import Engine, resolve_as_of, run_check, run_status
from mentorrules.errors import RowError
from mentorrules.idset import IdSet

DATA = Path(__file__).parent / "data" / "activity"
ROSTER = DATA / "roster.csv"
HEADER = "id,type,at,start,end,from,to,channel,format,reply_to,topic\n"
PROGRAM = mr.load_program_text(dedent("""
    extends: program.yaml
    referrals:
      targets: [{id: faculty-mentor, unit_role: faculty}]
      topics: [{id: safety-concern, targets: [faculty-mentor], within: 24h}]
    rules:
      - {id: monthly-contact, kind: contact-cadence, per: month}
      - {id: reply-texts, kind: reply-window, channels: [text, phone], within: 24h}
      - {id: refer, kind: referral}
    """), base=DATA)
AS_OF = "2025-12-31T12:00"

LOG = """
    t-10,message,2025-10-02T09:00,,,s-01,p-a,text,,,
    r-11,message,2025-10-02T12:00,,,p-b,s-01,text,,t-10,
    c-12,message,2025-10-03T12:00,,,p-a,s-02;s-03,email,,,
    t-13,message,2025-10-06T08:00,,,s-04,p-c,phone,,,
    r-14,message,2025-10-08T08:00,,,p-d,s-04,text,,t-13,
    m-15,meeting,2025-10-09T17:00,,2025-10-09T18:00,p-c,p-d;s-04;s-05,in_person,group,,
    t-16,message,2025-11-03T10:00,,,s-02,p-a,text,,,safety-concern
    f-17,referral,2025-11-03T15:00,,,p-a,faculty-mentor,,,t-16,safety-concern
    c-18,message,2025-11-04T10:00,,,p-b,s-01;s-02;s-03,chat,,,
"""


def csv_log(rows: str) -> io.StringIO:
    return io.StringIO(HEADER + dedent(rows).strip() + "\n")


def lines(rows: str) -> list[str]:
    return dedent(rows).strip().splitlines()


def check(rows: str | list[str], **kwargs: object) -> mr.Report:
    text = rows if isinstance(rows, str) else "\n".join(rows)
    return mr.check(PROGRAM, ROSTER, csv_log(text), as_of=AS_OF, metrics=False, **kwargs)


def brief(report: mr.Report) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    return [(f.rule, f.subject, f.period, f.evidence) for f in report.findings]


# --------------------------------------------------------------------------- order


def test_a_log_out_of_order_is_sorted_and_judged_as_if_it_were_not() -> None:
    in_order = check(LOG)
    shuffled = lines(LOG)
    random.Random(3).shuffle(shuffled)
    report = check(shuffled)
    assert report.findings == in_order.findings
    assert report.notes == ("the events of <input> were not in time order; they were sorted",)
    assert in_order.notes == ()


def test_a_file_out_of_order_is_read_again_and_counted_once(tmp_path: Path) -> None:
    shuffled = lines(LOG)
    shuffled.reverse()
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "\n".join(shuffled) + "\n", encoding="utf-8")
    report = mr.check(PROGRAM, ROSTER, path, as_of=AS_OF, metrics=False)
    assert report.findings == check(LOG).findings
    assert report.rows["events"] == mr.report.RowCounts(read=9, used=9, rejected=0)
    assert report.notes == (f"the events of {path} were not in time order; they were sorted",)


def test_events_at_the_same_moment_are_taken_in_id_order() -> None:
    # r-2 answers r-1 at the very same minute; the file lists the answer first.
    rows = """
        r-2,message,2025-10-02T09:00,,,p-a,s-01,text,,r-1,
        r-1,message,2025-10-02T09:00,,,s-01,p-a,text,,,
    """
    report = check(rows)
    assert report.rejected == ()
    assert report.notes == ()  # ties are not disorder


def test_a_one_shot_iterator_out_of_order_is_sorted_without_duplicates() -> None:
    events = list(mr.read_events(csv_log(LOG), PROGRAM))
    as_of = resolve_as_of(PROGRAM, AS_OF)
    roster = mr.read_roster(ROSTER, PROGRAM)
    want = run_check(PROGRAM, roster, events, as_of, metrics=False)

    def backwards() -> Iterator[Event]:
        yield from reversed(events)

    got = run_check(PROGRAM, roster, backwards(), as_of, metrics=False)
    assert got.findings == want.findings
    assert got.rows["events"].used == len(events)


# --------------------------------------------------------------------------- intake


def test_intake_refuses_what_only_the_roster_and_the_log_can_tell() -> None:
    rows = LOG + """
        x-1,message,2025-11-05T10:00,,,ghost,s-01,text,,,
        x-2,message,2025-11-05T10:01,,,p-a,s-01;nobody,text,,,
        t-10,message,2025-11-05T10:02,,,p-a,s-01,text,,,
        x-3,message,2025-11-05T10:03,,,p-a,s-01,text,,missing,
        x-4,referral,2025-11-05T10:04,,,p-a,faculty-mentor,,,t-16,safety-concern
        x-5,message,2025-11-05T10:05,,,p-a,faculty-mentor,text,,,
    """
    report = check(rows)
    reasons = {r.id: r.reason for r in report.rejected}
    assert "'from' names 'ghost'" in reasons["x-1"]
    assert "'to' names 'nobody'" in reasons["x-2"]
    assert "used by an earlier event" in reasons["t-10"]
    assert [r.line for r in report.rejected if r.id == "t-10"] == [14]  # the second one
    assert "no earlier event" in reasons["x-3"]
    assert "x-4" not in reasons  # a referral may name a referral target
    assert "'to' names 'faculty-mentor'" in reasons["x-5"]  # a message may not
    counts = report.rows["events"]
    assert counts.read == counts.used + counts.rejected == 15
    assert counts.rejected == 5


def test_a_rejected_event_cannot_be_answered() -> None:
    rows = """
        t-1,message,2025-10-02T09:00,,,ghost,p-a,text,,,
        r-1,message,2025-10-02T10:00,,,p-a,s-01,text,,t-1,
    """
    assert [r.id for r in check(rows).rejected] == ["t-1", "r-1"]


def test_strict_stops_at_the_first_refused_event() -> None:
    with pytest.raises(RowError, match="ghost"):
        check(LOG + "x-1,message,2025-11-05T10:00,,,ghost,s-01,text,,,\n", strict=True)


def test_the_engine_takes_events_one_at_a_time_too() -> None:
    events = list(mr.read_events(csv_log(LOG), PROGRAM))
    roster = mr.read_roster(ROSTER, PROGRAM)
    as_of = resolve_as_of(PROGRAM, AS_OF)
    engine = Engine(PROGRAM, roster, as_of)
    assert all(engine.feed(event) for event in events)
    assert not engine.feed(events[0])  # the same id again
    assert engine.findings() == run_check(PROGRAM, roster, events, as_of, metrics=False).findings
    assert engine.obligations() == run_status(PROGRAM, roster, events, as_of).obligations


# --------------------------------------------------------------------------- hand-over


class _Recorder:
    """An evaluator that records what it is given: lists with feed_batch, or events."""

    def __init__(self, wants: set[str], batches: bool) -> None:
        self.wants = frozenset(wants)
        self.lists: list[list[str]] = []
        self.events: list[str] = []
        if batches:
            self.feed_batch = self._feed_batch

    def _feed_batch(self, events: list[Event]) -> None:
        self.lists.append([e.id for e in events])

    def feed(self, event: Event) -> None:
        self.events.append(event.id)

    def findings(self) -> tuple[()]:
        return ()

    def obligations(self) -> tuple[()]:
        return ()


def _many(n: int) -> list[str]:
    kinds = ["message,2025-10-{d:02d}T{h:02d}:{m:02d},,,s-01,p-a,text,,,",
             "meeting,2025-10-{d:02d}T{h:02d}:{m:02d},,,p-a,s-01,in_person,,,"]
    return [f"n{i:05d},{kinds[i % 7 == 0].format(d=1 + i // 1440, h=i // 60 % 24, m=i % 60)}"
            for i in range(n)]


@pytest.mark.parametrize("batches", [True, False])
def test_rules_get_exactly_the_accepted_events_they_want_in_time_order(batches: bool) -> None:
    from mentorrules import engine as engine_module

    rows = _many(engine_module.BATCH * 2 + 17)
    rows.insert(5, "x-1,message,2025-10-01T00:05,,,ghost,s-01,text,,,")  # refused at intake
    events = list(mr.read_events(csv_log("\n".join(rows)), PROGRAM))
    engine = Engine(PROGRAM, mr.read_roster(ROSTER, PROGRAM), resolve_as_of(PROGRAM, AS_OF))
    recorder = _Recorder({"meeting"}, batches)
    engine.evaluators = [recorder]
    engine._batches = engine._batch_dispatch()
    engine.run(events)
    meetings = [e.id for e in events if e.type == "meeting"]
    if batches:
        assert [i for chunk in recorder.lists for i in chunk] == meetings
        assert len(recorder.lists) == 3  # 2 full batches and the rest
        assert all(recorder.lists)
        assert recorder.events == []
    else:
        assert recorder.events == meetings
    assert [r.id for r in engine.rejected] == ["x-1"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was_found(enabled: bool) -> None:
    import gc

    seen: list[bool] = []

    class Watcher(_Recorder):
        def feed(self, event: Event) -> None:
            seen.append(gc.isenabled())

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        engine = Engine(PROGRAM, mr.read_roster(ROSTER, PROGRAM), resolve_as_of(PROGRAM, AS_OF))
        engine.evaluators = [Watcher({"message"}, batches=False)]
        engine._batches = engine._batch_dispatch()
        engine.run(list(mr.read_events(csv_log(LOG), PROGRAM)))
        assert seen
        assert not any(seen)  # paused while the events stream
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("plain", [0, 1, 3, 40, 10_000])
def test_duplicates_and_replies_are_judged_alike_before_and_after_the_ids_move_to_runs(
        plain: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream puts ids straight into the plain set while it has room, then uses runs."""
    monkeypatch.setattr(engine_module, "IdSet", lambda: IdSet(plain=plain))
    rows = []
    for i, row in enumerate(_many(80)):
        rows += [row, row] if i in (2, 39, 41, 70) else [row]  # an id used twice
    for i in (10, 45, 75):  # a reply to an earlier event, and one to no event
        rows.append(f"r{i},message,2025-10-01T{2:02d}:{i % 60:02d},,,p-a,s-01,text,,n{i:05d},")
        rows.append(f"q{i},message,2025-10-01T{2:02d}:{i % 60:02d},,,p-a,s-01,text,,z{i},")
    events = list(mr.read_events(csv_log("\n".join(rows)), PROGRAM))
    engine = Engine(PROGRAM, mr.read_roster(ROSTER, PROGRAM), resolve_as_of(PROGRAM, AS_OF))
    engine.run(events)
    assert sorted(r.id or "" for r in engine.rejected) == [
        "n00002", "n00039", "n00041", "n00070", "q10", "q45", "q75"]
    assert engine.used == 80 + 3
    assert len(engine._seen_ids) == 83


def test_findings_and_obligations_are_made_with_the_collector_paused_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    seen: list[bool] = []
    findings, obligations = Engine.findings, Engine.obligations

    def watched_findings(self: Engine) -> tuple[Any, ...]:
        seen.append(gc.isenabled())
        return findings(self)

    def watched_obligations(self: Engine) -> tuple[Any, ...]:
        seen.append(gc.isenabled())
        return obligations(self)

    monkeypatch.setattr(Engine, "findings", watched_findings)
    monkeypatch.setattr(Engine, "obligations", watched_obligations)
    was = gc.isenabled()
    gc.enable()
    try:
        roster = mr.read_roster(ROSTER, PROGRAM)
        events = list(mr.read_events(csv_log(LOG), PROGRAM))
        as_of = resolve_as_of(PROGRAM, AS_OF)
        run_check(PROGRAM, roster, events, as_of)
        run_status(PROGRAM, roster, events, as_of)
        assert seen == [False, False]
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_a_log_of_numbered_ids_is_remembered_in_runs_not_one_by_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A set of ids is plain up to PLAIN ids; here it moves to runs after 100.
    monkeypatch.setattr(engine_module, "IdSet", lambda: IdSet(plain=100))
    events = list(mr.read_events(csv_log("\n".join(_many(5000))), PROGRAM))
    engine = Engine(PROGRAM, mr.read_roster(ROSTER, PROGRAM), resolve_as_of(PROGRAM, AS_OF))
    engine.run(events)
    assert engine.used == 5000
    assert engine._seen_ids.runs == 1
