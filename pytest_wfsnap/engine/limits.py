"""Runtime protection limits (ENGINE.md B2.2, B4.6, B4.7): value validation and counter messages.

Every message names the value that broke the limit and the limit, as the Go engine words it; the
config setting to raise is the snake_case form of the Go name (e.g. ``max_string_length``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pytest_wfsnap.engine.config import Config, timedelta_to_ns
from pytest_wfsnap.engine.gofmt import format_duration
from pytest_wfsnap.errors import LimitError


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def value_depth(value: Any, level: int = 0) -> int:
    """Nesting depth (B2.2): a scalar at level k counts k+1; null and empty containers add
    nothing; a container is as deep as its deepest child."""
    if value is None:
        return level
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return level + 1
    deepest = level
    for child in children:
        depth = value_depth(child, level + 1)
        if depth > deepest:
            deepest = depth
    return deepest


def validate_value(value: Any, config: Config) -> str | None:
    """Go ``types.ValidateValue``: the reason ``value`` breaks a limit, or None."""
    if value is None:
        return None
    max_string = config.max_string_length
    if max_string > 0 and isinstance(value, str) and len(value) > max_string // 4:
        length = _utf8_length(value)
        if length > max_string:
            return f"string too long: {length} bytes (limit: {max_string})"
    max_array = config.max_array_length
    if max_array > 0 and isinstance(value, list):
        if len(value) > max_array:
            return f"array too large: {len(value)} elements (limit: {max_array})"
        for index, element in enumerate(value):
            if isinstance(element, (str, list, dict)):
                reason = validate_value(element, config)
                if reason is not None:
                    return f"array element {index}: {reason}"
    max_depth = config.max_context_depth
    if max_depth > 0 and isinstance(value, (list, dict)):
        try:
            depth = value_depth(value)
        except RecursionError:
            return f"value too deeply nested: more than {max_depth} levels (limit: {max_depth})"
        if depth > max_depth:
            return f"value too deeply nested: {depth} levels (limit: {max_depth})"
    return None


def result_limit(value: Any, config: Config) -> str | None:
    """The size limits a stored result breaks (only logged, as in Go): string length and
    array length, checked at the top level so storing a result stays O(1)."""
    if isinstance(value, str):
        limit = config.max_string_length
        if limit > 0 and len(value) > limit // 4:
            length = _utf8_length(value)
            if length > limit:
                return f"string too long: {length} bytes (limit: {limit})"
    elif isinstance(value, list):
        limit = config.max_array_length
        if limit > 0 and len(value) > limit:
            return f"array too large: {len(value)} elements (limit: {limit})"
    return None


def check_variable(value: Any, config: Config, is_new: bool, count: int) -> None:
    """The checks of Go ``engine.SetVariable``; raises :class:`LimitError`."""
    reason = validate_value(value, config)
    if reason is not None:
        raise LimitError(f"variable validation failed: {reason}")
    limit = config.max_variables
    if is_new and limit > 0 and count >= limit:
        raise LimitError(f"maximum variables exceeded: {count} (limit: {limit})")


def node_limit_message(count: int, limit: int) -> str:
    return f"maximum node executions exceeded: {count} (limit: {limit})"


def http_limit_message(count: int, limit: int) -> str:
    return f"maximum HTTP calls per execution exceeded: {count} (limit: {limit})"


def timeout_message(limit: timedelta) -> str:
    return f"workflow execution timeout: exceeded {format_duration(timedelta_to_ns(limit))}"


__all__ = [
    "check_variable",
    "http_limit_message",
    "node_limit_message",
    "result_limit",
    "timeout_message",
    "validate_value",
    "value_depth",
]
