"""Nodes that read and write the run's shared state (ENGINE.md B6, B9.33, B9.36, B9.37, B9.41-43).

variable (workflow variables, set through ``rt.set_variable`` so values are validated and the
MaxVariables limit holds), accumulator and counter (ONE of each per run, shared by every node),
cache (entries expire on the state manager's clock) and the two context nodes.

Read-modify-write steps hold the state manager's lock, so a snapshot taken from another thread
sees either the old or the new value, never a half-applied step.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pytest_wfsnap.engine.gofmt import go_type, parse_duration
from pytest_wfsnap.engine.nodes._context_values import convert_typed_value
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, first_input
from pytest_wfsnap.engine.nodes.gotypes import float_field, given, object_list_field, str_field
from pytest_wfsnap.engine.state import VariableNotFound
from pytest_wfsnap.errors import NodeError

DEFAULT_CACHE_TTL = timedelta(minutes=5)


class VariableExecutor(Executor):
    """``set`` stores inputs[0] under ``var_name``; ``get`` reads it back (inputs ignored)."""

    node_type = "variable"
    data_struct = "VariableData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        name, op = str_field(params, "var_name", node), str_field(params, "var_op", node)
        if op == "set":
            value = first_input(inputs, "variable set operation requires input value")
            rt.set_variable(name, value)
            return {"var_name": name, "operation": "set", "value": value}
        if op == "get":
            try:
                value = rt.state.get_variable(name)
            except VariableNotFound:
                raise NodeError(f"variable '{name}' not found") from None
            return {"var_name": name, "operation": "get", "value": value}
        raise NodeError(f"unsupported variable operation: {op} (use 'get' or 'set')")


_ACCUMULATOR_START: dict[str, Any] = {"sum": 0.0, "count": 0.0, "product": 1.0, "concat": ""}


class AccumulatorExecutor(Executor):
    """Fold inputs[0] into the run's single accumulator (sum, product, concat, array, count)."""

    node_type = "accumulator"
    data_struct = "AccumulatorData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        op = str_field(params, "accum_op", node)
        state = rt.state
        with state.lock:
            current = state.get_accumulator()
            if current is None:
                current = params.get("initial_value")
                if current is None:
                    current = [] if op == "array" else _ACCUMULATOR_START.get(op)
                state.set_accumulator(current)
            if not inputs:
                return {"operation": op, "value": current}
            updated = _accumulate(op, current, inputs[0])
            state.set_accumulator(updated)
        return {"operation": op, "value": updated}


def _accumulate(op: str, current: Any, value: Any) -> Any:
    if op in ("sum", "product"):
        if not isinstance(current, float):
            raise NodeError("accumulator value is not a number")
        if not isinstance(value, float):
            raise NodeError(f"{op} accumulator requires numeric input, got {go_type(value)}")
        return current + value if op == "sum" else current * value
    if op == "concat":
        if not isinstance(current, str):
            raise NodeError("accumulator value is not a string")
        if not isinstance(value, str):
            raise NodeError(f"concat accumulator requires string input, got {go_type(value)}")
        return current + value
    if op == "array":
        if not isinstance(current, list):
            raise NodeError("accumulator value is not an array")
        return [*current, value]  # a new list: earlier results keep their own value
    if op == "count":
        if not isinstance(current, float):
            raise NodeError("accumulator value is not a number")
        return current + 1
    raise NodeError(f"unsupported accumulator operation: {op}")


class CounterExecutor(Executor):
    """increment / decrement (by ``delta``, default 1), reset, get on the run's single counter.

    A float ``initial_value`` overwrites the counter every time the node runs (Go behaviour).
    """

    node_type = "counter"
    data_struct = "CounterData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        op = str_field(params, "counter_op", node)
        initial = params.get("initial_value")
        delta = float_field(params, "delta", node) if given(node, "delta") else 1.0
        state = rt.state
        with state.lock:
            current = float(state.get_counter())
            if isinstance(initial, float):
                current = initial
                state.set_counter(current)
            if op == "increment":
                current += delta
            elif op == "decrement":
                current -= delta
            elif op == "reset":
                current = initial if isinstance(initial, float) else 0.0
            elif op != "get":
                raise NodeError(
                    f"unsupported counter operation: {op} (use increment, decrement, reset, or get)"
                )
            state.set_counter(current)
        return {"operation": op, "value": current}


