"""Structure nodes: extract, transform (ENGINE.md B9.34, B9.35)."""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.expr.values import flatten_deep
from pytest_wfsnap.engine.gofmt import go_type
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, first_input, need_inputs
from pytest_wfsnap.engine.nodes.gotypes import given, str_field, str_list_field
from pytest_wfsnap.errors import NodeError


class ExtractExecutor(Executor):
    """One field as ``{"field", "value"}``, or several fields as a sub-object."""

    node_type = "extract"
    data_struct = "ExtractData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        source = first_input(inputs, "extract node requires input")
        if not isinstance(source, dict):
            raise NodeError(f"extract node requires object input, got {go_type(source)}")
        if given(node, "field"):  # `field` wins over `fields` when both are set
            field = str_field(params, "field", node)
            if field not in source:
                raise NodeError(f"field '{field}' not found in input object")
            return {"field": field, "value": source[field]}
        fields = str_list_field(params, "fields", node)
        if fields:
            return {name: source[name] for name in fields if name in source}
        raise NodeError("extract node requires 'field' or 'fields' configuration")


class TransformExecutor(Executor):
    """to_array, to_object, flatten, keys, values."""

    node_type = "transform"
    data_struct = "TransformData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        need_inputs(inputs, "transform node requires input")
        kind = str_field(params, "transform_type", node)
        if kind == "to_array":
            return list(inputs)
        if kind == "to_object":
            return _to_object(inputs[0])
        if kind == "flatten":
            return _flatten(inputs[0])
        if kind == "keys":
            return list(_require_object(inputs[0], "keys"))
        if kind == "values":
            return list(_require_object(inputs[0], "values").values())
        raise NodeError(f"unsupported transform type: {kind}")


def _to_object(value: Any) -> dict[str, Any]:
    """Alternating keys and values; an odd trailing element is ignored."""
    if not isinstance(value, list):
        raise NodeError(f"to_object requires array input, got {go_type(value)}")
    result: dict[str, Any] = {}
    for index in range(0, len(value) - 1, 2):
        key = value[index]
        if not isinstance(key, str):
            raise NodeError(f"to_object requires string keys at index {index}")
        result[key] = value[index + 1]
    return result


def _flatten(value: Any) -> list[Any] | None:
    """Recursive flatten; None (JSON null, a Go nil slice) when nothing is left."""
    if not isinstance(value, list):
        raise NodeError(f"flatten requires array input, got {go_type(value)}")
    return flatten_deep(value) or None


def _require_object(value: Any, kind: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise NodeError(f"{kind} transform requires object input, got {go_type(value)}")
    return value


EXECUTORS: list[type[Executor]] = [ExtractExecutor, TransformExecutor]

__all__ = ["EXECUTORS", "ExtractExecutor", "TransformExecutor"]
