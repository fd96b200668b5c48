"""Placeholder binder for kinds whose evaluation is not written yet."""

from __future__ import annotations

from typing import Any

from mentorrules.errors import UsageError


def not_yet(spec: Any, options: Any, context: Any) -> Any:
    raise UsageError(f"rule kind {spec.kind!r} cannot be evaluated yet")
