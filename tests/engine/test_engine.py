"""The run loop: inputs, skips, errors, pause/resume, observers, runtime services, results."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.observers import Event
from pytest_wfsnap.engine.registry import NodeContext, Registry
from pytest_wfsnap.errors import ConfigError, ExecutionError, GraphError, NodeError


class Calls:
    """A registry of small test executors that counts how often each node ran."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.registry = Registry()
        reg = self.registry.executor

        @reg("const")
        def const(ctx: NodeContext) -> Any:
            self.count[ctx.id] += 1
            return ctx.data.get("value")

        @reg("collect")
        def collect(ctx: NodeContext) -> Any:
            self.count[ctx.id] += 1
            return list(ctx.inputs)

        @reg("branch")
        def branch(ctx: NodeContext) -> Any:
            self.count[ctx.id] += 1
            met = bool(ctx.inputs and ctx.inputs[0])
            return {"value": ctx.inputs[0], "condition_met": met, "path": str(met).lower()}

        @reg("fail")
        def fail(ctx: NodeContext) -> Any:
            self.count[ctx.id] += 1
            raise NodeError(ctx.data.get("message", "boom"))

        @reg("crash")
        def crash(ctx: NodeContext) -> Any:
            self.count[ctx.id] += 1
            return 1 / 0


def payload(nodes: list[tuple[str, str, Any]], links: list[tuple[str, ...]]) -> dict[str, Any]:
    return {
        "workflow_id": "wf",
        "nodes": [{"id": i, "type": t, "data": d} for i, t, d in nodes],
        "edges": [
            {
                "source": link[0],
                "target": link[1],
                **({"sourceHandle": link[2]} if len(link) > 2 else {}),
            }
            for link in links
        ],
    }


CHAIN = payload(
    [("a", "const", {"value": 1}), ("b", "collect", {}), ("c", "collect", {})],
    [("a", "b"), ("b", "c")],
)


@pytest.fixture
def calls() -> Calls:
    return Calls()


def test_inputs_follow_edge_order_with_duplicates(calls: Calls) -> None:
    eng = engine.new(
        payload(
            [("x", "const", {"value": "x"}), ("y", "const", {"value": None}), ("t", "collect", {})],
            [("y", "t"), ("x", "t"), ("y", "t")],
        ),
        registry=calls.registry,
    )
    result = eng.execute()
    assert result.node_results == {"x": "x", "y": None, "t": [None, "x", None]}
    assert result.final_output == [None, "x", None]
    assert result.status == "completed" and result.errors == []
    assert re.fullmatch("[0-9a-f]{16}", result.execution_id)
    assert result.workflow_id == "wf"


def test_conditional_edges_skip_and_skips_propagate(calls: Calls) -> None:
    eng = engine.new(
        payload(
            [
                ("n", "const", {"value": True}),
                ("c", "branch", {}),
                ("yes", "collect", {}),
                ("no", "collect", {}),
                ("after_no", "collect", {}),
            ],
            [("n", "c"), ("c", "yes", "true"), ("c", "no", "false"), ("no", "after_no")],
        ),
        registry=calls.registry,
    )
    result = eng.execute()
    assert set(result.node_results) == {"n", "c", "yes"}
    assert eng.skipped_nodes == ["no", "after_no"]
    assert eng.node_execution_count == 3
    assert result.final_output == [{"value": True, "condition_met": True, "path": "true"}]


def test_node_failure_wraps_the_message_and_keeps_partial_results(calls: Calls) -> None:
    eng = engine.new(
        payload(
            [
                ("a", "const", {"value": 1}),
                ("b", "fail", {"message": "bad input"}),
                ("c", "collect", {}),
            ],
            [("a", "b"), ("b", "c")],
        ),
        registry=calls.registry,
    )
    with pytest.raises(ExecutionError) as raised:
        eng.execute()
    error = raised.value
    assert str(error) == "error executing node b: bad input"
    assert error.node_id == "b"
    assert error.result is not None
    assert error.result.status == "failed"
    assert error.result.node_results == {"a": 1}
    assert error.result.errors == ["error executing node b: bad input"]
    assert error.result.final_output is None
    assert eng.status == "failed"
    assert eng.node_execution_count == 2
    assert calls.count["c"] == 0


def test_unexpected_exceptions_become_node_errors(calls: Calls) -> None:
    eng = engine.new(payload([("z", "crash", {})], []), registry=calls.registry)
    with pytest.raises(ExecutionError) as raised:
        eng.execute()
    assert str(raised.value) == (
        "error executing node z: unexpected ZeroDivisionError in crash executor: division by zero"
    )
    assert isinstance(raised.value.__cause__, ZeroDivisionError)


