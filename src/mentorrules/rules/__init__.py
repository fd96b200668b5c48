"""Rule kinds: the protocol, the registry, and one module per built-in kind."""

from __future__ import annotations

from mentorrules.rules.base import Context, Evaluator, Kind, RuleKind
from mentorrules.rules.registry import get, kinds, register

__all__ = ["Context", "Evaluator", "Kind", "RuleKind", "get", "kinds", "register"]
