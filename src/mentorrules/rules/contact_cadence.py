"""contact-cadence: at least ``min`` contacts per ``per`` period with every mentee.

A contact is a ``message`` from a mentor of the mentee's unit to the mentee (a
message to several mentees counts for each), or a ``meeting`` both attended.
With ``duty: unit`` (the default) a contact by either mentor of a pair counts;
with ``duty: mentor`` each mentor of the unit owes the contact.

Only periods that overlap a term are evaluated. A period breaches once it has
ended by ``as_of``; before that it is ``pending``, and ``at_risk`` within
``warn_before`` of its end.

Example (UMMS: "Maintain active communication with mentees, with at least one
communication per month")::

    - id: monthly-contact
      kind: contact-cadence
      source: Maintain active communication with mentees, with at least one communication per month.
      per: month
      min: 1
"""

from __future__ import annotations

from mentorrules.rules._todo import not_yet
from mentorrules.rules.base import Kind
from mentorrules.rules.options import CadenceOptions, cadence_references


class Options(CadenceOptions):
    pass


KIND = Kind(
    name="contact-cadence",
    options=Options,
    doc=__doc__ or "",
    binder=not_yet,
    check_references=cadence_references,
)
