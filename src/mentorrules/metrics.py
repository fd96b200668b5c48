"""Program metrics from the activity log: the figures a coordinator reports.

:class:`MetricsCollector` watches messages and meetings beside the rules (one
pass, in time order) and, given the findings, returns a JSON-ready table:

``mentees``, ``mentors``
    People on the roster with those roles (the denominators below).
``meetings_per_month``
    For each month (``YYYY-MM``, the program's time zone): meetings by format,
    ``group`` and ``individual`` (the ``format`` column, else derived from the
    people present: two or more mentees make a group, as in the meeting rules). MedMentors' "22 small-group
    encounters per month" is the ``group`` column.
``voluntary_one_to_one_meetings``
    Meetings of format ``individual`` in all: the abstract's "over 60 voluntary
    meetings with individual first-year mentees".
``contacts_per_mentee_per_month``
    For each month: ``mean`` contacts per mentee (all contacts that month divided
    by the mentees on the roster) and ``reached_pct``, the share of mentees with
    at least one contact. A contact is a message from a mentor of the mentee's
    unit (regular or overlay) to the mentee, or a meeting both attended; a
    message to several mentees counts for each (as in the contact rules).
``reply_hours_by_channel``
    For each channel on which mentees wrote to mentors: ``answered`` messages,
    the ``median_hours`` and ``p90_hours`` (90th percentile, nearest rank) from
    the mentee's message to its answer, and ``unanswered`` messages at
    ``as_of``. The answer is a message with ``reply_to`` naming it, or else the
    next contact from a mentor of the mentee's unit (a message to the mentee or
    a meeting with them), as the reply-window rule counts it.
``compliance_pct_by_rule``
    For each active rule: the share of ``mentees`` and of ``mentors`` in
    compliance, that is not named by a breach (error or warning) of the rule,
    as its subject, through their unit as subject, or as a mentor who owes it.

Months listed are those that overlap a term and have begun by ``as_of``, and
any other month with activity. Events after ``as_of`` are not counted. State
is kept per person and per month (the month being counted lists the mentee of
each of its contacts, one list entry a contact, cheaper than a count per mentee;
when it grows by more entries than there are mentees it is folded to each mentee
once and a count of the others, and it is summed up when the month ends); the
reply times are kept as a count per distinct delay (exact: the median and 90th
percentile are those of the full list of delays), so they grow with how many
delays differ, not with the log.

``feed_batch`` takes the events in lists (as the rules do, see
:mod:`mentorrules.rules.base`); ``feed(event)`` is ``feed_batch((event,))``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from mentorrules.activity.models import Event
from mentorrules.report import Finding
from mentorrules.rules._activity import roster_index, upto
from mentorrules.rules.base import BatchFed, Context

_BREACHING = frozenset({"error", "warning"})


class MetricsCollector(BatchFed):
    """Watches messages and meetings; ``result(findings)`` gives the metrics table."""

    wants: frozenset[str] = frozenset({"message", "meeting"})

    def __init__(self, context: Context) -> None:
        self.context = context
        roster = context.roster
        self._as_of_ts = context.as_of_ts
        self._months = context.periods("month")
        self._month_ids = tuple(p.id for p in self._months.periods)
        index = roster_index(context)  # shared with the rules of the run; read only
        self._role: dict[str, str] = index.role_of
        self._is_mentor = index.mentors
        self._is_mentee = index.mentees
        self._mentees = tuple(p.id for p in roster.with_role("mentee"))
        self._mentors = tuple(p.id for p in roster.with_role("mentor"))
        # mentor -> the mentees of every unit they mentor (regular and overlay): a
        # mentor's message or meeting is a contact with exactly these mentees
        self._pupils: dict[str, dict[str, tuple[str, ...]]] = index.pupils_all
        self._meetings: dict[str, list[int]] = {}  # month -> [group, individual]
        self._month = ""  # the month being counted
        self._lo, self._hi = 0.0, 0.0  # its start and end timestamps
        # The mentee of each contact in self._month, but for those folded away: once the
        # list grows by more than there are mentees, it keeps each mentee once and counts
        # the rest (so a month costs at most about two entries a mentee, however busy)
        self._contacts: list[str] = []
        self._folded = 0  # contacts of the month counted but no longer listed
        self._listed = 0  # entries of the list at the last fold
        self._fold_at = max(1024, len(self._mentees))
        self._contact_months: dict[str, tuple[int, int]] = {}  # month -> (contacts, reached)
        self._waiting: dict[str, list[tuple[str, str, float]]] = {}  # mentee -> messages
        self._waiting_ids: dict[str, str] = {}  # message id -> mentee
        # channel -> seconds to answer -> how many answers took that long
        self._replies: defaultdict[str, defaultdict[float, int]] = defaultdict(
            lambda: defaultdict(int))

    # ------------------------------------------------------------------ intake

    def _month_of(self, ts: float) -> str:
        i = self._months.index(ts)
        if i >= 0:
            period = self._months.periods[i]
            self._lo, self._hi = period.start_ts, period.end_ts
            return self._month_ids[i]
        moment = self.context.localize(ts)
        self._lo = self._hi = ts  # outside the evaluated months: look it up each time
        return moment.strftime("%Y-%m")

    def feed_batch(self, events: Sequence[Event]) -> None:
        if events and events[-1].ts > self._as_of_ts:  # events after as_of are not counted
            events = upto(events, self._as_of_ts)
        is_mentor, is_mentee = self._is_mentor, self._is_mentee
        pupils = self._pupils
        waiting = self._waiting
        waiting_ids = self._waiting_ids
        replies = self._replies
        contacts = self._contacts  # replaced when a month closes: taken again then
        lo, hi = self._lo, self._hi  # the month being counted
        for event in events:
            ts = event.ts
            if not lo <= ts < hi:
                month = self._month_of(ts)
                lo, hi = self._lo, self._hi
                if month != self._month:
                    self._close_month()
                    self._month = month
                    contacts = self._contacts
            if event.type == "meeting":
                self._meeting(event, ts)
                continue
            # a message
            sender = event.sender
            if sender in is_mentor:
                reply_to = event.reply_to
                if reply_to:
                    mentee = waiting_ids.pop(reply_to, None)
                    if mentee is not None:  # it answers a message still waiting
                        queue = waiting[mentee]
                        for i, (ident, channel, sent) in enumerate(queue):
                            if ident == reply_to:
                                del queue[i]
                                replies[channel][ts - sent] += 1
                                break
                        if not queue:
                            del waiting[mentee]
                mine = pupils.get(sender)
                if mine is not None:
                    for person in event.recipients:
                        if person in mine:  # a contact (_contact inlined)
                            contacts.append(person)
                            if person in waiting:
                                self._answered(person, ts)
            elif sender in is_mentee:
                for person in event.recipients:
                    if person in is_mentor:  # a question for a mentor: it waits for an answer
                        entry = (event.id, event.channel, ts)
                        asked = waiting.get(sender)
                        if asked is None:
                            waiting[sender] = [entry]
                        else:
                            asked.append(entry)
                        waiting_ids[event.id] = sender
                        break
        if len(self._contacts) > self._listed + self._fold_at:
            self._fold()

    def _meeting(self, event: Event, ts: float) -> None:
        month = self._month
        counts = self._meetings.get(month)
        if counts is None:
            counts = self._meetings[month] = [0, 0]
        role = self._role
        people = event.people
        fmt = event.format or (
            "group" if sum(role.get(p) == "mentee" for p in set(people)) >= 2 else "individual")
        counts[0 if fmt == "group" else 1] += 1
        pupils = self._pupils
        present = [mine for p in people if role.get(p) == "mentor"
                   and (mine := pupils.get(p)) is not None]
        if not present:
            return
        for person in people:
            for mine in present:
                if person in mine:
                    self._contact(person, ts)
                    break

    def _contact(self, mentee: str, ts: float) -> None:
        self._contacts.append(mentee)
        if mentee in self._waiting:
            self._answered(mentee, ts)

    def _answered(self, mentee: str, ts: float) -> None:
        """A contact with ``mentee`` at ``ts`` answers every message they are waiting on."""
        replies = self._replies
        for ident, channel, sent in self._waiting.pop(mentee):
            del self._waiting_ids[ident]
            replies[channel][ts - sent] += 1

    def _close_month(self) -> None:
        if not self._month:
            return
        total, reached = self._contact_months.get(self._month, (0, 0))
        self._contact_months[self._month] = (total + self._folded + len(self._contacts),
                                             reached + len(set(self._contacts)))
        self._contacts = []
        self._folded = self._listed = 0

    def _fold(self) -> None:
        """List each mentee reached in the month so far once; count the other entries."""
        distinct = list(set(self._contacts))
        self._folded += len(self._contacts) - len(distinct)
        self._contacts = distinct
        self._listed = len(distinct)

    # ------------------------------------------------------------------ result

    def result(self, findings: Sequence[Finding]) -> dict[str, Any]:
        """The metrics as plain data (stable key order; JSON-serialisable)."""
        self._close_month()
        self._month, self._lo, self._hi = "", 0.0, 0.0
        begun = [p.id for p in self._months.periods if p.start_ts <= self._as_of_ts]
        months = sorted({*begun, *self._meetings, *self._contact_months})
        n_mentees = len(self._mentees)
        meetings = {m: dict(zip(("group", "individual"), self._meetings.get(m, [0, 0]),
                                strict=True)) for m in months}
        contacts: dict[str, dict[str, float]] = {}
        for m in months:
            total, reached = self._contact_months.get(m, (0, 0))
            contacts[m] = {"mean": _ratio(total, n_mentees, 2),
                           "reached_pct": _ratio(100 * reached, n_mentees, 1)}
        unanswered: dict[str, int] = {}
        for waiting in self._waiting.values():
            for _, channel, _ in waiting:
                unanswered[channel] = unanswered.get(channel, 0) + 1
        replies = {
            channel: _reply_stats(self._replies.get(channel, {}), unanswered.get(channel, 0))
            for channel in sorted({*self._replies, *unanswered})
        }
        return {
            "mentees": n_mentees,
            "mentors": len(self._mentors),
            "meetings_per_month": meetings,
            "voluntary_one_to_one_meetings": sum(v["individual"] for v in meetings.values()),
            "contacts_per_mentee_per_month": contacts,
            "reply_hours_by_channel": replies,
            "compliance_pct_by_rule": self._compliance(findings),
        }

    def _compliance(self, findings: Sequence[Finding]) -> dict[str, dict[str, float]]:
        roster, role = self.context.roster, self._role
        out: dict[str, tuple[set[str], set[str]]] = {
            spec.id: (set(), set()) for spec in self.context.program.active_rules()
        }
        for finding in findings:
            if finding.state != "breached" or finding.severity not in _BREACHING:
                continue
            sets = out.get(finding.rule)
            if sets is None:
                continue
            mentees, mentors = sets
            subject = finding.subject
            unit = roster.units.get(subject) if subject not in roster.people else None
            if unit is not None:
                mentees.update(unit.mentees)
                mentors.update(unit.mentors)
            elif role.get(subject) == "mentee":
                mentees.add(subject)
            elif role.get(subject) == "mentor":
                mentors.add(subject)
            mentors.update(m for m in finding.mentors if role.get(m) == "mentor")
        n_mentees, n_mentors = len(self._mentees), len(self._mentors)
        return {
            rule: {"mentees": _ratio(100 * (n_mentees - len(mentees)), n_mentees, 1, 100.0),
                   "mentors": _ratio(100 * (n_mentors - len(mentors)), n_mentors, 1, 100.0)}
            for rule, (mentees, mentors) in out.items()
        }


def _ratio(part: float, whole: int, digits: int, empty: float = 0.0) -> float:
    return round(part / whole, digits) if whole else empty


def _reply_stats(delays: dict[float, int], unanswered: int) -> dict[str, Any]:
    """Answered count, median and 90th percentile (nearest rank) of ``seconds -> count``.

    The same figures as ``statistics.median`` and the nearest rank over the sorted
    list of every delay in hours, taken from the counts without building that list.
    """
    n = sum(delays.values())
    if not n:
        return {"answered": 0, "median_hours": None, "p90_hours": None, "unanswered": unanswered}
    ordered = sorted(delays.items())

    def hours_at(rank: int) -> float:
        """The ``rank``-th (from 0) delay of the sorted list, in hours."""
        seen = 0
        for seconds, count in ordered:
            seen += count
            if rank < seen:
                return seconds / 3600
        raise AssertionError("rank beyond the count")  # pragma: no cover

    half = n // 2
    median = hours_at(half) if n % 2 else (hours_at(half - 1) + hours_at(half)) / 2
    p90 = hours_at(max(0, math.ceil(0.9 * n) - 1))
    return {"answered": n, "median_hours": round(median, 1),
            "p90_hours": round(p90, 1), "unanswered": unanswered}


# --------------------------------------------------------------------------- text


def metrics_text(metrics: dict[str, Any], indent: str = "  ") -> list[str]:
    """The metrics as aligned text tables (what ``check`` and ``demo`` print)."""
    if "meetings_per_month" not in metrics:
        return _generic(metrics, indent)
    lines: list[str] = []
    meetings = metrics["meetings_per_month"]
    contacts = metrics.get("contacts_per_mentee_per_month", {})
    rows: list[tuple[str, ...]] = [
        ("month", "group meetings", "individual", "contacts/mentee", "mentees reached")]
    for month, counts in meetings.items():
        reach = contacts.get(month, {})
        rows.append((month, f"{counts['group']:,}", f"{counts['individual']:,}",
                     f"{reach.get('mean', 0):.2f}", f"{reach.get('reached_pct', 0):.1f}%"))
    lines += _table(rows, indent)
    lines.append(f"{indent}voluntary one-to-one meetings: "
                 f"{metrics.get('voluntary_one_to_one_meetings', 0):,} "
                 f"({metrics.get('mentees', 0):,} mentees, {metrics.get('mentors', 0):,} mentors)")
    replies = metrics.get("reply_hours_by_channel", {})
    if replies:
        rows = [("replies by channel", "answered", "median", "90th pct", "unanswered")]
        for channel, stats in replies.items():
            rows.append((channel, f"{stats['answered']:,}", _hours(stats["median_hours"]),
                         _hours(stats["p90_hours"]), f"{stats['unanswered']:,}"))
        lines.append("")
        lines += _table(rows, indent)
    compliance = metrics.get("compliance_pct_by_rule", {})
    if compliance:
        rows = [("rule", "mentees in compliance", "mentors in compliance")]
        rows += [(rule, f"{v['mentees']:.1f}%", f"{v['mentors']:.1f}%")
                 for rule, v in compliance.items()]
        lines.append("")
        lines += _table(rows, indent)
    return lines


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}h"


def _table(rows: Sequence[Sequence[str]], indent: str) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def _generic(metrics: dict[str, Any], indent: str) -> list[str]:
    lines: list[str] = []
    for key, value in metrics.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(_generic(value, indent + "  "))
        else:
            lines.append(f"{indent}{key}: {value}")
    return lines
