"""Value functions of EvaluateExpression: map, avg, sum, sort, ... (ENGINE.md B7.9).

Each argument is itself evaluated with EvaluateExpression, with the caller's input and scope
(so ``map`` does not rebind ``item`` for arithmetic inside it, exactly as in Go).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pytest_wfsnap.engine.expr import core
from pytest_wfsnap.engine.expr.gomath import go_ceil, go_floor, go_round
from pytest_wfsnap.engine.expr.scope import MAX_SORT_MIXED, FatalExpressionError, Scope
from pytest_wfsnap.engine.expr.text import go_int, split_arguments_parens, trim
from pytest_wfsnap.engine.expr.values import compare_for_sort, flatten_deep
from pytest_wfsnap.engine.gofmt import go_type, go_v, parse_go_float, to_float64
from pytest_wfsnap.errors import ExpressionError

_UNARY: dict[str, Callable[[float], float]] = {
    "round": go_round,
    "floor": go_floor,
    "ceil": go_ceil,
    "abs": math.fabs,
}


def _eval(arg: str, input_value: Any, scope: Scope, wrap: str) -> Any:
    budget = scope.budget
    budget.enter()  # a function call costs a nesting level of its own
    try:
        return core.evaluate_expression_in(arg, input_value, scope)
    except FatalExpressionError:
        raise
    except ExpressionError as exc:
        raise ExpressionError(f"{wrap}: {exc}")
    finally:
        budget.leave()


def call_value_function(expr: str, input_value: Any, scope: Scope) -> Any:
    """Go ``evaluateValueFunctionCall`` on ``name(args)`` text (name already checked)."""
    idx = expr.index("(")
    name = trim(expr[:idx])
    args = split_arguments_parens(expr[idx + 1 : -1])
    if name == "map":
        return _map(args, input_value, scope)
    if name == "avg" or name == "sum":
        return _avg_sum(name, args, input_value, scope)
    if name in _UNARY:
        return _unary(name, args, input_value, scope)
    if name == "min" or name == "max":
        return _min_max(name, args, input_value, scope)
    if name == "zip":
        return _zip(args, input_value, scope)
    if name == "slice" or name == "sample":
        return (
            _slice(args, input_value, scope)
            if name == "slice"
            else _sample(args, input_value, scope)
        )
    if len(args) != 1:
        raise ExpressionError(f"{name}() requires exactly 1 argument, got {len(args)}")
    value = _eval(args[0], input_value, scope, f"{name}() argument evaluation failed")
    if not isinstance(value, list):
        raise ExpressionError(f"{name}() requires an array, got {go_type(value)}")
    if name == "sort":
        return _sort(value, scope)
    if name == "reverse":
        return value[::-1]
    if name == "unique":
        seen: set[str] = set()
        unique: list[Any] = []
        for item in value:
            key = go_v(item)
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return unique
    return flatten_deep(value, scope.budget.tick)


def _map(args: tuple[str, ...], input_value: Any, scope: Scope) -> list[Any]:
    if len(args) != 2:
        raise ExpressionError(
            "map() requires exactly 2 arguments: array expression and item expression"
        )
    array = _eval(args[0], input_value, scope, "map() first argument evaluation failed")
    if not isinstance(array, list):
        raise ExpressionError(f"map() first argument must be an array, got {go_type(array)}")
    item_expr = trim(args[1])
    scope.budget.tick(len(array))
    return [_eval(item_expr, element, scope, "map() item expression failed") for element in array]


def _avg_sum(name: str, args: tuple[str, ...], input_value: Any, scope: Scope) -> float:
    if not args:
        raise ExpressionError(f"{name}() requires at least 1 argument")
    if len(args) == 1:
        value = _eval(args[0], input_value, scope, f"{name}() argument evaluation failed")
        if isinstance(value, list):
            if not value:
                if name == "avg":
                    raise ExpressionError("avg() on empty array")
                return 0.0
            total = 0.0
            for item in value:
                number = to_float64(item)
                if number is None:
                    raise ExpressionError(
                        f"{name}() encountered non-numeric element: {go_type(item)}"
                    )
                total += number
            return total / float(len(value)) if name == "avg" else total
        number = to_float64(value)
        if number is None:
            raise ExpressionError(f"{name}() requires numeric values, got {go_type(value)}")
        return number
    total = 0.0
    for arg in args:
        value = _eval(arg, input_value, scope, f"{name}() argument evaluation failed")
        number = to_float64(value)
        if number is None:
            raise ExpressionError(f"{name}() requires numeric values, got {go_type(value)}")
        total += number
    return total / float(len(args)) if name == "avg" else total


def _unary(name: str, args: tuple[str, ...], input_value: Any, scope: Scope) -> Any:
    if len(args) != 1:
        raise ExpressionError(f"{name}() requires exactly 1 argument, got {len(args)}")
    fn = _UNARY[name]
    value = _eval(args[0], input_value, scope, f"{name}() argument evaluation failed")
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            number = to_float64(item)
            if number is None:
                raise ExpressionError(f"{name}() encountered non-numeric element: {go_type(item)}")
            out.append(fn(number))
        return out
    number = to_float64(value)
    if number is None:
        raise ExpressionError(f"{name}() requires numeric value, got {go_type(value)}")
    return fn(number)


def _min_max(name: str, args: tuple[str, ...], input_value: Any, scope: Scope) -> float:
    if not args:
        raise ExpressionError(f"{name}() requires at least 1 argument")
    is_min = name == "min"
    if len(args) == 1:
        value = _eval(args[0], input_value, scope, f"{name}() argument evaluation failed")
        if not isinstance(value, list):
            raise ExpressionError(
                f"{name}() requires at least 2 arguments or an array, got 1 non-array value"
            )
        if not value:
            raise ExpressionError(f"{name}() on empty array")
        numbers = []
        for item in value:
            number = to_float64(item)
            if number is None:
                raise ExpressionError(f"{name}() encountered non-numeric element: {go_type(item)}")
            numbers.append(number)
    else:
        numbers = []
        for arg in args:
            value = _eval(arg, input_value, scope, f"{name}() argument evaluation failed")
            number = to_float64(value)
            if number is None:
                raise ExpressionError(f"{name}() requires numeric values, got {go_type(value)}")
            numbers.append(number)
    best = numbers[0]
    for number in numbers[1:]:
        if (number < best) if is_min else (number > best):
            best = number
    return best


def _index_arg(arg: str, label: str, what: str, input_value: Any, scope: Scope) -> int:
    value = _eval(arg, input_value, scope, f"{label}() {what} argument evaluation failed")
    number = to_float64(value)
    if number is None:
        raise ExpressionError(f"{label}() {what} must be numeric, got {go_type(value)}")
    return go_int(number)


def _slice(args: tuple[str, ...], input_value: Any, scope: Scope) -> list[Any]:
    if len(args) < 2 or len(args) > 3:
        raise ExpressionError(
            f"slice() requires 2 or 3 arguments (array, start, [end]), got {len(args)}"
        )
    array = _eval(args[0], input_value, scope, "slice() array argument evaluation failed")
    if not isinstance(array, list):
        raise ExpressionError(f"slice() first argument must be an array, got {go_type(array)}")
    length = len(array)
    start = _index_arg(args[1], "slice", "start", input_value, scope)
    if start < 0:
        start += length
    start = min(max(start, 0), length)
    end = length
    if len(args) == 3:
        end = _index_arg(args[2], "slice", "end", input_value, scope)
        if end < 0:
            end += length
        end = min(max(end, 0), length)
    return [] if start > end else array[start:end]


def _sample(args: tuple[str, ...], input_value: Any, scope: Scope) -> list[Any]:
    if len(args) != 2:
        raise ExpressionError(f"sample() requires exactly 2 arguments (array, n), got {len(args)}")
    array = _eval(args[0], input_value, scope, "sample() array argument evaluation failed")
    if not isinstance(array, list):
        raise ExpressionError(f"sample() first argument must be an array, got {go_type(array)}")
    count = _index_arg(args[1], "sample", "n", input_value, scope)
    if count < 0:
        raise ExpressionError(f"sample() n must be non-negative, got {count}")
    if count == 0:
        return []
    length = len(array)
    if count >= length:
        result = list(array)
        for i in range(length - 1, 0, -1):
            j = int((i + 1) * 0.5)
            result[i], result[j] = result[j], result[i]
        return result
    step = max(length // count, 1)
    return [array[i * step] for i in range(count) if i * step < length]


def _zip(args: tuple[str, ...], input_value: Any, scope: Scope) -> list[Any]:
    if len(args) < 2:
        raise ExpressionError(f"zip() requires at least 2 arrays, got {len(args)}")
    arrays: list[list[Any]] = []
    for i, arg in enumerate(args):
        value = _eval(arg, input_value, scope, f"zip() array {i} evaluation failed")
        if not isinstance(value, list):
            raise ExpressionError(f"zip() argument {i} must be an array, got {go_type(value)}")
        arrays.append(value)
    longest = max(len(a) for a in arrays)
    scope.budget.tick(longest)
    return [[a[i] if i < len(a) else None for a in arrays] for i in range(longest)]


def _sort_key_kind(array: list[Any]) -> str:
    """Which fast path reproduces Go's exchange sort exactly ("" when none does)."""
    if all(type(v) is float for v in array):
        if any(v != v for v in array):
            return ""
        zeros = {math.copysign(1.0, v) for v in array if v == 0}
        return "num" if len(zeros) < 2 else ""
    if all(type(v) is int for v in array):
        return "num" if all(abs(v) <= 2**53 for v in array) else ""
    if all(type(v) is str for v in array):
        return "str" if all(parse_go_float(v) is None for v in array) else ""
    return ""


def _sort(array: list[Any], scope: Scope) -> list[Any]:
    """Go's exchange sort with compareForSort; equal-key elements are identical on fast paths."""
    kind = _sort_key_kind(array)
    if kind:
        return sorted(array)
    count = len(array)
    if count > MAX_SORT_MIXED:
        raise ExpressionError(
            f"sort() of an array whose elements do not share one ordering type is limited to "
            f"{MAX_SORT_MIXED} elements, got {count}"
        )
    scope.budget.tick(count * count // 64)
    result = list(array)
    for i in range(count):
        for j in range(i + 1, count):
            if compare_for_sort(result[i], result[j]) > 0:
                result[i], result[j] = result[j], result[i]
    return result


__all__ = ["call_value_function"]
