"""Protection limits: value validation, variables, node and HTTP counters, the run deadline."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.limits import validate_value, value_depth
from pytest_wfsnap.engine.registry import NodeContext, Registry
from pytest_wfsnap.errors import ExecutionError, WorkflowTimeoutError

LIMITS = Config(max_string_length=10, max_array_length=3, max_context_depth=3)


def nested(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = {"level": value}
    return value


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, None),
        ("x" * 10, None),
        ("x" * 11, "string too long: 11 bytes (limit: 10)"),
        ("é" * 6, "string too long: 12 bytes (limit: 10)"),
        ([1, 2, 3], None),
        ([1, 2, 3, 4], "array too large: 4 elements (limit: 3)"),
        (["ok", "x" * 20], "array element 1: string too long: 20 bytes (limit: 10)"),
        (
            [[1, [1, 2, 3, 4]]],
            "array element 0: array element 1: array too large: 4 elements (limit: 3)",
        ),
        ({"long": "x" * 20}, None),
        (nested(2), None),
        (nested(3), "value too deeply nested: 4 levels (limit: 3)"),
        ([[["deep"]]], "value too deeply nested: 4 levels (limit: 3)"),
        ([1, [[["deep"]]]], "array element 1: value too deeply nested: 4 levels (limit: 3)"),
    ],
)
def test_validate_value(value: Any, reason: str | None) -> None:
    assert validate_value(value, LIMITS) == reason


def test_zero_limits_disable_validation() -> None:
    off = Config(max_string_length=0, max_array_length=0, max_context_depth=0)
    assert validate_value(["x" * 100] * 100, off) is None
    assert validate_value(nested(50), off) is None


@pytest.mark.parametrize(
    ("value", "depth"),
    [
        (None, 0),
        (5, 1),
        ({}, 0),
        ([], 0),
        ({"a": None}, 1),
        ({"a": 1}, 2),
        ([[], [1]], 3),
        (nested(10), 11),
    ],
)
def test_value_depth(value: Any, depth: int) -> None:
    assert value_depth(value) == depth


def run(
    nodes: list[tuple[str, str, Any]], config: Config, registry: Registry, **options: Any
) -> engine.Engine:
    links = [(nodes[i][0], nodes[i + 1][0]) for i in range(len(nodes) - 1)]
    eng = engine.new(
        {
            "nodes": [{"id": i, "type": t, "data": d} for i, t, d in nodes],
            "edges": [{"source": s, "target": t} for s, t in links],
        },
        config,
        registry,
        **options,
    )
    return eng


def make_registry() -> Registry:
    registry = Registry()

    @registry.executor("const")
    def const(ctx: NodeContext) -> Any:
        return ctx.data.get("value")

    @registry.executor("setvar")
    def setvar(ctx: NodeContext) -> Any:
        ctx.rt.set_variable(ctx.data["name"], ctx.inputs[0] if ctx.inputs else None)
        return None

    @registry.executor("call")
    def call(ctx: NodeContext) -> Any:
        ctx.rt.count_http_call()
        return "ok"

    @registry.executor("nap")
    def nap(ctx: NodeContext) -> Any:
        ctx.rt.sleep(ctx.data["seconds"])
        return "rested"

    return registry


def failure(eng: engine.Engine) -> ExecutionError:
    with pytest.raises(ExecutionError) as raised:
        eng.execute()
    return raised.value


def test_set_variable_validates_values_and_counts_new_names() -> None:
    registry = make_registry()
    nodes: list[tuple[str, str, Any]] = [
        ("v", "const", {"value": "x" * 20}),
        ("s", "setvar", {"name": "a"}),
    ]
    error = failure(run(nodes, Config(max_string_length=5), registry))
    assert str(error) == (
        "error executing node s: variable validation failed: string too long: 20 bytes (limit: 5)"
    )

    nodes = [
        ("n", "const", {"value": 1}),
        ("a", "setvar", {"name": "a"}),
        ("a2", "setvar", {"name": "a"}),
        ("b", "setvar", {"name": "b"}),
    ]
    eng = run(nodes, Config(max_variables=1), registry)
    error = failure(eng)
    assert str(error) == "error executing node b: maximum variables exceeded: 1 (limit: 1)"
    assert eng.state.variables() == {"a": None}
    run(nodes, Config(max_variables=0), registry).execute()


def test_node_execution_limit_counts_the_failing_node() -> None:
    registry = make_registry()
    nodes = [(f"n{i}", "const", {"value": i}) for i in range(5)]
    eng = run(nodes, Config(max_node_executions=3), registry)
    error = failure(eng)
    assert str(error) == "error executing node n3: maximum node executions exceeded: 4 (limit: 3)"
    assert eng.node_execution_count == 4
    assert error.result is not None and set(error.result.node_results) == {"n0", "n1", "n2"}
    unlimited = run(nodes, Config(max_node_executions=0), registry)
    assert unlimited.execute().status == "completed" and unlimited.node_execution_count == 5


def test_http_call_limit() -> None:
    registry = make_registry()
    nodes: list[tuple[str, str, Any]] = [(f"h{i}", "call", {}) for i in range(4)]
    eng = run(nodes, Config(max_http_calls_per_exec=2), registry)
    assert str(failure(eng)) == (
        "error executing node h2: maximum HTTP calls per execution exceeded: 3 (limit: 2)"
    )
    assert eng.http_call_count == 3
    unlimited = run(nodes, Config(max_http_calls_per_exec=0), registry)
    unlimited.execute()
    assert unlimited.http_call_count == 4


@pytest.mark.parametrize(("limit", "text"), [(timedelta(0), "0s"), (timedelta(seconds=-1), "-1s")])
def test_a_non_positive_time_limit_times_out_at_once(limit: timedelta, text: str) -> None:
    registry = make_registry()
    eng = run([("a", "const", {"value": 1})], Config(max_execution_time=limit), registry)
    with pytest.raises(WorkflowTimeoutError) as raised:
        eng.execute()
    assert str(raised.value) == f"workflow execution timeout: exceeded {text}"
    assert raised.value.result is not None and raised.value.result.node_results == {}
    assert eng.node_execution_count == 0


class FakeTime:
    """A timer and sleeper that advance together, without real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def timer(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_sleep_stops_at_the_deadline() -> None:
    fake = FakeTime()
    nodes = [("a", "const", {"value": 1}), ("z", "nap", {"seconds": 10.0}), ("b", "const", {})]
    eng = run(
        nodes,
        Config(max_execution_time=timedelta(milliseconds=100)),
        make_registry(),
        timer=fake.timer,
        sleep=fake.sleep,
    )
    with pytest.raises(WorkflowTimeoutError) as raised:
        eng.execute()
    assert str(raised.value) == "workflow execution timeout: exceeded 100ms"
    assert fake.slept == [pytest.approx(0.1)]
    assert raised.value.node_id == "z"
    assert raised.value.result is not None and raised.value.result.node_results == {"a": 1}
    assert eng.status == "failed"


def test_sleep_within_the_deadline_completes() -> None:
    fake = FakeTime()
    nodes = [("z", "nap", {"seconds": 2.0})]
    eng = run(nodes, Config(), make_registry(), timer=fake.timer, sleep=fake.sleep)
    assert eng.execute().node_results == {"z": "rested"}
    assert fake.slept == [2.0]


def test_the_deadline_is_checked_between_nodes() -> None:
    fake = FakeTime()
    registry = make_registry()

    @registry.executor("slow")
    def slow(ctx: NodeContext) -> Any:
        fake.now += 5  # work that takes five seconds
        return "slow"

    nodes: list[tuple[str, str, Any]] = [("a", "slow", {}), ("b", "slow", {}), ("c", "slow", {})]
    eng = run(nodes, Config(max_execution_time=timedelta(seconds=8)), registry, timer=fake.timer)
    with pytest.raises(WorkflowTimeoutError) as raised:
        eng.execute()
    assert raised.value.result is not None
    assert set(raised.value.result.node_results) == {"a", "b"}
    assert raised.value.node_id is None


def test_oversized_results_are_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    registry = make_registry()
    with caplog.at_level(logging.WARNING, logger="pytest_wfsnap.engine"):
        result = run(
            [("big", "const", {"value": "x" * 50})], Config(max_string_length=10), registry
        ).execute()
    assert result.node_results["big"] == "x" * 50
    assert (
        "result of node big exceeds a limit: string too long: 50 bytes (limit: 10)" in caplog.text
    )


def test_oversized_array_results_are_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pytest_wfsnap.engine"):
        many = run([("many", "const", {"value": [1, 2, 3, 4]})], LIMITS, make_registry()).execute()
    assert many.node_results["many"] == [1, 2, 3, 4]
    assert "result of node many exceeds a limit: array too large: 4 elements (limit: 3)" in (
        caplog.text
    )
