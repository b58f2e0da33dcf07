"""Go data-struct semantics shared by the array, loop, resilience and validation executors.

The Go executors type-assert their data fields and convert numbers the Go way. This module
gives them one vocabulary for that:

* typed field readers (:func:`str_field`, :func:`int_field`, ...) that turn a field of the wrong
  type into a clear :class:`NodeError` instead of a Python crash;
* :func:`given`: whether a Go *pointer* field was set in the payload (``null`` and absent keys
  are "not given"), for the fields whose Go default differs from the zero value
  (``continue_on_error`` defaults to true, ``order`` to ``"asc"``, ...);
* Go numeric conversions: :func:`go_int` (``int(float64)`` on amd64) and :func:`number_param`
  (the ``x.(float64)`` / ``x.(int)`` pattern of ``interface{}`` fields);
* array inputs: :class:`ArrayExecutor` (the base of the array nodes that answer a non-array
  input with the ``input is not an array`` map), :func:`require_array` (the nodes that fail on
  one instead), :func:`positive_count`, and the map unwrapping of filter and partition;
* :class:`Overlay` and :func:`item_scope`: an expression context whose per-element variables
  (``item``, ``index``, ...) are updated in place, so loops never copy the workflow variables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pytest_wfsnap.engine.expr.context import ExprContext, Overlay
from pytest_wfsnap.engine.gofmt import go_type
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, first_input
from pytest_wfsnap.errors import NodeError

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_UINT64 = 1 << 64

# Keys under which filter and partition look for an array in a map input (range node output).
ARRAY_KEYS = ("range", "array", "items", "data", "values")


# --- numbers ----------------------------------------------------------------------------------


def go_int(value: float) -> int:
    """Go ``int(f)`` for a float64 on amd64: truncation toward zero.

    NaN, infinities and values outside the int64 range give ``-9223372036854775808`` (the
    "integer indefinite" value the CPU produces), as they do in the Go engine.
    """
    if math.isnan(value) or math.isinf(value):
        return INT64_MIN
    if not (-9.223372036854775808e18 <= value < 9.223372036854775808e18):
        return INT64_MIN
    return int(value)


def wrap_int64(value: int) -> int:
    """Reduce an integer to int64 with two's-complement wrap-around (Go integer overflow)."""
    value %= _UINT64
    return value - _UINT64 if value > INT64_MAX else value


def is_number(value: Any) -> bool:
    """True for a Go float64 or int (Python float or int, never bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_param(value: Any) -> int | None:
    """An ``interface{}`` field read as Go does: ``float64`` truncated, ``int`` as is, else None."""
    if isinstance(value, float):
        return go_int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def float_param(value: Any) -> float | None:
    """An ``interface{}`` field read as a float64 (``float64`` or ``int``), else None."""
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return None


def go_float_f(value: float) -> str:
    """Go ``fmt.Sprintf("%f", value)``: six decimals, ``+Inf``/``-Inf``/``NaN``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:f}"


# --- typed fields -------------------------------------------------------------------------------


def _wrong_type(node: NodeSpec, key: str, want: str, value: Any) -> NodeError:
    return NodeError(
        f"{node.type} node {node.id}: field '{key}' must be {want}, got {go_type(value)}"
    )


def str_field(params: Mapping[str, Any], key: str, node: NodeSpec) -> str:
    """A Go ``string`` field: "" when absent or null."""
    value = params.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _wrong_type(node, key, "a string", value)
    return value


