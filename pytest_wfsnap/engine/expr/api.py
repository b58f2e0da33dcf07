"""Public entry points of the expression language (ENGINE.md B7).

Each call gets a fresh evaluation budget. ``ctx`` may be None (an empty context, as for a nil Go
context). Every failure raises :class:`~pytest_wfsnap.errors.ExpressionError` with the Go message
text; inputs on which the Go engine recurses forever, panics or hangs raise it too, with a
message saying what was wrong.
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.expr import arith, core, resolve
from pytest_wfsnap.engine.expr.context import ExprContext
from pytest_wfsnap.engine.expr.scope import MAX_DEPTH, Scope, check_length, new_scope
from pytest_wfsnap.engine.expr.values import compare_values
from pytest_wfsnap.errors import ExpressionError

_TOO_DEEP = (
    "expression or the value it works on is nested too deeply to evaluate (the limit is "
    f"{MAX_DEPTH} levels of sub-expressions and function calls)"
)


def _scope(ctx: ExprContext | None) -> Scope:
    if ctx is None:
        return new_scope(None, None, None)
    return new_scope(ctx.node_results, ctx.variables, ctx.context)


def evaluate(expr: str, input: Any = None, ctx: ExprContext | None = None) -> bool:
    """Go ``expression.Evaluate``: a boolean condition (``item.age >= 18 && item.active``)."""
    check_length(expr)
    try:
        return core.evaluate_in(expr, input, _scope(ctx))
    except RecursionError:
        raise ExpressionError(_TOO_DEEP)


def evaluate_expression(expr: str, input: Any = None, ctx: ExprContext | None = None) -> Any:
    """Go ``expression.EvaluateExpression``: a value (``item.price * 2``, ``avg(...)``, ...)."""
    check_length(expr)
    try:
        return core.evaluate_expression_in(expr, input, _scope(ctx))
    except RecursionError:
        raise ExpressionError(_TOO_DEEP)


def evaluate_arithmetic(expr: str, ctx: ExprContext | None = None) -> float:
    """Go ``expression.EvaluateArithmetic``: a number (``(variables.a + 2) * 3``)."""
    check_length(expr)
    try:
        return arith.evaluate_arithmetic(expr, _scope(ctx))
    except RecursionError:
        raise ExpressionError(_TOO_DEEP)


def resolve_value(ref: str, input: Any = None, ctx: ExprContext | None = None) -> Any:
    """Go ``resolveValue``: one operand (literal, ``node.x.y``, ``variables.v``, field path)."""
    check_length(ref)
    try:
        return resolve.resolve_value(ref, input, _scope(ctx))
    except RecursionError:
        raise ExpressionError(_TOO_DEEP)


def evaluate_simple_condition(condition: str, value: Any) -> bool:
    """Go ``evaluateSimpleCondition``: ``>=80``-style thresholds on a float64 (or its "value")."""
    return core.evaluate_simple_condition(condition, value)


__all__ = [
    "compare_values",
    "evaluate",
    "evaluate_arithmetic",
    "evaluate_expression",
    "evaluate_simple_condition",
    "resolve_value",
]
