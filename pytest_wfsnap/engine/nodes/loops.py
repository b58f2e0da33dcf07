"""Loop executors: for_each and while_loop (ENGINE.md B9.13, B9.14).

As in the Go engine, loops do not run a body: for_each counts the elements of its array input
(within an iteration limit) and while_loop counts how often its condition holds for the
unchanged input, which is either zero times or until the iteration limit (an error).
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.expr import evaluate_simple_condition
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import (
    first_input,
    given,
    int_field,
    require_array,
    str_field,
)
from pytest_wfsnap.errors import NodeError

FOR_EACH_DEFAULT_MAX = 1000
WHILE_DEFAULT_MAX = 100


class ForEachExecutor(Executor):
    """Count the elements of an array input (a range node's map is not unwrapped)."""

    node_type = "for_each"
    data_struct = "ForEachData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = require_array(inputs, "for_each")
        limit = int_field(params, "max_iterations", node)
        if limit <= 0:
            limit = FOR_EACH_DEFAULT_MAX
        count = len(value)
        if count > limit:
            raise NodeError(f"for_each exceeds max iterations: {count} > {limit}")
        return {"input_count": count, "iterations": count, "successful": count, "failed": 0}


class WhileLoopExecutor(Executor):
    """Count iterations of a simple condition (``>5``, ``==3``...) on the unchanged input."""

    node_type = "while_loop"
    data_struct = "WhileLoopData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        if not given(node, "condition"):
            raise NodeError("while_loop node missing condition")
        condition = str_field(params, "condition", node)
        value = first_input(inputs, "while_loop node needs at least 1 input")
        limit = int_field(params, "max_iterations", node)
        if limit <= 0:
            limit = WHILE_DEFAULT_MAX
        # The body never changes the value and the condition is a pure function of it, so Go's
        # loop either stops at once or runs to the limit: one evaluation decides which.
        if evaluate_simple_condition(condition, value):
            raise NodeError(f"while_loop exceeded max iterations: {limit}")
        return {"final_value": value, "iterations": 0, "condition": condition}


EXECUTORS: list[type[Executor]] = [ForEachExecutor, WhileLoopExecutor]

__all__ = ["EXECUTORS", "ForEachExecutor", "WhileLoopExecutor"]
