"""What a rule kind is: the :class:`RuleKind` and :class:`Evaluator` protocols.

A rule kind is any object with a ``name``, an ``options`` model (pydantic, a
subclass of :class:`~mentorrules.program.models.RuleOptions`), its ``doc`` and
two methods: ``references`` (which names in the options must exist in the
program, checked when the program loads) and ``bind`` (an evaluator for one
rule of a program, given the roster and ``as_of``). Built-in kinds are
:class:`Kind` objects; a third-party package may use :class:`Kind` too or any
object that fits the protocol, and registers it under the ``mentorrules.rules``
entry-point group, exactly as the built-ins do.

An evaluator is fed every event of the types in ``wants``, once each, in time
order, then asked for ``findings()`` and ``obligations()``. Roster rules want
no events and do their work in ``findings()``.

An evaluator may also have ``feed_batch(events)`` (:class:`BatchEvaluator`):
the engine then hands it the same events in lists (each in time order, only
types in ``wants``, every list after the one before) instead of one call per
event. It must leave the evaluator exactly as ``for e in events: feed(e)``
would; it exists because a loop inside the evaluator, with its look-ups
hoisted out, costs a fraction of a Python call per event per rule. The
engine then calls only ``feed_batch``, with a list of one event when an app
feeds one (:class:`~mentorrules.engine.Monitor`). An evaluator written around
``feed_batch`` gets its ``feed`` from :class:`BatchFed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

from mentorrules.activity.models import Event
from mentorrules.periods import Period, PeriodIndex, PeriodKind, periods
from mentorrules.program.models import Program, RuleOptions, RuleSpec
from mentorrules.report import Finding, Obligation
from mentorrules.roster.models import Roster


@runtime_checkable
class Evaluator(Protocol):
    """Evaluates one rule over one roster and one time-ordered stream of events."""

    wants: frozenset[str]

    def feed(self, event: Event) -> None: ...

    def findings(self) -> Iterable[Finding]: ...

    def obligations(self) -> Iterable[Obligation]: ...


@runtime_checkable
class BatchEvaluator(Evaluator, Protocol):
    """An evaluator that also takes events in lists (optional; see the module docstring)."""

    def feed_batch(self, events: Sequence[Event]) -> None: ...


class BatchFed:
    """For an evaluator written around ``feed_batch``: ``feed(event)`` is a list of one."""

    def feed_batch(self, events: Sequence[Event]) -> None:
        raise NotImplementedError

    def feed(self, event: Event) -> None:
        self.feed_batch((event,))


@runtime_checkable
class RuleKind(Protocol):
    """A kind of rule (``contact-cadence``, ``cohort-size``, ...)."""

    name: str
    options: type[RuleOptions]
    doc: str

    def references(self, options: Any, program: Program) -> Iterable[tuple[str, str]]:
        """``(option key, problem)`` for each name the options use that the program lacks."""
        ...

    def bind(self, spec: RuleSpec, context: Context) -> Evaluator: ...


@dataclass
class Context:
    """What an evaluator may look at: the program, the roster, ``as_of`` and shared indexes."""

    program: Program
    roster: Roster
    as_of: datetime
    _period_indexes: dict[str, PeriodIndex] = field(default_factory=dict, repr=False)

    @cached_property
    def as_of_ts(self) -> float:
        return self.as_of.timestamp()

    def periods(self, kind: PeriodKind) -> PeriodIndex:
        """The evaluated periods of ``kind`` (shared by every rule of the run)."""
        index = self._period_indexes.get(kind)
        if index is None:
            index = self._period_indexes[kind] = PeriodIndex(periods(self.program, kind))
        return index

    @cached_property
    def mentors_of_unit(self) -> dict[str, frozenset[str]]:
        """Unit id -> its mentors (regular and overlay units)."""
        return {u.id: frozenset(u.mentors) for u in self.roster.units.values()}

    @cached_property
    def units_of_mentee(self) -> dict[str, tuple[str, ...]]:
        """Mentee id -> the regular units they belong to, in roster order."""
        found: dict[str, list[str]] = {}
        for unit in self.roster.regular_units():
            for mentee in unit.mentees:
                found.setdefault(mentee, []).append(unit.id)
        return {k: tuple(v) for k, v in found.items()}

    @cached_property
    def overlays_of_mentee(self) -> dict[str, tuple[str, ...]]:
        """Mentee id -> the overlay units (e.g. MD/PhD) they belong to."""
        found: dict[str, list[str]] = {}
        for unit in self.roster.overlay_units():
            for mentee in unit.mentees:
                found.setdefault(mentee, []).append(unit.id)
        return {k: tuple(v) for k, v in found.items()}

    @cached_property
    def role_of(self) -> dict[str, str]:
        return {p.id: p.role for p in self.roster.people.values()}

    def localize(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.program.tz)

    def finding(self, spec: RuleSpec, **fields: Any) -> Finding:
        """A finding of ``spec`` (rule id, kind and severity filled in)."""
        fields.setdefault("severity", spec.severity)
        return Finding(rule=spec.id, kind=spec.kind, **fields)

    def obligation(self, spec: RuleSpec, **fields: Any) -> Obligation:
        return Obligation(rule=spec.id, kind=spec.kind, severity=spec.severity, **fields)

    def state_for(self, period: Period, met: bool, warn_ts: float | None) -> str:
        """``met``, ``breached`` (period over, unmet), ``at_risk`` (inside lead time) or ``pending``."""
        if met:
            return "met"
        if period.end_ts <= self.as_of_ts:
            return "breached"
        if warn_ts is not None and self.as_of_ts >= warn_ts:
            return "at_risk"
        return "pending"


def why(spec: RuleSpec) -> str:
    """The handbook sentence a rule encodes, quoted for messages (empty when none is given)."""
    return f' (handbook: "{spec.source.strip()}")' if spec.source.strip() else ""


class RosterEvaluator:
    """Base for roster-only rules: wants no events, has no obligations over time."""

    wants: frozenset[str] = frozenset()

    def feed(self, event: Event) -> None:  # pragma: no cover - never called: wants nothing
        return None

    def findings(self) -> Iterable[Finding]:
        raise NotImplementedError

    def obligations(self) -> Iterable[Obligation]:
        return ()


def _no_references(options: Any, program: Program) -> Iterator[tuple[str, str]]:
    return iter(())


@dataclass(frozen=True)
class Kind:
    """A ready-made :class:`RuleKind`: a name, an options model, a docstring, a binder.

    ``binder(spec, options, context)`` receives the options already typed as
    ``options`` (the kind's own model), so evaluators need no casts.
    """

    name: str
    options: type[RuleOptions]
    doc: str
    binder: Callable[[RuleSpec, Any, Context], Evaluator]
    check_references: Callable[[Any, Program], Iterable[tuple[str, str]]] = _no_references

    def references(self, options: Any, program: Program) -> Iterable[tuple[str, str]]:
        return self.check_references(options, program)

    def bind(self, spec: RuleSpec, context: Context) -> Evaluator:
        return self.binder(spec, spec.options, context)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name
