"""contact-cadence: at least ``min`` contacts per ``per`` period with every mentee.

A *contact* is

- a ``message`` from a mentor of the mentee's unit to the mentee; a message
  to several mentees counts once for each of them; or
- a ``meeting`` that the mentee and a mentor of the mentee's unit both
  attended (attendees are ``from`` plus ``to``).

A message from the mentee to a mentor is not a contact (answering it is the
``reply-window`` rule's business). Only the mentee's regular unit owes
contacts; overlay units (MD/PhD mentoring) are additional. ``channels`` and
``topics`` narrow what counts (all channels and topics when left empty): UMMS
uses ``topics`` to check that the limits of the mentoring relationship were
discussed with each mentee once in the fall.

Who owes the contact (``duty``):

``unit`` (default)
    the unit: a contact by any mentor of the unit counts for the mentee. One
    finding per mentee and period, naming all the unit's mentors.
``mentor``
    each mentor of the unit separately: a finding per mentee, period *and*
    mentor who fell short (``mentors`` names that mentor). While a mentor is
    on an absence they notified their partner of, the partner's contacts
    count for them too.

Periods are calendar periods in the program's time zone (``month``: 1st 00:00
to the next 1st 00:00 local time, ``term``: first day 00:00 to the end of the
last day). Only periods that overlap a term are evaluated (a summer month is
not), and with ``terms`` only those overlapping the listed terms. A period is
*breached* once it has ended by ``as_of``; before that its obligation is
``pending``, ``at_risk`` from ``warn_before`` before its end, or ``met``.
Events after ``as_of`` are ignored. ``check`` reports breaches; ``status``
gives, per mentee, the current period (or the next one, between terms) with
its due time (the period's end) and state.

Options: ``per`` (``week``, ``month``, ``term``, ``year``; default
``month``), ``min`` (default 1), ``channels``, ``topics``, ``terms``,
``duty`` (``unit``/``mentor``), ``warn_before`` (default ``7d``).

Example (UMMS: "Maintain active communication with mentees, with at least one
communication per month")::

    - id: monthly-contact
      kind: contact-cadence
      source: Maintain active communication with mentees, with at least one communication per month.
      per: month
      min: 1
      warn_before: 7d

With this rule, a mentor text to ``s-01`` on 3 October meets October for
``s-01``; if ``s-02`` hears from neither mentor in October, a check as of
1 November reports::

    monthly-contact  s-02  2025-10  s-02 had no contact from a mentor of cohort c1
                                    (p-a, p-b) in October 2025; at least 1 a month is required
"""

from __future__ import annotations

from collections.abc import Iterator

from mentorrules.activity.models import Event
from mentorrules.periods import Period
from mentorrules.program.models import RuleSpec
from mentorrules.rules._activity import (
    CadenceEvaluator,
    Key,
    channels_phrase,
    credit_table,
    listing,
    meeting_credits,
    per_phrase,
)
from mentorrules.rules.base import Context, Evaluator, Kind, why
from mentorrules.rules.options import CadenceOptions, cadence_references


class Options(CadenceOptions):
    pass


class ContactCadence(CadenceEvaluator):
    """Counts contacts per mentee (and per mentor with ``duty: mentor``) and period."""

    wants = frozenset({"message", "meeting"})

    def subjects(self) -> Iterator[Key]:
        for unit in self.context.roster.regular_units():
            for mentee in unit.mentees:
                if self.by_mentor:
                    for mentor in unit.mentors:
                        yield (mentee, unit.id, mentor)
                else:
                    yield (mentee, unit.id, "")

    def message_credits(self) -> dict[str, dict[str, tuple[Key, ...]]]:
        """A mentor's message counts for each mentee of theirs it goes to, in each unit shared."""
        return credit_table(self.index, by_mentor=self.by_mentor)

    def credits(self, event: Event) -> set[Key]:
        table = self._direct or {}
        if event.type == "message":  # what feed_batch reads from the table itself
            mine = table.get(event.sender, {})
            return {key for person in event.recipients for key in mine.get(person, ())}
        if event.type == "meeting":
            return meeting_credits(table, event)
        return set()

    def _what(self) -> str:
        words = "contact"
        if self.topics is not None:
            words += f" on {listing(sorted(self.topics))}"
        if self.channels is not None:
            words += f" {channels_phrase(self.options.channels)}"
        return words

    def _who(self, key: Key) -> str:
        if key[2]:
            return key[2]
        mentors = self.mentors(key)
        names = f" ({', '.join(mentors)})" if mentors else " (it has no mentor)"
        return f"a mentor of {self.context.program.units.name} {key[1]}{names}"

    def shortfall(self, key: Key, period: Period, count: int) -> str:
        got = "no" if count == 0 else f"only {count}"
        plural = "s" if count > 1 else ""
        return (f"{key[0]} had {got} {self._what()}{plural} from {self._who(key)} in "
                f"{period.label}; at least {self.need} {per_phrase(self.options.per)} is "
                f"required{why(self.spec)}")

    def reminder(self, key: Key, period: Period, count: int) -> str:
        what = self._what()
        if count >= self.need:
            return f"{what} with {key[0]} done for {period.label} ({count} of {self.need})"
        return (f"{what} with {key[0]} due by the end of {period.label} "
                f"({count} of {self.need} so far)")


def bind(spec: RuleSpec, options: Options, context: Context) -> Evaluator:
    return ContactCadence(spec, options, context)


KIND = Kind(
    name="contact-cadence",
    options=Options,
    doc=__doc__ or "",
    binder=bind,
    check_references=cadence_references,
)
