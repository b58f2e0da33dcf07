"""Arithmetic and text nodes: operation, text_operation (ENGINE.md B9.8, B9.9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_wfsnap.engine.nodes._gotext import (
    go_camel_case,
    go_inverse_case,
    go_lower,
    go_title,
    go_upper,
)
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, need_inputs
from pytest_wfsnap.engine.nodes.gotypes import given, int_field, str_field
from pytest_wfsnap.errors import NodeError

# A repeat whose output would exceed this many bytes fails cleanly instead of exhausting memory.
MAX_REPEAT_BYTES = 1 << 31


class OperationExecutor(Executor):
    """``op`` of add|subtract|multiply|divide on inputs[0] and inputs[1] (both float64)."""

    node_type = "operation"
    data_struct = "OperationData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        if len(inputs) < 2:
            raise NodeError(f"operation needs 2 inputs, got {len(inputs)}")
        left, right = inputs[0], inputs[1]
        # Go type-asserts float64: engine-made ints and bools are not numbers here.
        if not isinstance(left, float) or not isinstance(right, float):
            raise NodeError("operation inputs must be numbers")
        op = str_field(params, "op", node)
        if op == "add":
            return left + right
        if op == "subtract":
            return left - right
        if op == "multiply":
            return left * right
        if op == "divide":
            if right == 0:
                raise NodeError("division by zero")
            return left / right
        raise NodeError(f"unknown operation: {op}")


_CASE_OPS: dict[str, Callable[[str], str]] = {
    "uppercase": go_upper,
    "lowercase": go_lower,
    "titlecase": go_title,
    "camelcase": go_camel_case,
    "inversecase": go_inverse_case,
}


class TextOperationExecutor(Executor):
    """concat, repeat and the case operations on text inputs."""

    node_type = "text_operation"
    data_struct = "TextOperationData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        need_inputs(inputs, "text operation needs at least 1 input")
        op = str_field(params, "text_op", node)
        if op == "concat":
            return _concat(inputs, str_field(params, "separator", node))
        if op == "repeat":
            count = int_field(params, "repeat_n", node) if given(node, "repeat_n") else None
            return _repeat(inputs[0], count)
        text = inputs[0]
        if not isinstance(text, str):
            raise NodeError("text operation input must be text/string")
        transform = _CASE_OPS.get(op)
        if transform is None:
            raise NodeError(f"unknown text operation: {op}")
        return transform(text)


def _concat(inputs: list[Any], separator: str) -> str:
    for index, value in enumerate(inputs):
        if not isinstance(value, str):
            raise NodeError(f"concat operation input {index} must be text/string")
    return separator.join(inputs)


def _repeat(value: Any, count: int | None) -> str:
    if not isinstance(value, str):
        raise NodeError("repeat operation input must be text/string")
    if count is None:
        raise NodeError("repeat operation requires repeat_n field")
    if count < 0:
        raise NodeError(f"repeat_n must be non-negative, got {count}")
    size = len(value.encode("utf-8", "surrogatepass")) * count
    if size > MAX_REPEAT_BYTES:
        raise NodeError(
            f"repeat operation output too large: {size} bytes (limit: {MAX_REPEAT_BYTES})"
        )
    return value * count


EXECUTORS: list[type[Executor]] = [OperationExecutor, TextOperationExecutor]

__all__ = ["EXECUTORS", "MAX_REPEAT_BYTES", "OperationExecutor", "TextOperationExecutor"]
