"""Value semantics of the expression language: comparison (B7.5), field paths and methods (B7.8).

Values are the engine's: None, bool, int, float, str, list, dict and aware datetimes (Go
``time.Time``). Only dicts and lists are navigated; no attribute of any Python object is ever
read, so expressions cannot reach interpreter internals.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pytest_wfsnap.engine.expr.text import (
    NOT_LITERAL,
    atoi,
    parse_literal,
    split_arguments,
    split_field_path,
    trim,
    utf8_len,
)
from pytest_wfsnap.engine.gofmt import go_type, go_v, to_float64
from pytest_wfsnap.errors import ExpressionError

# --- comparison ---------------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def values_equal(left: Any, right: Any) -> bool:
    """Go ``compareEquality``: nil, time, numeric (numeric strings too), string, bool."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, datetime) and isinstance(right, datetime):
        return _aware(left) == _aware(right)
    lnum = to_float64(left)
    if lnum is not None:
        rnum = to_float64(right)
        if rnum is not None:
            return lnum == rnum
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if isinstance(left, bool) and isinstance(right, bool):
        return left is right
    return False


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare_values(left: Any, right: Any, op: str) -> bool:
    """Go ``compareValues`` for ``== != < <= > >=`` (orderings need numbers or two times)."""
    if op == "==":
        return values_equal(left, right)
    if op == "!=":
        return not values_equal(left, right)
    ordering = _ORDERINGS.get(op)
    if ordering is None:
        return False
    if isinstance(left, datetime) and isinstance(right, datetime):
        return ordering(_aware(left), _aware(right))
    lnum = to_float64(left)
    rnum = to_float64(right)
    if lnum is None or rnum is None:
        return False
    return ordering(lnum, rnum)


def flatten_deep(array: list[Any], on_nested: Callable[[], None] | None = None) -> list[Any]:
    """Every non-list element of ``array`` and of the lists nested in it, in order.

    Iterative, so deep nesting cannot exhaust the Python stack; ``on_nested`` is called on
    entering each nested list (the expression language counts that work against its budget).
    """
    out: list[Any] = []
    stack: list[tuple[list[Any], int]] = [(array, 0)]
    while stack:
        items, pos = stack.pop()
        while pos < len(items):
            item = items[pos]
            pos += 1
            if isinstance(item, list):
                stack.append((items, pos))
                items, pos = item, 0
                if on_nested is not None:
                    on_nested()
            else:
                out.append(item)
    return out


def compare_for_sort(a: Any, b: Any) -> int:
    """Go ``compareForSort``: numbers numerically, strings lexically, else by ``%v`` text."""
    anum = to_float64(a)
    bnum = to_float64(b)
    if anum is not None and bnum is not None:
        return -1 if anum < bnum else (1 if anum > bnum else 0)
    if isinstance(a, str) and isinstance(b, str):
        return -1 if a < b else (1 if a > b else 0)
    astr, bstr = go_v(a), go_v(b)
    return -1 if astr < bstr else (1 if astr > bstr else 0)


# --- Go case mapping (simple, per rune; Python's str.upper uses full mappings) -------------


def _upper_char(ch: str) -> str:
    up = ch.upper()
    if len(up) == 1:
        return up
    code = ord(ch)
    if 0x1F80 <= code <= 0x1FA7 and (code & 0xF) < 8:
        return chr(code + 8)
    if code in (0x1FB3, 0x1FC3, 0x1FF3):
        return chr(code + 9)
    return ch


def go_upper(text: str) -> str:
    """Go ``strings.ToUpper``."""
    if text.isascii():
        return text.upper()
    return "".join([_upper_char(ch) for ch in text])


def go_lower(text: str) -> str:
    """Go ``strings.ToLower`` (no final-sigma rule; U+0130 maps to ``i``)."""
    if text.isascii():
        return text.lower()
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ("i" if ch == "\u0130" else ch))
    return "".join(out)


# --- methods ------------------------------------------------------------------------------


def _one_arg(method: str, args: tuple[Any, ...]) -> str:
    if len(args) != 1:
        raise ExpressionError(f"{method}() requires exactly 1 argument, got {len(args)}")
    return go_v(args[0])


