"""Resource limits: inputs on which the Go engine crashes, recurses forever or hangs."""

from __future__ import annotations

import inspect
import sys
from typing import Any

import pytest

from pytest_wfsnap.engine.expr import (
    ExprContext,
    FatalExpressionError,
    evaluate,
    evaluate_arithmetic,
    evaluate_expression,
    scope,
)
from pytest_wfsnap.errors import ExpressionError


def test_too_long_expression() -> None:
    with pytest.raises(FatalExpressionError, match="expression is too long"):
        evaluate("1" * (scope.MAX_EXPRESSION_LENGTH + 1))


def test_deep_parentheses_in_arithmetic() -> None:
    assert evaluate_arithmetic("(" * 60 + "1" + ")" * 60) == 1.0
    with pytest.raises(FatalExpressionError, match="more than 64 levels of parentheses"):
        evaluate_arithmetic("(" * 70 + "1" + ")" * 70)


def test_many_outer_parentheses_are_stripped_in_linear_time() -> None:
    depth = 20_000
    assert evaluate("(" * depth + " true " + ")" * depth) is True


def test_long_or_chains_work_up_to_the_nesting_limit() -> None:
    assert evaluate(" || ".join(["x > 5"] * 150 + ["x > 1"]), {"x": 2.0}) is True
    with pytest.raises(FatalExpressionError, match="nested too deeply"):
        evaluate(" || ".join(["x > 1"] * (scope.MAX_DEPTH + 10)), {"x": 2.0})


@pytest.mark.parametrize(
    "expr",
    [
        "sum(" * 150 + "1" + ")" * 150,
        "!" * 300 + "true",
        "false ? 1 : " * 300 + "2",
        "map(" * 150 + "item" + ", item)" * 150,
    ],
)
def test_deep_nesting_is_a_clear_error(expr: str) -> None:
    with pytest.raises(FatalExpressionError, match="nested too deeply"):
        if expr.startswith("!"):
            evaluate(expr)
        else:
            evaluate_expression(expr, [1.0])


def _or_chain(levels: int) -> str:
    # In Go each level evaluates its right side twice (once in the || split, once more after the
    # split is abandoned and "!" re-evaluates the rest): work doubles per level.
    expr = "contains(a)"
    for _ in range(levels):
        expr = "!isNull(1) || " + expr
    return expr


def _sum_chain(levels: int) -> str:
    # Arithmetic fails on "zz" after evaluating the nested call, then resolveValue retries the
    # same arithmetic: work doubles per level in Go.
    expr = "zz"
    for _ in range(levels):
        expr = f"sum({expr} + zz)"
    return expr


@pytest.mark.parametrize(
    ("build", "evaluator", "message"),
    [
        (_or_chain, evaluate, "error resolving argument"),
        (_sum_chain, evaluate_expression, "sum() argument evaluation failed"),
    ],
)
def test_exponential_patterns_stay_small(
    monkeypatch: pytest.MonkeyPatch, build: Any, evaluator: Any, message: str
) -> None:
    # Repeated failing sub-evaluations are answered from memory, so 40 levels need only a few
    # thousand steps (the budget is lowered to prove it: exponential work would exceed it).
    monkeypatch.setattr(scope, "MAX_STEPS", 20_000)
    with pytest.raises(ExpressionError) as info:
        evaluator(build(40))
    assert not isinstance(info.value, FatalExpressionError)
    assert str(info.value).startswith(message)


def test_big_arrays_count_against_the_step_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = ExprContext(variables={"v": [float(i) for i in range(3000)]})
    assert evaluate_expression("sum(map(variables.v, item))", None, ctx) == sum(range(3000))
    monkeypatch.setattr(scope, "MAX_STEPS", 1000)
    with pytest.raises(FatalExpressionError, match="exceeded 1000 steps"):
        evaluate_expression("sum(map(variables.v, item))", None, ctx)


def test_sort_of_large_mixed_arrays_is_refused() -> None:
    mixed: list[Any] = [float(i) if i % 2 else str(i) for i in range(scope.MAX_SORT_MIXED + 1)]
    ctx = ExprContext(variables={"v": mixed})
    with pytest.raises(ExpressionError, match="sort\\(\\) of an array whose elements"):
        evaluate_expression("sort(variables.v)", None, ctx)
    floats = ExprContext(variables={"v": [float(i % 97) for i in range(50_000)]})
    assert evaluate_expression("sort(variables.v)", None, floats)[:3] == [0.0, 0.0, 0.0]


def test_python_recursion_errors_never_escape() -> None:
    # Call the interpreter with almost no stack left: whatever depth it reaches, the caller
    # sees an ExpressionError, never a RecursionError.
    nested = "sum(" * 90 + "1" + ")" * 90
    headroom = sys.getrecursionlimit() - len(inspect.stack()) - 60

    def dive(levels: int) -> Any:
        if levels > 0:
            return dive(levels - 1)
        return evaluate_expression(nested)

    with pytest.raises(ExpressionError, match="nested too deeply"):
        dive(headroom)
