"""Planning: a program's ``schedule``, trainings, surveys and terms as dated occurrences.

:func:`plan` expands a program against its academic calendar and returns
:class:`~mentorrules.schedule.occurrence.Occurrence` objects in time order.

How an item of ``schedule:`` is placed (a *program day* is a day inside a term
that is not a holiday, a break day or inside a blackout period):

``every: week``
    on ``weekday`` (default ``MO``) of each week, program days only.
``every: month``
    on the ``nth`` ``weekday`` of each month (``nth: -1`` is the last; ``weekday``
    alone means the first), else on ``day`` of the month (a day past the month's
    end means its last day), else on the 1st; program days only.
``every: term``
    on the first program day of each term (the first one on ``weekday`` if given).
``date``
    once, on that day, as declared (a one-off date is the author's own choice).
``deadline: true``
    instead of the above, on the last program day of each week, month or term:
    a due date does not disappear because the period ends in a break, it moves
    to the last day on which the program runs. A period with no program day has
    no deadline.

With ``at`` an occurrence starts at that local time and lasts ``duration``
(elapsed time, so correct across a daylight-saving change); without it the
occurrence is all-day. A weekly or monthly item makes one *series* per term,
following one :class:`~mentorrules.schedule.occurrence.Pattern`, which the
iCalendar export writes as an RRULE with EXDATEs.

Who gets what:

- ``audience: unit`` items: one occurrence per regular unit (overlay units such
  as MD/PhD are laid over the regular ones and owe no unit duties of their own);
  the description names the unit's mentors and faculty and counts its mentees.
- ``audience: mentor`` items: one per mentor; ``audience: program``: one for all.
- ``trainings`` and ``surveys``: for the people their ``attendees`` /
  ``participants`` selector picks; term begin and end dates: for everyone.
- the whole-program plan (neither ``mentor`` nor ``unit``) lists every item once,
  for nobody in particular: the program's year as a coordinator publishes it.
- with ``status`` (anything with ``obligations``, e.g. a
  :class:`~mentorrules.report.Status`), each ``pending`` or ``at_risk``
  obligation with a due time becomes a deadline: timed, ending at the due time,
  or all-day on the previous day when it falls due at local midnight.

Privacy: no mentee name appears in any occurrence unless ``include_names`` is
true. Mentees are counted, and named by id only in status deadlines (where the
id says whom to answer). Mentor and faculty names are shown.

Occurrences are identical whichever view they are planned for (a unit's monthly
deadline is the same event in the unit's calendar and in each of its mentors'),
and their ``uid`` derives only from the program, the item, the term and the
unit or mentor, so a re-export updates rather than duplicates.
"""

from __future__ import annotations

import calendar as _calendar
import hashlib
import re
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from mentorrules.errors import UsageError
from mentorrules.periods import periods
from mentorrules.program.models import Program, ScheduleItem, Selector, Term
from mentorrules.report import Obligation
from mentorrules.roster.models import Person, Roster, Unit
from mentorrules.schedule.occurrence import WEEKDAYS, Occurrence, Pattern

_PENDING = ("pending", "at_risk")


class HasObligations(Protocol):
    """What :func:`plan` needs of a status: its obligations."""

    @property
    def obligations(self) -> Iterable[Obligation]: ...


class UnknownIdError(UsageError, LookupError):
    """A mentor or unit id that the roster does not have (``kind``, ``id``, ``known``)."""

    def __init__(self, kind: str, wanted: str, known: Sequence[str], advice: str) -> None:
        from mentorrules._suggest import did_you_mean

        self.kind = kind
        self.id = wanted
        self.known = tuple(known)
        super().__init__(f"no {kind} {wanted!r} in the roster{did_you_mean(wanted, known)}; {advice}")


# --------------------------------------------------------------------------- entry point


