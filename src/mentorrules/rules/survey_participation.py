"""survey-participation: everyone asked completes the program's surveys and focus groups.

The surveys are declared in the program's ``surveys`` section, each open from
``opens`` (00:00 local time) to the end of its ``due`` day, with the
``participants`` who must take part (a selector of roles, levels and tracks; by
default every person on the roster with the role ``mentor``). The rule covers
the surveys listed in ``surveys``, or else every survey marked ``required``
(the default).

Participation is an event of type ``survey`` from the person whose ``topic`` is
the survey's id, logged while the survey is open. For each survey and each
participant the rule reports:

- **met**: completed between ``opens`` 00:00 and the end of the ``due`` day;
- **pending** until the due day has ended (``at_risk`` within ``warn_before``
  of its end; default 3 days), also before the survey opens;
- **breached** once the due day has ended without a completion, or when the
  completion was logged after it (the finding says how late).

A completion logged *before* the survey opened does not count (it is most
likely a wrong topic or date); the finding or status names it so it can be
corrected. A ``survey`` event whose topic is no survey of the program is
reported as a **warning** (one per person and topic, with a "did you mean").

A finding names the person (``subject``), their first regular unit (or overlay
unit), the term holding the due day (``period``), the end of the due day
(``due``, 00:00 of the next day) and the survey events as evidence.

Options:

``surveys``
    Survey ids to check (default: every ``required`` survey).
``warn_before``
    Lead time before the end of the due day for ``at_risk`` (default ``3d``;
    ``null`` for none).

Example (UMMS: "Participate in surveys and focus groups to support quality
improvement initiatives")::

    surveys:
      - {id: fall-survey, name: Fall program survey, opens: 2025-12-01, due: 2025-12-19}
      - id: spring-focus-group
        name: Spring focus group
        opens: 2026-03-16
        due: 2026-04-03
        participants: {roles: [mentor], levels: [M4]}
    rules:
      - id: surveys-and-focus-groups
        kind: survey-participation
        source: Participate in surveys and focus groups to support quality improvement initiatives.

and in the activity log (``events.csv``)::

    id,type,at,from,topic
    s-1,survey,2025-12-03T21:40,m3-01,fall-survey
    s-2,survey,2025-12-22T09:15,m4-01,fall-survey

``m3-01`` has met the duty; ``m4-01`` is in breach: ``m4-01 completed Fall
program survey (fall-survey, open Mon 1 Dec to Fri 19 Dec) on Mon 22 Dec 09:15,
57 hours 15 minutes after it was due (by the end of Fri 19 Dec)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import Field

from mentorrules.durations import Duration
from mentorrules.periods import local_midnight
from mentorrules.program.models import Program, RuleOptions, RuleSpec, Survey
from mentorrules.rules._dated import (
    DatedDutyEvaluator,
    Item,
    Wording,
    day_text,
    end_of_day,
    selected,
    term_id,
)
from mentorrules.rules.base import Context, Kind
from mentorrules.rules.options import unknown

WORDING = Wording(noun="survey", done="completed", detail_key="survey")


class Options(RuleOptions):
    surveys: tuple[str, ...] = Field(
        default=(), description="Survey ids to check (all required ones if empty)"
    )
    warn_before: Duration | None = Field(
        default=timedelta(days=3), description="Lead time before the due day ends for at_risk"
    )


def _references(options: Options, program: Program) -> Iterator[tuple[str, str]]:
    yield from unknown("surveys", options.surveys, (s.id for s in program.surveys), "survey")


def _item(survey: Survey, context: Context) -> Item:
    program = context.program
    window = f"open {day_text(survey.opens)} to {day_text(survey.due)}"
    return Item(
        id=survey.id,
        title=f"{survey.name} ({survey.id}, {window})",
        opens=local_midnight(program, survey.opens),
        due=end_of_day(program, survey.due),
        due_day=survey.due,
        period=term_id(program, survey.due, survey.opens),
        people=selected(survey.participants, context.roster),
        what=f"complete {survey.name} ({survey.id}, {window})",
    )


def _bind(spec: RuleSpec, options: Options, context: Context) -> DatedDutyEvaluator:
    program = context.program
    wanted = set(options.surveys)
    surveys = [s for s in program.surveys if s.id in wanted] if wanted \
        else [s for s in program.surveys if s.required]
    return DatedDutyEvaluator(
        spec, context,
        event_type="survey",
        items=[_item(s, context) for s in surveys],
        declared=(s.id for s in program.surveys),
        warn_before=options.warn_before,
        wording=WORDING,
    )


KIND = Kind(
    name="survey-participation",
    options=Options,
    doc=__doc__ or "",
    binder=_bind,
    check_references=_references,
)
