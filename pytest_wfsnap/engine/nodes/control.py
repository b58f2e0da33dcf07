"""Routing nodes: condition, switch, join, split (ENGINE.md B9.12, B9.18, B9.48, B9.49).

condition and switch evaluate their conditions with the expression language against inputs[0]
and the workflow variables; the engine routes downstream edges on the result's ``path`` /
``output_path``. join and split only reshape their inputs (split does not route).
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.expr import evaluate, evaluate_simple_condition
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, first_input, need_inputs
from pytest_wfsnap.engine.nodes.gotypes import (
    bool_field,
    given,
    object_list_field,
    str_field,
    str_list_field,
)
from pytest_wfsnap.errors import NodeError

DEFAULT_SPLIT_PATHS = ("path1", "path2")


class ConditionExecutor(Executor):
    """Evaluate ``condition``; an evaluation error falls back to the simple ``>N`` syntax."""

    node_type = "condition"
    data_struct = "ConditionData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, "condition node needs at least 1 input")
        condition = str_field(params, "condition", node)
        try:
            met = evaluate(condition, value, rt.expr_context())
        except NodeError:
            met = evaluate_simple_condition(condition, value)
        return {
            "value": value,
            "condition_met": met,
            "condition": condition,
            "path": "true" if met else "false",
            "true_path": met,
            "false_path": not met,
        }


class SwitchExecutor(Executor):
    """First case whose ``when`` holds; the default case (always last) matches immediately."""

    node_type = "switch"
    data_struct = "SwitchData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, "switch node requires at least one input")
        ctx = rt.expr_context()
        for index, case in enumerate(object_list_field(params, "cases", node)):
            if bool_field(case, "is_default", node):
                return {
                    "value": value,
                    "matched": False,
                    "case": "default",
                    "output_path": str_field(case, "output_path", node) or "default",
                    "case_index": index,
                }
            when = str_field(case, "when", node)
            try:
                matched = evaluate(when, value, ctx)
            except NodeError:
                continue  # a case whose condition fails to evaluate is skipped
            if matched:
                return {
                    "value": value,
                    "matched": True,
                    "case": when,
                    "output_path": str_field(case, "output_path", node),
                    "case_index": index,
                }
        # Unreachable for decoded payloads (exactly one default case is required); kept so a
        # hand-built node without a default still routes somewhere predictable.
        return {"value": value, "matched": False, "output_path": "default"}


class JoinExecutor(Executor):
    """Combine inputs: ``all`` (default) lists them, ``any``/``first`` take inputs[0]."""

    node_type = "join"
    data_struct = "JoinData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        strategy = "all"
        if given(node, "join_strategy"):
            strategy = str_field(params, "join_strategy", node)
        if strategy == "all":
            need_inputs(inputs, "join node with 'all' strategy requires at least one input")
            return {"strategy": "all", "values": list(inputs), "count": len(inputs)}
        if strategy == "any":
            need_inputs(inputs, "join node with 'any' strategy has no inputs")
            return {"strategy": "any", "value": inputs[0], "count": len(inputs)}
        if strategy == "first":
            need_inputs(inputs, "join node with 'first' strategy has no inputs")
            return {"strategy": "first", "value": inputs[0]}
        raise NodeError(f"unsupported join strategy: {strategy} (use all, any, or first)")


class SplitExecutor(Executor):
    """Copy inputs[0] to every named path (informational: edges are not routed by it)."""

    node_type = "split"
    data_struct = "SplitData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, "split node requires at least one input")
        paths = str_list_field(params, "paths", node) or list(DEFAULT_SPLIT_PATHS)
        return {"value": value, "paths": paths, "outputs": dict.fromkeys(paths, value)}


EXECUTORS: list[type[Executor]] = [ConditionExecutor, SwitchExecutor, JoinExecutor, SplitExecutor]

__all__ = [
    "EXECUTORS",
    "ConditionExecutor",
    "JoinExecutor",
    "SplitExecutor",
    "SwitchExecutor",
]
