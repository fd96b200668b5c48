"""A deterministic synthetic UMMS-style program: a roster and a year of activity, at any scale.

Sizes (``--size``): ``tiny`` (3 units, for tests), ``small`` (20 units, 20,000
events, for the bounded CI test), ``school`` (26 units: UMMS's 26 mentor pairs,
about 430 people), ``region`` (100 units) and ``national`` (1,000 units of one
M3 + one M4 mentor and 15 mentees: 15,000 mentees, 1,000,000 events).
``--units N`` makes any other number of units; ``--events-per-unit`` changes
the activity volume (1,000 a year by default).

Each unit draws from its own seeded random stream, so unit ``u0007`` is the
same at every size and the output is byte-for-byte the same for the same seed.

Written into ``benchmarks/data/<size>/``:

- ``program.yaml``: ``extends: umms`` with the recruitment scaled to the units;
- ``roster.csv``: faculty, an M3 + M4 mentor pair and 12-15 M1/M2 mentees per
  unit, some MD/PhD mentees and mentors in the ``md-phd`` overlay, administrators;
- ``events.csv``: the year in time order, local times without offsets (as a
  spreadsheet export has them); ``events.jsonl``: the same with UTC offsets;
  ``events-shuffled.csv``: the same rows in a seeded random order;
- ``meta.json``: sizes, seed, row counts and the ``as_of`` to judge at.

The activity: monthly mentor contacts (single and group messages on text, e-mail
and chat), mentee messages and replies (mostly in time, some late, some never),
group and one-to-one meetings each term, the fall talk on the limits of
mentoring, trainings and surveys, absences with notices (some late or not to the
partner), concerns and their referrals; and lapses: missed months, a skipped
semester meeting, missed trainings. No local time falls between 00:00 and 07:00,
so none sits in a daylight-saving gap or overlap.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("America/New_York")
DATA = Path(__file__).resolve().parent / "data"
SEED = 2025

EVENT_COLUMNS = ("id", "type", "at", "start", "end", "from", "to", "channel", "format",
                 "reply_to", "topic")
ROSTER_COLUMNS = ("id", "name", "role", "level", "community", "track", "units", "email")

# The UMMS calendar (programs/umms.yaml): two semesters, breaks, the trainings and surveys.
TERMS = ((date(2025, 8, 4), date(2025, 12, 19)), (date(2026, 1, 5), date(2026, 5, 15)))
BREAKS = ((date(2025, 12, 20), date(2026, 1, 4)), (date(2026, 3, 9), date(2026, 3, 13)))
TRAININGS = (("faculty-training-fall", datetime(2025, 8, 13, 17, 0)),
             ("workshop-fall", datetime(2025, 10, 8, 17, 30)),
             ("workshop-spring", datetime(2026, 2, 11, 17, 30)))
SURVEYS = (("fall-survey", date(2025, 12, 1), date(2025, 12, 19)),
           ("spring-focus-group", date(2026, 3, 16), date(2026, 4, 3)),
           ("spring-survey", date(2026, 4, 27), date(2026, 5, 15)))
CONCERNS = (("safety-concern", 24), ("mistreatment", 48), ("academic-standing", 72))
WINDOW_HOURS = {"text": 24, "phone": 24, "email": 48}
AS_OF = "2026-06-01T09:00"        # after the year: every period has ended
STATUS_AS_OF = "2026-02-20T12:00"  # mid-spring: for status and incremental figures


@dataclass(frozen=True)
class Size:
    """How big a generated program is."""

    name: str
    units: int
    cohort: tuple[int, int]
    events_per_unit: int = 1000


SIZES = {
    "tiny": Size("tiny", 3, (12, 15), 300),
    "small": Size("small", 20, (12, 15), 1000),
    "school": Size("school", 26, (12, 15), 1000),
    "region": Size("region", 100, (12, 15), 1000),
    "national": Size("national", 1000, (15, 15), 1000),
}


class Clock:
    """Local wall times <-> POSIX seconds in the program's zone, cached per local hour."""

    def __init__(self) -> None:
        self._offsets: dict[tuple[int, int], int] = {}

    def at(self, day: date, minute: int) -> tuple[int, str]:
        """``(ts, "YYYY-MM-DDTHH:MM")`` for minute ``minute`` of local ``day`` (07:00 or later)."""
        hour, mins = divmod(minute, 60)
        key = (day.toordinal(), hour)
        offset = self._offsets.get(key)
        if offset is None:
            probe = datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)
            delta = probe.utcoffset()
            assert delta is not None
            offset = self._offsets[key] = int(delta.total_seconds())
        naive = datetime(day.year, day.month, day.day, hour, mins)
        ts = int((naive - datetime(1970, 1, 1)).total_seconds()) - offset
        return ts, f"{day.isoformat()}T{hour:02d}:{mins:02d}"

    def later(self, ts: int, rng: random.Random) -> tuple[int, str]:
        """The first waking moment at or after ``ts`` (nights move to 07:00-08:59)."""
        local = datetime.fromtimestamp(ts, ZONE)
        if local.hour < 7:
            return self.at(local.date(), 7 * 60 + rng.randrange(120))
        return ts - local.second, f"{local.date().isoformat()}T{local.hour:02d}:{local.minute:02d}"


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


