"""The program model: what one program YAML file declares, validated and frozen.

A program names its time zone, academic calendar, levels, the structure of a
mentoring unit, its trainings, surveys and referral policy, the ``rules`` that
are checked and the ``schedule`` that is exported to calendars. Every model
rejects unknown keys; the loader turns those rejections into ``file:line:column``
errors with a "did you mean".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializeAsAny,
    field_validator,
)

from mentorrules.durations import Duration

Day = date  # an alias, so a field may be called ``date``
Severity = Literal["error", "warning", "info"]
Role = Literal["mentor", "mentee", "faculty", "staff"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id; use letters, digits, '-', '_', '.' or '/', "
            "starting with a letter or digit"
        )
    return value


Id = Annotated[
    str,
    AfterValidator(_check_id),
    Field(min_length=1, max_length=200, json_schema_extra={"pattern": _ID.pattern}),
]


def _check_zone(value: str) -> str:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        from mentorrules._suggest import did_you_mean

        raise ValueError(
            f"{value!r} is not an IANA time zone{did_you_mean(value, _zone_names())}; "
            "use a name like America/New_York"
        ) from exc
    return value


def _zone_names() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones())


TimeZoneName = Annotated[str, AfterValidator(_check_zone)]


_SHORT_HOUR = re.compile(r"^\d:\d\d")


def _no_sexagesimal(value: Any) -> Any:
    # YAML 1.1 readers turn an unquoted 18:00 into 1080; say so rather than guess.
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("a time of day must be quoted, like '18:00'")
    if isinstance(value, str) and _SHORT_HOUR.match(value.strip()):
        return "0" + value.strip()  # people write 9:00 for 09:00
    return value


TimeOfDay = Annotated[time, BeforeValidator(_no_sexagesimal)]


class PersonLike(Protocol):
    """What a selector looks at: a roster person's role, level and track."""

    @property
    def role(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def track(self) -> str: ...


class Model(BaseModel):
    """Base of every program model: frozen, unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# --------------------------------------------------------------------------- calendar


class Span(Model):
    """A run of whole days, ``start`` to ``end`` inclusive (``end`` defaults to ``start``)."""

    id: Id | None = None
    name: str = ""
    start: date
    end: date | None = None

    @property
    def last(self) -> date:
        return self.end or self.start

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.last


class Term(Model):
    """A term (semester): from ``start`` 00:00 to the end of ``end`` (its last day)."""

    id: Id
    name: str = ""
    start: date
    end: date


class Calendar(Model):
    """The academic calendar: terms in order, and days on which nothing is scheduled."""

    year: str = Field(description="The academic year the dates belong to, e.g. 2025-2026")
    terms: tuple[Term, ...] = Field(min_length=1)
    holidays: tuple[Span, ...] = ()
    breaks: tuple[Span, ...] = ()
    blackouts: tuple[Span, ...] = Field(
        default=(), description="Periods with no program activity (exams, dedicated study)"
    )

    @property
    def start(self) -> date:
        # min/max rather than first/last, so terms out of order give one error, not many.
        return min(term.start for term in self.terms)

    @property
    def end(self) -> date:
        return max(term.end for term in self.terms)

    def skipped(self, day: date) -> bool:
        """True when ``day`` is a holiday, a break day or inside a blackout period."""
        return any(
            span.contains(day) for span in (*self.holidays, *self.breaks, *self.blackouts)
        )

    def term_of(self, day: date) -> Term | None:
        for term in self.terms:
            if term.start <= day <= term.end:
                return term
        return None


# --------------------------------------------------------------------------- people


def _level_from_text(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Level(Model):
    """A level of study (``M1``); ``year`` orders levels."""

    id: Id
    name: str = ""
    year: int | None = None


class MenteeSpec(Model):
    """Which mentees a unit holds and how many."""

    levels: tuple[str, ...] = Field(min_length=1)
    min: int = Field(ge=0)
    max: int = Field(ge=1)


class UnitStructure(Model):
    """The regular mentoring unit: who is in one, and how many units the recruitment makes."""

    name: str = Field(default="unit", description="What the program calls a unit, e.g. cohort")
    recruitment: dict[str, int] = Field(
        default_factory=dict, description="Mentors selected per level for the whole program"
    )
    mentors: dict[str, int] = Field(description="Mentors per unit, by level")
    faculty: int = Field(default=0, ge=0, description="Faculty mentors per unit")
    mentees: MenteeSpec
    expected_mentees: int | None = Field(
        default=None, ge=0, description="Mentees the program expects in all (checked to fit)"
    )

    @field_validator("mentors", "recruitment")
    @classmethod
    def _positive_counts(cls, value: dict[str, int]) -> dict[str, int]:
        for level, count in value.items():
            if count < 0:
                raise ValueError(f"the count for {level} must not be negative")
        return value

    @property
    def mentors_per_unit(self) -> int:
        return sum(self.mentors.values())

    @property
    def unit_count(self) -> int | None:
        """Units the recruitment numbers make, or None without recruitment numbers."""
        counts = {
            self.recruitment.get(level, 0) // per_unit
            for level, per_unit in self.mentors.items()
            if per_unit
        }
        if not self.recruitment or len(counts) != 1:
            return None
        return counts.pop()


class Selector(Model):
    """Picks people from the roster by role, level and track (all given conditions hold)."""

    roles: tuple[Role, ...] = ()
    levels: tuple[str, ...] = ()
    tracks: tuple[str, ...] = ()

    def selects(self, person: PersonLike) -> bool:
        """True when ``person`` meets every condition given (an empty condition holds)."""
        return (
            (not self.roles or person.role in self.roles)
            and (not self.levels or person.level in self.levels)
            and (not self.tracks or person.track in self.tracks)
        )


class Overlay(Model):
    """A unit laid over the regular ones, e.g. MD/PhD mentors over all MD/PhD students."""

    id: Id
    name: str = ""
    mentors: Selector = Field(description="Who may mentor in the overlay unit")
    min_mentors: int = Field(default=1, ge=0)
    covers: Selector = Field(description="Everyone the overlay unit must include")


# --------------------------------------------------------------------------- duties


class Training(Model):
    """A training session or workshop mentors attend (an event of type ``training``)."""

    id: Id
    name: str
    kind: Literal["training", "workshop", "focus-group", "meeting"] = "training"
    start: datetime = Field(description="Local start time in the program's time zone")
    duration: Duration = timedelta(hours=1)
    location: str = ""
    required: bool = True
    attendees: Selector = Selector(roles=("mentor",))
    due: date | None = Field(
        default=None, description="Last day attendance counts (default: the session's day)"
    )

    @property
    def due_date(self) -> date:
        return self.due or self.start.date()


class Survey(Model):
    """A survey or focus group that people complete (an event of type ``survey``)."""

    id: Id
    name: str
    opens: date
    due: date
    required: bool = True
    participants: Selector = Selector(roles=("mentor",))


class ReferralTarget(Model):
    """Someone a concern may be referred to: a role in the unit, a role, or a named office."""

    id: Id
    name: str = ""
    unit_role: Literal["faculty"] | None = Field(
        default=None, description="The unit's own faculty mentor"
    )
    role: Role | None = Field(default=None, description="Any person with this role")


class ReferralTopic(Model):
    """A concern outside a peer mentor's scope, and where and how fast it must go."""

    id: Id
    name: str = ""
    targets: tuple[str, ...] = Field(min_length=1)
    within: Duration


class ReferralPolicy(Model):
    targets: tuple[ReferralTarget, ...] = ()
    topics: tuple[ReferralTopic, ...] = ()


# --------------------------------------------------------------------------- rules


class RuleOptions(Model):
    """Base of every rule kind's options model."""


class RuleSpec(Model):
    """One rule: an instance of a rule kind with its options.

    In YAML the options sit beside ``id``, ``kind`` and ``severity``; the loader
    validates them with the kind's own options model.
    """

    id: Id
    kind: str
    severity: Severity = "error"
    source: str = Field(default="", description="The handbook sentence the rule encodes")
    enabled: bool = True
    options: SerializeAsAny[RuleOptions] = Field(default_factory=RuleOptions)

    RESERVED: ClassVar[frozenset[str]] = frozenset({"id", "kind", "severity", "source", "enabled"})

    def flat(self) -> dict[str, Any]:
        """The rule as written in YAML: reserved keys and options side by side."""
        data = self.model_dump(mode="json", exclude={"options"})
        data.update(self.options.model_dump(mode="json"))
        return data


# --------------------------------------------------------------------------- schedule


class ScheduleItem(Model):
    """A duty or date that goes into calendars.

    ``every`` repeats the item each week, month or term inside the terms; without
    it the item happens once on ``date``. ``at`` gives a local start time (else an
    all-day item). ``deadline: true`` places it on the last day of each period, as
    a due date. Holidays, breaks and blackout periods are skipped.
    """

    id: Id
    title: str
    description: str = ""
    audience: Literal["unit", "mentor", "program"] = "unit"
    every: Literal["week", "month", "term"] | None = None
    date: Day | None = Field(default=None, description="The day of a one-off item")
    weekday: Weekday | None = None
    nth: int | None = Field(default=None, ge=-1, le=5, description="Nth weekday of the month")
    day: int | None = Field(default=None, ge=1, le=31, description="Day of the month")
    at: TimeOfDay | None = None
    duration: Duration = timedelta(hours=1)
    deadline: bool = False
    alarm: Duration | None = Field(default=None, description="Reminder this long before")
    rule: str | None = Field(default=None, description="The rule this item helps to meet")
    location: str = ""


# --------------------------------------------------------------------------- program

DEFAULT_CHANNELS = ("text", "phone", "email", "chat", "in_person", "video")


class Program(Model):
    """A whole peer-mentoring program, as declared in one YAML file (after ``extends``)."""

    id: Id
    title: str
    description: str = ""
    source: str = Field(default="", description="The document the rules come from")
    extends: str | None = Field(
        default=None, description="A built-in name or a path; merged away when loaded"
    )
    timezone: TimeZoneName
    calendar: Calendar
    levels: tuple[Annotated[Level, BeforeValidator(_level_from_text)], ...] = Field(min_length=1)
    tracks: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    units: UnitStructure
    overlays: tuple[Overlay, ...] = ()
    trainings: tuple[Training, ...] = ()
    surveys: tuple[Survey, ...] = ()
    referrals: ReferralPolicy = ReferralPolicy()
    rules: tuple[RuleSpec, ...] = ()
    schedule: tuple[ScheduleItem, ...] = ()

    @cached_property
    def tz(self) -> Any:
        """The program's time zone (a ``zoneinfo.ZoneInfo`` made by pendulum)."""
        import pendulum

        return pendulum.timezone(self.timezone)

    @property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    @property
    def overlay_ids(self) -> frozenset[str]:
        return frozenset(overlay.id for overlay in self.overlays)

    def rule(self, rule_id: str) -> RuleSpec:
        for spec in self.rules:
            if spec.id == rule_id:
                return spec
        raise KeyError(rule_id)

    def active_rules(self) -> tuple[RuleSpec, ...]:
        return tuple(spec for spec in self.rules if spec.enabled)

    def to_data(self) -> dict[str, Any]:
        """The resolved program as plain data, rules flattened as in YAML."""
        data = self.model_dump(mode="json", exclude={"rules", "extends"}, exclude_none=True)
        data["rules"] = [spec.flat() for spec in self.rules]
        return data
