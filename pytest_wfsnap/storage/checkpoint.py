"""Automatic checkpoints: when to snapshot a running workflow, and writing them to a store.

The engine calls :meth:`Checkpointer.after_node` after each node it decides, passing a
callable that encodes the current state; the callable runs only when the policy says a
checkpoint is due, so runs that checkpoint rarely pay nothing for encoding. Time-based
intervals are checked after each node (there is no background thread): a node that runs for
a long time is checkpointed once it ends.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from pytest_wfsnap.errors import ConfigError, SnapshotNotFoundError
from pytest_wfsnap.storage.stores import (
    MAX_LABEL_LENGTH,
    ExecutionStatus,
    SnapshotMeta,
    SnapshotRef,
    SnapshotStore,
    validate_execution_id,
)

MakeSnapshot = Callable[[], tuple[bytes, SnapshotMeta]]
"""Encodes the engine's current state: returns the snapshot bytes and their metadata."""

MonotonicClock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class CheckpointPolicy:
    """When to take checkpoints.

    * ``every_nodes``: after every N decided nodes (``None``: not by count).
    * ``every_seconds``: after the first node that ends at least this long after the last
      checkpoint (``None``: not by time).
    * ``on_pause`` / ``on_failure`` / ``on_complete``: also when the run pauses, fails or
      completes. When a flag is off, the execution's status is still recorded in the store
      (if it holds snapshots), so garbage collection knows whether the run is still live.

    A periodic checkpoint is due when either interval is reached and at least one node was
    decided since the last checkpoint.
    """

    every_nodes: int | None = 1
    every_seconds: float | None = None
    on_pause: bool = True
    on_failure: bool = True
    on_complete: bool = True

    def __post_init__(self) -> None:
        n = self.every_nodes
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            raise ConfigError(
                f"CheckpointPolicy.every_nodes must be an int >= 1 or None, got {n!r}"
            )
        s = self.every_seconds
        if s is not None and (
            isinstance(s, bool) or not isinstance(s, int | float) or not math.isfinite(s) or s <= 0
        ):
            raise ConfigError(
                f"CheckpointPolicy.every_seconds must be a number > 0 or None, got {s!r}"
            )

    def should_checkpoint(self, nodes_since_last: int, seconds_since_last: float) -> bool:
        """True when a periodic checkpoint is due."""
        if nodes_since_last <= 0:
            return False
        if self.every_nodes is not None and nodes_since_last >= self.every_nodes:
            return True
        return self.every_seconds is not None and seconds_since_last >= self.every_seconds


def _after_label(node_id: str) -> str:
    printable = "".join(ch if ch.isprintable() else "?" for ch in node_id)
    return f"after:{printable}"[:MAX_LABEL_LENGTH]


class Checkpointer:
    """Writes the checkpoints of one execution to a store, following a policy.

    Store errors propagate to the caller (the run decides whether a failed checkpoint stops
    it); the counters are only reset after a successful write, so the next node retries.
    """

    def __init__(
        self,
        store: SnapshotStore,
        execution_id: str,
        policy: CheckpointPolicy | None = None,
        *,
        clock: MonotonicClock = time.monotonic,
    ) -> None:
        self.store = store
        self.execution_id = validate_execution_id(execution_id)
        self.policy = policy if policy is not None else CheckpointPolicy()
        self._clock = clock
        self._last_time = clock()
        self._nodes_since_last = 0
        self.last: SnapshotRef | None = None
        """The last checkpoint this checkpointer wrote."""
        self.written = 0
        """How many checkpoints this checkpointer wrote."""

    def __repr__(self) -> str:
        return (
            f"Checkpointer({self.execution_id!r}, {self.policy!r}, written={self.written}, "
            f"nodes_since_last={self._nodes_since_last})"
        )

    @property
    def nodes_since_last(self) -> int:
        return self._nodes_since_last

    @property
    def seconds_since_last(self) -> float:
        return self._clock() - self._last_time

    def after_node(self, node_id: str, make_bytes: MakeSnapshot) -> SnapshotRef | None:
        """Count a decided node; write a checkpoint labelled ``after:<node_id>`` when due."""
        self._nodes_since_last += 1
        if not self.policy.should_checkpoint(self._nodes_since_last, self.seconds_since_last):
            return None
        return self._write(make_bytes, _after_label(node_id), None)

    def on_pause(self, make_bytes: MakeSnapshot) -> SnapshotRef | None:
        """The run paused: checkpoint (label ``pause``, status ``paused``) if enabled."""
        return self._event(make_bytes, self.policy.on_pause, "pause", "paused")

    def on_failure(self, make_bytes: MakeSnapshot) -> SnapshotRef | None:
        """The run failed: checkpoint (label ``failure``, status ``failed``) if enabled."""
        return self._event(make_bytes, self.policy.on_failure, "failure", "failed")

    def on_complete(self, make_bytes: MakeSnapshot) -> SnapshotRef | None:
        """The run completed: checkpoint (``complete``, status ``completed``) if enabled."""
        return self._event(make_bytes, self.policy.on_complete, "complete", "completed")

    def checkpoint(self, make_bytes: MakeSnapshot, label: str = "manual") -> SnapshotRef:
        """Write a checkpoint now, whatever the policy (e.g. on a user's request)."""
        return self._write(make_bytes, label, None)

    def _event(
        self, make_bytes: MakeSnapshot, enabled: bool, label: str, status: ExecutionStatus
    ) -> SnapshotRef | None:
        if enabled:
            return self._write(make_bytes, label, status)
        try:
            if self.store.status(self.execution_id) is not None:
                self.store.set_status(self.execution_id, status)
        except SnapshotNotFoundError:
            pass  # every snapshot of the execution was removed meanwhile: nothing to mark
        return None

    def _write(
        self, make_bytes: MakeSnapshot, label: str, status: ExecutionStatus | None
    ) -> SnapshotRef:
        data, meta = make_bytes()
        meta = (
            replace(meta, label=label)
            if status is None
            else replace(meta, label=label, status=status)
        )
        ref = self.store.put(self.execution_id, data, meta)
        self.last = ref
        self.written += 1
        self._nodes_since_last = 0
        self._last_time = self._clock()
        return ref


__all__ = ["CheckpointPolicy", "Checkpointer", "MakeSnapshot", "MonotonicClock"]
