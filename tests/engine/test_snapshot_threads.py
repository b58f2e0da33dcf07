"""Snapshots taken from many threads while a run progresses are consistent (ENGINE.md A3)."""

from __future__ import annotations

import threading
import time
from typing import Any

from pytest_wfsnap import engine
from pytest_wfsnap.engine import snapshots
from pytest_wfsnap.engine.registry import NodeContext
from pytest_wfsnap.snapshot import Snapshot

ROUNDS = 10
SNAPSHOTTERS = 8
WANTED_DURING_GATE = 40
KEEP_PER_THREAD = 150


def workflow() -> dict[str, Any]:
    """start -> (slow_i -> cnt_i -> var_i -> acc_i) x ROUNDS, acc_i also fed by start."""
    nodes: list[dict[str, Any]] = [{"id": "start", "data": {"value": 1}}]
    edges: list[dict[str, Any]] = []
    previous = "start"
    for i in range(ROUNDS):
        nodes += [
            {"id": f"slow{i}", "type": "slow", "data": {}},
            {"id": f"cnt{i}", "type": "counter", "data": {"counter_op": "increment"}},
            {"id": f"var{i}", "type": "variable", "data": {"var_name": f"v{i}", "var_op": "set"}},
            {"id": f"acc{i}", "type": "accumulator", "data": {"accum_op": "sum"}},
        ]
        edges += [
            {"source": previous, "target": f"slow{i}"},
            {"source": f"slow{i}", "target": f"cnt{i}"},
            {"source": f"cnt{i}", "target": f"var{i}"},
            {"source": "start", "target": f"acc{i}"},
            {"source": f"var{i}", "target": f"acc{i}"},
        ]
        previous = f"var{i}"
    return {"workflow_id": "threads", "nodes": nodes, "edges": edges}


def registry(gate: threading.Event) -> engine.Registry:
    reg = engine.default_registry()

    @reg.executor("slow")
    def slow(ctx: NodeContext) -> Any:
        # Waits through rt.sleep (which lets snapshots be taken meanwhile), then changes state.
        if ctx.id == "slow0":
            give_up = time.monotonic() + 10
            while not gate.is_set() and time.monotonic() < give_up:
                ctx.rt.sleep(0.001)
        else:
            ctx.rt.sleep(0.002)
        ctx.rt.set_variable(ctx.id, len(ctx.rt.results))
        return ctx.inputs[0]

    return reg


def check_consistent(snap: Snapshot, order: list[str]) -> None:
    done = snap.completed_nodes
    assert list(snap.results) == done
    assert done == order[: len(done)], "completed nodes are a prefix of the execution order"
    assert snap.current_level == len(done)
    # Counters are those of the last node boundary, even when a node was caught waiting in
    # rt.sleep: it has no result yet and will run (and be counted) again on resume.
    assert snap.node_execution_count == len(done)
    completed = set(done)
    expected_vars: dict[str, Any] = {}
    for node_id in done:
        if node_id.startswith("slow"):
            expected_vars[node_id] = snap.variables.get(node_id)
        elif node_id.startswith("var"):
            expected_vars[f"v{node_id[3:]}"] = snap.results[node_id]["value"]
    assert snap.variables == expected_vars, "no variable without its node's result"
    counters = sum(1 for node_id in completed if node_id.startswith("cnt"))
    assert snap.counter == counters
    sums = sum(1 for node_id in completed if node_id.startswith("acc"))
    assert snap.accumulator == (float(sums) if sums else None)


def test_concurrent_snapshots_are_consistent_and_resumable() -> None:
    gate = threading.Event()
    eng = engine.new(workflow(), registry=registry(gate))
    order = _straight_order()
    finished = threading.Event()
    taken: list[list[Snapshot]] = [[] for _ in range(SNAPSHOTTERS)]
    errors: list[BaseException] = []
    count = [0]
    count_lock = threading.Lock()

    def snapshotter(mine: list[Snapshot]) -> None:
        try:
            while not finished.is_set():
                snap = eng.save_snapshot()
                if len(mine) < KEEP_PER_THREAD:
                    mine.append(snap)
                if eng.running_node == "slow0":  # snapshots while slow0 waits
                    with count_lock:
                        count[0] += 1
                        if count[0] >= WANTED_DURING_GATE:
                            gate.set()
                time.sleep(0)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            gate.set()

    threads = [threading.Thread(target=snapshotter, args=(mine,)) for mine in taken]
    for thread in threads:
        thread.start()
    try:
        result = eng.execute()
    finally:
        finished.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    assert result.status == "completed" and len(result.node_results) == 1 + 4 * ROUNDS
    everything = [snap for mine in taken for snap in mine]
    assert count[0] >= WANTED_DURING_GATE  # snapshots taken while slow0 was waiting
    progress = {len(snap.completed_nodes) for snap in everything}
    assert len(progress) > 3, "snapshots were taken at several moments of the run"
    for snap in everything:
        check_consistent(snap, order)
    # Every snapshot resumes to the uninterrupted results (a sample, through bytes).
    for snap in everything[:: max(len(everything) // 12, 1)]:
        data = snapshots.serialize_snapshot(snap)
        resumed = snapshots.execute_from_snapshot(
            snapshots.deserialize_snapshot(data), registry(_open_gate())
        )
        assert resumed.node_results == result.node_results


def _open_gate() -> threading.Event:
    gate = threading.Event()
    gate.set()
    return gate


def _straight_order() -> list[str]:
    eng = engine.new(workflow(), registry=registry(_open_gate()))
    eng.execute()
    return eng.completed_nodes
