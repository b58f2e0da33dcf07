"""The plugin's only contact with the engine: build, restore, run to the end, take snapshots.

Every run made by the plugin uses the test's deterministic execution id, the spec's seed and a
clock pinned to the golden's recording time, so a recording is reproducible and a replay sees
the same "now" (cache TTLs are judged against the recorded clock). The run deadline still uses
the real monotonic clock.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from pytest_wfsnap import engine
from pytest_wfsnap.engine import Engine, Payload, Result
from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.snapshots import load_snapshot, save_snapshot
from pytest_wfsnap.engine.state import Clock
from pytest_wfsnap.errors import ExecutionError
from pytest_wfsnap.plugin.workflow import RunSpec
from pytest_wfsnap.snapshot import Snapshot, workflow_fingerprint

_CACHED_WORKFLOWS = 8


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (resumed only if it was running).

    A replay allocates tens of thousands of containers that all die when it ends; collections
    during it would walk them for nothing and promote them to older generations, whose full
    collections then walk the whole test session's heap."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def pinned_clock(at: datetime) -> Clock:
    """A clock that always reads ``at`` (the recording time)."""

    def clock() -> datetime:
        return at

    return clock


@dataclass(slots=True)
class RunOutcome:
    """A finished (or failed) run: its Result, the error if it failed, and its snapshots."""

    result: Result
    error: ExecutionError | None
    final: Snapshot
    states: dict[str, Snapshot] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Workflow:
    """A workflow file decoded once: the engine's payload and the definition's fingerprint."""

    payload: Payload
    fingerprint: str


def workflow_of(spec: RunSpec) -> Workflow:
    """The decoded workflow of ``spec``, cached by the file's exact bytes.

    Tests of a suite mostly share a few workflow files: each is decoded once per process and
    its fingerprint computed once. A decoded payload is never changed by a run (the engine
    and its executors only read node data), so every engine built from it starts the same.
    Raises :class:`~pytest_wfsnap.errors.PayloadError` when the file does not decode.
    """
    return _decoded(spec.payload)


@lru_cache(maxsize=_CACHED_WORKFLOWS)
def _decoded(data: bytes) -> Workflow:
    payload = engine.decode_payload(data)
    # the fingerprint of the definition as snapshots store it (what recordings compare)
    initial = save_snapshot(Engine(payload))
    return Workflow(payload, workflow_fingerprint(initial.nodes, initial.edges))


def fresh_engine(
    spec: RunSpec,
    *,
    execution_id: str,
    clock: Clock,
    replay: Mapping[str, Any] | None = None,
) -> Engine:
    return engine.new(
        workflow_of(spec).payload,
        spec.config,
        clock=clock,
        timer=time.monotonic,
        seed=spec.seed,
        execution_id=execution_id,
        replay_results=dict(replay) if replay else None,
    )


def restored_engine(
    snap: Snapshot,
    config: Config,
    *,
    clock: Clock,
    replay: Mapping[str, Any] | None = None,
) -> Engine:
    """An engine resuming ``snap``; its network settings come from ``config``, never from the
    snapshot."""
    return load_snapshot(
        snap,
        config=config,
        clock=clock,
        timer=time.monotonic,
        replay_results=dict(replay) if replay else None,
    )


def initial_snapshot(spec: RunSpec, *, execution_id: str, clock: Clock) -> Snapshot:
    """The state before any node ran (what "start from scratch" restores)."""
    return save_snapshot(fresh_engine(spec, execution_id=execution_id, clock=clock))


def run_to_end(eng: Engine, stops: Sequence[str] = ()) -> RunOutcome:
    """Execute ``eng`` to its end, pausing after each node in ``stops`` to snapshot it.

    A failed run is not raised: its error is returned with the partial Result.
    """
    states: dict[str, Snapshot] = {}
    remaining = set(stops)
    error: ExecutionError | None = None
    try:
        while True:
            result = eng.execute(stop_after=sorted(remaining) or None)
            if result.status != "paused":
                break
            done = eng.completed_nodes
            paused_at = done[-1] if done else None
            if paused_at is None or paused_at not in remaining:
                break
            states[paused_at] = save_snapshot(eng)
            remaining.discard(paused_at)
    except ExecutionError as exc:
        error = exc
        if exc.result is None:
            raise
        result = exc.result
    return RunOutcome(result=result, error=error, final=save_snapshot(eng), states=states)


__all__ = [
    "RunOutcome",
    "Workflow",
    "fresh_engine",
    "gc_paused",
    "initial_snapshot",
    "pinned_clock",
    "restored_engine",
    "run_to_end",
    "workflow_of",
]
