"""for_each and while_loop: they count, they do not run a body (ENGINE.md B9.13, B9.14)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.nodes import loops
from pytest_wfsnap.engine.nodes.loops import ForEachExecutor, WhileLoopExecutor
from tests.engine.nodes.fakes_family2 import fails_with, run


def test_module_exports() -> None:
    assert [cls.node_type for cls in loops.EXECUTORS] == ["for_each", "while_loop"]


# --- for_each ---------------------------------------------------------------------------------


@pytest.mark.parametrize("items", [[], [1.0], [1.0, 2.0, 3.0], [None, "x", {"a": 1.0}]])
def test_for_each_counts(items: list[Any]) -> None:
    result = run(ForEachExecutor, {}, [items])
    n = len(items)
    assert result == {"input_count": n, "iterations": n, "successful": n, "failed": 0}
    assert all(type(v) is int for v in result.values())


def test_for_each_limit() -> None:
    assert run(ForEachExecutor, {"max_iterations": 3}, [[1.0, 2.0, 3.0]])["iterations"] == 3
    with fails_with("for_each exceeds max iterations: 3 > 2"):
        run(ForEachExecutor, {"max_iterations": 2}, [[1.0, 2.0, 3.0]])
    with fails_with("for_each exceeds max iterations: 1001 > 1000"):
        run(ForEachExecutor, {}, [[0.0] * 1001])
    with fails_with("for_each exceeds max iterations: 1001 > 1000"):
        run(ForEachExecutor, {"max_iterations": -5}, [[0.0] * 1001])
    assert run(ForEachExecutor, {"max_iterations": 0}, [[0.0] * 1000])["iterations"] == 1000


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        ({"range": [1.0]}, "map[string]interface {}"),
        ("text", "string"),
        (None, "<nil>"),
        (1.0, "float64"),
    ],
)
def test_for_each_needs_an_array(value: Any, type_name: str) -> None:
    with fails_with(f"for_each node requires array input, got {type_name}"):
        run(ForEachExecutor, {}, [value])


def test_for_each_errors() -> None:
    with fails_with("for_each node needs at least 1 input"):
        run(ForEachExecutor, {}, [])
    with fails_with("expected ForEachData, got <nil>"):
        run(ForEachExecutor, None, [[1.0]])


# --- while_loop -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "value"),
    [(">100", 5.0), ("<1", 5.0), ("false", 5.0), ("item > 1", 5.0), (">0", 5), (">0", "5")],
)
def test_while_loop_false_condition_runs_zero_times(condition: str, value: Any) -> None:
    result = run(WhileLoopExecutor, {"condition": condition}, [value])
    assert result == {"final_value": value, "iterations": 0, "condition": condition}
    assert type(result["iterations"]) is int


@pytest.mark.parametrize(
    ("data", "value", "limit"),
    [
        ({"condition": ">=0", "max_iterations": 10}, 5.0, 10),
        ({"condition": ">0"}, 5.0, 100),
        ({"condition": "true", "max_iterations": -1}, None, 100),
        ({"condition": "< 10"}, {"value": 3.0}, 100),
        ({"condition": "==5", "max_iterations": 10**12}, 5.0, 10**12),
    ],
)
def test_while_loop_true_condition_hits_the_limit(
    data: dict[str, Any], value: Any, limit: int
) -> None:
    with fails_with(f"while_loop exceeded max iterations: {limit}"):
        run(WhileLoopExecutor, data, [value])


def test_while_loop_errors() -> None:
    with fails_with("while_loop node missing condition"):
        run(WhileLoopExecutor, {"max_iterations": 3}, [1.0])
    with fails_with("while_loop node missing condition"):
        run(WhileLoopExecutor, {"condition": None}, [])
    with fails_with("while_loop node needs at least 1 input"):
        run(WhileLoopExecutor, {"condition": ">1"}, [])
    with fails_with("expected WhileLoopData, got <nil>"):
        run(WhileLoopExecutor, None, [1.0])
