"""Results: findings, obligation status, row accounting and the report that holds them.

All results are frozen pydantic models, so they are immutable and serialise to
JSON (``report.model_dump_json()``) in the shape of SPEC section 4.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from mentorrules.program.models import SEVERITY_RANK, Severity

State = Literal["met", "pending", "at_risk", "breached"]


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(Result):
    """One rule broken (or at risk) for one subject in one period, with evidence."""

    rule: str = Field(description="The rule's id in the program")
    kind: str
    severity: Severity
    subject: str = Field(description="The person or unit the finding is about")
    unit: str | None = None
    period: str | None = Field(default=None, description="e.g. 2025-10, a term id, or null")
    due: datetime | None = None
    message: str = Field(description="Why: what happened, in the words of the handbook")
    evidence: tuple[str, ...] = Field(default=(), description="Event or roster ids")
    state: Literal["breached", "at_risk"] = "breached"
    mentors: tuple[str, ...] = Field(default=(), description="Who owes the duty")
    details: dict[str, Any] = Field(default_factory=dict)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.unit or "",
            self.subject,
            self.rule,
            self.due.timestamp() if self.due else float("-inf"),
            self.period or "",
            -SEVERITY_RANK[self.severity],
            self.message,
            self.evidence,
        )


class Obligation(Result):
    """For one rule and subject: the next thing due, by when, and how it stands."""

    rule: str
    kind: str
    severity: Severity
    subject: str
    unit: str | None = None
    mentors: tuple[str, ...] = Field(default=(), description="Whom to remind")
    period: str | None = None
    due: datetime | None = None
    state: State
    message: str
    evidence: tuple[str, ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.due.timestamp() if self.due else float("inf"),
            self.unit or "",
            self.subject,
            self.rule,
            self.period or "",
        )


class RejectedRow(Result):
    """A row that could not be used, where it was, and why."""

    source: str = Field(description="File name, or <input> for iterables")
    line: int | None = None
    id: str | None = None
    reason: str


class RowCounts(Result):
    """Row accounting for one input: read = used + rejected, always."""

    read: int = 0
    used: int = 0
    rejected: int = 0


class Summary(Result):
    error: int = 0
    warning: int = 0
    info: int = 0


class Report(Result):
    """The result of ``check``: findings sorted deterministically, with row accounting."""

    program: str
    as_of: datetime
    findings: tuple[Finding, ...] = ()
    rows: dict[str, RowCounts] = Field(default_factory=dict)
    rejected: tuple[RejectedRow, ...] = ()
    notes: tuple[str, ...] = ()
    metrics: dict[str, Any] | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> Summary:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return Summary(**counts)

    def at_or_above(self, severity: Severity) -> tuple[Finding, ...]:
        rank = SEVERITY_RANK[severity]
        return tuple(f for f in self.findings if SEVERITY_RANK[f.severity] >= rank)


class Status(Result):
    """The result of ``status``: every obligation, soonest due first."""

    program: str
    as_of: datetime
    obligations: tuple[Obligation, ...] = ()
    rows: dict[str, RowCounts] = Field(default_factory=dict)
    rejected: tuple[RejectedRow, ...] = ()

    def for_mentor(self, mentor_id: str) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if mentor_id in o.mentors)
