"""What the structure (roster) rule kinds share: which units they check, and wording.

The structure kinds follow one principle: **one mistake, one finding**. A unit
id that only one row names is almost always a typo; ``referential-integrity``
reports it (with the line) and the other kinds leave that "unit" alone, so a
coordinator does not get four findings for one slip of the keyboard. In the
same way a regular unit with no mentor at all is reported once, by
``referential-integrity``, and not again by ``unit-composition``.

A unit is an *overlay* unit when its id is one of the program's ``overlays``
(decided here from the program, not from how the roster was read), else a
*regular* unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mentorrules.program.models import Program, RuleSpec
from mentorrules.roster.models import Person, Roster, Unit
from mentorrules.rules.base import Context

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def is_overlay(program: Program, unit: Unit) -> bool:
    return unit.id in program.overlay_ids


def is_phantom(unit: Unit) -> bool:
    """Named by one row only: a likely typo, reported by referential-integrity alone."""
    return len(unit.members) < 2


def regular_units(context: Context, *, phantoms: bool = False) -> list[Unit]:
    """The roster's regular units, in roster order (without phantom units unless asked)."""
    overlays = context.program.overlay_ids
    return [
        unit
        for unit in context.roster.units.values()
        if unit.id not in overlays and (phantoms or not is_phantom(unit))
    ]


def overlay_only(person: Person, program: Program) -> bool:
    """True for someone whose units are all overlay units (e.g. an MD/PhD-only mentor)."""
    overlays = program.overlay_ids
    return bool(person.units) and all(unit in overlays for unit in person.units)


# --------------------------------------------------------------------------- wording


def says(spec: RuleSpec) -> str:
    """``; the handbook says "..."``: the sentence the rule encodes (empty without one)."""
    source = " ".join(spec.source.split())
    return f'; the handbook says "{source}"' if source else ""


def noun(program: Program) -> str:
    """What the program calls a unit (``cohort``, ``small group``)."""
    return program.units.name or "unit"


def title(program: Program, unit_id: str) -> str:
    """``Cohort c07``: the unit as the program names it, capitalised for a sentence start."""
    name = noun(program)
    return f"{name[:1].upper()}{name[1:]} {unit_id}"


def number(n: int) -> str:
    """Small counts in words (``two``), larger ones in digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def plural(n: int, word: str, *, words: bool = False) -> str:
    """``1 mentee``, ``11 mentees`` (``no mentees``, ``two mentees`` with ``words``)."""
    count = number(n) if words else str(n)
    return f"{count} {word}{'' if n == 1 else 's'}"


def joined(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def label(person: Person | None, ident: str, *, level: bool = False, line: bool = False) -> str:
    """``Priya Natarajan (m3-07)``; ``level`` adds the level, ``line`` the row's line."""
    extra = []
    if level:
        extra.append((person.level or "no level") if person else "not on the roster")
    if line and person is not None and person.line:
        extra.append(f"line {person.line}")
    if person is not None and person.name:
        return f"{person.name} ({', '.join([ident, *extra])})"
    return f"{ident} ({', '.join(extra)})" if extra else ident


def labels(roster: Roster, ids: Iterable[str], *, level: bool = False, limit: int = 6) -> str:
    """People named for a sentence; beyond ``limit`` the rest are counted, not named."""
    ids = list(ids)
    named = [label(roster.get(i), i, level=level) for i in ids[:limit]]
    if len(ids) > limit:
        named.append(f"{len(ids) - limit} more")
    return joined(named)


def counts_by_level(roster: Roster, ids: Iterable[str]) -> dict[str, list[str]]:
    """Person ids grouped by level, in roster order ('' for no level)."""
    found: dict[str, list[str]] = {}
    for ident in ids:
        person = roster.get(ident)
        found.setdefault(person.level if person else "", []).append(ident)
    return found


def level_phrase(counts: dict[str, int], what: str) -> str:
    """``one M3 and one M4 mentor``, ``two M2 mentors`` (the noun agrees with the last count)."""
    parts = [(level or "(no level)", n) for level, n in counts.items() if n]
    if not parts:
        return f"no {what}s"
    words = joined([f"{number(n)} {level}" for level, n in parts])
    return f"{words} {what}{'' if parts[-1][1] == 1 else 's'}"