class CacheExecutor(Executor):
    """set (with ``ttl``, default 5 minutes), get, and delete (which only reports success)."""

    node_type = "cache"
    data_struct = "CacheData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        op, key = str_field(params, "cache_op", node), str_field(params, "cache_key", node)
        if op == "set":
            value = first_input(inputs, "cache set operation requires an input value")
            ttl_text = str_field(params, "ttl", node) if given(node, "ttl") else None
            ttl = DEFAULT_CACHE_TTL
            if ttl_text is not None:
                try:
                    nanoseconds = parse_duration(ttl_text)
                except NodeError as exc:
                    raise NodeError(f"invalid TTL format: {exc}") from None
                ttl = timedelta(microseconds=nanoseconds // 1000)
            rt.state.cache_set(key, value, ttl)
            return {"operation": "set", "key": key, "value": value, "ttl": ttl_text}
        if op == "get":
            found, value = rt.state.cache_get(key)
            return {"operation": "get", "key": key, "found": found, "value": value}
        if op == "delete":
            return {"operation": "delete", "key": key, "deleted": True}
        raise NodeError(f"unsupported cache operation: {op} (use get, set, or delete)")


class _ContextExecutor(Executor):
    """Shared logic of context_variable and context_constant."""

    result_type = ""  # "variable" or "const"
    values_key = ""  # "variables" or "constants"

    def store(self, rt: Runtime, name: str, value: Any) -> None:
        raise NotImplementedError  # pragma: no cover - both subclasses implement it

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        entries = object_list_field(params, "context_values", node)
        if entries:
            converted: dict[str, Any] = {}
            for entry in entries:
                name, kind = str_field(entry, "name", node), str_field(entry, "type", node)
                try:
                    value = convert_typed_value(entry.get("value"), kind)
                except NodeError as exc:
                    raise NodeError(
                        f"{self.node_type} node: error converting {name} ({kind}): {exc}"
                    ) from None
                self.store(rt, name, value)
                converted[name] = value
            return {"type": self.result_type, self.values_key: converted}
        if not given(node, "context_name"):
            raise NodeError(f"{self.node_type} node missing context_name or context_values")
        name, value = str_field(params, "context_name", node), params.get("context_value")
        if value is None:
            raise NodeError(f"{self.node_type} node missing context_value")
        self.store(rt, name, value)
        return {"type": self.result_type, "name": name, "value": value}


class ContextVariableExecutor(_ContextExecutor):
    node_type = "context_variable"
    data_struct = "ContextVariableData"
    result_type = "variable"
    values_key = "variables"

    def store(self, rt: Runtime, name: str, value: Any) -> None:
        rt.state.set_context_var(name, value)


class ContextConstantExecutor(_ContextExecutor):
    node_type = "context_constant"
    data_struct = "ContextConstantData"
    result_type = "const"
    values_key = "constants"

    def store(self, rt: Runtime, name: str, value: Any) -> None:
        rt.state.set_context_const(name, value)


EXECUTORS: list[type[Executor]] = [
    VariableExecutor,
    AccumulatorExecutor,
    CounterExecutor,
    CacheExecutor,
    ContextVariableExecutor,
    ContextConstantExecutor,
]

__all__ = [
    "DEFAULT_CACHE_TTL",
    "EXECUTORS",
    "AccumulatorExecutor",
    "CacheExecutor",
    "ContextConstantExecutor",
    "ContextVariableExecutor",
    "CounterExecutor",
    "VariableExecutor",
]
