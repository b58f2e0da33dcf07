"""EngineState export and restore: deep copies, resume from any point, state manager data."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.engine_state import CachedValue
from pytest_wfsnap.engine.registry import NodeContext, Registry
from pytest_wfsnap.errors import ExecutionError

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def make_registry(runs: Counter[str]) -> Registry:
    registry = Registry()

    @registry.executor("const")
    def const(ctx: NodeContext) -> Any:
        runs[ctx.id] += 1
        return ctx.data.get("value")

    @registry.executor("bump")
    def bump(ctx: NodeContext) -> Any:
        runs[ctx.id] += 1
        state = ctx.rt.state
        state.set_counter(state.get_counter() + 1)
        return {
            "seen": list(ctx.inputs),
            "counter": state.get_counter(),
            "draw": ctx.rt.random_for(ctx.id).random(),
        }

    @registry.executor("branch")
    def branch(ctx: NodeContext) -> Any:
        runs[ctx.id] += 1
        return {"path": "left"}

    return registry


PAYLOAD = {
    "workflow_id": "resume-me",
    "nodes": [
        {"id": "a", "type": "const", "data": {"value": [1, {"x": 2}]}},
        {"id": "b", "type": "bump", "data": {}},
        {"id": "br", "type": "branch", "data": {}},
        {"id": "left", "type": "bump", "data": {}},
        {"id": "right", "type": "bump", "data": {}},
        {"id": "c", "type": "bump", "data": {}},
    ],
    "edges": [
        {"source": "a", "target": "b"},
        {"source": "b", "target": "br"},
        {"source": "br", "target": "left", "sourceHandle": "left"},
        {"source": "br", "target": "right", "sourceHandle": "right"},
        {"source": "left", "target": "c"},
    ],
}


def uninterrupted() -> engine.Result:
    return engine.new(PAYLOAD, registry=make_registry(Counter()), seed=5).execute()


@pytest.mark.parametrize("pause_after", ["a", "b", "br", "left", "right"])
def test_resuming_from_a_state_gives_the_uninterrupted_results(pause_after: str) -> None:
    runs: Counter[str] = Counter()
    first = engine.new(PAYLOAD, registry=make_registry(runs), seed=5)
    first.execute(stop_after=pause_after)
    state = first.export_state()
    resumed = engine.Engine.from_state(state, registry=make_registry(runs))
    result = resumed.execute()
    assert result.node_results == uninterrupted().node_results
    assert result.final_output == uninterrupted().final_output
    assert all(count == 1 for count in runs.values()), runs
    assert resumed.execution_id == first.execution_id
    assert resumed.workflow_id == "resume-me"
    assert resumed.node_execution_count == 5
    assert resumed.completed_nodes == ["a", "b", "br", "left", "c"]
    assert resumed.skipped_nodes == ["right"]


def test_state_fields_describe_the_run() -> None:
    eng = engine.new(PAYLOAD, registry=make_registry(Counter()), seed=9)
    eng.execute(stop_after="right")  # right is skipped, so the run completes
    state = eng.export_state()
    assert state.status == "completed"
    assert state.current_level == 6
    assert state.completed_nodes == ["a", "b", "br", "left", "c"]
    assert state.skipped_nodes == ["right"]
    assert state.random_seed == 9
    assert state.counter == 3.0
    assert state.nodes[0] == {"id": "a", "type": "const", "data": {"value": [1.0, {"x": 2.0}]}}
    assert state.edges[2] == {"id": "", "source": "br", "target": "left", "sourceHandle": "left"}
    paused = engine.new(PAYLOAD, registry=make_registry(Counter()))
    paused.execute(stop_after="b")
    state = paused.export_state()
    assert (state.status, state.current_level, state.failed_node) == ("paused", 2, None)


def test_exported_state_is_a_deep_copy() -> None:
    eng = engine.new(PAYLOAD, registry=make_registry(Counter()))
    eng.execute(stop_after="a")
    state = eng.export_state()
    state.results["a"][1]["x"] = "changed"
    state.nodes[0]["data"]["value"].append("changed")
    assert eng.results["a"] == [1.0, {"x": 2.0}]
    assert eng.nodes[0].data == {"value": [1.0, {"x": 2.0}]}
    eng.execute()
    assert set(state.results) == {"a"} and state.completed_nodes == ["a"]


def test_state_manager_data_round_trips_and_expired_cache_is_dropped() -> None:
    clock = Clock()
    eng = engine.new({"nodes": []}, clock=clock)
    manager = eng.state
    manager.set_variable("v", {"k": [1]})
    manager.set_accumulator([1, 2])
    manager.set_counter(4.0)
    manager.cache_set("fresh", "f", timedelta(minutes=10))
    manager.cache_set("stale", "s", timedelta(minutes=1))
    manager.set_context_const("c", "const")
    manager.set_context_var("c", "var")
    state = eng.export_state()
    assert state.cache["fresh"] == CachedValue("f", T0 + timedelta(minutes=10))

    later = Clock()
    later.now = T0 + timedelta(minutes=5)
    restored = engine.Engine.from_state(state, clock=later)
    rm = restored.state
    assert rm.variables() == {"v": {"k": [1]}}
    assert rm.get_accumulator() == [1, 2] and rm.get_counter() == 4.0
    assert rm.cache_get("fresh") == (True, "f")
    assert rm.cache_get("stale") == (False, None)
    assert set(rm.cache_entries()) == {"fresh"}
    assert rm.cache_entries()["fresh"].expiration == T0 + timedelta(minutes=10)
    assert rm.context_vars() == {"c": "var"} and rm.context_consts() == {"c": "const"}
    assert rm.context_view["c"] == "var"


def test_states_written_by_other_tools_resume() -> None:
    """A Go snapshot lists completed nodes in random order and current_level 0."""
    runs: Counter[str] = Counter()
    done = engine.new(PAYLOAD, registry=make_registry(runs), seed=1)
    done.execute()
    state = done.export_state()
    state = dataclasses.replace(
        state,
        completed_nodes=["c", "a", "left"],
        skipped_nodes=[],
        current_level=0,
        status="running",
    )
    restored = engine.Engine.from_state(state, registry=make_registry(runs))
    assert restored.status == "paused"
    assert restored.completed_nodes == ["c", "a", "left", "b", "br"]
    result = restored.execute()
    assert "right" not in result.node_results
    assert result.final_output == state.results["c"]
    assert sum(runs.values()) == 5


def test_from_state_can_replace_the_config_and_options() -> None:
    eng = engine.new(PAYLOAD, registry=make_registry(Counter()))
    eng.execute(stop_after="a")
    state = eng.export_state()
    strict = Config(max_node_executions=2)
    events: list[Any] = []
    restored = engine.Engine.from_state(
        state, registry=make_registry(Counter()), config=strict, observers=[events.append]
    )
    assert restored.config is strict
    with pytest.raises(ExecutionError, match="maximum node executions exceeded: 3"):
        restored.execute()
    assert restored.node_execution_count == 3
    assert [e.type for e in events][:2] == ["workflow_start", "node_start"]