def call_method(obj: Any, method: str, args: tuple[Any, ...]) -> Any:
    """Go ``callMethod``: the string and array methods of ENGINE.md B7.8."""
    if method == "toUpperCase" or method == "toLowerCase" or method == "trim":
        if isinstance(obj, str):
            if method == "trim":
                return trim(obj)
            return go_upper(obj) if method == "toUpperCase" else go_lower(obj)
        raise ExpressionError(f"{method}() can only be called on strings, got {go_type(obj)}")
    if method == "includes":
        if isinstance(obj, str):
            return _one_arg(method, args) in obj
        if isinstance(obj, list):
            needle = _one_arg(method, args)
            target = args[0]
            for item in obj:
                if type(item) is type(target) and item == target:
                    return True
                if go_v(item) == needle:
                    return True
            return False
        raise ExpressionError(
            f"includes() can only be called on strings or arrays, got {go_type(obj)}"
        )
    if method == "startsWith" or method == "endsWith":
        if isinstance(obj, str):
            part = _one_arg(method, args)
            return obj.startswith(part) if method == "startsWith" else obj.endswith(part)
        raise ExpressionError(f"{method}() can only be called on strings, got {go_type(obj)}")
    if method == "replace":
        if isinstance(obj, str):
            if len(args) != 2:
                raise ExpressionError(f"replace() requires exactly 2 arguments, got {len(args)}")
            return obj.replace(go_v(args[0]), go_v(args[1]))
        raise ExpressionError(f"replace() can only be called on strings, got {go_type(obj)}")
    if method == "split":
        if isinstance(obj, str):
            sep = _one_arg(method, args)
            return list(obj) if sep == "" else obj.split(sep)
        raise ExpressionError(f"split() can only be called on strings, got {go_type(obj)}")
    if method == "join":
        if isinstance(obj, list):
            sep = _one_arg(method, args)
            return sep.join([go_v(item) for item in obj])
        raise ExpressionError(f"join() can only be called on arrays, got {go_type(obj)}")
    if method == "reverse" or method == "first" or method == "last":
        if isinstance(obj, list):
            if method == "reverse":
                return obj[::-1]
            if not obj:
                return None
            return obj[0] if method == "first" else obj[-1]
        raise ExpressionError(f"{method}() can only be called on arrays, got {go_type(obj)}")
    raise ExpressionError(f"unknown method: {method}")


# --- field paths --------------------------------------------------------------------------

_CALL, _INDEX, _LENGTH, _KEY = 0, 1, 2, 3
_Step = tuple[int, str, Any, Any]


def _method_arg(text: str) -> Any:
    value = parse_literal(text)
    return text.strip("\"'") if value is NOT_LITERAL else value


@lru_cache(maxsize=8192)
def compile_field_path(path: str) -> tuple[_Step, ...]:
    """Classify each segment of a field path once (method call, index, length, key)."""
    steps: list[_Step] = []
    for field in split_field_path(path):
        if field.endswith(")") and "(" in field:
            idx = field.index("(")
            arg_text = field[idx + 1 : -1]
            args = tuple(_method_arg(a) for a in split_arguments(arg_text)) if arg_text else ()
            steps.append((_CALL, field[:idx], args, None))
        elif field.endswith("]") and "[" in field:
            idx = field.index("[")
            index_text = field[idx + 1 : -1]
            steps.append((_INDEX, field[:idx], index_text, atoi(index_text)))
        elif field == "length":
            steps.append((_LENGTH, field, None, None))
        else:
            steps.append((_KEY, field, None, None))
    return tuple(steps)


def resolve_field_path(path: str, obj: Any) -> Any:
    """Go ``resolveFieldPath``: keys, ``[i]`` indexes, ``.length`` and method calls."""
    current = obj
    for kind, name, arg, index in compile_field_path(path):
        if kind == _KEY:
            if isinstance(current, dict):
                value = current.get(name, _NOT_FOUND)
                if value is _NOT_FOUND:
                    raise ExpressionError(f"field not found: {name}")
                current = value
            else:
                raise ExpressionError(f"cannot access field {name} on non-object")
        elif kind == _INDEX:
            if name:
                if not isinstance(current, dict):
                    raise ExpressionError(f"cannot access field {name} on non-object")
                value = current.get(name, _NOT_FOUND)
                if value is _NOT_FOUND:
                    raise ExpressionError(f"field not found: {name}")
                current = value
            if index is None:
                raise ExpressionError(f"invalid array index: {arg}")
            if not isinstance(current, list):
                raise ExpressionError(
                    f"cannot use array indexing on non-array type: {go_type(current)}"
                )
            if index < 0 or index >= len(current):
                raise ExpressionError(f"array index {index} out of bounds (length: {len(current)})")
            current = current[index]
        elif kind == _LENGTH:
            if isinstance(current, list):
                return float(len(current))
            if isinstance(current, str):
                return float(utf8_len(current))
            raise ExpressionError(
                f".length property only available on arrays and strings, got {go_type(current)}"
            )
        else:
            current = call_method(current, name, arg)
    return current


_NOT_FOUND = object()

__all__ = [
    "call_method",
    "compare_for_sort",
    "compare_values",
    "compile_field_path",
    "flatten_deep",
    "go_lower",
    "go_upper",
    "resolve_field_path",
    "values_equal",
]
