"""Closures the arithmetic compiler builds (see :mod:`.arith`): one per grammar construct.

Each closure takes the evaluation :class:`Scope` and returns a float or raises, doing at run time
exactly what Go's one-pass parser does when it reaches that construct.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from pytest_wfsnap.engine.expr import core, resolve
from pytest_wfsnap.engine.expr.gomath import call_math, go_mod
from pytest_wfsnap.engine.expr.scope import MISSING, FatalExpressionError, Scope
from pytest_wfsnap.engine.gofmt import go_v, to_float64
from pytest_wfsnap.errors import ExpressionError

Node = Callable[[Scope], float]

MATH_FUNCTIONS: Final = frozenset({"pow", "sqrt", "abs", "floor", "ceil", "round", "min", "max"})
VALUE_FUNCTIONS: Final = frozenset(
    {"map", "avg", "sum", "round", "floor", "ceil", "abs", "min", "max", "sort", "slice"}
    | {"sample", "unique", "zip", "reverse", "flatten"}
)


def fail(before: list[Node], message: str, fatal: bool = False) -> Node:
    def run(scope: Scope) -> float:
        for node in before:
            node(scope)
        if fatal:
            raise FatalExpressionError(message)
        raise ExpressionError(message)

    return run


def const(value: float) -> Node:
    return lambda scope: value


def negate(node: Node) -> Node:
    return lambda scope: -node(scope)


def chain(first: Node, rest: list[tuple[str, Node]]) -> Node:
    def run(scope: Scope) -> float:
        value = first(scope)
        for op, node in rest:
            right = node(scope)
            if op == "+":
                value = value + right
            elif op == "-":
                value = value - right
            elif op == "*":
                value = value * right
            elif op == "/":
                if right == 0:
                    raise ExpressionError("division by zero")
                value = value / right
            else:
                if right == 0:
                    raise ExpressionError("modulo by zero")
                value = go_mod(value, right)
        return value

    return run


def sequence(nodes: list[Node]) -> Node:
    """Run nodes in order (used when the last one raises: a failed function argument)."""

    def run(scope: Scope) -> float:
        value = 0.0
        for node in nodes:
            value = node(scope)
        return value

    return run


def function(name: str, args: list[Node]) -> Node:
    def run(scope: Scope) -> float:
        return call_math(name, [arg(scope) for arg in args])

    return run


def path(path: str) -> Node:
    def run(scope: Scope) -> float:
        try:
            value = resolve.resolve_value(path, None, scope)
        except FatalExpressionError:
            raise
        except ExpressionError:
            value = resolve.resolve_value("variables." + path, None, scope)
        return _number_at(value, path)

    return run


def _number_at(value: Any, where: str) -> float:
    """``value`` as a float64, or the Go error naming the path it was read at."""
    number = to_float64(value)
    if number is None:
        raise ExpressionError(f"value '{go_v(value)}' at '{where}' cannot be converted to number")
    return number


def bare(ident: str, position: int) -> Node:
    def run(scope: Scope) -> float:
        try:
            value = resolve.resolve_value("variables." + ident, None, scope)
        except FatalExpressionError:
            raise
        except ExpressionError as exc:
            raise ExpressionError(
                f"unknown identifier '{ident}' at position {position} "
                f"(tried as variables.{ident} but got: {exc})"
            )
        return _number_at(value, "variables." + ident)

    return run


def value_call(ident: str, call: str) -> Node:
    question = call.find("?")
    ternary = question > 0 and call.find(":", question) != -1
    if ident not in VALUE_FUNCTIONS and not ternary:
        # Go hands the call back to EvaluateExpression, which hands it back here, forever.
        return fail(
            [],
            f"unknown function '{ident}' in expression '{call}': only the math functions "
            "pow, sqrt, abs, floor, ceil, round, min, max and the value functions map, avg, "
            "sum, sort, slice, sample, unique, zip, reverse, flatten can be called here",
            fatal=True,
        )

    def run(scope: Scope) -> float:
        current = scope.get_var("input")
        if current is MISSING:
            current = scope.get_var("item")
            if current is MISSING:
                current = None
        try:
            value = core.sub_evaluate_expression(call, current, scope)
        except FatalExpressionError:
            raise
        except ExpressionError as exc:
            raise ExpressionError(
                f"failed to evaluate function '{ident}' in arithmetic expression: {exc}"
            )
        number = to_float64(value)
        if number is None:
            raise ExpressionError(f"function '{ident}' did not return a numeric value")
        return number

    return run


__all__ = [
    "MATH_FUNCTIONS",
    "VALUE_FUNCTIONS",
    "Node",
    "bare",
    "chain",
    "const",
    "fail",
    "function",
    "negate",
    "path",
    "sequence",
    "value_call",
]
