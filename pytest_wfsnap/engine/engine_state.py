"""The complete, engine-independent state of a run: what a snapshot captures and restores.

``Engine.export_state()`` returns one of these (a consistent deep copy, taken under the run
lock); ``Engine.from_state(state, ...)`` builds an engine that resumes from it. The snapshot
format maps it to and from its versioned JSON/binary documents; this module knows nothing of
files or formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pytest_wfsnap.engine.config import Config

RunStatus = Literal["pending", "running", "paused", "completed", "failed"]


@dataclass(slots=True)
class CachedValue:
    value: Any
    expiration: datetime  # timezone-aware


@dataclass(slots=True)
class EngineState:
    """Everything needed to resume a run exactly.

    * ``nodes``/``edges``: the workflow definition as JSON-like dicts (node ``data`` exactly as
      given, so custom node data survives).
    * ``results``: stored node results; ``completed_nodes``: ids in execution order (restored
      nodes first, in their recorded order); ``skipped_nodes``: ids decided "skip" by the
      conditional-branch rules (in order); ``current_level``: the position in the topological
      order of the next node to consider (== number of nodes decided so far);
      ``pending_nodes``: the nodes not decided yet, in the order they will run (None when the
      run was not ordered yet), so a resumed run need not order the whole workflow again.
    * ``failed_node``: the node whose error stopped the run, if any; ``status``.
    * state manager: ``variables``, ``accumulator``, ``counter``, ``cache``, ``context_vars``,
      ``context_consts``.
    * counters: ``node_execution_count``, ``http_call_count``.
    * ``random_seed``: seed of the engine's random sources (one derived per node from it, so a
      resumed run draws exactly what the uninterrupted run would have drawn).
    * ``http_recordings``: HTTP node results keyed by node id, for replay without network.
    """

    workflow_id: str
    execution_id: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    config: Config
    results: dict[str, Any] = field(default_factory=dict)
    completed_nodes: list[str] = field(default_factory=list)
    skipped_nodes: list[str] = field(default_factory=list)
    current_level: int = 0
    pending_nodes: list[str] | None = None
    failed_node: str | None = None
    status: RunStatus = "pending"
    variables: dict[str, Any] = field(default_factory=dict)
    accumulator: Any = None
    counter: float = 0.0
    cache: dict[str, CachedValue] = field(default_factory=dict)
    context_vars: dict[str, Any] = field(default_factory=dict)
    context_consts: dict[str, Any] = field(default_factory=dict)
    node_execution_count: int = 0
    http_call_count: int = 0
    random_seed: int | None = None
    http_recordings: dict[str, Any] = field(default_factory=dict)


__all__ = ["CachedValue", "EngineState", "RunStatus"]