def plan(
    program: Program,
    roster: Roster | None = None,
    *,
    mentor: str | None = None,
    unit: str | None = None,
    status: HasObligations | None = None,
    include_names: bool = False,
) -> tuple[Occurrence, ...]:
    """The occurrences of a program for one mentor, one unit, or the whole program.

    ``mentor`` and ``unit`` need a ``roster``; give at most one of them. Raises
    :class:`UnknownIdError` (a :class:`~mentorrules.errors.UsageError`) for an
    id the roster lacks.
    """
    if mentor is not None and unit is not None:
        raise UsageError("give a mentor or a unit, not both; use one calendar per view")
    if (mentor is not None or unit is not None) and roster is None:
        raise UsageError("a mentor's or a unit's calendar needs a roster; pass roster=")
    planner = _Planner(program, roster, include_names)
    if mentor is not None:
        assert roster is not None
        found = planner.for_mentor(_mentor(roster, mentor))
    elif unit is not None:
        assert roster is not None
        found = planner.for_unit(_unit(roster, unit))
    else:
        found = planner.for_program()
    if status is not None:
        found = [*found, *planner.status(status, mentor=mentor, unit=unit)]
    return tuple(sorted(_unique(found), key=Occurrence.sort_key))


def _mentor(roster: Roster, mentor_id: str) -> Person:
    person = roster.get(mentor_id)
    mentors = [p.id for p in roster.with_role("mentor")]
    if person is None or person.role != "mentor":
        what = "" if person is None else f" ({mentor_id!r} is a {person.role})"
        raise UnknownIdError(
            "mentor", mentor_id, mentors,
            f"give the id of a person with role 'mentor' in {roster.source}{what}, "
            "or a unit id with --unit",
        )
    return person


def _unit(roster: Roster, unit_id: str) -> Unit:
    found = roster.units.get(unit_id)
    if found is None:
        raise UnknownIdError(
            "unit", unit_id, sorted(roster.units),
            f"give a unit id named in the 'units' column of {roster.source}",
        )
    return found


def _unique(found: Iterable[Occurrence]) -> Iterator[Occurrence]:
    seen: set[str] = set()
    for occ in found:
        if occ.uid not in seen:
            seen.add(occ.uid)
            yield occ


# --------------------------------------------------------------------------- identity


def make_uid(program: Program, *parts: str) -> str:
    """A stable UID from the program id and the parts that identify one event.

    Readable head (the item), opaque tail (a hash of every part, so roster ids of
    any spelling are safe), and a domain-like suffix as RFC 5545 recommends.
    """
    digest = hashlib.sha256("\x1f".join((program.id, *parts)).encode("utf-8")).hexdigest()
    head = _slug(parts[1] if len(parts) > 1 else parts[0])
    return f"{head}-{digest[:24]}@{_slug(program.id)}.mentorrules"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "x"


# --------------------------------------------------------------------------- days


@dataclass(frozen=True, slots=True)
class _Slot:
    """One day an item falls on, its term, and the pattern of its series (if any)."""

    day: date
    term: Term | None
    pattern: Pattern | None