def test_missing_executor_and_missing_data(calls: Calls) -> None:
    class Numberish(Executor):
        node_type = "numberish"
        data_struct = "NumberishData"

        def run(
            self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec
        ) -> Any:
            return params

    calls.registry.register(Numberish)
    eng = engine.new({"nodes": [{"id": "x", "type": "numberish"}]}, registry=calls.registry)
    with pytest.raises(
        ExecutionError, match=r"^error executing node x: expected NumberishData, got <nil>$"
    ):
        eng.execute()
    eng = engine.new({"nodes": [{"id": "x", "data": {"nothing": 1}}]}, registry=calls.registry)
    with pytest.raises(ExecutionError) as raised:
        eng.execute()
    assert str(raised.value) == "error executing node x: no executor registered for type: "
    assert eng.node_execution_count == 1


def test_graph_errors_are_not_wrapped(calls: Calls) -> None:
    eng = engine.new(payload([("a", "const", {})], [("a", "a")]), registry=calls.registry)
    with pytest.raises(GraphError) as raised:
        eng.execute()
    assert str(raised.value) == "workflow contains cycles (circular dependencies)"
    assert raised.value.result is not None and raised.value.result.status == "failed"
    eng = engine.new(payload([("a", "const", {})], [("a", "ghost")]), registry=calls.registry)
    with pytest.raises(GraphError, match="ghost"):
        eng.execute()


def test_stop_after_pauses_and_execute_resumes_without_rerunning(calls: Calls) -> None:
    eng = engine.new(CHAIN, registry=calls.registry)
    paused = eng.execute(stop_after="b")
    assert paused.status == "paused" and eng.status == "paused"
    assert paused.node_results == {"a": 1, "b": [1]}
    assert eng.node_execution_count == 2
    done = eng.execute()
    assert done.status == "completed"
    assert done.node_results == {"a": 1, "b": [1], "c": [[1]]}
    assert calls.count == Counter({"a": 1, "b": 1, "c": 1})
    assert eng.node_execution_count == 3
    assert eng.completed_nodes == ["a", "b", "c"]
    again = eng.execute()
    assert again.node_results == done.node_results
    assert eng.node_execution_count == 3


def test_stop_before_pauses_before_the_node_runs(calls: Calls) -> None:
    eng = engine.new(CHAIN, registry=calls.registry)
    paused = eng.execute(stop_before=["c"])
    assert paused.status == "paused"
    assert "c" not in paused.node_results and calls.count["c"] == 0
    assert eng.execute().node_results["c"] == [[1]]


def test_unknown_stop_nodes_are_rejected(calls: Calls) -> None:
    eng = engine.new(CHAIN, registry=calls.registry)
    with pytest.raises(ConfigError, match="stop_after names unknown node"):
        eng.execute(stop_after="nope")


def test_a_failed_node_runs_again_on_the_next_execute(calls: Calls) -> None:
    attempts = Counter[str]()

    @calls.registry.executor("flaky")
    def flaky(ctx: NodeContext) -> Any:
        attempts[ctx.id] += 1
        if attempts[ctx.id] == 1:
            raise NodeError("temporary")
        return "ok"

    eng = engine.new(
        payload(
            [("a", "const", {"value": 1}), ("f", "flaky", {}), ("c", "collect", {})],
            [("a", "f"), ("f", "c")],
        ),
        registry=calls.registry,
    )
    with pytest.raises(ExecutionError):
        eng.execute()
    assert eng.export_state().failed_node == "f"
    result = eng.execute()
    assert eng.export_state().failed_node is None
    assert result.node_results == {"a": 1, "f": "ok", "c": ["ok"]}
    assert calls.count["a"] == 1 and attempts["f"] == 2
    assert eng.node_execution_count == 4


def test_observers_see_every_event_and_cannot_break_the_run(calls: Calls) -> None:
    events: list[Event] = []

    def broken(event: Event) -> None:
        raise RuntimeError("observer bug")

    eng = engine.new(
        payload([("a", "const", {"value": 2}), ("b", "fail", {})], [("a", "b")]),
        registry=calls.registry,
        observers=[broken, events.append],
    )
    with pytest.raises(ExecutionError):
        eng.execute()
    kinds = [(e.type, e.node_id) for e in events]
    assert kinds == [
        ("workflow_start", None),
        ("node_start", "a"),
        ("node_success", "a"),
        ("node_start", "b"),
        ("node_failure", "b"),
        ("workflow_end", None),
    ]
    assert events[2].result == 2
    assert events[4].error == "boom"
    assert events[-1].status == "failed"
    assert all(e.execution_id == eng.execution_id for e in events)


