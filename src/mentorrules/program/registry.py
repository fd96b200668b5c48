"""Programs known by name: the built-ins and those other packages register.

A package makes a program loadable by name with an entry point in the
``mentorrules.programs`` group that names a file holding the YAML::

    [project.entry-points."mentorrules.programs"]
    myschool = "my_package.programs:MYSCHOOL"   # a path or importlib.resources file

mentorrules registers ``umms`` and ``medmentors`` the same way.

The entry points are looked up once per ``sys.path`` (a look-up scans every
installed distribution, several milliseconds); a plug-in put on the path later
is found at the next call.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from importlib.resources.abc import Traversable
from pathlib import Path

from mentorrules.errors import MentorRulesError

GROUP = "mentorrules.programs"


@dataclass(frozen=True, slots=True)
class ProgramEntry:
    """A registered program: its name, where its YAML is, and who registered it."""

    name: str
    resource: Traversable | Path
    provider: str

    def read_text(self) -> str:
        return self.resource.read_text(encoding="utf-8")

    def read_bytes(self) -> bytes:
        return self.resource.read_bytes()

    @property
    def location(self) -> str:
        return str(self.resource)


_found: tuple[tuple[str, ...], dict[str, ProgramEntry]] | None = None


def registered() -> dict[str, ProgramEntry]:
    """Every program registered through the ``mentorrules.programs`` entry points."""
    global _found
    path = tuple(sys.path)
    if _found is None or _found[0] != path:
        _found = (path, _discover())
    return dict(_found[1])


def _discover() -> dict[str, ProgramEntry]:
    found: dict[str, ProgramEntry] = {}
    for point in entry_points(group=GROUP):
        if point.name in found:
            continue
        try:
            target = point.load()
        except Exception as exc:
            raise MentorRulesError(
                f"program {point.name!r} ({point.value}) failed to load: {exc}; "
                "reinstall or remove the package that provides it"
            ) from exc
        if isinstance(target, str | os.PathLike):
            target = Path(target)
        if not isinstance(target, Traversable | Path):
            raise MentorRulesError(
                f"entry point {point.name!r} ({point.value}) must name a file with the program's "
                f"YAML, not a {type(target).__name__}"
            )
        provider = point.dist.name if point.dist else point.module
        found[point.name] = ProgramEntry(point.name, target, provider)
    return found
