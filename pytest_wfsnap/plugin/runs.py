"""The plugin's only contact with the engine: build, restore, run to the end, take snapshots.

Every run made by the plugin uses the test's deterministic execution id, the spec's seed and a
clock pinned to the golden's recording time, so a recording is reproducible and a replay sees
the same "now" (cache TTLs are judged against the recorded clock). The run deadline still uses
the real monotonic clock.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
from pytest_wfsnap.snapshot.document import SnapshotDoc
from pytest_wfsnap.snapshot.model import format_time, to_utc
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

_CACHED_WORKFLOWS = 8


def pinned_clock(at: datetime) -> Clock:
    """A clock that always reads ``at`` (the recording time)."""

    def clock() -> datetime:
        return at

    return clock


class RunOutcome:
    """A finished (or failed) run: its Result, the error if it failed, and its snapshots.

    ``final``, the snapshot of the ended run, is taken when first asked for (the run has
    ended: nothing changes the engine any more, so it is the same state whenever it is
    taken); a replay that finds the run identical to the recording never needs it (see
    :func:`final_view`)."""

    __slots__ = ("_final", "engine", "error", "result", "states")

    def __init__(
        self,
        result: Result,
        error: ExecutionError | None,
        engine: Engine,
        states: dict[str, Snapshot] | None = None,
    ) -> None:
        self.result = result
        self.error = error
        self.engine = engine
        self.states: dict[str, Snapshot] = {} if states is None else states
        self._final: Snapshot | None = None

    @property
    def final(self) -> Snapshot:
        """The snapshot of the ended run (a deep copy of its state, taken once)."""
        if self._final is None:
            self._final = save_snapshot(self.engine)
        return self._final

    @property
    def final_taken(self) -> bool:
        """True once :attr:`final` was taken."""
        return self._final is not None


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
    return RunOutcome(result, error, eng, states)


# Document fields that are never compared on replay (volatile values, the definition, the
# config, the HTTP recordings: see ``compare.ALWAYS_IGNORED``): final_view() leaves them out.
NEVER_COMPARED = frozenset(
    {
        "snapshot_time",
        "execution_id",
        "random_seed",
        "workflow_id",
        "nodes",
        "edges",
        "config",
        "http_recordings",
    }
)


def _cache_view(eng: Engine) -> dict[str, Any]:
    return {
        key: {
            "value": entry.value,
            "expiration": format_time(
                to_utc(entry.expiration, what=f"cache entry {key!r} expiration")
            ),
        }
        for key, entry in eng.state.cache_entries().items()
    }


def _current_level(eng: Engine, results: Mapping[str, Any], skipped: list[str]) -> int:
    """The nodes decided so far (with a result, or skipped), as the engine exports it."""
    foreign = eng._foreign_results
    if foreign is None:  # results whose id is no node id (a restored state may hold some)
        foreign = len(results) - sum(map(results.__contains__, (n.id for n in eng.payload.nodes)))
    return len(results) - foreign + len(skipped)


def final_view(eng: Engine) -> dict[str, Any] | None:
    """The compared part of the snapshot document of an ended run, read from the engine
    itself: the same keys and values as ``snapshot_to_document(save_snapshot(eng))`` less the
    fields in :data:`NEVER_COMPARED`, but sharing the engine's values instead of copying them.

    Only for a run that has ended and that nothing changes any more, read before anything
    else touches the engine (the values are the engine's own: they must not be changed).
    ``None`` when a node is still in flight, or when the snapshot format has a field this
    view does not know (then the snapshot must be taken)."""
    if eng._current is not None or eng.status == "running":
        return None
    state = eng.state
    results = eng._results
    skipped = eng.skipped_nodes
    view: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "results": results,
        "completed_nodes": eng.completed_nodes,
        "skipped_nodes": skipped,
        "current_level": _current_level(eng, results, skipped),
        "failed_node": eng._failed_node,
        "status": eng.status,
        "variables": dict(state.variables_view),
        "accumulator": state.get_accumulator(),
        "counter": float(state.get_counter()),
        "cache": _cache_view(eng),
        "context_vars": state.context_vars(),
        "context_consts": state.context_consts(),
        "node_execution_count": eng.node_execution_count,
        "http_call_count": eng.http_call_count,
    }
    pending = getattr(eng, "pending_nodes", None)  # snapshot formats storing the nodes left
    if "pending_nodes" in SnapshotDoc.__struct_fields__ and callable(pending):
        view["pending_nodes"] = pending()
    if not set(SnapshotDoc.__struct_fields__) <= NEVER_COMPARED | view.keys():
        return None
    return view


__all__ = [
    "NEVER_COMPARED",
    "RunOutcome",
    "Workflow",
    "final_view",
    "fresh_engine",
    "initial_snapshot",
    "pinned_clock",
    "restored_engine",
    "run_to_end",
    "workflow_of",
]
