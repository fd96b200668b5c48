"""referral: a concern outside a peer mentor's scope is referred on, in time.

The program's ``referrals`` section names the *targets* a concern may go to and
the *topics* that are outside a peer mentor's scope, each with the targets
allowed for it and the time (``within``) allowed to refer it. A target is

- ``unit_role: faculty``: the faculty mentor(s) of the mentee's unit;
- ``role: staff`` (or any role): anyone on the roster with that role;
- neither: a named office, written as the target's own id.

**Raising a concern.** A ``message`` or ``meeting`` whose ``topic`` is one of the
topics the rule covers raises a concern about each mentee involved: a mentee
who sent it, and the mentees it went to (or who attended). Only events a
mentor took part in raise a concern; what a mentee tells a faculty member
directly is not a peer mentor's to refer. Further events on the same topic
about the same mentee within the topic's window belong to the same concern
(a conversation, not new concerns); after the window a new event raises a new
concern.

**Referring it.** The duty is on the mentors of the mentee's regular unit and
on any mentor who took part in the raising event (so an MD/PhD mentor who hears
it may refer it too). A ``referral`` event from one of them with ``topic`` set
to the concern's topic refers it when its ``to`` names an allowed target of
that topic: the target's id itself (``administrator``) or a person the target
resolves to (the unit's faculty mentor, a staff member). With ``reply_to``
naming the raising event, the referral answers exactly the concern(s) that
event raised; without it, it answers the oldest open concern on that topic the
mentor owes (all mentees of that one event). A referral to a target the topic
does not allow does not count; the finding says so and names the targets that
would. So does a referral whose ``reply_to`` names a concern it cannot answer
(on another topic, or from a mentor who neither mentors the mentee nor heard it).

For each concern the rule reports:

- **met**: referred to an allowed target within ``within`` (elapsed time, from
  the first raising event);
- **pending** until the deadline (``at_risk`` within ``warn_before`` of it, when
  set);
- **breached** when the deadline passed with no referral, or the referral came
  late (the finding says how late).

A finding names the mentee (``subject``), their regular unit, the term of the
concern (``period``), the deadline (``due``), the mentors who owe the referral,
and as evidence the raising events and the referral(s). A ``referral`` whose
topic is no referral topic of the program is reported as a **warning**.

Options:

``topics``
    Referral topic ids to follow (default: all the program declares).
``warn_before``
    Lead time before the deadline for ``at_risk`` (default: none).

Example (UMMS: "... scenarios that should be referred to faculty/administrators
instead of Peer Mentors")::

    referrals:
      targets:
        - {id: faculty-mentor, name: The cohort's Faculty Mentor, unit_role: faculty}
        - {id: administrator, name: A program administrator, role: staff}
      topics:
        - id: safety-concern
          name: Risk of harm to self or others
          targets: [faculty-mentor, administrator]
          within: 24h
    rules:
      - id: refer-out-of-scope
        kind: referral
        source: >-
          Communicate clearly with mentees regarding the limits of the mentoring
          relationship, including explanations of scenarios that should be referred
          to faculty/administrators instead of Peer Mentors.
        warn_before: 6h

and in the activity log (``events.csv``)::

    id,type,at,from,to,channel,topic,reply_to
    c-1,message,2025-10-02T22:10,s-038,m3-04,text,safety-concern,
    r-1,referral,2025-10-03T08:30,m3-04,administrator,,safety-concern,c-1

The duty is met: ``m3-04 referred the concern about s-038 on Risk of harm to
self or others (safety-concern), raised by c-1 on Thu 2 Oct 22:10 to
administrator 10 hours 20 minutes after it was raised, within 24h``. Without
``r-1``, ``status`` says until Fri 3 Oct 22:10 what to do (``at_risk`` from 16:10
with ``warn_before: 6h``): ``refer the concern about s-038 ... to faculty-mentor
(f-04) or administrator (anyone with the role staff) by Fri 3 Oct 22:10``; after
that the breach says so in the words of the handbook.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import Field

from mentorrules._suggest import did_you_mean
from mentorrules.activity.models import Event
from mentorrules.durations import Duration, format_duration
from mentorrules.program.models import (
    Program,
    ReferralTarget,
    ReferralTopic,
    RuleOptions,
    RuleSpec,
)
from mentorrules.report import Finding, Obligation
from mentorrules.rules._activity import elapsed, upto
from mentorrules.rules._dated import home_unit, time_text
from mentorrules.rules.base import BatchFed, Context, Kind, why
from mentorrules.rules.options import unknown


class Options(RuleOptions):
    topics: tuple[str, ...] = Field(default=(), description="Referral topic ids (all if empty)")
    warn_before: Duration | None = Field(
        default=None, description="Lead time before the deadline for at_risk (none by default)"
    )


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("topics", options.topics, (t.id for t in program.referrals.topics), "topic")


@dataclass(frozen=True, slots=True)
class _Topic:
    """A referral topic, precomputed at bind time."""

    id: str
    title: str  # "Risk of harm to self or others (safety-concern)"
    within: float  # seconds
    within_text: str  # "24h"
    targets: tuple[str, ...]  # target ids, as the program lists them
    fixed: frozenset[str]  # target ids and people of the targets' roles
    unit_faculty: bool  # the unit's faculty mentor is a target too
    allowed_text: str  # "faculty-mentor (the unit's faculty mentor) or administrator (staff)"


@dataclass(slots=True)
class _Concern:
    """One concern about one mentee on one topic, and what was done about it."""

    mentee: str
    topic: _Topic
    opened_ts: float
    deadline_ts: float
    first_event: str
    unit: str | None
    remind: tuple[str, ...]  # the mentors who owe it: the mentee's and those who heard it
    faculty: tuple[str, ...]  # the unit's faculty mentors, when the topic allows them
    events: list[str] = field(default_factory=list)
    referral: str = ""
    referral_ts: float = 0.0
    referrer: str = ""
    referred_to: tuple[str, ...] = ()
    # referrals that did not count: (referral id, why: "target" | "topic" | "referrer", detail)
    refused: list[tuple[str, str, str]] = field(default_factory=list)


class ReferralEvaluator(BatchFed):
    wants: frozenset[str] = frozenset({"message", "meeting", "referral"})

    def __init__(self, spec: RuleSpec, options: Options, context: Context) -> None:
        self.spec = spec
        self.context = context
        program, roster = context.program, context.roster
        self._as_of_ts = context.as_of_ts
        self._warn = options.warn_before.total_seconds() if options.warn_before else None
        self._declared = tuple(t.id for t in program.referrals.topics)
        wanted = set(options.topics)
        covered = [t for t in program.referrals.topics if not wanted or t.id in wanted]
        by_role: dict[str, set[str]] = {}
        for person in roster.people.values():
            by_role.setdefault(person.role, set()).add(person.id)
        targets = {t.id: t for t in program.referrals.targets}
        self._topics = {t.id: self._topic(t, targets, by_role) for t in covered}
        self._role = context.role_of
        # mentee -> (first regular unit, its mentors, its faculty)
        self._home: dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]] = {}
        for mentee, units in context.units_of_mentee.items():
            mentors: list[str] = []
            faculty: list[str] = []
            for unit_id in units:
                unit = roster.units[unit_id]
                mentors += [m for m in unit.mentors if m not in mentors]
                faculty += [f for f in unit.faculty if f not in faculty]
            self._home[mentee] = (units[0], tuple(mentors), tuple(faculty))
        for mentee, units in context.overlays_of_mentee.items():
            if mentee not in self._home:
                unit = roster.units[units[0]]
                self._home[mentee] = (unit.id, unit.mentors, unit.faculty)
        self._concerns: list[_Concern] = []
        self._latest: dict[tuple[str, str], _Concern] = {}  # (mentee, topic) -> last concern
        # raising event id -> its concerns, while one of them is not referred
        self._by_event: dict[str, list[_Concern]] = {}
        self._open: dict[str, list[_Concern]] = {}  # topic -> open concerns, oldest first
        self._unknown: dict[tuple[str, str], list[str]] = {}  # (topic, sender) -> referral ids

    @staticmethod
    def _topic(topic: ReferralTopic, targets: dict[str, ReferralTarget],
               by_role: dict[str, set[str]]) -> _Topic:
        fixed: set[str] = set()
        unit_faculty = False
        described: list[str] = []
        for target_id in topic.targets:
            fixed.add(target_id)
            target = targets.get(target_id)
            if target is None:
                described.append(target_id)
                continue
            if target.unit_role == "faculty":
                unit_faculty = True
                described.append(f"{target_id} (the unit's faculty mentor)")
            elif target.role:
                fixed |= by_role.get(target.role, set())
                described.append(f"{target_id} (anyone with the role {target.role})")
            else:
                described.append(target_id)
        return _Topic(
            id=topic.id,
            title=f"{topic.name} ({topic.id})" if topic.name else topic.id,
            within=topic.within.total_seconds(),
            within_text=format_duration(topic.within),
            targets=topic.targets,
            fixed=frozenset(fixed),
            unit_faculty=unit_faculty,
            allowed_text=" or ".join(described),
        )

    # ------------------------------------------------------------------ intake

    def feed_batch(self, events: Sequence[Event]) -> None:
        topics = self._topics
        if events and events[-1].ts > self._as_of_ts:  # events after as_of are ignored
            events = upto(events, self._as_of_ts)
        for event in events:
            if event.type == "referral":
                self._referral(event)
                continue
            topic = topics.get(event.topic)  # most messages and meetings have no topic
            if topic is not None:
                self._raise(event, topic)

    def _raise(self, event: Event, topic: _Topic) -> None:
        role = self._role
        mentees = [p for p in event.people if role.get(p) == "mentee"]
        involved = [p for p in event.people if role.get(p) == "mentor"]
        if not mentees or not involved:
            return
        raised = self._by_event.setdefault(event.id, [])
        for mentee in dict.fromkeys(mentees):
            latest = self._latest.get((mentee, topic.id))
            if latest is not None and event.ts < latest.opened_ts + topic.within:
                latest.events.append(event.id)
                raised.append(latest)
                continue
            unit, mentors, faculty = self._home.get(mentee, (None, (), ()))
            remind = tuple(dict.fromkeys((*mentors, *involved)))
            concern = _Concern(
                mentee=mentee, topic=topic, opened_ts=event.ts,
                deadline_ts=event.ts + topic.within, first_event=event.id, unit=unit,
                remind=remind, faculty=faculty if topic.unit_faculty else (), events=[event.id],
            )
            self._concerns.append(concern)
            self._latest[(mentee, topic.id)] = concern
            self._open.setdefault(topic.id, []).append(concern)
            raised.append(concern)

    def _referral(self, event: Event) -> None:
        topic = self._topics.get(event.topic)
        if topic is None:
            if event.topic not in self._declared:
                self._unknown.setdefault((event.topic, event.sender), []).append(event.id)
            return
        sender = event.sender
        opened = self._open.get(topic.id, [])
        if event.reply_to:
            # The referral names the event that raised the concern: answer exactly that.
            named = [c for c in self._by_event.get(event.reply_to, ()) if not c.referral]
            candidates = [c for c in named if c.topic is topic and sender in c.remind]
            groups = [candidates] if candidates else []
            for concern in named:  # it names a concern it cannot answer: say why there
                if concern.topic is not topic:
                    concern.refused.append((event.id, "topic", topic.id))
                elif sender not in concern.remind:
                    concern.refused.append((event.id, "referrer", sender))
        else:
            mine = [c for c in opened if sender in c.remind]
            order = dict.fromkeys(c.first_event for c in mine)
            groups = [[c for c in mine if c.first_event == first] for first in order]
        recipients = set(event.recipients)
        for group in groups:
            # to a target of the topic, or to the unit's faculty mentor when that counts
            accepted = [c for c in group if not (recipients.isdisjoint(c.topic.fixed)
                                                 and recipients.isdisjoint(c.faculty))]
            if accepted:
                for concern in accepted:
                    concern.referral = event.id
                    concern.referral_ts = event.ts
                    concern.referrer = sender
                    concern.referred_to = event.recipients
                    opened.remove(concern)
                self._forget_referred(accepted)
                return
        if groups:  # went to a target this topic does not allow: note it on the oldest
            for concern in groups[0]:
                concern.refused.append((event.id, "target", ", ".join(event.recipients)))

    def _forget_referred(self, referred: list[_Concern]) -> None:
        """Drop the raising events whose concerns are all referred now: a referral naming
        one finds nothing left to answer there, with or without its entry."""
        by_event = self._by_event
        for concern in referred:
            for raising in concern.events:
                raised = by_event.get(raising)
                if raised is not None and all(c.referral for c in raised):
                    del by_event[raising]

    # ------------------------------------------------------------------ results

    def _state(self, concern: _Concern) -> str:
        if concern.referral:
            return "met" if concern.referral_ts <= concern.deadline_ts else "breached"
        if concern.deadline_ts <= self._as_of_ts:
            return "breached"
        if self._warn is not None and self._as_of_ts >= concern.deadline_ts - self._warn:
            return "at_risk"
        return "pending"

    def _refusal(self, concern: _Concern, rid: str, reason: str, detail: str) -> str:
        if reason == "topic":
            return f"{rid} names {concern.first_event} but is on {detail}, not {concern.topic.id}"
        if reason == "referrer":
            return (f"{rid} is from {detail}, who is no mentor of {concern.mentee} and did not "
                    "hear the concern")
        return f"{rid} to {detail} does not count: {concern.topic.id} goes to " \
            f"{self._allowed(concern)}"

    def _allowed(self, concern: _Concern) -> str:
        text = concern.topic.allowed_text
        if concern.faculty:
            text = text.replace("the unit's faculty mentor", ", ".join(concern.faculty))
        return text

    def _message(self, concern: _Concern, state: str) -> str:
        topic, localize = concern.topic, self.context.localize
        raised = (f"the concern about {concern.mentee} on {topic.title}, raised by "
                  f"{concern.first_event} on {time_text(localize(concern.opened_ts))}")
        deadline = time_text(localize(concern.deadline_ts))
        refused = "".join(f"; {self._refusal(concern, *r)}" for r in concern.refused)
        if concern.referral:
            took = concern.referral_ts - concern.opened_ts
            head = (f"{concern.referrer} referred {raised} to {', '.join(concern.referred_to)} "
                    f"{elapsed(took)} after it was raised")
            if state == "met":
                return f"{head}, within {topic.within_text}"
            late = concern.referral_ts - concern.deadline_ts
            return (f"{head}, {elapsed(late)} later than the {topic.within_text} allowed"
                    f"{refused}{why(self.spec)}")
        if state == "breached":
            return (f"{raised} was not referred to {self._allowed(concern)} within "
                    f"{topic.within_text} (by {deadline}){refused}{why(self.spec)}")
        return f"refer {raised} to {self._allowed(concern)} by {deadline}{refused}"

    def _evidence(self, concern: _Concern) -> tuple[str, ...]:
        ids = [*concern.events, *(r[0] for r in concern.refused)]
        if concern.referral:
            ids.append(concern.referral)
        return tuple(dict.fromkeys(ids))

    def _period(self, concern: _Concern) -> str | None:
        term = self.context.program.calendar.term_of(
            self.context.localize(concern.opened_ts).date())
        return term.id if term else None

    def findings(self) -> Iterator[Finding]:
        context, spec = self.context, self.spec
        for concern in self._concerns:
            state = self._state(concern)
            if state != "breached":
                continue
            details: dict[str, object] = {"topic": concern.topic.id}
            if concern.referral:
                details["late_hours"] = round(
                    (concern.referral_ts - concern.deadline_ts) / 3600, 1)
            yield context.finding(
                spec, subject=concern.mentee, unit=concern.unit, period=self._period(concern),
                due=context.localize(concern.deadline_ts), message=self._message(concern, state),
                evidence=self._evidence(concern), mentors=concern.remind, details=details,
            )
        for (topic, sender), ids in self._unknown.items():
            yield context.finding(
                spec, severity="warning", subject=sender, unit=home_unit(context.roster, sender),
                message=(f"referral{'s' if len(ids) > 1 else ''} from {sender} "
                         f"name{'' if len(ids) > 1 else 's'} topic {topic!r}, which is no "
                         f"referral topic of the program{did_you_mean(topic, self._declared)}, "
                         f"so {'they answer' if len(ids) > 1 else 'it answers'} no concern; "
                         f"set the topic to one of: {', '.join(self._declared) or '(none)'}"),
                evidence=tuple(ids), mentors=(sender,), details={"unknown_topic": topic},
            )

    def obligations(self) -> Iterator[Obligation]:
        return self._obligations(None)

    def obligations_of(self, person_id: str) -> Iterator[Obligation]:
        """The obligations naming ``person_id`` among their mentors, as ``obligations()`` has them."""
        return self._obligations(person_id)

    def _obligations(self, only: str | None) -> Iterator[Obligation]:
        context, spec = self.context, self.spec
        for concern in self._concerns:
            if only is not None and only not in concern.remind:
                continue
            state = self._state(concern)
            yield context.obligation(
                spec, subject=concern.mentee, unit=concern.unit, mentors=concern.remind,
                period=self._period(concern), due=context.localize(concern.deadline_ts),
                state=state, message=self._message(concern, state),
                evidence=self._evidence(concern),
            )


def _bind(spec: RuleSpec, options: Options, context: Context) -> ReferralEvaluator:
    return ReferralEvaluator(spec, options, context)


KIND = Kind(
    name="referral",
    options=Options,
    doc=__doc__ or "",
    binder=_bind,
    check_references=_references,
)