ACTIVE_DAYS = [d for first, last in TERMS for d in _days(first, last)]
MONTHS = [(2025, 8), (2025, 9), (2025, 10), (2025, 11), (2025, 12),
          (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5)]
DAYS_OF_MONTH = {m: [d for d in ACTIVE_DAYS if (d.year, d.month) == m] for m in MONTHS}
BREAK_DAYS = {d for first, last in BREAKS for d in _days(first, last)}

# An event while generating: [ts, seq, type, at, start, end, from, to, channel, format,
# reply (another event or None), topic, id]
Ev = list[Any]
TS, SEQ, TYPE, AT, START, END, FROM, TO, CHANNEL, FORMAT, REPLY, TOPIC, ID = range(13)


class UnitGen:
    """One unit's people and year of activity, from its own random stream."""

    def __init__(self, index: int, size: Size, seed: int, clock: Clock,
                 overlay_mentors: list[str]) -> None:
        self.rng = random.Random(f"mentorrules-bench:{seed}:{index}")
        self.index = index
        self.size = size
        self.clock = clock
        self.overlay_mentors = overlay_mentors
        self.uid = f"u{index:04d}"
        self.faculty = f"f{index:04d}"
        self.mentors = (f"m{index:04d}a", f"m{index:04d}b")
        self.events: list[Ev] = []
        n = self.rng.randint(*size.cohort)
        self.mentees = [f"s{index:04d}{k:02d}" for k in range(1, n + 1)]
        self.mdphd = {m for m in self.mentees if self.rng.random() < 0.04}
        self.limits_done = False

    # ------------------------------------------------------------------ roster

    def people(self) -> Iterator[list[str]]:
        rng = self.rng
        community = f"LC-{(self.index - 1) % 5 + 1}"
        other = f"LC-{self.index % 5 + 1}" if rng.random() < 0.03 else community
        yield [self.faculty, f"Faculty Mentor {self.index}", "faculty", "", community, "", self.uid,
               f"{self.faculty}@example.edu"]
        overlay = self.mentors[1] in self.overlay_mentors
        for mentor, level, lc in ((self.mentors[0], "M3", community),
                                  (self.mentors[1], "M4", other)):
            is_overlay = overlay and level == "M4"
            yield [mentor, f"Peer Mentor {mentor[1:]}", "mentor", level, lc,
                   "MD/PhD" if is_overlay else "MD",
                   f"{self.uid};md-phd" if is_overlay else self.uid, f"{mentor}@example.edu"]
        for mentee in self.mentees:
            mdphd = mentee in self.mdphd
            yield [mentee, f"Student {mentee[1:]}", "mentee", rng.choice(("M1", "M2")), community,
                   "MD/PhD" if mdphd else "MD", f"{self.uid};md-phd" if mdphd else self.uid,
                   f"{mentee}@example.edu"]

    # ------------------------------------------------------------------ helpers

    def add(self, ts: int, kind: str, at: str, sender: str, to: tuple[str, ...] = (),
            channel: str = "", fmt: str = "", reply: Ev | None = None, topic: str = "",
            start: str = "", end: str = "") -> Ev:
        ev: Ev = [ts, 0, kind, at, start, end, sender, to, channel, fmt, reply, topic, ""]
        self.events.append(ev)
        return ev

    def moment(self, days: list[date]) -> tuple[int, str]:
        day = self.rng.choice(days)
        if day in BREAK_DAYS and self.rng.random() < 0.7:
            day = self.rng.choice(ACTIVE_DAYS)
        return self.clock.at(day, self.rng.randrange(8 * 60, 22 * 60))

    def channel(self) -> str:
        r = self.rng.random()
        return "text" if r < 0.45 else "email" if r < 0.70 else "chat" if r < 0.85 else "phone"

    def answer(self, msg: Ev, mentor: str, mentee: str, late: bool) -> Ev:
        rng = self.rng
        hours = WINDOW_HOURS.get(msg[CHANNEL], 24)
        if late:
            delay = hours * 3600 + rng.randrange(3600, 48 * 3600)
        else:
            mean = 10 * 3600 if msg[CHANNEL] == "email" else 3 * 3600
            delay = min(int(rng.expovariate(1 / mean)) + 60, hours * 3600 - 3 * 3600)
        ts, at = self.clock.later(msg[TS] + delay, rng)
        return self.add(ts, "message", at, mentor, (mentee,), msg[CHANNEL] if msg[CHANNEL] != "phone"
                        else rng.choice(("phone", "text")), reply=msg)

    # ------------------------------------------------------------------ activity

    def year(self) -> list[Ev]:
        self.trainings()
        self.surveys()
        self.meetings()
        self.absences()
        self.monthly_contacts()
        self.concerns()
        budget = self.size.events_per_unit
        while len(self.events) < budget - 1:
            self.thread()
        if len(self.events) < budget:
            ts, at = self.moment(ACTIVE_DAYS)
            self.add(ts, "message", at, self.rng.choice(self.mentors),
                     (self.rng.choice(self.mentees),), self.channel())
        return self.events

    def trainings(self) -> None:
        rng = self.rng
        for mentor in self.mentors:
            for training, start in TRAININGS:
                r = rng.random()
                if r < 0.04:
                    continue  # missed
                day = start.date() + timedelta(days=rng.randint(2, 9) if r < 0.07 else 0)
                minute = start.hour * 60 + start.minute + rng.randrange(-10, 20)
                ts, at = self.clock.at(day, minute)
                self.add(ts, "training", at, mentor, topic=training)

    def surveys(self) -> None:
        rng = self.rng
        for mentor in self.mentors:
            for survey, opens, due in SURVEYS:
                r = rng.random()
                if r < 0.06:
                    continue
                last = due + timedelta(days=rng.randint(1, 6)) if r < 0.09 else due
                ts, at = self.clock.at(rng.choice(_days(opens, last)),
                                       rng.randrange(8 * 60, 22 * 60))
                self.add(ts, "survey", at, mentor, topic=survey)

    def meetings(self) -> None:
        rng = self.rng
        a, b = self.mentors
        for term, months in enumerate((((2025, 9), (2025, 10)), ((2026, 2), (2026, 4)))):
            if term == 1 and rng.random() < 0.04:
                continue  # this unit skips its spring meeting (a lapse)
            days = [d for m in months for d in DAYS_OF_MONTH[m] if d.weekday() < 5]
            day = rng.choice(days)
            ts, at = self.clock.at(day, rng.randrange(17 * 60, 19 * 60))
            came = [m for m in self.mentees if rng.random() < 0.9]
            topic = ""
            if term == 0 and rng.random() < 0.8:
                topic = "mentoring-limits"
                self.limits_done = True
            end = self.clock.at(day, int(at[11:13]) * 60 + int(at[14:16]) + rng.choice((60, 90)))[1]
            self.add(ts, "meeting", at, a, (b, *came), rng.choice(("in_person",) * 7 + ("video",) * 3),
                     "group", topic=topic, end=end)
            first, last = TERMS[term]
            later = _days(day + timedelta(days=3), last - timedelta(days=5))
            for mentee in self.mentees:
                if mentee in came and rng.random() > 0.15:
                    continue
                if mentee not in came and rng.random() < 0.1:
                    continue  # missed the group meeting and never met one to one (a lapse)
                d = rng.choice(later or _days(first, last))
                ts, at = self.clock.at(d, rng.randrange(9 * 60, 20 * 60))
                self.add(ts, "meeting", at, rng.choice(self.mentors), (mentee,),
                         rng.choice(("in_person", "video")))

    def absences(self) -> None:
        rng = self.rng
        for mentor in self.mentors:
            if rng.random() < 0.5:
                continue
            partner = self.mentors[1] if mentor == self.mentors[0] else self.mentors[0]
            first = rng.choice(ACTIVE_DAYS[20:-20])
            last = first + timedelta(days=rng.randint(2, 10))
            r = rng.random()
            notice = first - timedelta(days=rng.randint(1, 14))
            if r < 0.08:
                notice = first + timedelta(days=1)  # told after it started
            to: tuple[str, ...] = (partner,)
            if r > 0.95:
                to = ()  # the partner was not told
            if rng.random() < 0.6 or not to:
                to = (*to, *self.mentees)
            ts, at = self.clock.at(notice, rng.randrange(8 * 60, 22 * 60))
            self.add(ts, "absence", at, mentor, to, rng.choice(("text", "email")),
                     start=f"{first.isoformat()}T00:00", end=f"{last.isoformat()}T23:59")

    def monthly_contacts(self) -> None:
        rng = self.rng
        dead = rng.choice(MONTHS[1:]) if rng.random() < 0.03 else None
        limits = self.limits_done
        for month in MONTHS:
            if month == dead:
                continue
            days = DAYS_OF_MONTH[month]
            covered: set[str] = set()
            if rng.random() < 0.5:
                group = rng.sample(self.mentees, rng.randint(3, len(self.mentees)))
                ts, at = self.moment(days)
                topic = ""
                if not limits and month == (2025, 9) and rng.random() < 0.75:
                    topic, group = "mentoring-limits", list(self.mentees)
                    limits = True
                self.add(ts, "message", at, rng.choice(self.mentors), tuple(group),
                         rng.choice(("email", "chat", "text")), topic=topic)
                covered.update(group)
            for mentee in self.mentees:
                if mentee in covered or rng.random() < 0.03:
                    continue
                ts, at = self.moment(days)
                self.add(ts, "message", at, rng.choice(self.mentors), (mentee,), self.channel())

    def concerns(self) -> None:
        rng = self.rng
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            mentee = rng.choice(self.mentees)
            mentor = rng.choice(self.mentors)
            topic, hours = rng.choice(CONCERNS)
            ts, at = self.moment(ACTIVE_DAYS)
            raised = self.add(ts, "message", at, mentee, (mentor,), rng.choice(("text", "phone")),
                              topic=topic)
            self.answer(raised, mentor, mentee, late=False)
            r = rng.random()
            if r < 0.07:
                continue  # never referred
            delay = hours * 3600 + rng.randrange(3600, 24 * 3600) if r < 0.15 \
                else rng.randrange(1800, hours * 3600 // 2)
            rts, rat = self.clock.later(ts + delay, rng)
            target = rng.choice(("faculty-mentor", self.faculty, "administrator"))
            self.add(rts, "referral", rat, mentor, (target,), topic=topic, reply=raised)

    def thread(self) -> None:
        rng = self.rng
        mentee = rng.choice(self.mentees)
        if mentee in self.mdphd and self.overlay_mentors and rng.random() < 0.1:
            mentor = rng.choice(self.overlay_mentors)
        else:
            mentor = rng.choice(self.mentors)
        ts, at = self.moment(ACTIVE_DAYS)
        msg = self.add(ts, "message", at, mentee, (mentor,), self.channel())
        r = rng.random()
        if r < 0.03:
            return  # never answered
        if r < 0.09:
            # answered by a later contact that does not say it is a reply
            delay = rng.randrange(600, 20 * 3600)
            ats, aat = self.clock.later(ts + delay, rng)
            self.add(ats, "message", aat, mentor, (mentee,), self.channel())
            return
        responder = mentor
        if mentor in self.mentors and rng.random() < 0.15:
            responder = self.mentors[1] if mentor == self.mentors[0] else self.mentors[0]
        self.answer(msg, responder, mentee, late=r > 0.975)


def overlay_mentors(units: int) -> list[str]:
    """The MD/PhD mentors: the M4 mentor of every tenth unit (u0001, u0011, ...)."""
    return [f"m{i:04d}b" for i in range(1, units + 1, 10)]


def program_yaml(size: Size) -> str:
    n = size.units
    return (
        "# A synthetic UMMS-style program for benchmarks (benchmarks/generate.py).\n"
        "id: umms-bench\n"
        "extends: umms\n"
        f"title: UMMS-style program, {n} units (synthetic)\n"
        "units:\n"
        f"  recruitment: {{M3: {n}, M4: {n}}}\n"
    )


def generate(size: Size, out: Path, seed: int = SEED, *, quiet: bool = True) -> dict[str, Any]:
    """Write the data set of ``size`` into ``out``; returns its ``meta.json`` content."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    clock = Clock()
    overlay = overlay_mentors(size.units)
    roster: list[list[str]] = []
    events: list[Ev] = []
    for index in range(1, size.units + 1):
        unit = UnitGen(index, size, seed, clock, overlay)
        roster.extend(unit.people())
        events.extend(unit.year())
        if not quiet and index % 100 == 0:
            print(f"  generated {index}/{size.units} units", file=sys.stderr)
    for k in range(1, max(1, size.units // 26) + 1):
        roster.append([f"a{k:03d}", f"Program Administrator {k}", "staff", "", "", "", "",
                       f"a{k:03d}@example.edu"])
    for seq, ev in enumerate(events):
        ev[SEQ] = seq
    events.sort(key=lambda ev: (ev[TS], ev[SEQ]))
    width = max(6, len(str(len(events))))
    for n, ev in enumerate(events, start=1):
        ev[ID] = f"e{n:0{width}d}"

    with open(out / "program.yaml", "w", encoding="utf-8") as handle:
        handle.write(program_yaml(size))
    with open(out / "roster.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ROSTER_COLUMNS)
        writer.writerows(roster)
    rows = [_row(ev) for ev in events]
    _write_csv(out / "events.csv", rows)
    shuffled = rows[:]
    random.Random(f"mentorrules-bench:{seed}:shuffle").shuffle(shuffled)
    _write_csv(out / "events-shuffled.csv", shuffled)
    with open(out / "events.jsonl", "w", encoding="utf-8", newline="\n") as handle:
        for ev in events:
            handle.write(json.dumps(_record(ev, clock), separators=(",", ":")) + "\n")
    meta = {
        "size": size.name, "units": size.units, "cohort": list(size.cohort),
        "events_per_unit": size.events_per_unit, "seed": seed,
        "people": len(roster), "mentees": sum(1 for r in roster if r[2] == "mentee"),
        "mentors": sum(1 for r in roster if r[2] == "mentor"), "events": len(events),
        "as_of": AS_OF, "status_as_of": STATUS_AS_OF, "timezone": "America/New_York",
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if not quiet:
        print(f"  wrote {len(roster):,} people and {len(events):,} events to {out} "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return meta


def _row(ev: Ev) -> list[str]:
    reply = ev[REPLY]
    return [ev[ID], ev[TYPE], ev[AT], ev[START], ev[END], ev[FROM], ";".join(ev[TO]), ev[CHANNEL],
            ev[FORMAT], reply[ID] if reply is not None else "", ev[TOPIC]]


def _offset_time(text: str) -> str:
    """A local ``YYYY-MM-DDTHH:MM`` with its UTC offset (the JSON Lines form)."""
    naive = datetime.fromisoformat(text)
    return naive.replace(tzinfo=ZONE).isoformat()


def _record(ev: Ev, clock: Clock) -> dict[str, Any]:
    record: dict[str, Any] = {"id": ev[ID], "type": ev[TYPE], "at": _offset_time(ev[AT])}
    if ev[START]:
        record["start"] = _offset_time(ev[START])
        record["end"] = _offset_time(ev[END])
    elif ev[END]:
        record["end"] = _offset_time(ev[END])
    record["from"] = ev[FROM]
    if ev[TO]:
        record["to"] = list(ev[TO])
    for key, index in (("channel", CHANNEL), ("format", FORMAT), ("topic", TOPIC)):
        if ev[index]:
            record[key] = ev[index]
    if ev[REPLY] is not None:
        record["reply_to"] = ev[REPLY][ID]
    return record


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        writer.writerows(rows)


def size_for(name: str | None, units: int | None, events_per_unit: int | None) -> Size:
    """The named size, or a custom one when ``units`` is given."""
    base = SIZES[name or "school"]
    if units is not None:
        cohort = (15, 15) if units >= 1000 else (12, 15)
        base = Size(f"units-{units}", units, cohort, base.events_per_unit)
    if events_per_unit is not None and events_per_unit != base.events_per_unit:
        base = Size(f"{base.name}-{events_per_unit}epu", base.units, base.cohort, events_per_unit)
    return base


def ensure(size: Size, seed: int = SEED, *, quiet: bool = False) -> Path:
    """The folder of ``size``'s data, generated if it is missing or was made otherwise."""
    folder = DATA / size.name
    meta_file = folder / "meta.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if (meta.get("seed"), meta.get("units"), meta.get("events_per_unit")) == (
                seed, size.units, size.events_per_unit):
            return folder
    if not quiet:
        print(f"generating the {size.name} data set ({size.units} units) ...", file=sys.stderr)
    generate(size, folder, seed, quiet=quiet)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default=None)
    parser.add_argument("--units", type=int, help="any number of units (overrides --size)")
    parser.add_argument("--events-per-unit", type=int, help="activity per unit and year")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--out", type=Path, help="folder (default: benchmarks/data/<size>)")
    args = parser.parse_args(argv)
    size = size_for(args.size, args.units, args.events_per_unit)
    out = args.out or DATA / size.name
    meta = generate(size, out, args.seed, quiet=False)
    print(json.dumps(meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