def test_runtime_services(calls: Calls) -> None:
    seen: dict[str, Any] = {}
    fixed = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    @calls.registry.executor("probe")
    def probe(ctx: NodeContext) -> Any:
        rt = ctx.rt
        rt.set_variable("v", 7.0)
        context = rt.expr_context({"item": 1})
        seen["node_results"] = dict(context.node_results)
        seen["variables"] = dict(context.variables)
        shadowed = rt.expr_context({"v": "shadow"}).variables
        seen["shadowed"] = (shadowed["v"], len(shadowed), "v" in shadowed, list(shadowed))
        seen["live"] = rt.results is rt.results
        seen["now"] = rt.now()
        seen["draw"] = rt.random_for("probe").random()
        return None

    eng = engine.new(
        payload([("a", "const", {"value": 1}), ("p", "probe", {})], [("a", "p")]),
        registry=calls.registry,
        clock=lambda: fixed,
        seed=42,
    )
    eng.execute()
    assert seen["node_results"] == {"a": 1}
    assert seen["variables"] == {"item": 1, "v": 7.0}
    assert seen["shadowed"] == ("shadow", 1, True, ["v"])
    assert seen["now"] == fixed
    assert eng.state.get_variable("v") == 7.0
    other = engine.new(CHAIN, registry=calls.registry, seed=42)
    assert other.random_for("probe").random() == seen["draw"]
    assert other.random_for("other").random() != seen["draw"]
    assert (
        engine.new(CHAIN, seed=43, registry=calls.registry).random_for("probe").random()
        != seen["draw"]
    )


def test_replay_results_stand_in_for_http_nodes(calls: Calls) -> None:
    @calls.registry.executor("http")
    def no_network(ctx: NodeContext) -> Any:
        raise AssertionError("the network must not be used during replay")

    eng = engine.new(
        payload([("h", "http", {"url": "http://example.com"}), ("c", "collect", {})], [("h", "c")]),
        registry=calls.registry,
        replay_results={"h": {"body": [1, 2]}},
    )
    result = eng.execute()
    assert result.node_results == {"h": {"body": [1, 2]}, "c": [{"body": [1, 2]}]}
    assert eng.http_call_count == 1
    assert eng.export_state().http_recordings == {"h": {"body": [1, 2]}}


def test_http_results_are_recorded_for_replay(calls: Calls) -> None:
    @calls.registry.executor("http")
    def fake_http(ctx: NodeContext) -> Any:
        ctx.rt.count_http_call()
        return "body"

    eng = engine.new(payload([("h", "http", {"url": "u"})], []), registry=calls.registry)
    eng.execute()
    state = eng.export_state()
    assert state.http_recordings == {"h": "body"} and state.http_call_count == 1
    replay = engine.new(
        payload([("h", "http", {"url": "u"})], []),
        registry=Calls().registry,
        replay_results=state.http_recordings,
    )
    assert replay.execute().node_results == {"h": "body"}


def test_result_json_is_go_style() -> None:
    result = engine.Result(
        execution_id="0123456789abcdef",
        node_results={"b": 15.0, "a": {"z": 1, "y": "<&>"}},
        final_output=0.5,
    )
    assert result.to_json() == (
        '{"execution_id":"0123456789abcdef","node_results":{"a":{"y":"\\u003c\\u0026\\u003e",'
        '"z":1},"b":15},"final_output":0.5,"status":"completed"}'
    )
    failed = engine.Result(execution_id="x", workflow_id="w", errors=["e"], status="failed")
    pretty = failed.to_json(indent=True)
    assert json.loads(pretty) == {
        "execution_id": "x",
        "workflow_id": "w",
        "node_results": {},
        "final_output": None,
        "errors": ["e"],
        "status": "failed",
    }
    assert pretty.splitlines()[1] == '  "execution_id": "x",'


def test_export_state_from_another_thread_during_sleep_is_consistent(calls: Calls) -> None:
    taken: list[Any] = []

    def sleeper(seconds: float) -> None:
        worker = threading.Thread(target=lambda: taken.append(eng.export_state()))
        worker.start()
        worker.join()  # would deadlock if rt.sleep kept the run lock

    @calls.registry.executor("nap")
    def nap(ctx: NodeContext) -> Any:
        ctx.rt.sleep(0.5)
        return "rested"

    eng = engine.new(
        payload([("a", "const", {"value": 1}), ("n", "nap", {})], [("a", "n")]),
        registry=calls.registry,
        sleep=sleeper,
    )
    assert eng.execute().node_results["n"] == "rested"
    (state,) = taken
    assert state.results == {"a": 1} and state.completed_nodes == ["a"]
    # n is in flight: the snapshot's counters are those of the last node boundary, so a
    # resume that re-runs n counts it once, not twice.
    assert state.node_execution_count == 1


def test_export_state_waits_for_the_running_node_to_commit(calls: Calls) -> None:
    taken: list[Any] = []
    workers: list[threading.Thread] = []

    @calls.registry.executor("spawn")
    def spawn(ctx: NodeContext) -> Any:
        worker = threading.Thread(target=lambda: taken.append(eng.export_state()))
        workers.append(worker)
        worker.start()
        return "done"

    eng = engine.new(payload([("s", "spawn", {})], []), registry=calls.registry)
    eng.execute()
    workers[0].join()
    (state,) = taken
    assert state.results == {"s": "done"} and state.completed_nodes == ["s"]
