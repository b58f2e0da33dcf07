"""Go ``math`` semantics for the arithmetic evaluator and the value functions.

Python's ``math`` raises where Go returns infinities or NaN, rounds half to even where Go rounds
half away from zero, and drops the sign of zero; these helpers return what Go returns.
"""

from __future__ import annotations

import math

from pytest_wfsnap.engine.expr.scope import FatalExpressionError
from pytest_wfsnap.engine.expr.text import go_int
from pytest_wfsnap.errors import ExpressionError


def _is_odd_int(y: float) -> bool:
    return math.isfinite(y) and y == math.floor(y) and abs(y) < 2**63 and int(y) % 2 == 1


def go_pow(x: float, y: float) -> float:
    """Go ``math.Pow`` (infinities and NaN instead of Python's exceptions)."""
    try:
        return math.pow(x, y)
    except OverflowError:
        return -math.inf if x < 0 and _is_odd_int(y) else math.inf
    except ValueError:
        if x == 0:
            return math.copysign(math.inf, x) if _is_odd_int(y) else math.inf
        return math.nan


def go_round(x: float) -> float:
    """Go ``math.Round``: half away from zero, keeping the sign of zero."""
    if not math.isfinite(x):
        return x
    a = abs(x)
    whole = math.trunc(a)
    if a - whole >= 0.5:
        whole += 1
    return math.copysign(float(whole), x)


def go_floor(x: float) -> float:
    """Go ``math.Floor``."""
    if not math.isfinite(x):
        return x
    return math.copysign(float(math.floor(x)), x) if math.floor(x) == 0 else float(math.floor(x))


def go_ceil(x: float) -> float:
    """Go ``math.Ceil``."""
    if not math.isfinite(x):
        return x
    return math.copysign(float(math.ceil(x)), x) if math.ceil(x) == 0 else float(math.ceil(x))


def go_mod(left: float, right: float) -> float:
    """``float64(int(left) % int(right))`` for a non-zero ``right``.

    A divisor in (-1, 1) truncates to 0, on which Go panics (integer divide by zero) and the
    whole process dies; here it is a :class:`FatalExpressionError` ``modulo by zero`` that no
    heuristic step swallows.
    """
    divisor = go_int(right)
    if divisor == 0:
        raise FatalExpressionError("modulo by zero")
    dividend = go_int(left)
    rem = abs(dividend) % abs(divisor)
    return float(-rem if dividend < 0 else rem)


def call_math(name: str, args: list[float]) -> float:
    """Go ``callFunction``: pow, sqrt, abs, floor, ceil, round, min, max with arity checks."""
    count = len(args)
    if name == "pow":
        if count != 2:
            raise ExpressionError(f"pow() requires exactly 2 arguments, got {count}")
        return go_pow(args[0], args[1])
    if name == "min" or name == "max":
        if count < 2:
            raise ExpressionError(f"{name}() requires at least 2 arguments, got {count}")
        best = args[0]
        for value in args[1:]:
            if (value < best) if name == "min" else (value > best):
                best = value
        return best
    if count != 1:
        raise ExpressionError(f"{name}() requires exactly 1 argument, got {count}")
    x = args[0]
    if name == "sqrt":
        if x < 0:
            raise ExpressionError("sqrt() of negative number")
        return math.sqrt(x)
    if name == "abs":
        return math.fabs(x)
    if name == "floor":
        return go_floor(x)
    if name == "ceil":
        return go_ceil(x)
    return go_round(x)


__all__ = ["call_math", "go_ceil", "go_floor", "go_mod", "go_pow", "go_round"]
