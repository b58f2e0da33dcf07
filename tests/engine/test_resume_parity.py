"""Resume parity: pausing at any node, snapshotting and resuming gives the uninterrupted run.

For every successful conformance case that needs no HTTP server, and for seeded random DAGs of
state nodes (variable, counter, accumulator, cache, context, condition, switch), the run is
cut after each node in turn: pause (``stop_after``), save, serialize, deserialize, load,
resume. The resumed run must end in exactly the state of the uninterrupted run (results, final
output, variables, accumulator, counter, cache, context, counters, progress: the final
snapshots are compared field by field, int/float types included), and the node_start events
of both halves together must be the uninterrupted run's (no node runs twice). A sample of cuts
is resumed in a fresh process through ``wfsnap resume``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine import snapshots
from pytest_wfsnap.engine.config_text import config_from_overrides
from pytest_wfsnap.snapshot import diff_snapshots
from tests.engine.support import Starts

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = ROOT / "tests" / "data" / "conformance" / "cases.json"
EXECUTION_ID = "0123456789abcdef"
T0 = datetime(2025, 11, 1, 16, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _succeeding_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [
        case
        for case in cases
        if case["expect"]["error_contains"] is None
        and case["expect"].get("error_phase") is None
        and "fixture" not in case
        and "snapshot" not in case
    ]


CASES = _succeeding_cases()


def _no_sleep(seconds: float) -> None:
    return None


def _engine(
    payload: Any, config: engine.Config, clock: Callable[[], datetime], starts: Starts
) -> Any:
    return engine.new(
        payload,
        config,
        clock=clock,
        seed=7,
        sleep=_no_sleep,
        execution_id=EXECUTION_ID,
        observers=[starts],
    )


def check_every_cut(payload: Any, config: engine.Config, clock: Callable[[], datetime]) -> int:
    """Cut after every node; returns the number of cuts checked."""
    starts = Starts()
    straight = _engine(payload, config, clock, starts)
    expected = straight.execute()
    assert expected.status == "completed"
    final = straight.save_snapshot()
    cuts = straight.completed_nodes
    for cut in cuts:
        halves = Starts()
        first = _engine(payload, config, clock, halves)
        assert first.execute(stop_after=cut).status == "paused"
        data = snapshots.serialize_snapshot(first.save_snapshot())
        restored = snapshots.load_snapshot(
            snapshots.deserialize_snapshot(data),
            config=config,
            clock=clock,
            sleep=_no_sleep,
            observers=[halves],
        )
        result = restored.execute()
        assert result.status == "completed", cut
        assert result.node_results == expected.node_results, cut
        assert result.final_output == expected.final_output, cut
        assert halves.order == starts.order, f"cut after {cut}: nodes ran {halves.order}"
        changes = diff_snapshots(final, restored.save_snapshot())
        assert changes.equal, f"cut after {cut}:\n{changes.to_text()}"
    return len(cuts)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_conformance_case_resumes_identically_from_every_cut(case: dict[str, Any]) -> None:
    config = config_from_overrides(case["config_overrides"])
    check_every_cut(case["payload"], config, lambda: T0)


# --- random DAGs of state nodes --------------------------------------------------------------


def random_workflow(seed: int) -> dict[str, Any]:
    """A random DAG mixing every state node type with conditional routing (deterministic)."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    numbers: list[str] = []  # orphans giving numbers: never skipped
    plain: list[str] = []  # nodes whose result can feed consumers
    branches: list[tuple[str, list[str]]] = []  # (node id, its output handles)
    setters: dict[str, str] = {}
    accumulate = rng.choice(["sum", "array"])

    def add(node_id: str, node_type: str, **data: Any) -> str:
        nodes.append({"id": node_id, "type": node_type, "data": data})
        return node_id

    def feed(target: str) -> None:
        if branches and rng.random() < 0.5:
            source, handles = rng.choice(branches)
            edges.append({"source": source, "target": target, "sourceHandle": rng.choice(handles)})
        else:
            edges.append({"source": rng.choice(numbers + plain), "target": target})

    for i in range(rng.randint(2, 4)):
        numbers.append(add(f"n{i}", "number", value=float(rng.randint(-5, 20))))
    for i in range(rng.randint(8, 16)):
        node_id = f"s{i:02d}"
        kind = rng.choice(
            [
                "operation", "condition", "switch", "set", "get", "counter", "accumulator",
                "cache_set", "cache_get", "context", "visualization",
            ]
        )  # fmt: skip
        if kind == "operation":
            add(node_id, "operation", op=rng.choice(["add", "subtract", "multiply"]))
            for _ in range(2):
                edges.append({"source": rng.choice(numbers), "target": node_id})
            numbers.append(node_id)
            continue
        if kind in ("condition", "switch"):
            if kind == "condition":
                add(node_id, "condition", condition=f">{rng.randint(0, 10)}")
                handles = ["true", "false"]
            else:
                cases = [
                    {"when": ">10", "output_path": "high"},
                    {"when": ">0", "output_path": "mid"},
                    {"is_default": True, "output_path": "low"},
                ]
                add(node_id, "switch", cases=cases)
                handles = ["high", "mid", "low"]
            edges.append({"source": rng.choice(numbers), "target": node_id})
            branches.append((node_id, handles))
            continue
        if kind == "set":
            name = rng.choice(["x", "y", "z"])
            add(node_id, "variable", var_name=name, var_op="set")
            feed(node_id)
            setters[name] = node_id
        elif kind == "get" and setters:
            name = rng.choice(sorted(setters))
            add(node_id, "variable", var_name=name, var_op="get")
            edges.append({"source": setters[name], "target": node_id})
        elif kind == "counter":
            op = rng.choice(["increment", "increment", "decrement", "get", "reset"])
            add(node_id, "counter", counter_op=op, delta=float(rng.randint(1, 3)))
            if rng.random() < 0.7:
                feed(node_id)
        elif kind == "accumulator":  # one global accumulator: one operation per workflow
            add(node_id, "accumulator", accum_op=accumulate)
            if accumulate == "sum":
                edges.append({"source": rng.choice(numbers), "target": node_id})
            else:
                feed(node_id)
        elif kind == "cache_set":
            add(node_id, "cache", cache_op="set", cache_key=rng.choice(["k1", "k2"]), ttl="1h")
            feed(node_id)
        elif kind == "cache_get":
            add(node_id, "cache", cache_op="get", cache_key=rng.choice(["k1", "k2"]))
            if rng.random() < 0.7:
                feed(node_id)
        elif kind == "context":
            node_type = rng.choice(["context_variable", "context_constant"])
            value = {"name": f"c{i}", "value": float(rng.randint(0, 9)), "type": "number"}
            add(node_id, node_type, context_values=[value])
            if rng.random() < 0.5:
                feed(node_id)
        else:
            add(node_id, "visualization", mode="text")
            feed(node_id)
        plain.append(node_id)
    return {"workflow_id": f"random-{seed}", "nodes": nodes, "edges": edges}


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_state_dag_resumes_identically_from_every_cut(seed: int) -> None:
    payload = random_workflow(seed)
    assert check_every_cut(payload, engine.Config(), lambda: T0) >= 6


