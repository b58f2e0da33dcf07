"""variable, accumulator, counter and cache: the run's shared state."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.nodes.state_nodes import (
    AccumulatorExecutor,
    CacheExecutor,
    CounterExecutor,
    VariableExecutor,
)
from pytest_wfsnap.errors import LimitError, NodeError
from tests.engine.nodes.fakes import FakeRuntime, run

# --- variable ---------------------------------------------------------------------------------


def test_variable_set_then_get() -> None:
    rt = FakeRuntime()
    assert run(
        VariableExecutor, {"var_name": "x", "var_op": "set", "scope": "global"}, [7.0], rt
    ) == {
        "var_name": "x",
        "operation": "set",
        "value": 7.0,
    }
    assert rt.set_variable_calls == [("x", 7.0)]
    assert run(VariableExecutor, {"var_name": "x", "var_op": "get"}, ["ignored"], rt) == {
        "var_name": "x",
        "operation": "get",
        "value": 7.0,
    }


def test_variable_get_of_a_null_value() -> None:
    rt = FakeRuntime(variables={"n": None})
    assert run(VariableExecutor, {"var_name": "n", "var_op": "get"}, [], rt)["value"] is None


def test_variable_errors() -> None:
    with pytest.raises(NodeError, match=r"^variable 'y' not found$"):
        run(VariableExecutor, {"var_name": "y", "var_op": "get"})
    with pytest.raises(NodeError, match=r"^variable set operation requires input value$"):
        run(VariableExecutor, {"var_name": "y", "var_op": "set"}, [])
    with pytest.raises(NodeError) as info:
        run(VariableExecutor, {"var_name": "y", "var_op": "delete"}, [1.0])
    assert str(info.value) == "unsupported variable operation: delete (use 'get' or 'set')"


def test_variable_set_reports_the_runtime_limits() -> None:
    rt = FakeRuntime(config=Config(max_variables=1), variables={"a": 1.0})
    with pytest.raises(LimitError, match=r"^maximum variables exceeded: 1 \(limit: 1\)$"):
        run(VariableExecutor, {"var_name": "b", "var_op": "set"}, [2.0], rt)
    # Overwriting an existing name does not count against the limit.
    run(VariableExecutor, {"var_name": "a", "var_op": "set"}, [3.0], rt)
    assert rt.state.get_variable("a") == 3.0


def test_variable_set_lets_validation_errors_through() -> None:
    rt = FakeRuntime()
    rt.fail_set_variable = NodeError("variable validation failed: string too long: 200 bytes")
    with pytest.raises(NodeError, match=r"^variable validation failed: string too long"):
        run(VariableExecutor, {"var_name": "v", "var_op": "set"}, ["x" * 200], rt)
    assert not rt.state.has_variable("v")


# --- accumulator ------------------------------------------------------------------------------


def accumulate(op: str, inputs: list[Any], rt: FakeRuntime, **data: Any) -> Any:
    return run(AccumulatorExecutor, {"accum_op": op, **data}, inputs, rt)


def test_accumulator_is_shared_by_all_nodes() -> None:
    rt = FakeRuntime()
    assert accumulate("sum", [5.0], rt) == {"operation": "sum", "value": 5.0}
    assert accumulate("sum", [3.0, 100.0], rt) == {"operation": "sum", "value": 8.0}
    assert rt.state.get_accumulator() == 8.0


@pytest.mark.parametrize(
    ("op", "start"),
    [("sum", 0.0), ("count", 0.0), ("product", 1.0), ("concat", ""), ("array", []), ("max", None)],
)
def test_accumulator_starting_values(op: str, start: Any) -> None:
    assert accumulate(op, [], FakeRuntime()) == {"operation": op, "value": start}


def test_accumulator_initial_value_only_matters_first() -> None:
    rt = FakeRuntime()
    assert accumulate("sum", [1.0], rt, initial_value=10.0)["value"] == 11.0
    assert accumulate("sum", [1.0], rt, initial_value=100.0)["value"] == 12.0


def test_accumulator_operations() -> None:
    rt = FakeRuntime()
    assert accumulate("product", [4.0], rt)["value"] == 4.0
    rt = FakeRuntime()
    assert accumulate("concat", ["Hello"], rt)["value"] == "Hello"
    assert accumulate("concat", [" World"], rt)["value"] == "Hello World"
    rt = FakeRuntime()
    assert accumulate("count", ["anything"], rt)["value"] == 1.0
    assert accumulate("count", [None], rt)["value"] == 2.0


def test_accumulator_array_never_changes_earlier_results() -> None:
    rt = FakeRuntime()
    first = accumulate("array", [1.0], rt)
    second = accumulate("array", [{"k": "v"}], rt)
    assert first["value"] == [1.0]
    assert second["value"] == [1.0, {"k": "v"}]


@pytest.mark.parametrize(
    ("op", "start", "value", "message"),
    [
        ("sum", None, 1, "sum accumulator requires numeric input, got int"),
        ("sum", None, "1", "sum accumulator requires numeric input, got string"),
        ("product", None, True, "product accumulator requires numeric input, got bool"),
        ("concat", None, 1.0, "concat accumulator requires string input, got float64"),
        ("sum", "text", 1.0, "accumulator value is not a number"),
        ("count", "text", 1.0, "accumulator value is not a number"),
        ("concat", 1.0, "x", "accumulator value is not a string"),
        ("array", 1.0, "x", "accumulator value is not an array"),
        ("median", None, 1.0, "unsupported accumulator operation: median"),
    ],
)
def test_accumulator_errors(op: str, start: Any, value: Any, message: str) -> None:
    rt = FakeRuntime()
    if start is not None:
        rt.state.set_accumulator(start)
    with pytest.raises(NodeError) as info:
        accumulate(op, [value], rt)
    assert str(info.value) == message


# --- counter ----------------------------------------------------------------------------------


def count(op: str, rt: FakeRuntime, **data: Any) -> Any:
    return run(CounterExecutor, {"counter_op": op, **data}, ["ignored"], rt)


def test_counter_sequence() -> None:
    rt = FakeRuntime()
    assert count("increment", rt) == {"operation": "increment", "value": 1.0}
    assert count("increment", rt, delta=2.5)["value"] == 3.5
    assert count("decrement", rt)["value"] == 2.5
    assert count("get", rt)["value"] == 2.5
    assert count("reset", rt)["value"] == 0.0
    assert isinstance(count("get", rt)["value"], float)


def test_counter_explicit_zero_delta_is_used() -> None:
    rt = FakeRuntime()
    assert count("increment", rt, delta=0.0)["value"] == 0.0
    assert count("increment", rt, delta=None)["value"] == 1.0


def test_counter_initial_value_overwrites_on_every_run() -> None:
    rt = FakeRuntime()
    count("increment", rt, delta=5.0)
    assert count("increment", rt, initial_value=10.0, delta=5.0)["value"] == 15.0
    assert count("get", rt, initial_value=10.0)["value"] == 10.0
    assert count("reset", rt, initial_value=4.0)["value"] == 4.0


def test_counter_ignores_non_float_initial_values() -> None:
    rt = FakeRuntime()
    count("increment", rt)
    assert count("increment", rt, initial_value="10")["value"] == 2.0
    assert count("reset", rt, initial_value=True)["value"] == 0.0


def test_counter_unknown_operation() -> None:
    with pytest.raises(NodeError) as info:
        count("double", FakeRuntime())
    assert str(info.value) == (
        "unsupported counter operation: double (use increment, decrement, reset, or get)"
    )


# --- cache ------------------------------------------------------------------------------------


def cache(op: str, inputs: list[Any], rt: FakeRuntime, **data: Any) -> Any:
    return run(CacheExecutor, {"cache_op": op, "cache_key": "k", **data}, inputs, rt)


def test_cache_set_then_get_with_default_ttl() -> None:
    rt = FakeRuntime()
    assert cache("set", [42.0], rt) == {"operation": "set", "key": "k", "value": 42.0, "ttl": None}
    assert cache("get", [], rt) == {"operation": "get", "key": "k", "found": True, "value": 42.0}
    rt.clock.advance(300)  # exactly 5 minutes: not yet past the expiration
    assert cache("get", [], rt)["found"] is True
    rt.clock.advance(0.001)
    assert cache("get", [], rt) == {"operation": "get", "key": "k", "found": False, "value": None}


@pytest.mark.parametrize(("ttl", "seconds"), [("1s", 1.0), ("50", 0.05), ("1h30m", 5400.0)])
def test_cache_ttl(ttl: str, seconds: float) -> None:
    rt = FakeRuntime()
    assert cache("set", ["v"], rt, ttl=ttl)["ttl"] == ttl
    rt.clock.advance(seconds)
    assert cache("get", [], rt)["found"] is True
    rt.clock.advance(0.001)
    assert cache("get", [], rt)["found"] is False


def test_cache_set_overwrites() -> None:
    rt = FakeRuntime()
    cache("set", ["old"], rt)
    cache("set", ["new"], rt)
    assert cache("get", [], rt)["value"] == "new"


@pytest.mark.parametrize("ttl", ["soon", ""])
def test_cache_invalid_ttl(ttl: str) -> None:
    with pytest.raises(NodeError) as info:
        cache("set", [1.0], FakeRuntime(), ttl=ttl)
    assert str(info.value) == (
        f"invalid TTL format: invalid duration format: {ttl} (use formats like '5s', '10m', '1h')"
    )


def test_cache_delete_only_reports() -> None:
    rt = FakeRuntime()
    cache("set", [1.0], rt)
    assert cache("delete", [], rt) == {"operation": "delete", "key": "k", "deleted": True}
    assert cache("get", [], rt)["found"] is True


def test_cache_errors() -> None:
    with pytest.raises(NodeError, match=r"^cache set operation requires an input value$"):
        cache("set", [], FakeRuntime())
    with pytest.raises(NodeError) as info:
        cache("clear", [], FakeRuntime())
    assert str(info.value) == "unsupported cache operation: clear (use get, set, or delete)"
