"""training-attendance: everyone asked attends the program's trainings and workshops.

The trainings are declared in the program's ``trainings`` section, each with its
``start``, an optional ``due`` day (by default the day of the session) and the
``attendees`` who must come (a selector of roles, levels and tracks; by default
every person on the roster with the role ``mentor``, in a regular unit, an
overlay unit such as MD/PhD, or none). The rule covers the trainings listed in
``trainings``, or else every training marked ``required`` (the default).

Attendance is an event of type ``training`` from the person whose ``topic`` is
the training's id, logged at or before the end of the due day (local time). A
make-up session logged before the due day counts too.

For each training and each attendee the rule reports:

- **met**: attended by the end of the due day;
- **pending** while the due day has not ended (``at_risk`` within
  ``warn_before`` of its end; default 7 days);
- **breached** once the due day has ended without attendance, or when the
  attendance was logged after it (the finding says how late).

A finding names the person (``subject``), their first regular unit (or overlay
unit), the term holding the training (``period``), the end of the due day
(``due``, 00:00 of the next day) and the attendance event as evidence.

A ``training`` event whose topic is no training of the program cannot be
counted for anything: the rule reports it as a **warning** (one per person and
topic, with a "did you mean"), so a typo never hides an attendance. An
attendance of a declared training the rule does not cover (not required, or
not listed in ``trainings``) is not an error and is not reported.

Options:

``trainings``
    Training ids to check (default: every ``required`` training).
``warn_before``
    Lead time before the end of the due day for ``at_risk`` (default ``7d``;
    ``null`` for none).

Example (UMMS: "Attend faculty-led training sessions and Peer Mentoring Program
workshops to develop skills for effective mentoring and support overall program
development")::

    trainings:
      - id: faculty-training-fall
        name: Faculty-led Peer Mentor training
        start: "2025-08-13T17:00"
        duration: 2h
      - id: workshop-fall
        name: Peer Mentoring Program workshop (fall)
        kind: workshop
        start: "2025-10-08T17:30"
        due: 2025-10-15          # a make-up session counts until this day
    rules:
      - id: attend-trainings
        kind: training-attendance
        source: Attend faculty-led training sessions and Peer Mentoring Program workshops.
        warn_before: 7d

and in the activity log (``events.csv``)::

    id,type,at,from,topic
    t-1,training,2025-08-13T17:05,m3-01,faculty-training-fall

A mentor with no such row once 13 August 2025 has ended is in breach:
``m3-02 has not attended Faculty-led Peer Mentor training (faculty-training-fall,
Wed 13 Aug 17:00), due by the end of Wed 13 Aug``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.program.models import Program, RuleOptions, RuleSpec, Training
from mentorrules.rules._dated import (
    DatedDutyEvaluator,
    Item,
    Wording,
    end_of_day,
    selected,
    term_id,
    time_text,
)
from mentorrules.rules.base import Context, Kind
from mentorrules.rules.options import unknown

WORDING = Wording(noun="training", done="attended", detail_key="training")


class Options(RuleOptions):
    trainings: tuple[str, ...] = Field(
        default=(), description="Training ids to check (all required ones if empty)"
    )
    warn_before: Duration | None = Field(
        default=timedelta(days=7), description="Lead time before the due day ends for at_risk"
    )


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("trainings", options.trainings, (t.id for t in program.trainings), "training")


def _item(training: Training, context: Context) -> Item:
    program = context.program
    title = f"{training.name} ({training.id}, {time_text(training.start)})"
    where = f", {training.location}" if training.location else ""
    due_day = training.due_date
    return Item(
        id=training.id,
        title=title,
        opens=None,
        due=end_of_day(program, due_day),
        due_day=due_day,
        period=term_id(program, training.start.date(), due_day),
        people=selected(training.attendees, context.roster),
        what=f"attend {training.name} ({training.id}, {time_text(training.start)}{where})",
    )


def _bind(spec: RuleSpec, options: Options, context: Context) -> DatedDutyEvaluator:
    program = context.program
    wanted = set(options.trainings)
    trainings = [t for t in program.trainings if t.id in wanted] if wanted \
        else [t for t in program.trainings if t.required]
    return DatedDutyEvaluator(
        spec, context,
        event_type="training",
        items=[_item(t, context) for t in trainings],
        declared=(t.id for t in program.trainings),
        warn_before=options.warn_before,
        wording=WORDING,
    )


KIND = Kind(
    name="training-attendance",
    options=Options,
    doc=__doc__ or "",
    binder=_bind,
    check_references=_references,
)
