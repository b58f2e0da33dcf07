"""Run events for observers (ENGINE.md B4.8).

An observer is any callable taking an :class:`Event`. The engine calls observers synchronously,
in registration order: ``workflow_start``, then per executed node ``node_start`` and
``node_success`` or ``node_failure``, then ``workflow_end``. Skipped nodes emit nothing. An
exception raised by an observer is logged and swallowed: observing never changes a run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

EventType = Literal["workflow_start", "workflow_end", "node_start", "node_success", "node_failure"]

logger = logging.getLogger("pytest_wfsnap.engine")


@dataclass(frozen=True, slots=True)
class Event:
    """One run event. ``status`` is set on ``workflow_end`` (completed, paused or failed)."""

    type: EventType
    execution_id: str
    workflow_id: str
    timestamp: datetime
    node_id: str | None = None
    node_type: str | None = None
    status: str | None = None
    result: Any = None
    error: str | None = None
    elapsed_ns: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)


Observer = Callable[[Event], None]


def notify(observers: Sequence[Observer], event: Event) -> None:
    """Deliver ``event`` to every observer; an observer's exception is logged, never raised."""
    for observer in observers:
        try:
            observer(event)
        except Exception:
            logger.exception("observer %r failed on %s event", observer, event.type)


__all__ = ["Event", "EventType", "Observer", "notify"]
