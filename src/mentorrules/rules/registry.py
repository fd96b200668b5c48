"""The rule-kind registry, filled from the ``mentorrules.rules`` entry-point group.

Built-in kinds are registered in mentorrules' own ``pyproject.toml`` under that
group, exactly as a third-party package registers its kinds::

    [project.entry-points."mentorrules.rules"]
    my-kind = "my_package.my_kind:KIND"

The entry-point name is the kind's name as written in program files; the object
it points to must fit :class:`~mentorrules.rules.base.RuleKind` and carry the same
``name``. :func:`register` adds a kind at run time (tests, notebooks).
"""

from __future__ import annotations

from importlib.metadata import entry_points
from threading import Lock

from mentorrules.errors import MentorRulesError, UnknownRuleKindError
from mentorrules.rules.base import RuleKind

GROUP = "mentorrules.rules"

_lock = Lock()
_kinds: dict[str, RuleKind] | None = None
_extra: dict[str, RuleKind] = {}


class PluginError(MentorRulesError):
    """An entry point of ``mentorrules.rules`` that does not load or is not a rule kind."""


def _discover() -> dict[str, RuleKind]:
    found: dict[str, RuleKind] = {}
    for point in entry_points(group=GROUP):
        if point.name in found:
            continue  # the same distribution seen twice on sys.path
        try:
            kind = point.load()
        except Exception as exc:
            raise PluginError(
                f"rule kind {point.name!r} ({point.value}) failed to load: {exc}; "
                "reinstall or remove the package that provides it"
            ) from exc
        if not isinstance(kind, RuleKind):
            raise PluginError(
                f"entry point {point.name!r} ({point.value}) is not a rule kind: it needs "
                "name, options, doc, references() and bind()"
            )
        if kind.name != point.name:
            raise PluginError(
                f"entry point {point.name!r} ({point.value}) names a kind called "
                f"{kind.name!r}; the two names must be the same"
            )
        found[point.name] = kind
    return found


def kinds() -> dict[str, RuleKind]:
    """Every registered rule kind by name (entry points, then run-time registrations)."""
    global _kinds
    with _lock:
        if _kinds is None:
            _kinds = _discover()
        return {**_kinds, **_extra}


def get(name: str) -> RuleKind:
    """The kind called ``name``; :class:`UnknownRuleKindError` with a suggestion if none."""
    known = kinds()
    try:
        return known[name]
    except KeyError:
        raise UnknownRuleKindError(name, list(known)) from None


def register(kind: RuleKind) -> None:
    """Register ``kind`` for this process (a plug-in normally uses an entry point)."""
    if not isinstance(kind, RuleKind):
        raise TypeError(f"{kind!r} is not a rule kind")
    _extra[kind.name] = kind


def unregister(name: str) -> None:
    _extra.pop(name, None)


def reset() -> None:
    """Forget discovered entry points (tests that add a distribution call this)."""
    global _kinds
    with _lock:
        _kinds = None