class _Calendar:
    """Program days and local times of one program."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.zone = zoneinfo.ZoneInfo(program.timezone)
        cal = program.calendar
        self.days: dict[date, Term] = {}
        for term in cal.terms:
            day = term.start
            while day <= term.end:
                if not cal.skipped(day):
                    self.days[day] = term
                day += timedelta(days=1)

    def term_of(self, day: date) -> Term | None:
        return self.program.calendar.term_of(day)

    def local(self, day: date, at: time) -> datetime:
        """``at`` on ``day`` in the program's zone, read as RFC 5545 reads a local time.

        A time that occurs twice (the hour repeated when daylight-saving time ends)
        is the first of the two; a time that does not occur (the hour skipped when
        it starts) takes the offset from before the gap, so 02:30 becomes 03:30.
        """
        wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), self.zone)
        return datetime.fromtimestamp(wall.timestamp(), self.zone)

    def after(self, start: datetime, elapsed: timedelta) -> datetime:
        return datetime.fromtimestamp(start.timestamp() + elapsed.total_seconds(), self.zone)

    def last_program_day(self, first: date, last: date) -> date | None:
        day = last
        while day >= first:
            if day in self.days:
                return day
            day -= timedelta(days=1)
        return None

    def slots(self, item: ScheduleItem) -> list[_Slot]:
        if item.every is None:
            assert item.date is not None  # the loader requires every or date
            return [_Slot(item.date, self.term_of(item.date), None)]
        if item.every == "term":
            return list(self._term_slots(item))
        if item.deadline:
            return list(self._period_deadlines(item))
        pattern = self._pattern(item)
        return [
            _Slot(day, term, pattern)
            for day, term in sorted(self.days.items())
            if self._falls_on(item, pattern, day)
        ]

    def _term_slots(self, item: ScheduleItem) -> Iterator[_Slot]:
        for term in self.program.calendar.terms:
            days = [d for d, t in sorted(self.days.items()) if t.id == term.id]
            if item.deadline:
                days = days[-1:]
            elif item.weekday is not None:
                days = [d for d in days if WEEKDAYS[d.weekday()] == item.weekday][:1]
            else:
                days = days[:1]
            for day in days:
                yield _Slot(day, term, None)

    def _period_deadlines(self, item: ScheduleItem) -> Iterator[_Slot]:
        assert item.every in ("week", "month")
        pattern = (
            Pattern(freq="WEEKLY", byday="SU")
            if item.every == "week"
            else Pattern(freq="MONTHLY", bymonthday=-1)
        )
        for period in periods(self.program, item.every):
            day = self.last_program_day(period.start.date(), period.last_day)
            if day is not None:
                yield _Slot(day, self.days[day], pattern)

    @staticmethod
    def _pattern(item: ScheduleItem) -> Pattern:
        if item.every == "week":
            return Pattern(freq="WEEKLY", byday=item.weekday or "MO")
        if item.weekday is not None:
            return Pattern(freq="MONTHLY", byday=f"{item.nth or 1}{item.weekday}")
        return Pattern(freq="MONTHLY", bymonthday=item.day or 1)

    @staticmethod
    def _falls_on(item: ScheduleItem, pattern: Pattern, day: date) -> bool:
        if pattern.matches(day):
            return True
        # day: 31 means the last day of a shorter month (an exception to the RRULE)
        last = _calendar.monthrange(day.year, day.month)[1]
        return item.day is not None and item.weekday is None and item.day > last == day.day


# --------------------------------------------------------------------------- planner


class _Planner:
    def __init__(self, program: Program, roster: Roster | None, include_names: bool) -> None:
        self.program = program
        self.roster = roster
        self.include_names = include_names
        self.cal = _Calendar(program)
        self._slots = {item.id: self.cal.slots(item) for item in program.schedule}

    # ----------------------------------------------------------------- views

    def for_program(self) -> list[Occurrence]:
        found: list[Occurrence] = []
        for item in self.program.schedule:
            found += self._item(item, scope="program", unit=None, mentor=None)
        found += self._fixed(lambda selector: True)
        return found

    def for_unit(self, unit: Unit) -> list[Occurrence]:
        roster = self._roster()
        members = [roster.people[m] for m in unit.members if m in roster.people]
        found = self._unit_items(unit)
        for mentor_id in unit.mentors:
            found += self._mentor_items(roster.people[mentor_id])
        found += self._program_items()
        found += self._fixed(lambda selector: any(selector.selects(p) for p in members))
        return found

    def for_mentor(self, mentor: Person) -> list[Occurrence]:
        found: list[Occurrence] = []
        for unit in self._roster().units_of(mentor.id, overlay=False):
            found += self._unit_items(unit)
        found += self._mentor_items(mentor)
        found += self._program_items()
        found += self._fixed(lambda selector: selector.selects(mentor))
        return found

    def status(
        self, status: HasObligations, *, mentor: str | None, unit: str | None
    ) -> list[Occurrence]:
        found = []
        for ob in status.obligations:
            if ob.state not in _PENDING or ob.due is None:
                continue
            if mentor is not None and mentor not in ob.mentors:
                continue
            if unit is not None and ob.unit != unit:
                continue
            found.append(self._obligation(ob))
        return found

    # ----------------------------------------------------------------- schedule items

    def _roster(self) -> Roster:
        assert self.roster is not None
        return self.roster

    def _unit_items(self, unit: Unit) -> list[Occurrence]:
        if unit.overlay:
            return []
        about = self._describe_unit(unit)
        found: list[Occurrence] = []
        for item in self.program.schedule:
            if item.audience == "unit":
                found += self._item(item, scope=f"unit:{unit.id}", unit=unit.id, mentor=None,
                                    about=about)
        return found

    def _mentor_items(self, mentor: Person) -> list[Occurrence]:
        regular = self._roster().units_of(mentor.id, overlay=False)
        unit_id = regular[0].id if regular else None
        found: list[Occurrence] = []
        for item in self.program.schedule:
            if item.audience == "mentor":
                found += self._item(item, scope=f"mentor:{mentor.id}", unit=unit_id,
                                    mentor=mentor.id)
        return found

    def _program_items(self) -> list[Occurrence]:
        found: list[Occurrence] = []
        for item in self.program.schedule:
            if item.audience == "program":
                found += self._item(item, scope="program", unit=None, mentor=None)
        return found

    def _item(
        self, item: ScheduleItem, *, scope: str, unit: str | None, mentor: str | None,
        about: str = "",
    ) -> list[Occurrence]:
        description = "\n\n".join(part for part in (item.description.strip(), about) if part)
        found = []
        for slot in self._slots[item.id]:
            term_id = slot.term.id if slot.term else ""
            start: datetime | date
            end: datetime | date
            if item.at is not None:
                start = self.cal.local(slot.day, item.at)
                end = self.cal.after(start, item.duration)
            else:
                start, end = slot.day, slot.day + timedelta(days=1)
            series = (
                make_uid(self.program, "series", item.id, term_id, scope)
                if slot.pattern is not None
                else None
            )
            found.append(
                Occurrence(
                    uid=make_uid(self.program, "item", item.id, term_id, scope,
                                 slot.day.isoformat()),
                    series=series,
                    pattern=slot.pattern,
                    item_id=item.id,
                    kind="deadline" if item.deadline else "duty",
                    title=item.title,
                    description=description,
                    location=item.location,
                    start=start,
                    end=end,
                    all_day=item.at is None,
                    unit=unit,
                    mentor=mentor,
                    term=slot.term.id if slot.term else None,
                    rule=item.rule,
                    alarm=item.alarm,
                    categories=("deadline",) if item.deadline else ("duty",),
                )
            )
        return found

    def _describe_unit(self, unit: Unit) -> str:
        what = self.program.units.name
        lines = [f"{what.capitalize()} {unit.id}"]
        if unit.mentors:
            lines.append("Mentors: " + ", ".join(self._person(m) for m in unit.mentors))
        if unit.faculty:
            lines.append("Faculty: " + ", ".join(self._person(f) for f in unit.faculty))
        count = len(unit.mentees)
        lines.append(f"{count} mentee{'s' if count != 1 else ''}")
        if self.include_names and unit.mentees:
            lines[-1] += ": " + ", ".join(self._person(m) for m in unit.mentees)
        return "\n".join(lines)

    def _person(self, person_id: str) -> str:
        person = self._roster().get(person_id)
        name = person.name.strip() if person else ""
        return f"{name} ({person_id})" if name else person_id

    # ----------------------------------------------------------------- fixed dates

    def _fixed(self, wanted: Callable[[Selector], bool]) -> list[Occurrence]:
        found: list[Occurrence] = []
        for term in self.program.calendar.terms:
            label = term.name or term.id
            for edge, day in (("begins", term.start), ("ends", term.end)):
                found.append(
                    Occurrence(
                        uid=make_uid(self.program, "term", term.id, edge),
                        item_id=term.id, kind="term", title=f"{label} {edge}",
                        start=day, end=day + timedelta(days=1), all_day=True, term=term.id,
                        categories=("term",),
                    )
                )
        for training in self.program.trainings:
            if not wanted(training.attendees):
                continue
            start = self.cal.local(training.start.date(), training.start.time())
            required = "required" if training.required else "optional"
            due = (
                f"; attendance counts until {training.due_date.isoformat()}"
                if training.due_date != training.start.date()
                else ""
            )
            found.append(
                Occurrence(
                    uid=make_uid(self.program, "training", training.id),
                    item_id=training.id, kind="training", title=training.name,
                    description=f"{training.kind.capitalize()} ({required}){due}.",
                    location=training.location, start=start,
                    end=self.cal.after(start, training.duration), all_day=False,
                    term=_term_id(self.cal.term_of(training.start.date())),
                    categories=(training.kind,),
                )
            )
        for survey in self.program.surveys:
            if not wanted(survey.participants):
                continue
            required = "required" if survey.required else "optional"
            found.append(
                Occurrence(
                    uid=make_uid(self.program, "survey", survey.id),
                    item_id=survey.id, kind="survey", title=f"{survey.name} due",
                    description=(
                        f"Open from {survey.opens.isoformat()} to {survey.due.isoformat()} "
                        f"({required})."
                    ),
                    start=survey.due, end=survey.due + timedelta(days=1), all_day=True,
                    term=_term_id(self.cal.term_of(survey.due)), categories=("survey",),
                )
            )
        return found

    # ----------------------------------------------------------------- status

    def _obligation(self, ob: Obligation) -> Occurrence:
        assert ob.due is not None
        due = ob.due.astimezone(self.cal.zone)
        start: datetime | date
        end: datetime | date
        if due.time() == time(0):
            all_day = True
            end = due.date()
            start = end - timedelta(days=1)
            by = f"by the end of {start.isoformat()}"
        else:
            all_day = False
            start, end = self.cal.after(due, -timedelta(minutes=30)), due
            by = f"by {due.strftime('%Y-%m-%d %H:%M')}"
        subject = self._subject(ob.subject)
        verb = _VERBS.get(ob.kind, "Due")
        title = f"{verb} {subject} {by}" if verb != "Due" else f"{ob.rule}: {subject} due {by}"
        state = "at risk" if ob.state == "at_risk" else "pending"
        message = ob.message if self.include_names else self._scrub(ob.message)
        key = ob.period if ob.period is not None else due.isoformat()
        return Occurrence(
            uid=make_uid(self.program, "status", ob.rule, ob.subject, ob.unit or "", key),
            item_id=ob.rule, kind="deadline", title=title,
            description=f"{message}\n\nState: {state}. Rule: {ob.rule}.".strip(),
            start=start, end=end, all_day=all_day, unit=ob.unit,
            mentor=ob.mentors[0] if len(ob.mentors) == 1 else None,
            term=_term_id(self.cal.term_of(due.date() if not all_day else end - timedelta(days=1))),
            rule=ob.rule, categories=("deadline", "status"),
        )

    def _subject(self, subject: str) -> str:
        person = self.roster.get(subject) if self.roster else None
        if person is None:
            return subject if self.roster is None or subject not in self.roster.units else (
                f"{self.program.units.name} {subject}"
            )
        if person.role == "mentee" and not self.include_names:
            return subject
        return self._person(subject)

    def _scrub(self, text: str) -> str:
        """Replace every mentee's name in ``text`` by the mentee's id."""
        if self.roster is None:
            return text
        for person in self.roster.with_role("mentee"):
            name = person.name.strip()
            if len(name) >= 2:
                text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", person.id, text)
        return text


_VERBS = {
    "reply-window": "Reply to",
    "contact-cadence": "Contact",
    "meeting-cadence": "Meet",
    "referral": "Refer the concern about",
    "training-attendance": "Attend training:",
    "survey-participation": "Complete survey:",
    "absence-notice": "Notify about absence:",
}


def _term_id(term: Term | None) -> str | None:
    return term.id if term else None
