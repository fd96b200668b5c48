"""Checks across a whole program that no single field can make.

Each check yields ``(key path, problem, what to do)``; the loader turns the key
path into ``file:line:column``. Checked: ids unique in each list; terms ordered
and disjoint; holidays inside a term or a break, breaks and blackouts inside the
calendar; levels, tracks, trainings, surveys, topics, targets and channels that
rules and structure name exist; cohort bounds that the recruitment numbers can
fill; schedule items that can be placed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from mentorrules.program.models import Program, Selector
from mentorrules.rules import registry
from mentorrules.rules.options import unknown

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str, str]


def check(program: Program) -> list[Issue]:
    """Every consistency problem of ``program``, in file order of the checks."""
    return [
        *_unique_ids(program),
        *_calendar(program),
        *_structure(program),
        *_duties(program),
        *_rules(program),
        *_schedule(program),
    ]


def _dupes(loc: Loc, items: Iterable[Any], what: str) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id is None:
            continue
        if item.id in seen:
            yield (*loc, i, "id"), f"{what} id {item.id!r} is used twice", "give each a unique id"
        seen.add(item.id)


def _unique_ids(p: Program) -> Iterator[Issue]:
    yield from _dupes(("calendar", "terms"), p.calendar.terms, "term")
    yield from _dupes(("levels",), p.levels, "level")
    yield from _dupes(("overlays",), p.overlays, "overlay")
    yield from _dupes(("trainings",), p.trainings, "training")
    yield from _dupes(("surveys",), p.surveys, "survey")
    yield from _dupes(("referrals", "targets"), p.referrals.targets, "referral target")
    yield from _dupes(("referrals", "topics"), p.referrals.topics, "referral topic")
    yield from _dupes(("rules",), p.rules, "rule")
    yield from _dupes(("schedule",), p.schedule, "schedule item")


def _calendar(p: Program) -> Iterator[Issue]:
    cal = p.calendar
    for i, term in enumerate(cal.terms):
        if term.end < term.start:
            yield (("calendar", "terms", i, "end"), f"term {term.id!r} ends before it starts",
                   "put end on or after start")
        prev = cal.terms[i - 1] if i else None
        if prev is not None and term.start < prev.start:
            yield (("calendar", "terms", i, "start"),
                   f"term {term.id!r} (from {term.start}) is listed after term {prev.id!r}, "
                   f"which starts later ({prev.start})", "list terms in date order")
        elif prev is not None and term.start <= prev.end:
            yield (("calendar", "terms", i, "start"),
                   f"term {term.id!r} starts on {term.start}, before term {prev.id!r} ends "
                   f"({prev.end})", "list terms in order, without overlap")
    for key, spans in (("holidays", cal.holidays), ("breaks", cal.breaks),
                       ("blackouts", cal.blackouts)):
        for i, span in enumerate(spans):
            name = span.name or span.id or str(span.start)
            if span.last < span.start:
                yield ((("calendar", key, i, "end"), f"{name!r} ends before it starts",
                        "put end on or after start"))
            elif span.start < cal.start or span.last > cal.end:
                yield (("calendar", key, i, "start"),
                       f"{name!r} ({span.start}..{span.last}) is outside the academic calendar "
                       f"({cal.start}..{cal.end})", "move it inside the terms, or drop it")
            elif key == "holidays" and not all(
                cal.term_of(day) or any(b.contains(day) for b in cal.breaks)
                for day in (span.start, span.last)
            ):
                yield (("calendar", key, i, "start"),
                       f"holiday {name!r} falls neither in a term nor in a declared break",
                       "declare the break it belongs to, or fix its date")


def _selector(loc: Loc, sel: Selector, p: Program) -> Iterator[Issue]:
    for key, problem in unknown("levels", sel.levels, p.level_ids, "level"):
        yield (*loc, *_split(key)), problem, "add the level to levels, or fix the name"
    if p.tracks:
        for key, problem in unknown("tracks", sel.tracks, p.tracks, "track"):
            yield (*loc, *_split(key)), problem, "add the track to tracks, or fix the name"


def _split(key: str) -> Loc:
    """``"levels[2]"`` -> ``("levels", 2)``; ``"within"`` -> ``("within",)``."""
    if key.endswith("]") and "[" in key:
        name, _, index = key[:-1].partition("[")
        return (name, int(index))
    return (key,)


def _structure(p: Program) -> Iterator[Issue]:
    u = p.units
    levels = p.level_ids
    for key, mapping in (("recruitment", u.recruitment), ("mentors", u.mentors)):
        for level in mapping:
            if level not in levels:
                yield (("units", key, level), f"unknown level {level!r}",
                       f"use one of: {', '.join(levels)}")
    for key, problem in unknown("levels", u.mentees.levels, levels, "level"):
        yield ("units", "mentees", *_split(key)), problem, "add the level to levels, or fix it"
    if u.mentees.min > u.mentees.max:
        yield (("units", "mentees", "min"),
               f"the cohort minimum ({u.mentees.min}) is above its maximum ({u.mentees.max})",
               "swap them")
    if u.recruitment:
        per_level = {
            level: (u.recruitment.get(level, 0), per_unit)
            for level, per_unit in u.mentors.items() if per_unit
        }
        uneven = False
        for level, (count, per_unit) in per_level.items():
            if count % per_unit:
                uneven = True
                yield (("units", "recruitment", level),
                       f"{count} {level} mentors cannot fill units of {per_unit} {level} each",
                       "make the recruitment a multiple of the mentors per unit")
        for level in u.recruitment:
            if level in levels and level not in u.mentors:
                yield (("units", "recruitment", level),
                       f"{level} mentors are recruited but no unit takes a {level} mentor",
                       f"add {level} to units.mentors, or drop it from recruitment")
        made = {level: c // n for level, (c, n) in per_level.items()}
        # While a level does not divide evenly its number of units is moot: say that only.
        if not uneven and len(set(made.values())) > 1:
            desc = ", ".join(f"{lv}: {n} units" for lv, n in made.items())
            yield (("units", "recruitment"),
                   f"the recruitment numbers make different numbers of units ({desc})",
                   "recruit the same number of units' worth of mentors at each level")
        elif not uneven and made and u.expected_mentees is not None \
                and u.mentees.min <= u.mentees.max:
            units = next(iter(made.values()))
            low, high = units * u.mentees.min, units * u.mentees.max
            if not low <= u.expected_mentees <= high:
                yield (("units", "expected_mentees"),
                       f"{units} units of {u.mentees.min}-{u.mentees.max} mentees hold "
                       f"{low}-{high} mentees, not {u.expected_mentees}",
                       "change the cohort bounds, the recruitment, or the expected number")
    for i, overlay in enumerate(p.overlays):
        yield from _selector(("overlays", i, "mentors"), overlay.mentors, p)
        yield from _selector(("overlays", i, "covers"), overlay.covers, p)


def _duties(p: Program) -> Iterator[Issue]:
    for i, training in enumerate(p.trainings):
        yield from _selector(("trainings", i, "attendees"), training.attendees, p)
        if training.due is not None and training.due < training.start.date():
            yield (("trainings", i, "due"), f"training {training.id!r} is due before it happens",
                   "put due on or after the session's day")
    for i, survey in enumerate(p.surveys):
        yield from _selector(("surveys", i, "participants"), survey.participants, p)
        if survey.due < survey.opens:
            yield (("surveys", i, "due"), f"survey {survey.id!r} is due before it opens",
                   "put due on or after opens")
    targets = [t.id for t in p.referrals.targets]
    for i, target in enumerate(p.referrals.targets):
        if target.unit_role and target.role:
            yield (("referrals", "targets", i, "role"),
                   f"target {target.id!r} has both unit_role and role", "keep one")
    for i, topic in enumerate(p.referrals.topics):
        for key, problem in unknown("targets", topic.targets, targets, "referral target"):
            yield (("referrals", "topics", i, *_split(key)), problem,
                   "declare it under referrals.targets")


def _rules(p: Program) -> Iterator[Issue]:
    for i, spec in enumerate(p.rules):
        kind = registry.kinds().get(spec.kind)
        if not spec.enabled:
            continue  # switched off, often because what it names is gone (a new calendar)
        if kind is None:
            continue  # reported by the loader already
        for key, problem in kind.references(spec.options, p):
            yield ("rules", i, *_split(key)), problem, "fix the name, or declare it in the program"


def _schedule(p: Program) -> Iterator[Issue]:
    rule_ids = [r.id for r in p.rules]
    cal = p.calendar
    for i, item in enumerate(p.schedule):
        if item.every is None and item.date is None:
            yield (("schedule", i), f"schedule item {item.id!r} has neither every nor date",
                   "add every: week|month|term for a duty, or date: for a one-off")
        if item.date is not None and not cal.start <= item.date <= cal.end:
            yield (("schedule", i, "date"), f"{item.date} is outside the academic calendar",
                   "move it inside the terms")
        if item.nth is not None and item.weekday is None:
            yield (("schedule", i, "nth"), "nth needs a weekday", "add weekday: MO..SU")
        if item.nth is not None and item.day is not None:
            yield (("schedule", i, "day"), "give either day or nth with weekday, not both",
                   "drop one")
        if item.rule is not None and item.rule not in rule_ids:
            from mentorrules._suggest import did_you_mean

            yield (("schedule", i, "rule"),
                   f"unknown rule {item.rule!r}{did_you_mean(item.rule, rule_ids)}",
                   "name a rule id of this program")
