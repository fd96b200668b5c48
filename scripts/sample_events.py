"""Make the sample year of activity that ``mentorrules demo`` runs on, deterministically.

Run from the repository root, after ``scripts/make_samples.py`` (the rosters)::

    python scripts/sample_events.py            # write the samples
    python scripts/sample_events.py --check    # exit 1 if a written sample is out of date

For each built-in program it reads ``src/mentorrules/builtin/samples/<program>/roster.csv``
and writes ``events.csv`` (the activity log up to the demo's ``as_of``) and
``demo.json`` (``{"as_of": ...}``). The same roster and seed always give the same
files, byte for byte; ``tests/cli/test_demo.py`` checks the shipped files against
this script.

What the log holds is read from the program, not repeated here: the kinds of
its rules say which duties to act out, its trainings, surveys and referral topics
say what to attend, complete and refer.

* Monthly contact: each unit's mentors write to all their mentees once a month
  (e-mail, chat or text), check in by text with some mentees, and mentees write
  to their mentors (text, e-mail, chat, phone), mostly answered within hours.
  MD/PhD mentors write to the MD/PhD students monthly.
* Meetings: with a per-term meeting rule (UMMS) each unit meets its mentees as a
  group once a semester, in person or by video, and meets absentees one to one
  a few weeks later; with a monthly meeting rule (MedMentors) each small group
  meets on the schedule's day (the second Tuesday, moved on from a break), a
  few groups on another day. Mentees also ask for voluntary one-to-one meetings
  (64 in MedMentors by ``as_of``, as the abstract's "over 60").
* Trainings and surveys: everyone asked attends and completes them.
* Concerns on the program's referral topics, each referred to an allowed target.
* Absences (with an absence rule): mentors tell their partner and mentees ahead.

And a realistic handful of lapses, so the demo has something to show:

* UMMS: one cohort skips its February message and misses two mentees; one
  mentee never meets in the fall; four replies come late (two texts, a call, an
  e-mail) and one text waits near its deadline at ``as_of``; one mentor tells
  the partner only after leaving and another tells no mentee; one mentor misses
  the fall workshop; two surveys go unanswered and one comes late, and two
  mentors skip the focus group; one concern is referred late and one is still
  open at ``as_of``; one mentee is left out of the fall "limits" message; one
  cohort has not met yet in the spring (pending).
* MedMentors: one group skips its October encounter; one November encounter has
  a single mentee; two groups have moved their April encounter to the end of
  the month (at risk at ``as_of``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "mentorrules" / "builtin" / "samples"
PROGRAMS = ("umms", "medmentors")
# Inside the spring term, so the demo shows breaches (past months and terms), at_risk
# items (a reply near its deadline; April encounters not yet held) and pending ones.
AS_OF = {"umms": "2026-04-15T17:00", "medmentors": "2024-04-25T17:00"}
COLUMNS = ("id", "type", "at", "start", "end", "from", "to", "channel", "format", "reply_to",
           "topic")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
HOUR = 3600


@dataclass
class Unit:
    id: str
    overlay: bool
    mentors: list[str] = field(default_factory=list)
    mentees: list[str] = field(default_factory=list)
    faculty: list[str] = field(default_factory=list)


@dataclass
class Absence:
    mentor: str
    unit: Unit
    start: float
    end: float


def _units_of(row: Mapping[str, Any]) -> list[str]:
    value = row.get("units") or []
    return [u for u in value.split(";") if u] if isinstance(value, str) else list(value)


def read_roster_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


class Sample:
    """One program's sample log, built in a fixed order from one seeded generator."""

    def __init__(self, program: Any, rows: Sequence[Mapping[str, Any]], seed: int,
                 as_of: str) -> None:
        self.program = program
        self.rng = random.Random(f"{program.id}:events:{seed}")
        self.tz = ZoneInfo(program.timezone)
        self.as_of = datetime.fromisoformat(as_of).replace(tzinfo=self.tz).timestamp()
        self.rows = list(rows)
        self.role = {r["id"]: r["role"] for r in rows}
        self.units: dict[str, Unit] = {}
        for row in rows:
            for unit_id in _units_of(row):
                unit = self.units.setdefault(unit_id, Unit(unit_id, unit_id in program.overlay_ids))
                {"mentor": unit.mentors, "mentee": unit.mentees,
                 "faculty": unit.faculty}.get(row["role"], []).append(row["id"])
        self.regular = [u for u in self.units.values() if not u.overlay and u.mentees]
        self.overlays = [u for u in self.units.values() if u.overlay and u.mentees and u.mentors]
        self.home = {m: u for u in self.regular for m in u.mentees}
        self.staff = [r["id"] for r in rows if r["role"] == "staff"]
        self.events: list[dict[str, Any]] = []
        self.contacts: dict[str, list[float]] = {}  # mentee -> times of mentor contacts
        self.quiet: set[tuple[str, str]] = set()  # (mentee, month): no contact at all
        self.unmet: set[tuple[str, str]] = set()  # (mentee, term): no meeting at all
        self.absences: list[Absence] = []
        self._days: dict[tuple[date, date], list[date]] = {}
        kinds: dict[str, list[Any]] = {}
        for spec in program.active_rules():
            kinds.setdefault(spec.kind, []).append(spec)
        self.kinds = kinds
        from mentorrules.periods import periods

        self.months = [p for p in periods(program, "month") if p.start_ts <= self.as_of]
        self.terms = [t for t in program.calendar.terms
                      if self.at(t.start, 0) <= self.as_of]

    # ------------------------------------------------------------------ time

    def at(self, day: date, minutes: int) -> float:
        """Local ``day`` plus ``minutes`` after midnight (kept out of the night hours)."""
        return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                        tzinfo=self.tz).timestamp()

    def local(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)

    def awake(self, ts: float) -> float:
        """``ts``, or 07:00-08:30 the next morning when it falls between 23:00 and 07:00."""
        moment = self.local(ts)
        if 7 <= moment.hour < 23:
            return ts - moment.second
        day = moment.date() + timedelta(days=1) if moment.hour >= 23 else moment.date()
        return self.at(day, 7 * 60 + self.rng.randrange(0, 90))

    def daytime(self, day: date, first: int = 9, last: int = 21) -> float:
        return self.at(day, self.rng.randrange(first * 60, last * 60))

    def month_of(self, ts: float) -> str:
        return self.local(ts).strftime("%Y-%m")

    def term_of(self, ts: float) -> str:
        term = self.program.calendar.term_of(self.local(ts).date())
        return term.id if term else ""

    def term_days(self, first: date, last: date) -> list[date]:
        """Days from ``first`` to ``last`` inside a term, not skipped, up to ``as_of``."""
        known = self._days.get((first, last))
        if known is not None:
            return known
        cal = self.program.calendar
        days = self._days[(first, last)] = []
        day = first
        while day <= last:
            if cal.term_of(day) and not cal.skipped(day) and self.at(day, 0) < self.as_of:
                days.append(day)
            day += timedelta(days=1)
        return days

    def month_days(self, period: Any, lo: int = 1, hi: int = 31) -> list[date]:
        first = period.start.date()
        days = self.term_days(first, period.last_day)
        return [d for d in days if lo <= d.day <= hi]

    # ------------------------------------------------------------------ events

    def add(self, kind: str, ts: float, sender: str = "", to: Iterable[str] = (),
            channel: str = "", fmt: str = "", reply_to: int | None = None, topic: str = "",
            start: float | None = None, end: float | None = None) -> int | None:
        """Log one event (nothing after ``as_of``); the key it gets, for ``reply_to``."""
        if ts > self.as_of:
            return None
        to = list(to)
        people = [sender, *to]
        mentors = [p for p in people if self.role.get(p) == "mentor"]
        if kind in ("message", "meeting") and mentors and (
                kind == "meeting" or self.role.get(sender) == "mentor"):
            month, term = self.month_of(ts), self.term_of(ts)
            for person in dict.fromkeys(to if kind == "message" else people):
                if self.role.get(person) != "mentee":
                    continue
                # The planned lapses must hold: these asserts keep later edits honest.
                assert (person, month) not in self.quiet, (person, month, kind)
                assert kind != "meeting" or (person, term) not in self.unmet, (person, term)
                self.contacts.setdefault(person, []).append(ts)
        key = len(self.events)
        self.events.append({"_ts": ts, "_key": key, "_reply": reply_to, "type": kind,
                            "from": sender, "to": to, "channel": channel, "format": fmt,
                            "topic": topic, "_start": start, "_end": end})
        return key

    def contacted(self, mentee: str, lo: float, hi: float) -> bool:
        return any(lo <= ts <= hi for ts in self.contacts.get(mentee, ()))

    def absent(self, mentor: str, ts: float) -> bool:
        return any(a.mentor == mentor and a.start <= ts < a.end for a in self.absences)

    def present(self, unit: Unit, ts: float) -> list[str]:
        return [m for m in unit.mentors if not self.absent(m, ts)] or unit.mentors

    def can_reach(self, mentee: str, ts: float) -> bool:
        return (mentee, self.month_of(ts)) not in self.quiet

    def can_meet(self, mentee: str, ts: float) -> bool:
        return self.can_reach(mentee, ts) and (mentee, self.term_of(ts)) not in self.unmet

    # ------------------------------------------------------------------ conversations

    def delay(self, channel: str) -> int:
        """Minutes to answer: mostly a few hours, always inside the program's windows."""
        draw = self.rng.random()
        if channel == "email":
            spans = ((0.5, 30, 360), (0.85, 360, 1440), (1.0, 1440, 2160))
        else:
            spans = ((0.6, 5, 180), (0.9, 180, 600), (1.0, 600, 840))
        for limit, lo, hi in spans:
            if draw < limit:
                return self.rng.randrange(lo, hi)
        raise AssertionError("unreachable")

    def conversation(self, mentee: str, unit: Unit, ts: float, channel: str, *,
                     late_by: int = 0, topic: str = "", answer: bool = True) -> int | None:
        """A mentee writes to their mentor(s); a mentor answers (``late_by`` minutes late)."""
        mentors = self.present(unit, ts)
        addressed = [self.rng.choice(mentors)] if self.rng.random() < 0.75 else list(mentors)
        question = self.add("message", ts, mentee, addressed, channel, topic=topic)
        if question is None or not answer:
            return question
        if late_by:
            window = self.window(channel)
            reply = self.awake(ts + window + late_by * 60)
        else:
            reply = self.awake(ts + self.delay(channel) * 60)
        replier = self.rng.choice(addressed)
        if self.absent(replier, reply):
            replier = self.rng.choice(self.present(unit, reply))
        back = channel if channel != "phone" else self.rng.choice(("phone", "text"))
        named = question if late_by or self.rng.random() < 0.85 else None
        self.add("message", reply, replier, [mentee], back, reply_to=named)
        return question

    def window(self, channel: str) -> float:
        """The reply window of ``channel`` in seconds (from the program's reply rules)."""
        for spec in self.kinds.get("reply-window", ()):
            if channel in spec.options.channels:
                return float(spec.options.within.total_seconds())
        return 48.0 * HOUR

    # ------------------------------------------------------------------ the year

    def build(self) -> list[dict[str, str]]:
        self.plan_lapses()
        self.plan_absences()
        self.monthly_messages()
        self.meetings()
        self.voluntary_meetings()
        self.mentee_messages()
        self.trainings()
        self.surveys()
        self.concerns()
        self.late_replies()
        return self.rows_out()

    def plan_lapses(self) -> None:
        rng = self.rng
        self.skip_month: tuple[Unit, str] | None = None
        if "contact-cadence" in self.kinds and len(self.months) > 6:
            unit = self.regular[6 % len(self.regular)]
            month = next((p.id for p in self.months if p.id.endswith("-02")), self.months[5].id)
            self.skip_month = (unit, month)
            for mentee in rng.sample(unit.mentees, 2):
                self.quiet.add((mentee, month))
        self.no_meeting_unit: Unit | None = None
        per_term = [s for s in self.kinds.get("meeting-cadence", ()) if s.options.per == "term"]
        if per_term and self.terms:
            unit = self.regular[2 % len(self.regular)]
            self.unmet.add((rng.choice(unit.mentees), self.terms[0].id))
            if len(self.terms) > 1:
                # One cohort plans its spring meeting after as_of: pending in the demo.
                self.no_meeting_unit = self.regular[11 % len(self.regular)]
                self.unmet.update((m, self.terms[-1].id) for m in self.no_meeting_unit.mentees)

    def plan_absences(self) -> None:
        if "absence-notice" not in self.kinds:
            return
        rng = self.rng
        plans = [(0.2, "both", 0), (0.45, "partner", 0), (0.6, "both", -1), (0.8, "both", 0)]
        first, last = self.months[0].start_ts, self.as_of - 10 * 86400
        for i, (where, told, late) in enumerate(plans):
            unit = self.regular[(5 + 7 * i) % len(self.regular)]
            mentor = unit.mentors[i % len(unit.mentors)]
            day = self.local(first + where * (last - first)).date()
            while self.program.calendar.term_of(day) is None or day.weekday() != 0:
                day += timedelta(days=1)
            start = self.at(day, 7 * 60)
            end = self.at(day + timedelta(days=rng.choice((5, 7))), 0)
            self.absences.append(Absence(mentor, unit, start, end))
            partners = [m for m in unit.mentors if m != mentor]
            notice = start + 86400 + 2 * HOUR if late else \
                self.daytime(day - timedelta(days=rng.randrange(3, 9)))
            to = partners + (unit.mentees if told == "both" else [])
            self.add("absence", notice, mentor, to, start=start, end=end)

    def monthly_messages(self) -> None:
        rng = self.rng
        limits = [s for s in self.kinds.get("contact-cadence", ()) if s.options.topics]
        for period in self.months:
            for unit in self.regular:
                days = self.month_days(period, hi=12) or self.month_days(period)
                if not days:
                    continue
                ts = self.daytime(rng.choice(days))
                to = [m for m in unit.mentees if self.can_reach(m, ts)]
                sender = rng.choice(self.present(unit, ts))
                if self.skip_month and self.skip_month == (unit, period.id):
                    # The group message is forgotten; mentors text most mentees one by one.
                    for mentee in to:
                        self.add("message", self.daytime(rng.choice(self.month_days(period))),
                                 rng.choice(unit.mentors), [mentee], "text")
                    continue
                channel = rng.choices(("email", "chat", "text"), (6, 3, 2))[0]
                self.add("message", ts, sender, to, channel)
                for mentee in unit.mentees:  # individual check-ins
                    if rng.random() < 0.25:
                        when = self.daytime(rng.choice(self.month_days(period)))
                        if self.can_reach(mentee, when):
                            self.add("message", when, rng.choice(self.present(unit, when)),
                                     [mentee], "text")
            for overlay in self.overlays:
                days = self.month_days(period, lo=5, hi=15)
                if days:
                    ts = self.daytime(rng.choice(days))
                    to = [m for m in overlay.mentees if self.can_reach(m, ts)]
                    self.add("message", ts, rng.choice(overlay.mentors), to, "email")
        for spec in limits:
            self.topic_messages(spec)

    def topic_messages(self, spec: Any) -> None:
        """A message on the rule's topic to every mentee, early in each term it covers."""
        rng = self.rng
        topic = spec.options.topics[0]
        terms = [t for t in self.terms if not spec.options.terms or t.id in spec.options.terms]
        for term in terms:
            days = self.term_days(term.start + timedelta(days=21), term.start + timedelta(days=42))
            forgotten = self.regular[17 % len(self.regular)]
            for unit in self.regular:
                ts = self.daytime(rng.choice(days))
                to = [m for m in unit.mentees if self.can_reach(m, ts)]
                if unit is forgotten:
                    to = to[:-1]  # the last mentee on the list is left out
                self.add("message", ts, rng.choice(self.present(unit, ts)), to, "email",
                         topic=topic)

    def meetings(self) -> None:
        for spec in self.kinds.get("meeting-cadence", ()):
            if spec.options.per == "term":
                self.term_meetings(spec)
            elif spec.options.per == "month":
                self.monthly_encounters(spec)

    def term_meetings(self, spec: Any) -> None:
        rng = self.rng
        channels = spec.options.channels or ("in_person",)
        for term in self.terms:
            days = self.term_days(term.start + timedelta(days=14), term.start + timedelta(days=80))
            for unit in [*self.regular, *self.overlays]:
                if unit is self.no_meeting_unit and term is self.terms[-1]:
                    continue
                ts = self.daytime(rng.choice([d for d in days if d.weekday() < 5]), 16, 19)
                came = [m for m in unit.mentees if self.can_meet(m, ts) and rng.random() < 0.88]
                missed = [m for m in unit.mentees if m not in came]
                host, *others = self.present(unit, ts)
                guests = unit.faculty if rng.random() < 0.5 else []
                channel = rng.choices(channels, (4, 1) if len(channels) == 2 else None)[0]
                self.add("meeting", ts, host, [*others, *guests, *came], channel, "group")
                if unit.overlay:
                    continue
                for mentee in missed:
                    later = self.awake(ts + rng.randrange(7, 35) * 86400)
                    end = self.at(term.end, 0)
                    later = min(later, self.daytime(term.end - timedelta(days=3)))
                    if later < end and self.can_meet(mentee, later):
                        self.add("meeting", later, rng.choice(self.present(unit, later)),
                                 [mentee], rng.choice(channels), "individual")

    def encounter_day(self, period: Any, spec: Any) -> date:
        """The schedule's day for the rule in this month, moved on past skipped days."""
        item = next((i for i in self.program.schedule if i.rule == spec.id and i.weekday), None)
        first = period.start.date()
        if item is None:
            return first + timedelta(days=9)
        weekday = WEEKDAYS.index(item.weekday)
        day = first + timedelta(days=(weekday - first.weekday()) % 7)
        day += timedelta(weeks=(item.nth or 1) - 1)
        cal = self.program.calendar
        while cal.skipped(day) or cal.term_of(day) is None:
            day += timedelta(weeks=1)
        return day

    def monthly_encounters(self, spec: Any) -> None:
        rng = self.rng
        channels = spec.options.channels or ("in_person",)
        item = next((i for i in self.program.schedule if i.rule == spec.id and i.at), None)
        minutes = item.at.hour * 60 + item.at.minute if item and item.at else 18 * 60
        months = [p for p in self.months if self.month_days(p)]
        skipped = (self.regular[4 % len(self.regular)], months[2].id)  # October
        alone = (self.regular[9 % len(self.regular)], months[3].id)  # November
        moved = {self.regular[13 % len(self.regular)].id, self.regular[19 % len(self.regular)].id}
        for period in months:
            usual = self.encounter_day(period, spec)
            for unit in self.regular:
                if (unit, period.id) == skipped:
                    continue
                day = usual
                if period is months[-1] and unit.id in moved:
                    day = period.last_day - timedelta(days=1)  # after as_of: at risk
                elif rng.random() < 0.15:
                    options = [d for d in self.month_days(period) if d.weekday() < 5]
                    day = rng.choice(options) if options else usual
                ts = self.at(day, minutes + rng.choice((0, 0, 0, 30)))
                reminder = self.daytime(day - timedelta(days=rng.randrange(2, 6)))
                mentor = rng.choice(unit.mentors)
                if reminder >= period.start_ts:
                    self.add("message", reminder, mentor, unit.mentees, "text")
                came = [m for m in unit.mentees if rng.random() < 0.85]
                if (unit, period.id) == alone:
                    came = came[:1]
                elif len(came) < 3:
                    came = unit.mentees[:4]
                channel = rng.choices(channels, (9, 1) if len(channels) == 2 else None)[0]
                self.add("meeting", ts, mentor, came, channel, "group")

    def voluntary_meetings(self) -> None:
        rng = self.rng
        per_month = [s for s in self.kinds.get("meeting-cadence", ()) if s.options.per == "month"]
        total = 64 if per_month else round(0.03 * len(self.home) * len(self.months))
        months = [p for p in self.months[1:] if self.month_days(p)]
        done = 0
        while done < total:
            period = rng.choice(months)
            unit = rng.choice(self.regular)
            mentee = rng.choice(unit.mentees)
            ts = self.daytime(rng.choice(self.month_days(period)), 11, 20)
            if not self.can_meet(mentee, ts):
                continue
            channel = rng.choices(("in_person", "video"), (7, 3))[0]
            if self.add("meeting", ts, rng.choice(self.present(unit, ts)), [mentee], channel,
                        "individual") is not None:
                done += 1

    def mentee_messages(self) -> None:
        rng = self.rng
        busy = "contact-cadence" in self.kinds
        weights = (30, 40, 20, 10) if busy else (50, 35, 15, 0)
        channels = ("text", "email", "chat", "phone")
        for period in self.months:
            days = self.month_days(period)
            if not days:
                continue
            for unit in self.regular:
                for mentee in unit.mentees:
                    for _ in range(rng.choices(range(4), weights)[0]):
                        ts = self.daytime(rng.choice(days), 8, 22)
                        channel = rng.choices(channels, (50, 25, 15, 10))[0]
                        if self.can_reach(mentee, ts) and self.can_reach(mentee, ts + 2 * 86400):
                            self.conversation(mentee, unit, ts, channel)
            for overlay in self.overlays:
                for mentee in overlay.mentees:
                    if rng.random() < 0.25:
                        ts = self.daytime(rng.choice(days))
                        if self.can_reach(mentee, ts) and self.can_reach(mentee, ts + 2 * 86400):
                            self.conversation(mentee, overlay, ts, "email")

    def selected(self, selector: Any) -> list[str]:
        return [r["id"] for r in self.rows
                if (not selector.roles or r["role"] in selector.roles)
                and (not selector.levels or r.get("level") in selector.levels)
                and (not selector.tracks or r.get("track") in selector.tracks)]

    def trainings(self) -> None:
        rng = self.rng
        required = [t for t in self.program.trainings if t.required]
        for i, training in enumerate(required):
            start = datetime.combine(training.start.date(), training.start.time(),
                                     tzinfo=self.tz).timestamp()
            people = self.selected(training.attendees)
            skipper = people[len(people) // 3] if i == 1 else None
            for person in people:
                if person != skipper:
                    self.add("training", start + rng.randrange(0, 12) * 60, person,
                             topic=training.id)

    def surveys(self) -> None:
        rng = self.rng
        for i, survey in enumerate(s for s in self.program.surveys if s.required):
            people = self.selected(survey.participants)
            missing = set(rng.sample(people, 2)) if i < 2 else set()
            late = rng.choice([p for p in people if p not in missing]) if i == 0 else None
            span = (survey.due - survey.opens).days + 1
            for person in people:
                if person in missing:
                    continue
                if person == late:
                    day = survey.due + timedelta(days=rng.randrange(2, 5))
                else:
                    day = survey.opens + timedelta(days=int(span * rng.random() ** 2))
                self.add("survey", self.daytime(day, 8, 22), person, topic=survey.id)

    def concerns(self) -> None:
        """Concerns on the referral topics, referred in time but one late and one open."""
        policy = self.program.referrals
        if "referral" not in self.kinds or not policy.topics:
            return
        rng = self.rng
        targets = {t.id: t for t in policy.targets}
        first, last = self.months[1].start_ts, self.as_of
        plans = [(0.1, "text", 0.3, "message"), (0.3, "", 0.4, "meeting"),
                 (0.55, "email", 1.0, "message"), (0.8, "text", 0.2, "message")]
        slowest = max(policy.topics, key=lambda t: t.within)
        for i, (where, channel, share, how) in enumerate(plans):
            topic = policy.topics[i % len(policy.topics)]
            unit = self.regular[(3 + 5 * i) % len(self.regular)]
            mentee = unit.mentees[i % len(unit.mentees)]
            ts = self.daytime(self.local(first + where * (last - first)).date(), 10, 20)
            window = topic.within.total_seconds()
            if not self.can_meet(mentee, ts) or not self.can_reach(mentee, ts + 2 * 86400):
                continue
            if how == "meeting":
                raised = self.add("meeting", ts, rng.choice(unit.mentors), [mentee], "in_person",
                                  "individual", topic=topic.id)
            else:
                raised = self.conversation(mentee, unit, ts, channel, topic=topic.id)
            if raised is None:
                continue
            late = share >= 1.0
            when = ts + window + rng.randrange(6, 12) * HOUR if late else \
                self.awake(ts + share * window)
            assert late or when < ts + window
            target = targets[topic.targets[(i // 2) % len(topic.targets)]]
            to = target.id
            if target.unit_role == "faculty" and unit.faculty and i % 2:
                to = unit.faculty[0]
            elif target.role and i % 2:
                to = next(r["id"] for r in self.rows if r["role"] == target.role)
            self.add("referral", self.awake(when), rng.choice(unit.mentors), [to],
                     topic=topic.id, reply_to=raised if i % 2 == 0 else None)
        # One raised the day before as_of: still open (pending) in the demo.
        unit = self.regular[21 % len(self.regular)]
        ts = self.as_of - 22 * HOUR
        self.conversation(unit.mentees[0], unit, ts, "chat", topic=slowest.id)

    def late_replies(self) -> None:
        """Late answers (two texts, a call, an e-mail) and one text awaiting its answer."""
        if "reply-window" not in self.kinds:
            return
        rng = self.rng
        plans = (("text", 0.25), ("phone", 0.4), ("email", 0.6), ("text", 0.85))
        first = self.months[1].start_ts
        for channel, where in plans:
            for _attempt in range(200):
                unit = rng.choice(self.regular)
                mentee = rng.choice(unit.mentees)
                day = self.local(first + where * (self.as_of - first)).date()
                day += timedelta(days=rng.randrange(0, 10))
                ts = self.daytime(day, 9, 19)
                late_by = rng.randrange(120, 600)
                until = ts + self.window(channel) + late_by * 60 + 10 * HOUR
                if (self.program.calendar.term_of(day) and self.can_reach(mentee, ts)
                        and self.can_reach(mentee, until) and until < self.as_of
                        and not self.contacted(mentee, ts - HOUR, until)):
                    self.conversation(mentee, unit, ts, channel, late_by=late_by)
                    break
        unit = self.regular[8 % len(self.regular)]
        ts = self.as_of - (20 * HOUR + 30 * 60)  # answer due 3.5 hours after as_of: at risk
        mentee = next(m for m in unit.mentees if not self.contacted(m, ts - HOUR, self.as_of))
        self.conversation(mentee, unit, ts, "text", answer=False)

    # ------------------------------------------------------------------ output

    def rows_out(self) -> list[dict[str, str]]:
        ordered = sorted(self.events, key=lambda e: (e["_ts"], e["_key"]))
        ids = {e["_key"]: f"e{n:05d}" for n, e in enumerate(ordered, 1)}
        out = []
        for event in ordered:
            row = {
                "id": ids[event["_key"]],
                "type": event["type"],
                "at": self.text(event["_ts"]),
                "start": self.text(event["_start"]),
                "end": self.text(event["_end"]),
                "from": event["from"],
                "to": ";".join(event["to"]),
                "channel": event["channel"],
                "format": event["format"],
                "reply_to": ids[event["_reply"]] if event["_reply"] is not None else "",
                "topic": event["topic"],
            }
            out.append(row)
        return out

    def text(self, ts: float | None) -> str:
        return "" if ts is None else self.local(ts).strftime("%Y-%m-%dT%H:%M")


def make_events(program: Any, roster_rows: Sequence[Mapping[str, Any]],
                seed: int = 2025) -> list[dict[str, str]]:
    """The sample activity log of ``program`` (a name or Program) for these roster rows."""
    import mentorrules

    prog = mentorrules.load_program(program)
    as_of = AS_OF.get(prog.id) or _default_as_of(prog)
    return Sample(prog, roster_rows, seed, as_of).build()


def _default_as_of(program: Any) -> str:
    """Six weeks before the end of the last term, at 17:00."""
    day = program.calendar.terms[-1].end - timedelta(days=42)
    return f"{day.isoformat()}T17:00"


def events_csv(rows: Sequence[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in COLUMNS])
    return out.getvalue()


def demo_json(program: Any) -> str:
    import mentorrules

    prog = mentorrules.load_program(program)
    return json.dumps({"as_of": AS_OF.get(prog.id) or _default_as_of(prog)}, indent=2) + "\n"


def sample_files(name: str, folder: Path, seed: int = 2025) -> dict[Path, str]:
    """The files this script writes for one program, by path."""
    roster = read_roster_csv(folder / "roster.csv")
    return {folder / "events.csv": events_csv(make_events(name, roster, seed)),
            folder / "demo.json": demo_json(name)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=SAMPLES, help="the samples folder")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a sample differs from what it would be")
    args = parser.parse_args(argv)
    from make_samples import write_or_check  # scripts/ is sys.path[0] when run as a script

    files = {path: text for name in PROGRAMS
             for path, text in sample_files(name, args.out / name, args.seed).items()}
    return write_or_check(files, check=args.check, script="scripts/sample_events.py")


if __name__ == "__main__":
    sys.exit(main())
