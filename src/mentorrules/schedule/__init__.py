"""Calendar schedules: a program's duties, trainings, surveys and terms as occurrences.

``plan(program, roster, mentor=..., unit=..., status=..., include_names=...)``
returns the occurrences of one mentor's, one unit's or the whole program's year
(see :mod:`mentorrules.schedule.plan` for how items are placed);
:mod:`mentorrules.export.ical` renders them as iCalendar.

>>> from mentorrules.program.loader import load_program
>>> year = plan(load_program("medmentors"))
>>> [o.start.isoformat() for o in year if o.item_id == "small-group-encounter"][:2]
['2023-08-08T18:00:00-04:00', '2023-09-12T18:00:00-04:00']
"""

from __future__ import annotations

from mentorrules.schedule.occurrence import Occurrence, OccurrenceKind, Pattern
from mentorrules.schedule.plan import HasObligations, UnknownIdError, make_uid, plan

__all__ = [
    "HasObligations",
    "Occurrence",
    "OccurrenceKind",
    "Pattern",
    "UnknownIdError",
    "make_uid",
    "plan",
]
