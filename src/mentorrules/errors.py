"""The error hierarchy: one root, a few branches, every error carrying its data.

Every error the library raises on purpose derives from :class:`MentorRulesError`.
Errors about a place in a file carry ``file``, ``line`` and ``column`` (1-based)
and the ``key_path`` of the offending value (``rules[2].within``), and every
message ends with what to do next. The CLI prints ``str(error)`` on one line and
exits with status 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a file (or ``<string>``), a 1-based line and column, a key path."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    key_path: str = ""

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        where = ":".join(parts)
        return f"{where}: at {self.key_path}" if self.key_path else where


class MentorRulesError(Exception):
    """The root of every error mentorrules raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, at one location, with advice."""

    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return printable(text)


class InputError(MentorRulesError, ValueError):
    """Bad input: a file or value the user can fix. Carries every problem found.

    ``problems`` lists all problems of the input at once, so an author fixes a
    file in one round rather than one error per run.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        extra = len(self.problems) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        super().__init__(f"{first}{more}")

    @property
    def location(self) -> Location:
        return self.problems[0].location

    @property
    def file(self) -> str | None:
        return self.location.file

    @property
    def line(self) -> int | None:
        return self.location.line

    @property
    def column(self) -> int | None:
        return self.location.column

    @property
    def key_path(self) -> str:
        return self.location.key_path

    @classmethod
    def single(
        cls,
        message: str,
        hint: str = "",
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key_path: str = "",
    ) -> Self:
        return cls([Problem(Location(file, line, column, key_path), message, hint)])


class ProgramError(InputError):
    """A program file (YAML) is malformed, invalid or inconsistent."""


class DurationError(MentorRulesError, ValueError):
    """A duration string could not be read (``24h``, ``48 hours``, ``2d``, ``P2D`` are fine)."""

    def __init__(self, text: object, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(
            f"{text!r} is not a duration: {reason}; "
            "write it like 24h, 48 hours, 2d, 90 minutes or P2D"
        )


class UnknownProgramError(MentorRulesError, LookupError):
    """A program name that is neither a file nor a registered program."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        from mentorrules._suggest import did_you_mean

        super().__init__(
            f"no program file or registered program named {name!r}{did_you_mean(name, known)}; "
            f"give a path to a YAML file or one of: {', '.join(sorted(known)) or '(none)'}"
        )


class UnknownRuleKindError(MentorRulesError, LookupError):
    """A rule ``kind`` that no installed package registers."""

    def __init__(self, kind: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.known = tuple(known)
        from mentorrules._suggest import did_you_mean

        super().__init__(f"unknown rule kind {kind!r}{did_you_mean(kind, known)}")


class RowError(InputError):
    """A roster or activity-log row that cannot be read (file and line in the location)."""


class LimitExceededError(InputError):
    """An input larger than a configured limit (file size, nesting depth, rows)."""


class ProgramLimitError(ProgramError, LimitExceededError):
    """A program file past a bound of :class:`~mentorrules.program.yamlread.Limits` (size,
    values, nesting, alias expansion): both a ProgramError and a LimitExceededError."""


class UsageError(MentorRulesError):
    """The library or CLI was called in a way that cannot work."""


# --------------------------------------------------------------------------- message helpers


def printable(text: str) -> str:
    """``text`` on one line with no control character: those are shown escaped (``\\x1b``).

    Messages quote ids and values from the input, and the command line prints them
    to a terminal, where a line break would forge a line and an escape sequence
    could rewrite the screen.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to about ``limit`` characters, so a hostile value keeps a message short."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 12]}...({len(text):,} characters)"


def size_text(size: int) -> str:
    """A size in bytes as people read it: ``5 MB``, ``64 KB``, ``1,500 bytes``."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor:,} {unit}"
    return f"{size:,} bytes"
