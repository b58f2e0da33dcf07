"""``resolveValue``: turn one operand text into a value (ENGINE.md B7.4).

The syntactic part of the decision (literal, number, arithmetic, which prefix, which path) depends
only on the text, so it is computed once per distinct reference and cached; only the lookups run
per evaluation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from pytest_wfsnap.engine.expr import arith
from pytest_wfsnap.engine.expr.scope import MISSING, FatalExpressionError, Scope
from pytest_wfsnap.engine.expr.text import contains_arithmetic, is_quoted, trim
from pytest_wfsnap.engine.expr.values import resolve_field_path
from pytest_wfsnap.engine.gofmt import parse_go_float
from pytest_wfsnap.errors import ExpressionError

# Plan kinds: what resolveValue does with a reference after the literal checks.
_CONST: Final = 0  # a literal value (quoted text, number, bool)
_NODE: Final = 1
_VARIABLE: Final = 2
_CONTEXT: Final = 3
_INPUT: Final = 4  # "input" / "item": the input itself
_INPUT_PATH: Final = 5  # item.<path> / input.<path>
_BARE: Final = 6  # a field path on the input, else unknown reference

_Plan = tuple[int, str, str, bool, Any]  # kind, name, path, try_arithmetic, constant


@lru_cache(maxsize=16384)
def _plan(ref: str) -> _Plan:
    if is_quoted(ref):
        return (_CONST, "", "", False, ref[1:-1])
    number = parse_go_float(ref)
    if number is not None:
        return (_CONST, "", "", False, number)
    if ref == "true" or ref == "false":
        return (_CONST, "", "", False, ref == "true")
    arithmetic = contains_arithmetic(ref)
    if ref.startswith("node."):
        parts = ref.split(".")
        return (_NODE, parts[1], ".".join(parts[2:]), arithmetic, len(parts) > 2)
    if ref.startswith("variables."):
        rest = ref[10:]
        end = len(rest)
        dot = rest.find(".")
        if dot != -1:
            end = dot
        bracket = rest.find("[")
        if bracket != -1 and bracket < end:
            end = bracket
        path = rest[end:]
        has_path = end != len(rest)
        if path.startswith("."):
            path = path[1:]
        return (_VARIABLE, rest[:end], path, arithmetic, has_path)
    if ref.startswith("context."):
        return (_CONTEXT, ref[8:], "", arithmetic, None)
    if ref == "input" or ref == "item":
        return (_INPUT, "", "", arithmetic, None)
    if ref.startswith("item."):
        return (_INPUT_PATH, "", ref[5:], arithmetic, None)
    if ref.startswith("input."):
        return (_INPUT_PATH, "", ref[6:], arithmetic, None)
    return (_BARE, "", "", arithmetic, None)


def resolve_value(ref: str, input_value: Any, scope: Scope) -> Any:
    """Go ``resolveValue(ref, input, ctx)``; raises ExpressionError on failure."""
    budget = scope.budget
    budget.enter()
    try:
        ref = trim(ref)
        kind, name, path, arithmetic, extra = _plan(ref)
        if kind == _CONST:
            return extra
        if arithmetic:
            try:
                return arith.evaluate_arithmetic(ref, scope)
            except FatalExpressionError:
                raise
            except ExpressionError:
                pass
        if kind == _NODE:
            result = scope.nodes.get(name, MISSING)
            if result is MISSING:
                raise ExpressionError(f"node result not found: {name}")
            return resolve_field_path(path, result) if extra else result
        if kind == _VARIABLE:
            value = scope.get_var(name)
            if value is MISSING:
                raise ExpressionError(f"variable not found: {name}")
            return resolve_field_path(path, value) if extra else value
        if kind == _CONTEXT:
            value = scope.context.get(name, MISSING)
            if value is MISSING:
                raise ExpressionError(f"context variable not found: {name}")
            return value
        if kind == _INPUT:
            return input_value
        if kind == _INPUT_PATH:
            return resolve_field_path(path, input_value)
        if input_value is not None:
            try:
                return resolve_field_path(ref, input_value)
            except FatalExpressionError:
                raise
            except ExpressionError:
                pass
        raise ExpressionError(f"unknown reference: {ref}")
    finally:
        budget.leave()


__all__ = ["resolve_value"]
