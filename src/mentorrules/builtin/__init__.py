"""The programs and sample data that ship with mentorrules.

``umms`` and ``medmentors`` are registered under the ``mentorrules.programs``
entry-point group, exactly as a third-party package registers its own programs:
the entry point names a file (here a package resource) holding the YAML.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

_here = files(__name__)

umms: Traversable = _here / "umms.yaml"
medmentors: Traversable = _here / "medmentors.yaml"
samples: Traversable = _here / "samples"
schema: Traversable = _here / "program.schema.json"