def test_random_dags_exercise_routing_and_every_state_node() -> None:
    """The generator is worth its name: skips happen and every state node type runs."""
    types: set[str] = set()
    skipped = 0
    for seed in SEEDS:
        eng = engine.new(random_workflow(seed), clock=lambda: T0)
        eng.execute()
        types |= {n.type for n in eng.nodes if n.id in eng.completed_nodes}
        skipped += len(eng.skipped_nodes)
    assert skipped > 20
    assert {"variable", "counter", "accumulator", "cache", "condition", "switch"} <= types
    assert {"context_variable", "context_constant"} <= types


# --- resumed in a fresh process ------------------------------------------------------------------


def test_resume_in_a_fresh_process_through_the_cli(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    jobs: list[tuple[subprocess.Popen[str], Any, Any, Path]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    picker = random.Random(99)
    for seed in (3, 11, 17, 23, 31, 37):
        payload = random_workflow(seed)
        straight = _engine(payload, engine.Config(), lambda: now, Starts())
        expected = straight.execute()
        cut = picker.choice(straight.completed_nodes[:-1])
        first = _engine(payload, engine.Config(), lambda: now, Starts())
        first.execute(stop_after=cut)
        source = tmp_path / f"paused-{seed}.json"
        source.write_bytes(snapshots.serialize_snapshot(first.save_snapshot()))
        out = tmp_path / f"final-{seed}.json"
        command = [sys.executable, "-m", "pytest_wfsnap.cli", "resume", str(source)]
        command += ["--compact", "--snapshot-out", str(out)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=env)  # fmt: skip
        jobs.append((process, expected, straight.save_snapshot(), out))
    for process, expected, final, out in jobs:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        result = json.loads(stdout)
        assert result["status"] == "completed"
        assert result["execution_id"] == EXECUTION_ID
        assert result["node_results"] == json.loads(json.dumps(expected.node_results))
        assert result["final_output"] == expected.final_output
        resumed = snapshots.deserialize_snapshot(out.read_bytes())
        # Nodes that ran in the fresh process saw the real clock: cache entries they set
        # expire an hour after that, the others keep the expiration of the paused run.
        volatile = ["$.snapshot_time", "$.cache.*.expiration"]
        changes = diff_snapshots(final, resumed, ignore_paths=volatile)
        assert changes.equal, changes.to_text()
        for entry in resumed.cache.values():
            assert now + HOUR <= entry.expiration <= now + HOUR + timedelta(minutes=10)