def int_field(params: Mapping[str, Any], key: str, node: NodeSpec) -> int:
    """A Go ``int`` field: 0 when absent or null; integral floats are accepted."""
    value = params.get(key)
    if value is None:
        return 0
    if isinstance(value, bool):
        raise _wrong_type(node, key, "an integer", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return go_int(value)
    raise _wrong_type(node, key, "an integer", value)


def float_field(params: Mapping[str, Any], key: str, node: NodeSpec) -> float:
    """A Go ``float64`` field: 0.0 when absent or null."""
    value = params.get(key)
    if value is None:
        return 0.0
    number = float_param(value)
    if number is None:
        raise _wrong_type(node, key, "a number", value)
    return number


def bool_field(params: Mapping[str, Any], key: str, node: NodeSpec) -> bool:
    """A Go ``bool`` field: False when absent or null."""
    value = params.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _wrong_type(node, key, "a boolean", value)
    return value


def str_list_field(params: Mapping[str, Any], key: str, node: NodeSpec) -> list[str]:
    """A Go ``[]string`` field: [] when absent or null."""
    value = params.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _wrong_type(node, key, "a list of strings", value)
    return list(value)


def object_list_field(params: Mapping[str, Any], key: str, node: NodeSpec) -> list[dict[str, Any]]:
    """A Go ``[]Struct`` field (switch cases, context values): [] when absent or null."""
    value = params.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _wrong_type(node, key, "a list of objects", value)
    return value


def given(node: NodeSpec, key: str) -> bool:
    """Whether the Go pointer field ``key`` is set: present in the node data and not null.

    Go matches JSON keys case-insensitively (an exact match is preferred), so ``"Order"`` sets
    ``order`` too.
    """
    data = node.data
    if data is None:
        return False
    if key in data:
        return data[key] is not None
    folded = key.casefold()
    found: Any = None
    for name, value in data.items():
        if isinstance(name, str) and name.casefold() == folded:
            found = value
    return found is not None


# --- inputs and arrays --------------------------------------------------------------------------


def not_array(value: Any) -> dict[str, Any]:
    """The result array nodes return for a non-array input (not an error in Go)."""
    return {"error": "input is not an array", "input": value, "original_type": go_type(value)}


def require_array(inputs: list[Any], node_type: str) -> list[Any]:
    """``inputs[0]`` as an array; NodeError when it is missing or not an array.

    For the nodes that fail on a non-array input (map, reduce, for_each) rather than return
    the :func:`not_array` map.
    """
    value = first_input(inputs, f"{node_type} node needs at least 1 input")
    if not isinstance(value, list):
        raise NodeError(f"{node_type} node requires array input, got {go_type(value)}")
    return value


def positive_count(params: Mapping[str, Any], key: str, default: int, what: str) -> int:
    """An ``interface{}`` count field (``default`` when absent or not a number), which must be
    greater than 0: ``NodeError("<what> must be greater than 0, got <n>")`` otherwise."""
    count = number_param(params.get(key))
    if count is None:
        count = default
    if count <= 0:
        raise NodeError(f"{what} must be greater than 0, got {count}")
    return count


class ArrayExecutor(Executor):
    """Base of the array nodes that need ``inputs[0]`` and answer a non-array with the
    :func:`not_array` map instead of failing.

    :meth:`run` does those two checks (``<type> node needs at least 1 input`` when there is
    no input) and hands the array to :meth:`run_array`.
    """

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, f"{self.node_type} node needs at least 1 input")
        if not isinstance(value, list):
            return not_array(value)
        return self.run_array(value, params, rt, node)

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        raise NotImplementedError  # pragma: no cover - every subclass implements it


def unwrap_array(value: Any) -> list[Any] | None:
    """``value`` if it is an array, else the first array under ``range|array|items|data|values``
    of a map (filter and partition accept a range node's output directly); None otherwise."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in ARRAY_KEYS:
            candidate = value.get(key)
            if isinstance(candidate, list):
                return candidate
    return None


# --- expression contexts ------------------------------------------------------------------------


def item_scope(rt: Runtime, top: dict[str, Any]) -> ExprContext:
    """An expression context whose variables are ``top`` overlaid on the workflow variables.

    The caller keeps ``top`` and updates it per element (``item``, ``index``, ...): the context
    sees the change without any copy.
    """
    base = rt.expr_context(None)
    return ExprContext(
        node_results=base.node_results,
        variables=Overlay(top, base.variables),
        context=base.context,
    )


__all__ = [
    "ARRAY_KEYS",
    "INT64_MAX",
    "INT64_MIN",
    "ArrayExecutor",
    "Overlay",
    "bool_field",
    "first_input",
    "float_field",
    "float_param",
    "given",
    "go_float_f",
    "go_int",
    "int_field",
    "is_number",
    "item_scope",
    "not_array",
    "number_param",
    "object_list_field",
    "positive_count",
    "require_array",
    "str_field",
    "str_list_field",
    "unwrap_array",
    "wrap_int64",
]
