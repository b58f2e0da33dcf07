"""condition, switch, join and split."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.expr.context import ExprContext
from pytest_wfsnap.engine.nodes import control
from pytest_wfsnap.engine.nodes.control import (
    ConditionExecutor,
    JoinExecutor,
    SplitExecutor,
    SwitchExecutor,
)
from pytest_wfsnap.errors import ExpressionError, NodeError
from tests.engine.nodes.fakes import FakeRuntime, run

# --- condition --------------------------------------------------------------------------------


def condition(expr: str, value: Any, rt: FakeRuntime | None = None) -> Any:
    return run(
        ConditionExecutor, {"condition": expr, "true_path": "x", "false_path": "y"}, [value], rt
    )


def shape(value: Any, expr: str, met: bool) -> dict[str, Any]:
    return {
        "value": value,
        "condition_met": met,
        "condition": expr,
        "path": "true" if met else "false",
        "true_path": met,
        "false_path": not met,
    }


@pytest.mark.parametrize(
    ("expr", "value", "met"),
    [
        (">=21", 30.0, True),
        (">100", 50.0, False),
        ("input == true", True, True),
        ('input == "ok"', "ok", True),
        ("true", None, True),
        (">=65", {"field": "value", "value": 30.0}, False),
        (">=21", {"field": "value", "value": {"field": "value", "value": 30.0}}, True),
    ],
)
def test_condition_result_shape(expr: str, value: Any, met: bool) -> None:
    assert condition(expr, value) == shape(value, expr, met)


def test_condition_sees_workflow_variables() -> None:
    rt = FakeRuntime(variables={"limit": 10.0})
    assert condition("input > variables.limit", 15.0, rt)["condition_met"] is True
    assert condition("input > variables.limit", 5.0, rt)["condition_met"] is False


def test_condition_needs_an_input() -> None:
    with pytest.raises(NodeError, match=r"^condition node needs at least 1 input$"):
        run(ConditionExecutor, {"condition": ">1"}, [])


def test_condition_evaluation_error_is_not_a_node_error() -> None:
    # Evaluate fails on `!contains(x)` (wrong arity); the simple fallback gives false.
    assert condition("!contains(x)", 3.0)["condition_met"] is False


def test_condition_falls_back_to_the_simple_syntax_on_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, Any]] = []

    def failing(expr: str, value: Any, ctx: ExprContext) -> bool:
        raise ExpressionError("boom")

    def simple(cond: str, value: Any) -> bool:
        calls.append((cond, value))
        return True

    monkeypatch.setattr(control, "evaluate", failing)
    monkeypatch.setattr(control, "evaluate_simple_condition", simple)
    assert condition(">5", 7.0)["condition_met"] is True
    assert calls == [(">5", 7.0)]


# --- switch -----------------------------------------------------------------------------------

CASES: list[dict[str, Any]] = [
    {"when": "input == 200", "output_path": "success"},
    {"when": "input >= 500", "output_path": "error"},
    {"when": "default", "output_path": "other", "is_default": True},
]


def switch(value: Any, cases: list[dict[str, Any]] = CASES, rt: FakeRuntime | None = None) -> Any:
    return run(SwitchExecutor, {"cases": cases}, [value], rt)


def test_switch_first_matching_case() -> None:
    result = switch(503.0)
    assert result == {
        "value": 503.0,
        "matched": True,
        "case": "input >= 500",
        "output_path": "error",
        "case_index": 1,
    }
    assert type(result["case_index"]) is int


def test_switch_default_case() -> None:
    assert switch(302.0) == {
        "value": 302.0,
        "matched": False,
        "case": "default",
        "output_path": "other",
        "case_index": 2,
    }


def test_switch_default_without_output_path_routes_to_default() -> None:
    cases: list[dict[str, Any]] = [
        {"when": "input > 1", "output_path": "big"},
        {"when": "x", "is_default": True},
    ]
    assert switch(0.0, cases)["output_path"] == "default"


def test_switch_first_match_wins_over_later_ones() -> None:
    cases: list[dict[str, Any]] = [
        {"when": "input > 10", "output_path": "first"},
        {"when": "input > 40", "output_path": "second"},
        {"when": "default", "output_path": "d", "is_default": True},
    ]
    assert switch(50.0, cases)["output_path"] == "first"


def test_switch_skips_cases_that_fail_to_evaluate(monkeypatch: pytest.MonkeyPatch) -> None:
    def evaluate(expr: str, value: Any, ctx: ExprContext) -> bool:
        if expr == "broken":
            raise ExpressionError("cannot evaluate")
        return expr == "yes"

    monkeypatch.setattr(control, "evaluate", evaluate)
    cases: list[dict[str, Any]] = [
        {"when": "broken", "output_path": "a"},
        {"when": "yes", "output_path": "b"},
        {"when": "default", "output_path": "d", "is_default": True},
    ]
    assert switch(1.0, cases)["case_index"] == 1


def test_switch_sees_workflow_variables() -> None:
    cases: list[dict[str, Any]] = [
        {"when": 'variables.mode == "on"', "output_path": "enabled"},
        {"when": "default", "output_path": "d", "is_default": True},
    ]
    assert switch(1.0, cases, FakeRuntime(variables={"mode": "on"}))["output_path"] == "enabled"
    assert switch(1.0, cases, FakeRuntime(variables={"mode": "off"}))["output_path"] == "d"


def test_switch_null_is_not_a_literal() -> None:
    cases: list[dict[str, Any]] = [
        {"when": "input != null", "output_path": "matched"},
        {"when": "default", "output_path": "default", "is_default": True},
    ]
    assert switch("hello", cases)["case"] == "default"


def test_switch_without_default_reports_no_match() -> None:
    cases: list[dict[str, Any]] = [{"when": "input > 1", "output_path": "big"}]
    assert switch(0.0, cases) == {"value": 0.0, "matched": False, "output_path": "default"}


def test_switch_needs_an_input() -> None:
    with pytest.raises(NodeError, match=r"^switch node requires at least one input$"):
        run(SwitchExecutor, {"cases": CASES}, [])


# --- join and split ---------------------------------------------------------------------------


def test_join_defaults_to_all() -> None:
    inputs = [1.0, "two", None]
    result = run(JoinExecutor, {}, inputs)
    assert result == {"strategy": "all", "values": [1.0, "two", None], "count": 3}
    assert type(result["count"]) is int
    assert result["values"] is not inputs


def test_join_any_and_first() -> None:
    assert run(JoinExecutor, {"join_strategy": "any"}, ["b", "a"]) == {
        "strategy": "any",
        "value": "b",
        "count": 2,
    }
    assert run(JoinExecutor, {"join_strategy": "first"}, ["b", "a"]) == {
        "strategy": "first",
        "value": "b",
    }


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (None, "join node with 'all' strategy requires at least one input"),
        ("all", "join node with 'all' strategy requires at least one input"),
        ("any", "join node with 'any' strategy has no inputs"),
        ("first", "join node with 'first' strategy has no inputs"),
    ],
)
def test_join_without_inputs(strategy: str | None, message: str) -> None:
    with pytest.raises(NodeError) as info:
        run(JoinExecutor, {"join_strategy": strategy}, [])
    assert str(info.value) == message


@pytest.mark.parametrize("strategy", ["merge", ""])
def test_join_unknown_strategy(strategy: str) -> None:
    with pytest.raises(NodeError) as info:
        run(JoinExecutor, {"join_strategy": strategy}, [1.0])
    assert str(info.value) == f"unsupported join strategy: {strategy} (use all, any, or first)"


def test_split_copies_the_input_to_every_path() -> None:
    assert run(SplitExecutor, {"paths": ["left", "right"]}, [9.0, 1.0]) == {
        "value": 9.0,
        "paths": ["left", "right"],
        "outputs": {"left": 9.0, "right": 9.0},
    }


def test_split_default_paths_and_input_check() -> None:
    assert run(SplitExecutor, {}, ["v"])["paths"] == ["path1", "path2"]
    with pytest.raises(NodeError, match=r"^split node requires at least one input$"):
        run(SplitExecutor, {"paths": ["a"]}, [])
