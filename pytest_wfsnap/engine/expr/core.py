"""Evaluate (boolean) and EvaluateExpression (value): Go's heuristics in Go's order (B7.2, B7.3).

Each step below is one step of ENGINE.md B7.2/B7.3. Steps that Go "abandons" on an error swallow
:class:`ExpressionError` and fall through; :class:`FatalExpressionError` (limits, unbounded
recursion in Go) is never swallowed. The purely textual analysis of an expression (where ``||``
splits it, which comparison operator applies, ...) is cached per distinct expression text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from pytest_wfsnap.engine.expr import arith, resolve, valuefuncs
from pytest_wfsnap.engine.expr.dates import DATE_FUNCTIONS, call_date_function
from pytest_wfsnap.engine.expr.scope import FatalExpressionError, Scope
from pytest_wfsnap.engine.expr.text import (
    NOT_LITERAL,
    contains_arithmetic_op,
    find_operator,
    parse_literal,
    split_arguments,
    sscanf_float,
    strip_outer_parens,
    trim,
)
from pytest_wfsnap.engine.expr.values import compare_values
from pytest_wfsnap.engine.gofmt import go_v
from pytest_wfsnap.errors import ExpressionError

_COMPARISONS: Final = ("==", "!=", "<=", ">=", "<", ">")
_SIMPLE_OPS: Final = frozenset({">=", "<=", "==", "!="})

# Boolean plan: (logic_op, left, right, not_rest, date_function, is_contains, cmp_op, cmp_l, cmp_r)
_BoolPlan = tuple[str, str, str, str | None, str, bool, str, str, str]
# Value plan: (ternary, cond, when_true, when_false, value_function, arithmetic)
_ValuePlan = tuple[bool, str, str, str, bool, bool]


@lru_cache(maxsize=8192)
def _bool_plan(text: str) -> _BoolPlan:
    logic, left, right = "", "", ""
    for op in ("||", "&&"):
        idx = find_operator(text, op)
        if idx != -1:
            logic, left, right = op, trim(text[:idx]), trim(text[idx + 2 :])
            break
    not_rest = trim(text[1:]) if text.startswith("!") and not text.startswith("!=") else None
    date_function = ""
    paren = text.find("(")
    if paren > 0 and text.endswith(")"):
        name = trim(text[:paren])
        if name in DATE_FUNCTIONS:
            date_function = name
    is_contains = text.startswith("contains(") and text.endswith(")")
    cmp_op, cmp_left, cmp_right = "", "", ""
    for op in _COMPARISONS:
        idx = find_operator(text, op)
        if idx != -1:
            cmp_op, cmp_left, cmp_right = op, trim(text[:idx]), trim(text[idx + len(op) :])
            break
    return (logic, left, right, not_rest, date_function, is_contains, cmp_op, cmp_left, cmp_right)


@lru_cache(maxsize=8192)
def _value_plan(text: str) -> _ValuePlan:
    question = text.find("?")
    if question > 0:
        colon = text.find(":", question)
        if colon != -1:
            return (
                True,
                trim(text[:question]),
                trim(text[question + 1 : colon]),
                trim(text[colon + 1 :]),
                False,
                False,
            )
    paren = text.find("(")
    is_value_function = (
        paren > 0 and text.endswith(")") and arith.is_value_function(trim(text[:paren]))
    )
    return (False, "", "", "", is_value_function, contains_arithmetic_op(text))


def evaluate_in(expr: str, input_value: Any, scope: Scope) -> bool:
    """Go ``Evaluate(expr, input, ctx)`` within an existing scope."""
    budget = scope.budget
    budget.enter()
    try:
        scope = scope.with_input(input_value)
        text = strip_outer_parens(trim(expr))
        if text == "true":
            return True
        if text == "false":
            return False
        logic, left, right, not_rest, date_fn, is_contains, cmp_op, cmp_l, cmp_r = _bool_plan(text)
        if logic:
            try:
                left_result: bool = _sub_call(_BOOL, left, input_value, scope)
                right_result: bool = _sub_call(_BOOL, right, input_value, scope)
            except FatalExpressionError:
                raise
            except ExpressionError:
                pass
            else:
                if logic == "||":
                    return left_result or right_result
                return left_result and right_result
        if not_rest is not None:
            return not _sub_call(_BOOL, not_rest, input_value, scope)
        if date_fn:
            return _date_call(text, date_fn, input_value, scope)
        if is_contains:
            args = split_arguments(text[9:-1])
            if len(args) != 2:
                raise ExpressionError("contains() requires exactly 2 arguments")
            haystack = resolve.resolve_value(args[0], input_value, scope)
            needle = resolve.resolve_value(args[1], input_value, scope)
            return go_v(needle) in go_v(haystack)
        if cmp_op:
            result = _comparison(cmp_op, cmp_l, cmp_r, input_value, scope)
            if result is not None:
                return result
        try:
            value = resolve.resolve_value(text, input_value, scope)
        except FatalExpressionError:
            raise
        except ExpressionError:
            pass
        else:
            if isinstance(value, bool):
                return value
        return evaluate_simple_condition(text, input_value)
    finally:
        budget.leave()


_BOOL: Final = 0
_VALUE: Final = 1


def _sub_call(kind: int, text: str, input_value: Any, scope: Scope) -> Any:
    """A nested Evaluate (kind _BOOL) or EvaluateExpression whose failures are remembered."""
    budget = scope.budget
    failures = budget.failures
    key = (kind, text, id(input_value), id(scope))
    if failures is not None:
        hit = failures.get(key)
        if hit is not None and hit[0] is input_value and hit[1] is scope:
            raise hit[2]
    try:
        if kind == _BOOL:
            return evaluate_in(text, input_value, scope)
        return evaluate_expression_in(text, input_value, scope)
    except FatalExpressionError:
        raise
    except ExpressionError as exc:
        if failures is None:
            failures = budget.failures = {}
        failures[key] = (input_value, scope, exc)
        raise


def sub_evaluate_expression(text: str, input_value: Any, scope: Scope) -> Any:
    """EvaluateExpression nested in another evaluation (failures are remembered)."""
    return _sub_call(_VALUE, text, input_value, scope)


def _comparison(op: str, left: str, right: str, input_value: Any, scope: Scope) -> bool | None:
    """Evaluate step 7; None when Go abandons the comparison."""
    try:
        if left == "":
            left_value = input_value
            for _ in range(10_000):
                if not (isinstance(left_value, dict) and "value" in left_value):
                    break
                left_value = left_value["value"]
        else:
            left_value = resolve.resolve_value(left, input_value, scope)
        right_value = resolve.resolve_value(right, input_value, scope)
    except FatalExpressionError:
        raise
    except ExpressionError:
        return None
    return compare_values(left_value, right_value, op)


def _date_call(text: str, name: str, input_value: Any, scope: Scope) -> bool:
    paren = text.find("(")
    args: list[Any] = []
    for arg in split_arguments(text[paren + 1 : -1]):
        try:
            args.append(resolve.resolve_value(arg, input_value, scope))
        except FatalExpressionError:
            raise
        except ExpressionError as exc:
            raise ExpressionError(f"error resolving argument '{arg}': {exc}")
    result = call_date_function(name, args)
    if isinstance(result, bool):
        return result
    raise ExpressionError(f"function {name}() did not return a boolean value")


def evaluate_expression_in(expr: str, input_value: Any, scope: Scope) -> Any:
    """Go ``EvaluateExpression(expr, input, ctx)`` within an existing scope."""
    budget = scope.budget
    budget.enter()
    try:
        scope = scope.with_input(input_value)
        text = trim(expr)
        ternary, cond, when_true, when_false, value_function, arithmetic = _value_plan(text)
        if ternary:
            try:
                chosen = evaluate_in(cond, input_value, scope)
            except FatalExpressionError:
                raise
            except ExpressionError as exc:
                raise ExpressionError(f"ternary condition evaluation failed: {exc}")
            branch = when_true if chosen else when_false
            return evaluate_expression_in(branch, input_value, scope)
        if value_function:
            return valuefuncs.call_value_function(text, input_value, scope)
        if arithmetic:
            try:
                return arith.evaluate_arithmetic(text, scope)
            except FatalExpressionError:
                raise
            except ExpressionError:
                pass
        try:
            return resolve.resolve_value(text, input_value, scope)
        except FatalExpressionError:
            raise
        except ExpressionError:
            pass
        literal = parse_literal(text)
        if literal is not NOT_LITERAL:
            return literal
        raise ExpressionError(f"could not evaluate expression: {text}")
    finally:
        budget.leave()


def evaluate_simple_condition(condition: str, value: Any) -> bool:
    """Go ``evaluateSimpleCondition``: ``true``/``false`` or ``<op><number>`` on a float64.

    The number compared is ``value`` when it is a float, else ``value["value"]`` when that is a
    float; anything else gives False (ints are not Go float64s).
    """
    if condition == "true":
        return True
    if condition == "false":
        return False
    if isinstance(value, float):
        number = value
    elif isinstance(value, dict) and isinstance(value.get("value"), float):
        number = value["value"]
    else:
        return False
    if len(condition) < 2:
        return False
    op = condition[:2]
    if op in _SIMPLE_OPS:
        threshold = sscanf_float(condition[2:])
    elif condition[0] == ">" or condition[0] == "<":
        op = condition[0]
        threshold = sscanf_float(condition[1:])
    else:
        return False
    if op == ">":
        return number > threshold
    if op == "<":
        return number < threshold
    if op == ">=":
        return number >= threshold
    if op == "<=":
        return number <= threshold
    if op == "==":
        return number == threshold
    return number != threshold


__all__ = [
    "evaluate_expression_in",
    "evaluate_in",
    "evaluate_simple_condition",
    "sub_evaluate_expression",
]
